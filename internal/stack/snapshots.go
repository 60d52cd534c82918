package stack

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/components/search"
	"github.com/morpheus-ha/morpheus-ha/components/snapshots"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// Schedules of the ops function's daily backups, in UTC: the OpenSearch
// snapshot at 02:00 and the broker's definitions at 02:15, an hour before
// AWS Backup's daily rule (dailySchedule), so no two start together.
const (
	searchSnapshotSchedule = "cron(0 2 * * ? *)"
	definitionsSchedule    = "cron(15 2 * * ? *)"
)

// newSnapshots creates the snapshot bucket, replicated to the DR region when
// the stack has one, or returns nil when backup.enabled is false (nothing
// else of the backups exists then either).
func newSnapshots(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env, k *keys.Keys,
	drProvider *aws.Provider, opts ...pulumi.ResourceOption,
) (*snapshots.Snapshots, error) {
	if !cfg.Backup.Enabled {
		return nil, nil
	}
	var dr *snapshots.DR
	if drProvider != nil {
		dr = &snapshots.DR{Region: cfg.Backup.DrRegion, Provider: drProvider, KeyArn: k.DRDataKeyArn}
	}
	return snapshots.NewSnapshots(ctx, "snapshots", &snapshots.Args{
		Namer:         names.Namer,
		Env:           env,
		DataKeyArn:    k.DataKeyArn,
		DR:            dr,
		Protect:       cfg.Protect(),
		KeepObjects:   cfg.IsProd(),
		RestoreSource: restoreSource(cfg.Restore),
	}, opts...)
}

// restoreSource is the source repository OpenSearch restores from, nil
// outside restore mode or without restore.snapshotBucket.
func restoreSource(r config.Restore) *snapshots.RestoreSource {
	if !r.Enabled || r.SnapshotBucket == "" {
		return nil
	}
	return &snapshots.RestoreSource{BucketName: r.SnapshotBucket, KeyArn: r.SnapshotBucketKeyArn}
}

// opsRestore is the ops function's restore action: only once the stack
// leaves standby (nothing is restored into a pilot light), and only with a
// source bucket.
func opsRestore(r config.Restore) *opsfunction.Restore {
	if !r.Active() || r.SnapshotBucket == "" {
		return nil
	}
	return &opsfunction.Restore{
		BucketName: r.SnapshotBucket, KeyArn: r.SnapshotBucketKeyArn,
		Snapshot: r.SearchSnapshot, DefinitionsKey: r.DefinitionsKey,
	}
}

// opsSnapshots is the ops function's snapshot setting for snaps (nil: none).
func opsSnapshots(snaps *snapshots.Snapshots, names *contract.Contract, k *keys.Keys, net *network.Network) *opsfunction.Snapshots {
	if snaps == nil {
		return nil
	}
	return &opsfunction.Snapshots{
		BucketName:       snaps.BucketName,
		BucketArn:        snaps.BucketArn,
		RoleArn:          snaps.RoleArn,
		DataKeyArn:       k.DataKeyArn,
		SearchDomainName: search.DomainName(names.Namer),
		S3PrefixListId:   net.S3PrefixListId,
		SnapshotSchedule: searchSnapshotSchedule,
		ExportSchedule:   definitionsSchedule,
	}
}
