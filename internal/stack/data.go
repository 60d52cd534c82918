package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/clientgroups"
	"github.com/morpheus-ha/morpheus-ha/components/database"
	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/messaging"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/search"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// newDataTier builds each data service's settings from the configuration and
// the contract, and wires them to the network, the client groups and the keys.
func newDataTier(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env, azs []string,
	net *network.Network, clients *clientgroups.ClientGroups, k *keys.Keys, opts ...pulumi.ResourceOption,
) (*datatier.DataTier, error) {
	return datatier.NewDataTier(ctx, "data", &datatier.Args{
		Namer:              names.Namer,
		Env:                env,
		AZNames:            azs,
		VpcId:              net.VpcId,
		AppSubnetIds:       net.AppSubnetIds,
		DataSubnetIds:      net.DataSubnetIds,
		AppSecurityGroupId: clients.AppSecurityGroupId,
		OpsSecurityGroupId: clients.OpsSecurityGroupId,
		DataKeyArn:         k.DataKeyArn,
		SecretsKeyArn:      k.SecretsKeyArn,
		LogsKeyArn:         k.LogsKeyArn,
		LogRetentionDays:   cfg.Logs.RetentionDays,
		Protect:            cfg.Protect(),
		KeepData:           cfg.IsProd(),
		// Audit evidence outlives a deliberate teardown of a prod stack.
		RetainAuditLogs: cfg.IsProd(),
		Secrets: secrets.Args{
			// The appliance setup's admin password, only when the setup is on.
			ApplianceAdmin:         cfg.Ops.ApplianceSetup.Enabled,
			ApplianceAdminUsername: cfg.Ops.ApplianceSetup.AdminUsername,
			Replica:                secretReplica(cfg, k),
			Standby:                cfg.Restore.Enabled && cfg.Restore.Standby,
		},
		Database: database.Args{
			EngineVersion:       cfg.Database.EngineVersion,
			InstanceClass:       cfg.Database.InstanceClass,
			InstanceCount:       databaseInstances(cfg),
			Port:                names.Database.Port,
			BackupRetentionDays: cfg.Database.BackupRetentionDays,
			BackupWindow:        cfg.Database.BackupWindow,
			MaintenanceWindow:   cfg.Database.MaintenanceWindow,
			MonitoringInterval:  cfg.Database.MonitoringInterval,
			CACertIdentifier:    cfg.Database.CACertIdentifier,
			MaxConnections:      names.Database.MaxConnections,
			Source:              databaseSource(cfg.Restore),
			Global:              cfg.Database.GlobalCluster.Enabled,
		},
		Storage: storage.Args{
			ThroughputMode:    cfg.Storage.ThroughputMode,
			Replication:       efsReplication(cfg, k),
			AdoptFileSystemId: cfg.Restore.FileSystem.FileSystemId,
		},
		Messaging: messaging.Args{
			EngineVersion:  cfg.Messaging.EngineVersion,
			InstanceType:   cfg.Messaging.InstanceType,
			DeploymentMode: cfg.Messaging.DeploymentMode,
			MaintenanceWindow: messaging.MaintenanceWindow{
				DayOfWeek: cfg.Messaging.MaintenanceWindow.DayOfWeek,
				TimeOfDay: cfg.Messaging.MaintenanceWindow.TimeOfDay,
				TimeZone:  cfg.Messaging.MaintenanceWindow.TimeZone,
			},
		},
		Search: search.Args{
			EngineVersion:        cfg.Search.EngineVersion,
			DataInstanceType:     cfg.Search.DataInstanceType,
			DataNodeCount:        cfg.Search.DataNodeCount,
			DedicatedMasterCount: cfg.Search.DedicatedMasterCount,
			MasterInstanceType:   cfg.Search.MasterInstanceType,
			VolumeSize:           cfg.Search.VolumeSize,
			OffPeakStartHour:     cfg.Maintenance.SearchOffPeakStartHour(),
			OffPeakStartMinute:   cfg.Maintenance.SearchOffPeakStartMinute(),
		},
		DatabaseName: names.Database.Name,
		Vhost:        names.Vhost,
	}, opts...)
}

// databaseSource is the cluster's restore source from restore.database.
func databaseSource(r config.Restore) database.Source {
	if !r.Enabled {
		return database.Source{}
	}
	d := r.Database
	switch d.Source {
	case config.RestoreSnapshot:
		return database.Source{SnapshotIdentifier: d.SnapshotIdentifier}
	case config.RestorePointInTime:
		return database.Source{SourceClusterIdentifier: d.SourceClusterIdentifier, RestoreTime: d.RestoreTime}
	case config.RestoreGlobalSecondary:
		return database.Source{GlobalClusterIdentifier: d.GlobalClusterIdentifier, Secondary: r.Standby}
	}
	return database.Source{}
}

// databaseInstances is database.instanceCount, or the standby secondary's
// restore.database.standbyInstances until the failover.
func databaseInstances(cfg *config.Config) int {
	if cfg.Restore.SecondaryDatabase() {
		return cfg.Restore.Database.StandbyInstances
	}
	return cfg.Database.InstanceCount
}
