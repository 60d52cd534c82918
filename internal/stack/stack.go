// Package stack is the program's entry point. It loads and validates the
// configuration, derives the stack contract from it (every name, path and node
// input), then wires the components in one direction:
//
//	config → contract → keys, network, client groups
//	       → data tier (secrets, Aurora, EFS, Amazon MQ, OpenSearch, parameters)
//	       → backup (vaults, plan, copies to the DR region, restore tests)
//	       → snapshot bucket (OpenSearch snapshots, broker definitions)
//	       → ops function (bootstrap, rotation, snapshots) → load balancer → app tier
//	       → appliance setup, node refresh, OS patching, monitoring
//	       → cost controls (budget, anomaly alerts), failure drills (FIS)
//
// Each step takes only the typed outputs of the steps before it.
package stack

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/clientgroups"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/noderefresh"
	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// Run builds the whole stack. A bad configuration returns before any resource,
// the provider included, is registered; a change the deployed stack cannot
// take (checked against its last outputs) returns after only the read of
// those outputs.
func Run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	names, err := contract.New(cfg)
	if err != nil {
		return err
	}
	if w := cfg.BudgetWarning(); w != "" {
		_ = ctx.Log.Warn(w, nil) // a warning that cannot be printed is no reason to stop
	}
	// The ops function's package is built outside Pulumi (`make opsfn`); a
	// clone without it fails here, before anything is registered.
	opsArtifact := opsfunction.ResolveArtifact(ctx.RootDirectory(), cfg.Ops.Artifact)
	if err := opsfunction.CheckArtifact(opsArtifact); err != nil {
		return err
	}
	// A change that would replace a stateful resource of the deployed stack
	// fails here, before the provider or any resource is registered; only the
	// read of the stack's own last outputs precedes it.
	deployed, err := readDeployed(ctx)
	if err != nil {
		return err
	}
	adoptDeployedAZs(cfg, deployed)
	if err := config.CheckChanges(cfg, deployed); err != nil {
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
	usEast1, err := newUsEast1Provider(ctx, cfg)
	if err != nil {
		return err
	}
	drProvider, err := newDRProvider(ctx, cfg)
	if err != nil {
		return err
	}
	env, err := awsenv.Lookup(ctx, cfg.Region, withProvider)
	if err != nil {
		return err
	}
	azs, err := resolveAZs(ctx, cfg, deployed, withProvider)
	if err != nil {
		return err
	}
	namer := names.Namer

	k, err := keys.NewKeys(ctx, "keys", &keys.Args{
		Namer:              namer,
		Env:                env,
		DeletionWindowDays: cfg.Keys.DeletionWindowDays,
		RotationPeriodDays: cfg.Keys.RotationPeriodDays,
		Protect:            cfg.Protect(),
		UsEast1Provider:    usEast1,
		UsEast1Aliases: keys.UsEast1Aliases{
			Key:   formerMonitoringChild(ctx, "aws:kms/key:Key", "monitoring-us-east-1-key"),
			Alias: formerMonitoringChild(ctx, "aws:kms/alias:Alias", "monitoring-us-east-1-key-alias"),
		},
		DR: drKeys(cfg, drProvider),
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
		Protect:              cfg.Protect(),
		RetainAuditLogs:      cfg.IsProd(),
	}, withProvider)
	if err != nil {
		return err
	}
	clients, err := clientgroups.NewClientGroups(ctx, "clients", &clientgroups.Args{
		Namer:                   namer,
		VpcId:                   net.VpcId,
		EndpointSecurityGroupId: net.EndpointSecurityGroupId,
	}, withProvider)
	if err != nil {
		return err
	}
	data, err := newDataTier(ctx, cfg, names, env, azs, net, clients, k, withProvider)
	if err != nil {
		return err
	}
	out := data.Outputs
	backups, err := newBackup(ctx, cfg, names, env, k, out, drProvider, withProvider)
	if err != nil {
		return err
	}
	if backups != nil {
		ctx.Export("backupVaultName", backups.VaultName)
		ctx.Export("backupPlanId", backups.PlanId)
		ctx.Export("drBackupVaultArn", backups.DRVaultArn)
	}
	snaps, err := newSnapshots(ctx, cfg, names, env, k, drProvider, withProvider)
	if err != nil {
		return err
	}
	if snaps != nil {
		ctx.Export("snapshotBucketName", snaps.BucketName)
		ctx.Export("searchSnapshotRoleArn", snaps.RoleArn)
	}
	exportRecoverySources(ctx, cfg, k, out, snaps)

	// The ops function bootstraps Morpheus' database, broker and search users
	// and rotates their secrets. The app nodes launch without waiting for it:
	// they install their packages meanwhile, then wait (bounded, with launch
	// hook heartbeats) for the readiness parameter the bootstrap leaves, so no
	// node renders morpheus.rb before its users exist.
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
		ReadySignal: opsfunction.ReadySignal{
			Name:   names.UserData.Parameters.Ready,
			After:  out.ParameterNames,
			KeyArn: k.SecretsKeyArn,
		},
		DatabaseName:       names.Database.Name,
		Vhost:              names.Vhost,
		SecretArns:         out.SecretArns,
		SecretsKeyArn:      k.SecretsKeyArn,
		LogsKeyArn:         k.LogsKeyArn,
		LogRetentionDays:   cfg.Logs.RetentionDays,
		RotationDays:       cfg.Ops.RotationDays,
		Protect:            cfg.Protect(),
		BreakGlassRoleArns: cfg.Security.BreakGlassRoleArns,
		ApplianceSetup:     applianceSetup(cfg, names),
		Snapshots:          opsSnapshots(snaps, names, k, net),
		Standby:            cfg.Restore.Enabled && cfg.Restore.Standby,
		Restore:            opsRestore(cfg.Restore),
		StackHeldDBMaster:  out.DBMasterStackHeld,
	}, withProvider)
	if err != nil {
		return err
	}
	edge, err := newEdge(ctx, cfg, names, env, net, clients, withProvider)
	if err != nil {
		return err
	}
	refreshAfter, err := stopAllBeforeRefresh(ctx, cfg, names, deployed, withProvider)
	if err != nil {
		return err
	}
	app, err := newAppTier(ctx, cfg, names, env, appInputs{
		net: net, clients: clients, keys: k, data: out, edge: edge, ops: ops, refreshAfter: refreshAfter,
	}, withProvider)
	if err != nil {
		return err
	}
	if cfg.Ops.ApplianceSetup.Enabled && !cfg.LoadBalancer.SetupComplete {
		// After the app tier: the group's name makes the setup wait for the
		// group, whose creation waits for healthy nodes. Only during the setup
		// window: afterwards the ALB no longer admits the function, and the
		// setup, done once, has nothing left to do.
		path := opsfunction.SetupPath{Internal: cfg.LoadBalancer.Internal, LoadBalancerSecurityGroupId: edge.SecurityGroupId}
		if _, err := ops.RunApplianceSetup(ctx, app.AutoScalingGroupName, path); err != nil {
			return err
		}
	}
	refresh, err := noderefresh.NewNodeRefresh(ctx, "refresh", &noderefresh.Args{
		Namer:               namer,
		Env:                 env,
		AsgName:             app.AutoScalingGroupName,
		AppSecretArns:       nodeSecretArns(out.SecretArns),
		RefreshScriptPath:   names.Node.RefreshScriptPath,
		ReadyTimeoutMinutes: names.Node.ReadyTimeoutMinutes,
		MaxNodes:            names.MaxNodes,
		LogGroupName:        names.Node.RefreshLogGroup,
		LogsKeyArn:          k.LogsKeyArn,
		LogRetentionDays:    cfg.Logs.RetentionDays,
		Signal: noderefresh.Signal{
			Namespace: names.App.LogMetricsNamespace,
			Metric:    names.Node.RefreshSignal,
			Value:     monitoring.RefreshSignalValue,
		},
		Schedule: cfg.Ops.RefreshSchedule,
	}, withProvider)
	if err != nil {
		return err
	}
	patch, err := newPatching(ctx, cfg, names, env, app, edge, withProvider)
	if err != nil {
		return err
	}
	if patch != nil {
		ctx.Export("osPatchWindowId", patch.WindowId)
		ctx.Export("osPatchAutomation", patch.AutomationDocumentName)
	}
	mon, err := newMonitoring(ctx, cfg, names, env, k, edge, out, app, net, ops.FunctionName, monitoring.RefreshWatch{
		AutomationName:  refresh.AutomationDocumentName,
		OpsLogGroupName: ops.LogGroupName,
		RotationLogTerm: contract.RotationFinishedLogTerm,
		SignalMetric:    names.Node.RefreshSignal,
		DeadlineMinutes: cfg.Ops.RefreshDeadlineMinutes,
	}, usEast1, withProvider)
	if err != nil {
		return err
	}
	spend, err := newCost(ctx, cfg, names, mon, usEast1, withProvider)
	if err != nil {
		return err
	}
	drills, err := newResilience(ctx, cfg, names, env, azs, net, out, k.LogsKeyArn, mon, withProvider)
	if err != nil {
		return err
	}
	if drills != nil {
		ctx.Export("drillTemplateIds", drills.TemplateIds)
		ctx.Export("drillLogGroup", drills.LogGroupName)
	}
	guard, err := newAccountSecurity(ctx, cfg, names, env, mon, withProvider)
	if err != nil {
		return err
	}
	if cfg.Security.GuardDuty.Enabled {
		ctx.Export("guardDutyDetectorId", guard.DetectorId)
	}
	if cfg.Security.SecurityHub.Enabled {
		ctx.Export("securityHubStandardsArns", guard.StandardsArns)
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
	ctx.Export("parameterPrefix", pulumi.String(names.ParameterPrefix))
	ctx.Export("applianceUrl", pulumi.String(cfg.ApplianceURL()))
	ctx.Export("loadBalancerDnsName", edge.DnsName)
	ctx.Export("alertsTopicArn", mon.AlertsTopicArn)
	ctx.Export("dashboardName", mon.DashboardName)
	ctx.Export("budgetName", spend.BudgetName)
	ctx.Export("costAnomalyMonitorArn", spend.AnomalyMonitorArn)
	ctx.Export("autoScalingGroupName", app.AutoScalingGroupName)
	ctx.Export("nodeRoleArn", app.InstanceRoleArn)
	ctx.Export("opsFunctionName", ops.FunctionName)
	ctx.Export("opsFunctionLogGroup", ops.LogGroupName)
	ctx.Export("nodeRefreshAutomation", refresh.AutomationDocumentName)
	ctx.Export("nodeRefreshCommand", refresh.CommandDocumentName)
	ctx.Export("nodeRefreshLogGroup", refresh.LogGroupName)
	exportDeployed(ctx, cfg)
	return nil
}

// nodeSecretArns picks the secrets the nodes render from every secret's ARN:
// their rotation is what makes the nodes refresh.
func nodeSecretArns(all pulumi.StringMapOutput) pulumi.StringArray {
	arns := pulumi.StringArray{}
	for _, p := range contract.NodeSecretPurposes {
		arns = append(arns, all.MapIndex(pulumi.String(string(p))))
	}
	return arns
}

// formerMonitoringChild is the alias of a resource that the monitoring
// component used to own, so that moving it to its proper owner keeps the
// resource instead of replacing it.
func formerMonitoringChild(ctx *pulumi.Context, typ, name string) []pulumi.Alias {
	return []pulumi.Alias{{URN: pulumi.URN(fmt.Sprintf("urn:pulumi:%s::%s::morpheus:monitoring:Monitoring$%s::%s",
		ctx.Stack(), ctx.Project(), typ, name))}}
}
