package database

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// restoreSourceInputs are the inputs that say where a cluster's data came
// from. They matter only at creation: ignoring them afterwards means that
// leaving restore mode, or naming another snapshot, never replaces a live
// cluster with a restored copy (both force a new cluster in the provider).
var restoreSourceInputs = []string{"snapshotIdentifier", "restoreToPointInTime"}

// ignoredClusterInputs are the cluster inputs the engine keeps from state.
func ignoredClusterInputs(a *Args) []string {
	ignored := append([]string(nil), restoreSourceInputs...)
	if a.Global {
		// Joining the global database created from this cluster sets the
		// cluster's globalClusterIdentifier outside its own inputs; the
		// provider documents ignoring it on a primary built this way.
		ignored = append(ignored, "globalClusterIdentifier")
	}
	if a.Source.GlobalClusterIdentifier != "" {
		// RDS sets a secondary's replication source itself; it is no input.
		// A secondary takes its master user from the global database: the
		// name the promoted cluster declares must not count as a change
		// (the provider would replace the cluster for it).
		ignored = append(ignored, "replicationSourceIdentifier", "masterUsername")
	}
	return ignored
}

// applySource points the cluster at its restore source. A standby secondary
// takes its master user from the global database, so it gets none of its own;
// once promoted it is a standalone cluster again and gets an RDS-managed
// master password like any other (the provider detaches it from the global
// database when globalClusterIdentifier goes away).
func applySource(args *rds.ClusterArgs, s Source) {
	switch {
	case s.SnapshotIdentifier != "":
		args.SnapshotIdentifier = pulumi.String(s.SnapshotIdentifier)
	case s.SourceClusterIdentifier != "":
		pit := &rds.ClusterRestoreToPointInTimeArgs{
			SourceClusterIdentifier: pulumi.String(s.SourceClusterIdentifier),
			// A full copy: copy-on-write would tie the restored cluster's
			// storage to the source, which may be what is being replaced.
			RestoreType: pulumi.String("full-copy"),
		}
		if s.RestoreTime != "" {
			pit.RestoreToTime = pulumi.String(s.RestoreTime)
		} else {
			pit.UseLatestRestorableTime = pulumi.Bool(true)
		}
		args.RestoreToPointInTime = pit
	case s.Secondary:
		args.GlobalClusterIdentifier = pulumi.String(s.GlobalClusterIdentifier)
		args.MasterUsername = nil
		args.ManageMasterUserPassword = nil
		args.MasterUserSecretKmsKeyId = nil
	}
}

// applyMasterPassword holds the master password in the stack instead of RDS
// (a global database member: RDS refuses managed master passwords there). A
// standby secondary takes the global database's and gets none; once promoted
// it gets the stack's, which resets the password the primary's replica holds.
// The input only changes when the generated password does (never), so the
// provider never writes it back over a rotation.
func applyMasterPassword(args *rds.ClusterArgs, a *Args) {
	if a.MasterPassword == nil || a.Source.Secondary {
		return
	}
	args.ManageMasterUserPassword = nil
	args.MasterUserSecretKmsKeyId = nil
	args.MasterPassword = a.MasterPassword
}

// globalCluster makes cluster the primary of a new global database, named
// after the stack; DR stacks join it by that identifier.
func (b *builder) globalCluster(cluster *rds.Cluster) (*rds.GlobalCluster, error) {
	return rds.NewGlobalCluster(b.ctx, b.name+"-global", &rds.GlobalClusterArgs{
		GlobalClusterIdentifier:   pulumi.String(GlobalIdentifier(b.args.Namer)),
		SourceDbClusterIdentifier: cluster.Arn,
		// Required with a source cluster: deleting the global database detaches
		// its members (it never deletes them), so the primary stays.
		ForceDestroy:       pulumi.Bool(true),
		DeletionProtection: pulumi.Bool(b.args.Protect),
	}, b.parent, pulumi.Protect(b.args.Protect))
}

// GlobalIdentifier is the stack's global database identifier.
func GlobalIdentifier(n naming.Namer) string { return n.Name(naming.RDSIdentifier, "global") }
