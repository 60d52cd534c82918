package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/snapshots"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// exportRecoverySources publishes what a DR stack in the DR region restores
// from (docs/runbooks/disaster-recovery.md): each is a restore.* value of
// Pulumi.dr.yaml. They are written down ahead of a disaster, because the
// outputs may be unreadable once the primary region is gone.
func exportRecoverySources(ctx *pulumi.Context, cfg *config.Config, k *keys.Keys, out datatier.Outputs, snaps *snapshots.Snapshots) {
	if cfg.Database.GlobalCluster.Enabled {
		ctx.Export("globalClusterIdentifier", out.DBGlobalClusterIdentifier)
	}
	if cfg.Backup.ReplicateFileSystem {
		ctx.Export("fileSystemReplicaId", out.FileSystemReplicaId)
	}
	if snaps != nil && usesDRRegion(cfg.Backup) {
		ctx.Export("snapshotReplicaBucketName", snaps.DRBucketName)
	}
	if usesDRRegion(cfg.Backup) {
		ctx.Export("drDataKeyArn", k.DRDataKeyArn)
	}
}
