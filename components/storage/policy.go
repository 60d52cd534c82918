package storage

import (
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// ClientActions are the NFS client actions the app nodes need: mount, write and
// root access. Root access is not optional: morpheus-ctl runs as root and chowns
// the shared tree to the pinned morpheus-app/morpheus-local uids, which a
// squashed root cannot do.
var ClientActions = []string{
	"elasticfilesystem:ClientMount",
	"elasticfilesystem:ClientWrite",
	"elasticfilesystem:ClientRootAccess",
}

// viaMountTarget is the condition that limits client access to mount targets,
// one of the few condition keys EFS enforces for NFS clients.
const viaMountTarget = "elasticfilesystem:AccessedViaMountTarget"

// Policy returns the file system policy. It replaces EFS's default policy,
// which lets any anonymous client that reaches a mount target read, write and
// act as root:
//   - every request without TLS is denied, whoever makes it;
//   - client access is granted only to the account principal, i.e. to the IAM
//     principals of this account whose own identity policies grant it (the app
//     nodes' role, through ClientStatement), and only through a mount target.
//
// Anonymous clients (mounts without the efs-utils `iam` option) match no Allow
// and are refused. They are not denied by condition because EFS enforces only
// aws:SecureTransport, aws:SourceIp, elasticfilesystem:AccessPointArn and
// elasticfilesystem:AccessedViaMountTarget for NFS clients: a Deny keyed on
// aws:PrincipalAccount would lock every client out or do nothing.
func Policy(fileSystemArn string, env awsenv.Env) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Deny("DenyInsecureTransport", []string{"*"}, []string{fileSystemArn}).
			WithPrincipal("AWS", "*").
			When("Bool", "aws:SecureTransport", "false"),
		iampolicy.Allow("AccountPrincipalsViaMountTarget", ClientActions, []string{fileSystemArn}).
			WithPrincipal("AWS", env.RootARN()).
			When("Bool", viaMountTarget, "true"),
	)
}

// ClientStatement is the identity-policy statement a client role (the app
// nodes' instance role) needs to mount the file system: the file system policy
// delegates to IAM, so without it the role is refused like any anonymous client.
func ClientStatement(fileSystemArn string) iampolicy.Statement {
	return iampolicy.Allow("MountSharedFileSystem", ClientActions, []string{fileSystemArn}).
		When("Bool", viaMountTarget, "true")
}
