package stack

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/components/cost"
	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// newUsEast1Provider is the second aws provider, with the same tags: Route 53
// health-check metrics exist only in us-east-1, so their alarm, its topic and
// that topic's key live there.
func newUsEast1Provider(ctx *pulumi.Context, cfg *config.Config) (*aws.Provider, error) {
	return aws.NewProvider(ctx, "aws-"+monitoring.HealthCheckRegion, &aws.ProviderArgs{
		Region:      pulumi.String(monitoring.HealthCheckRegion),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.Tags())},
	})
}

// newMonitoring creates the alerts topics, every tier's alarms, the dashboard
// and the metric filters on the app logs. It comes last and reads only the
// other tiers' typed outputs.
func newMonitoring(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env,
	k *keys.Keys, edge *loadbalancer.LoadBalancer, data datatier.Outputs, app *apptier.AppTier,
	net *network.Network, opsFunctionName pulumi.StringInput, watch monitoring.RefreshWatch, usEast1 pulumi.ProviderResource,
	opts ...pulumi.ResourceOption,
) (*monitoring.Monitoring, error) {
	a := cfg.Alerts
	return monitoring.NewMonitoring(ctx, "monitoring", &monitoring.Args{
		Namer:                      names.Namer,
		Env:                        env,
		NotificationsKeyArn:        k.NotificationsKeyArn,
		AlertEmails:                a.Emails,
		AlertHTTPSEndpoint:         a.HTTPSEndpoint,
		AdditionalPublishers:       cost.Publishers,
		UsEast1Provider:            usEast1,
		UsEast1NotificationsKeyArn: k.UsEast1NotificationsKeyArn,
		MorpheusLogGroupName:       app.LogGroupNames.MapIndex(pulumi.String(contract.MorpheusUILog)),
		LogMetricsNamespace:        names.App.LogMetricsNamespace,
		ErrorLogPattern:            a.ErrorLogPattern,
		FailedLoginPattern:         a.FailedLoginPattern,
		Thresholds:                 a.Thresholds,
		Domain:                     cfg.Domain,
		HealthCheck:                cfg.PublicHealthCheck(),
		LoadBalancerArnSuffix:      edge.ArnSuffix,
		TargetGroupArnSuffix:       edge.TargetGroupArnSuffix,
		AsgName:                    app.AutoScalingGroupName,
		AsgMinSize:                 cfg.App.MinNodes,
		DiskPaths:                  a.DiskPaths,
		ProcessPattern:             a.ProcessPattern,
		DbClusterIdentifier:        data.DBClusterIdentifier,
		DbInstanceIdentifiers:      data.DBInstanceIds,
		DbInstanceCount:            databaseInstances(cfg),
		Standby:                    cfg.Restore.Enabled && cfg.Restore.Standby,
		DbMaxConnections:           names.Database.MaxConnections,
		BrokerName:                 data.MQBrokerName,
		SearchDomainName:           data.SearchDomainName,
		EfsFileSystemId:            data.FileSystemId,
		OpsFunctionName:            opsFunctionName,
		NatGatewayIds:              net.NatGatewayIds,
		NatGatewayCount:            cfg.NATGatewayCount(),
		Refresh:                    watch,
	}, opts...)
}
