package rules

import "fmt"

const (
	typeEFS             = "aws:efs/fileSystem:FileSystem"
	typeEFSBackupPolicy = "aws:efs/backupPolicy:BackupPolicy"
	typeEFSPolicy       = "aws:efs/fileSystemPolicy:FileSystemPolicy"
)

// storageRules are the EFS AWS Foundational Security Best Practices controls and the vendor's EFS
// requirements.
func storageRules() []Rule {
	return []Rule{
		{
			Name: "efs-encrypted", Control: "EFS.1, EFS.8", Level: Mandatory,
			Description: "EFS file systems are encrypted with a customer managed key (encrypted true, kmsKeyId set).",
			Why:         "FSBP/CIS control; encryption cannot be added to an existing file system, which holds Morpheus uploads and backups.",
			Check:       only(checkEFSEncrypted, typeEFS),
		},
		{
			Name: "efs-backup-policy-enabled", Control: "EFS.7", Level: Mandatory,
			Description: "EFS backup policies have backupPolicy.status ENABLED.",
			Why:         "FSBP control; automatic backups are the only copy of the shared Morpheus files.",
			Check:       only(checkEFSBackupPolicy, typeEFSBackupPolicy),
		},
		{
			Name: "efs-in-backup-plan", Control: "EFS.2", Level: Mandatory,
			Description: "Every EFS file system has an aws:efs/backupPolicy or is named by an aws:backup/selection.",
			Why:         "FSBP control; a file system nobody backs up loses uploads, plugins and Morpheus backups with one mistake.",
			CheckStack:  checkEFSBackupPlan,
		},
		{
			Name: "efs-no-lifecycle-transitions", Control: "Morpheus requirement", Level: Mandatory,
			Description: "EFS file systems have no lifecycle transition to Infrequent Access or Archive.",
			Why:         "The vendor's HA guide requires no IA/Archive lifecycle: Morpheus reads its files with first-byte latency in the request path.",
			Check:       only(checkEFSLifecycle, typeEFS),
		},
		{
			Name: "efs-policy-requires-tls", Control: "project rule", Level: Mandatory,
			Description: "Every EFS file system has a file system policy that denies access without TLS (aws:SecureTransport false).",
			Why:         "NFS carries Morpheus' files in clear text otherwise; the decision log requires tls mounts.",
			CheckStack:  checkEFSPolicy,
		},
	}
}

func checkEFSEncrypted(_ Context, r Resource) []string {
	var m msgs
	on, _ := r.flag("encrypted")
	m.need(on || isUnknown(r.Inputs["encrypted"]), "encrypted is not true")
	m.need(r.isSet("kmsKeyId"), "kmsKeyId is unset; encrypt with the stack's customer managed key")
	return m
}

func checkEFSBackupPolicy(_ Context, r Resource) []string {
	s, _ := r.get("backupPolicy.status")
	if s == "ENABLED" || isUnknown(s) {
		return nil
	}
	return []string{fmt.Sprintf("backupPolicy.status is %s; set \"ENABLED\"", show(s))}
}

func checkEFSBackupPlan(_ Context, rs []Resource) []Violation {
	var out []Violation
	for _, fs := range ofType(rs, typeEFS) {
		if len(linked(rs, typeEFSBackupPolicy, "fileSystemId", fs.URN)) > 0 || inBackupSelection(rs, fs, "", ":file-system/") {
			continue
		}
		out = append(out, Violation{fs.URN, "no aws:efs/backupPolicy or aws:backup/selection covers the file system"})
	}
	return out
}

func checkEFSLifecycle(_ Context, r Resource) []string {
	var m msgs
	for i, p := range maps(r.list("lifecyclePolicies")) {
		for _, k := range []string{"transitionToIa", "transitionToArchive"} {
			v, _ := p[k].(string)
			m.need(v == "", fmt.Sprintf("lifecyclePolicies[%d].%s is %q; Morpheus needs every file in Standard storage", i, k, v))
		}
	}
	return m
}

func checkEFSPolicy(_ Context, rs []Resource) []Violation {
	var out []Violation
	for _, fs := range ofType(rs, typeEFS) {
		policies := linked(rs, typeEFSPolicy, "fileSystemId", fs.URN)
		if len(policies) == 0 {
			out = append(out, Violation{fs.URN, "no aws:efs/fileSystemPolicy denies access without TLS"})
		}
		for _, p := range policies {
			doc, ok := p.str("policy")
			if !ok {
				continue
			}
			stmts, ok := statements(doc)
			if !ok || !deniesInsecureTransport(stmts) {
				out = append(out, Violation{p.URN, "the policy has no Deny with Bool aws:SecureTransport \"false\""})
			}
		}
	}
	return out
}
