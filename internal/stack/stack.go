// Package stack is the program's entry point: it loads and validates the
// configuration, then wires the components together in one direction (keys and
// network feed the data tier; the data tier feeds the app tier).
package stack

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/components/clientgroups"
	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/noderefresh"
	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Run builds the whole stack. A bad configuration returns before any resource,
// the provider included, is registered.
func Run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	// The ops function's package is built outside Pulumi (`make opsfn`); a
	// clone without it fails here, before anything is registered.
	opsArtifact := opsfunction.ResolveArtifact(ctx.RootDirectory(), cfg.Ops.Artifact)
	if err := opsfunction.CheckArtifact(opsArtifact); err != nil {
		return err
	}
	provider, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
		Region:      pulumi.String(cfg.Region),
		DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(cfg.Tags())},
	})
	if err != nil {
		return err
	}
	withProvider := pulumi.Provider(provider)
	env, err := awsenv.Lookup(ctx, cfg.Region, withProvider)
	if err != nil {
		return err
	}
	azs, err := pickAZs(ctx, cfg.Network.AZCount, withProvider)
	if err != nil {
		return err
	}
	namer := naming.Namer{Project: cfg.Project, Stack: cfg.Stack}

	k, err := keys.NewKeys(ctx, "keys", &keys.Args{
		Namer:              namer,
		Env:                env,
		DeletionWindowDays: cfg.Keys.DeletionWindowDays,
		RotationPeriodDays: cfg.Keys.RotationPeriodDays,
		Protect:            cfg.Protect(),
	}, withProvider)
	if err != nil {
		return err
	}
	net, err := network.NewNetwork(ctx, "network", &network.Args{
		Namer:                namer,
		Env:                  env,
		CIDR:                 cfg.Network.CIDR,
		SubnetPrefixLength:   cfg.Network.SubnetPrefixLength,
		AZNames:              azs,
		NATGatewayCount:      cfg.NATGatewayCount(),
		FlowLogRetentionDays: cfg.Logs.RetentionDays,
		LogsKeyArn:           k.LogsKeyArn,
	}, withProvider)
	if err != nil {
		return err
	}

	clients, err := clientgroups.NewClientGroups(ctx, "clients", &clientgroups.Args{
		Namer: namer,
		VpcId: net.VpcId,
	}, withProvider)
	if err != nil {
		return err
	}
	data, err := datatier.NewDataTier(ctx, "data", &datatier.Args{
		Config:             cfg,
		Namer:              namer,
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
		MorpheusVersion:    cfg.Morpheus.Version,
	}, withProvider)
	if err != nil {
		return err
	}
	out := data.Outputs

	// The ops function bootstraps Morpheus' database, broker and search users
	// and rotates their secrets. The app nodes must not boot before the
	// bootstrap: give the app tier ops.AfterBootstrap(net.AppSubnetIds) as its
	// SubnetIds, which makes the Auto Scaling group depend on the invocation.
	ops, err := opsfunction.NewOpsFunction(ctx, "ops", &opsfunction.Args{
		Namer:                   namer,
		Env:                     env,
		Artifact:                opsArtifact,
		AppSubnetIds:            net.AppSubnetIds,
		OpsSecurityGroupId:      clients.OpsSecurityGroupId,
		DBSecurityGroupId:       out.DBSecurityGroupId,
		MQSecurityGroupId:       out.MQSecurityGroupId,
		SearchSecurityGroupId:   out.SearchSecurityGroupId,
		EndpointSecurityGroupId: net.EndpointSecurityGroupId,
		DBEndpoint:              out.DBEndpoint,
		DBPort:                  out.DBPort,
		DBMasterSecretArn:       out.DBMasterSecretArn,
		MQManagementURL:         out.MQManagementURL,
		MQBrokerId:              out.MQBrokerId,
		SearchEndpoint:          out.SearchEndpoint,
		SecretArns:              out.SecretArns,
		SecretsKeyArn:           k.SecretsKeyArn,
		LogsKeyArn:              k.LogsKeyArn,
		LogRetentionDays:        cfg.Logs.RetentionDays,
		RotationDays:            cfg.Ops.RotationDays,
		Protect:                 cfg.Protect(),
		ApplianceSetup:          applianceSetup(cfg, namer),
	}, withProvider)
	if err != nil {
		return err
	}
	appSecretArns := pulumi.StringArray{}
	for _, p := range opsfunction.AppPurposes {
		appSecretArns = append(appSecretArns, out.SecretArns.MapIndex(pulumi.String(string(p))))
	}
	refresh, err := noderefresh.NewNodeRefresh(ctx, "refresh", &noderefresh.Args{
		Namer:            namer,
		Env:              env,
		AsgName:          apptier.NamesFor(namer).Group,
		AppSecretArns:    appSecretArns,
		LogsKeyArn:       k.LogsKeyArn,
		LogRetentionDays: cfg.Logs.RetentionDays,
	}, withProvider)
	if err != nil {
		return err
	}
	edge, err := newEdge(ctx, cfg, namer, env, net, clients, withProvider)
	if err != nil {
		return err
	}
	usEast1, err := newUsEast1Provider(ctx, cfg)
	if err != nil {
		return err
	}
	mon, err := newMonitoring(ctx, cfg, namer, env, k, edge, out, usEast1, withProvider)
	if err != nil {
		return err
	}
	app, err := newAppTier(ctx, cfg, namer, env, appInputs{
		net: net, clients: clients, keys: k, data: out, edge: edge, ops: ops, mon: mon,
	}, withProvider)
	if err != nil {
		return err
	}
	if cfg.Ops.ApplianceSetup.Enabled {
		// After the app tier: the group's name makes the setup wait for the
		// group, whose creation waits for healthy nodes.
		if _, err := ops.RunApplianceSetup(ctx, app.AutoScalingGroupName); err != nil {
			return err
		}
	}

	ctx.Export("environment", pulumi.String(string(cfg.Environment)))
	ctx.Export("region", pulumi.String(cfg.Region))
	ctx.Export("vpcId", net.VpcId)
	ctx.Export("azNames", net.AzNames)
	ctx.Export("publicSubnetIds", net.PublicSubnetIds)
	ctx.Export("appSubnetIds", net.AppSubnetIds)
	ctx.Export("dataSubnetIds", net.DataSubnetIds)
	ctx.Export("dataKeyArn", k.DataKeyArn)
	ctx.Export("secretsKeyArn", k.SecretsKeyArn)
	ctx.Export("logsKeyArn", k.LogsKeyArn)
	ctx.Export("notificationsKeyArn", k.NotificationsKeyArn)
	ctx.Export("databaseEndpoint", out.DBEndpoint)
	ctx.Export("databaseMasterSecretArn", out.DBMasterSecretArn)
	ctx.Export("fileSystemId", out.FileSystemId)
	ctx.Export("brokerHost", out.MQHost)
	ctx.Export("brokerConsoleUrl", out.MQManagementURL)
	ctx.Export("searchEndpoint", out.SearchEndpoint)
	ctx.Export("secretArns", out.SecretArns)
	ctx.Export("parameterPrefix", pulumi.String(out.ParameterPrefix))
	ctx.Export("applianceUrl", pulumi.String(cfg.ApplianceURL()))
	ctx.Export("loadBalancerDnsName", edge.DnsName)
	ctx.Export("alertsTopicArn", mon.AlertsTopicArn)
	ctx.Export("dashboardName", mon.DashboardName)
	ctx.Export("autoScalingGroupName", app.AutoScalingGroupName)
	ctx.Export("nodeRoleArn", app.InstanceRoleArn)
	ctx.Export("opsFunctionName", ops.FunctionName)
	ctx.Export("opsFunctionLogGroup", ops.LogGroupName)
	ctx.Export("nodeRefreshAutomation", refresh.AutomationDocumentName)
	ctx.Export("nodeRefreshCommand", refresh.CommandDocumentName)
	ctx.Export("nodeRefreshLogGroup", refresh.LogGroupName)
	return nil
}

// pickAZs returns the first count available, opt-in-free AZs in name order, so
// the choice is stable between runs whatever order the API lists them in.
func pickAZs(ctx *pulumi.Context, count int, opts ...pulumi.InvokeOption) ([]string, error) {
	res, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State: pulumi.StringRef("available"),
		Filters: []aws.GetAvailabilityZonesFilter{
			{Name: "opt-in-status", Values: []string{"opt-in-not-required"}},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up availability zones: %w", err)
	}
	names := append([]string(nil), res.Names...)
	sort.Strings(names)
	if len(names) < count {
		return nil, fmt.Errorf("network.azCount is %d but the region offers only %d AZs without opt-in: %v", count, len(names), names)
	}
	return names[:count], nil
}
