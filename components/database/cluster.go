package database

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// cluster creates the Aurora cluster after its log groups, so RDS finds them
// encrypted and with a retention instead of creating bare ones.
func (b *builder) cluster(sg *ec2.SecurityGroup, subnets *rds.SubnetGroup, params *rds.ClusterParameterGroup, logGroups []pulumi.Resource) (*rds.Cluster, error) {
	a := b.args
	exports := pulumi.ToStringArray(LogExports)
	clusterArgs := &rds.ClusterArgs{
		ClusterIdentifier:      pulumi.String(b.identifier),
		Engine:                 pulumi.String(aurora.Engine),
		EngineMode:             pulumi.String("provisioned"),
		EngineVersion:          pulumi.String(a.EngineVersion),
		EngineLifecycleSupport: pulumi.String(extendedSupportDisabled),
		// RDS generates and rotates the master password in Secrets Manager; it
		// never passes through Pulumi state.
		MasterUsername:              pulumi.String(MasterUsername),
		ManageMasterUserPassword:    pulumi.Bool(true),
		MasterUserSecretKmsKeyId:    a.SecretsKeyArn,
		StorageEncrypted:            pulumi.Bool(true),
		KmsKeyId:                    a.DataKeyArn,
		Port:                        pulumi.Int(a.Port),
		DbSubnetGroupName:           subnets.Name,
		VpcSecurityGroupIds:         pulumi.StringArray{sg.ID()},
		DbClusterParameterGroupName: params.Name,
		BackupRetentionPeriod:       pulumi.Int(a.BackupRetentionDays),
		PreferredBackupWindow:       pulumi.String(a.BackupWindow),
		PreferredMaintenanceWindow:  pulumi.String(a.MaintenanceWindow),
		CopyTagsToSnapshot:          pulumi.Bool(true),
		// IAM authentication is on for operators and the ops function; Morpheus
		// itself keeps using its password.
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		EnabledCloudwatchLogsExports:     exports,
		DeletionProtection:               pulumi.Bool(a.Protect),
		SkipFinalSnapshot:                pulumi.Bool(!a.FinalSnapshot),
	}
	if a.FinalSnapshot {
		// A constant identifier: the provider only reads it at deletion, so it
		// must not change between runs (a timestamp would diff on every run).
		clusterArgs.FinalSnapshotIdentifier = pulumi.String(naming.Fit(naming.RDSIdentifier, b.identifier+"-final"))
	}
	applySource(clusterArgs, a.Source)
	applyMasterPassword(clusterArgs, a)
	return rds.NewCluster(b.ctx, b.name+"-cluster", clusterArgs,
		b.parent, pulumi.Protect(a.Protect), pulumi.DependsOn(logGroups), pulumi.IgnoreChanges(ignoredClusterInputs(a)))
}

// instances creates the writer in the first AZ, then the readers round-robin
// over the others. Readers wait for the writer so that the first instance, the
// one in AZNames[0], is the one Aurora makes writer.
func (b *builder) instances(cluster *rds.Cluster, subnets *rds.SubnetGroup, role *iam.Role, attachment *iam.RolePolicyAttachment) ([]*rds.ClusterInstance, error) {
	a := b.args
	var out []*rds.ClusterInstance
	for i := 0; i < a.InstanceCount; i++ {
		deps := []pulumi.Resource{attachment}
		if i > 0 {
			deps = append(deps, out[0])
		}
		in, err := rds.NewClusterInstance(b.ctx, fmt.Sprintf("%s-instance-%d", b.name, i+1), &rds.ClusterInstanceArgs{
			Identifier:        pulumi.String(b.args.Namer.Name(naming.RDSIdentifier, fmt.Sprintf("aurora-%d", i+1))),
			ClusterIdentifier: cluster.ClusterIdentifier,
			Engine:            pulumi.String(aurora.Engine),
			InstanceClass:     pulumi.String(a.InstanceClass),
			AvailabilityZone:  pulumi.String(a.AZNames[i%len(a.AZNames)]),
			DbSubnetGroupName: subnets.Name,
			// RDS.2: never reachable from outside the VPC.
			PubliclyAccessible: pulumi.Bool(false),
			// RDS.13/RDS.35. AWS advises against this on LTS releases because the
			// upgrade target may not be LTS; see docs/decisions/database.md.
			AutoMinorVersionUpgrade:            pulumi.Bool(true),
			CaCertIdentifier:                   pulumi.String(a.CACertIdentifier),
			MonitoringInterval:                 pulumi.Int(a.MonitoringInterval),
			MonitoringRoleArn:                  role.Arn,
			PerformanceInsightsEnabled:         pulumi.Bool(true),
			PerformanceInsightsKmsKeyId:        a.DataKeyArn,
			PerformanceInsightsRetentionPeriod: pulumi.Int(PerformanceInsightsRetentionDays),
			PreferredMaintenanceWindow:         pulumi.String(a.MaintenanceWindow),
			CopyTagsToSnapshot:                 pulumi.Bool(true),
		}, b.parent, pulumi.Protect(a.Protect), pulumi.DependsOn(deps))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}
