package stack

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/backup"
	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// Backup schedules, in UTC: config's, which the maintenance windows are
// checked against.
const (
	dailySchedule   = config.BackupDailySchedule
	weeklySchedule  = config.BackupWeeklySchedule
	monthlySchedule = config.BackupMonthlySchedule
)

// newDRProvider is an aws provider for backup.drRegion, with the stack's tags,
// or nil when nothing is copied there.
func newDRProvider(ctx *pulumi.Context, cfg *config.Config) (*aws.Provider, error) {
	if !usesDRRegion(cfg.Backup) {
		return nil, nil
	}
	return aws.NewProvider(ctx, "aws-dr", &aws.ProviderArgs{
		Region:      pulumi.String(cfg.Backup.DrRegion),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.Tags())},
	})
}

// usesDRRegion reports whether anything goes to backup.drRegion: copies,
// replication of the file system or of the secrets.
func usesDRRegion(b config.Backup) bool {
	return (b.Enabled && b.CopyToDrRegion) || b.ReplicateFileSystem || b.ReplicateSecrets
}

// drKeys is the keys component's DR setting for provider (nil: no DR keys).
func drKeys(cfg *config.Config, provider *aws.Provider) *keys.DR {
	if provider == nil {
		return nil
	}
	return &keys.DR{Region: cfg.Backup.DrRegion, Provider: provider}
}

// backupRules are the plan's rules from the backup config: the daily rule
// also runs Aurora's continuous backup, the monthly one moves EFS points to
// cold storage.
func backupRules(b config.Backup) []backup.Rule {
	return []backup.Rule{
		{Name: "daily", Schedule: dailySchedule, RetentionDays: b.DailyRetentionDays, Continuous: true, CopyRetentionDays: b.DrDailyRetentionDays},
		{Name: "weekly", Schedule: weeklySchedule, RetentionDays: b.WeeklyRetentionDays, CopyRetentionDays: b.DrWeeklyRetentionDays},
		{Name: "monthly", Schedule: monthlySchedule, RetentionDays: b.MonthlyRetentionDays, ColdStorageAfterDays: b.MonthlyColdStorageAfterDays, CopyRetentionDays: b.DrMonthlyRetentionDays},
	}
}

// newBackup backs up the data tier's Aurora cluster and EFS file system, or
// returns nil when backup.enabled is false.
func newBackup(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env, k *keys.Keys,
	data datatier.Outputs, drProvider *aws.Provider, opts ...pulumi.ResourceOption,
) (*backup.Backup, error) {
	b := cfg.Backup
	if !b.Enabled {
		return nil, nil
	}
	var dr *backup.DR
	if drProvider != nil && b.CopyToDrRegion {
		dr = &backup.DR{Region: b.DrRegion, Provider: drProvider, KeyArn: k.DRDataKeyArn}
	}
	return backup.NewBackup(ctx, "backup", &backup.Args{
		Namer:              names.Namer,
		Env:                env,
		DataKeyArn:         k.DataKeyArn,
		Rules:              backupRules(b),
		AuroraClusterArn:   data.DBClusterArn,
		ExcludeAurora:      cfg.Restore.SecondaryDatabase(),
		FileSystemArn:      data.FileSystemArn,
		BreakGlassRoleArns: b.BreakGlassRoleArns,
		Lock: backup.Lock{
			Mode:              b.VaultLock.Mode,
			MinRetentionDays:  b.VaultLock.MinRetentionDays,
			MaxRetentionDays:  b.VaultLock.MaxRetentionDays,
			ChangeableForDays: b.VaultLock.ChangeableForDays,
		},
		DR:             dr,
		RestoreTesting: b.RestoreTesting,
		Protect:        cfg.Protect(),
	}, opts...)
}

// efsReplication is the storage component's replication to the DR region
// (backup.replicateFileSystem), or nil.
func efsReplication(cfg *config.Config, k *keys.Keys) *storage.Replication {
	if !cfg.Backup.ReplicateFileSystem {
		return nil
	}
	return &storage.Replication{Region: cfg.Backup.DrRegion, KeyArn: k.DRDataKeyArn}
}

// secretReplica is the secrets component's replication to the DR region
// (backup.replicateSecrets), or nil.
func secretReplica(cfg *config.Config, k *keys.Keys) *secrets.Replica {
	if !cfg.Backup.ReplicateSecrets {
		return nil
	}
	return &secrets.Replica{Region: cfg.Backup.DrRegion, KeyArn: k.DRSecretsKeyArn}
}
