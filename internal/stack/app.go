package stack

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/components/clientgroups"
	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
	"github.com/morpheus-ha/morpheus-ha/internal/userdata"
)

// packageBuckets lists the S3 buckets of s3:// artifact URLs as ARNs.
func packageBuckets(cfg *config.Config, partition string) []string {
	seen := map[string]bool{}
	for _, url := range []string{cfg.Morpheus.PackageURL, cfg.NodePackages.EFSUtils.URL, cfg.NodePackages.CloudWatchAgent.URL} {
		if rest, ok := strings.CutPrefix(url, "s3://"); ok {
			bucket, _, _ := strings.Cut(rest, "/")
			seen[fmt.Sprintf("arn:%s:s3:::%s", partition, bucket)] = true
		}
	}
	out := make([]string, 0, len(seen))
	for b := range seen {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// appInputs are the other tiers' outputs the app tier consumes.
type appInputs struct {
	net *network.Network
	// refreshAfter is what the group's refresh waits for (stopAllBeforeRefresh).
	refreshAfter []pulumi.Resource
	clients      *clientgroups.ClientGroups
	keys         *keys.Keys
	data         datatier.Outputs
	edge         *loadbalancer.LoadBalancer
	ops          *opsfunction.OpsFunction
}

// newAppTier renders the user data and starts the node group. The group's
// subnets resolve only after the ops function's bootstrap has created Morpheus'
// users, so no node boots against a database it cannot log in to.
func newAppTier(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env, in appInputs,
	provider pulumi.ResourceOrInvokeOption, opts ...pulumi.ResourceOption,
) (*apptier.AppTier, error) {
	ud, err := userdata.Render(names.UserData)
	if err != nil {
		return nil, err
	}
	image, err := nodeImage(ctx, cfg.App, provider)
	if err != nil {
		return nil, err
	}
	return apptier.NewAppTier(ctx, "app", &apptier.Args{
		Namer:             names.Namer,
		Names:             apptier.Names{Group: names.App.GroupName, LaunchHook: names.App.LaunchHook, TerminateHook: names.App.TerminateHook},
		Env:               env,
		Tags:              cfg.Tags(),
		ExtraInstanceTags: map[string]string{contract.PatchGroupTagKey: names.App.PatchGroup},
		// The nodes launch with the network, not after the data tier: they
		// install while it is created and wait for its readiness signal.
		SubnetIds:                   in.net.AppSubnetIds,
		AZCount:                     cfg.Network.AZCount,
		AppSecurityGroupId:          in.clients.AppSecurityGroupId,
		LoadBalancerSecurityGroupId: in.edge.SecurityGroupId,
		EndpointSecurityGroupId:     in.net.EndpointSecurityGroupId,
		DataPorts: []apptier.DataPort{
			{Description: "MySQL over TLS to Aurora", Port: names.Database.Port, SecurityGroupId: in.data.DBSecurityGroupId},
			{Description: "NFS over TLS to EFS mount targets", Port: contract.NFSPort, SecurityGroupId: in.data.EFSSecurityGroupId},
			{Description: "AMQPS to Amazon MQ", Port: contract.AMQPSPort, SecurityGroupId: in.data.MQSecurityGroupId},
			{Description: "HTTPS to OpenSearch", Port: contract.HTTPSPort, SecurityGroupId: in.data.SearchSecurityGroupId},
		},
		Egress:                    appEgress(cfg.App.Egress),
		S3PrefixListId:            in.net.S3PrefixListId,
		TargetGroupArn:            in.edge.TargetGroupArn,
		RequestCountResourceLabel: pulumi.Sprintf("%s/%s", in.edge.ArnSuffix, in.edge.TargetGroupArnSuffix),
		ImageId:                   pulumi.String(image),
		InstanceType:              cfg.App.InstanceType,
		RootVolumeGiB:             cfg.App.RootVolumeGiB,
		DataKeyArn:                in.keys.DataKeyArn,
		UserData:                  ud,
		SecretsKeyArn:             in.keys.SecretsKeyArn,
		NodeSecretNames:           names.NodeSecretNames(),
		FileSystemArn:             in.data.FileSystemArn,
		LogGroups:                 appLogGroups(ctx, names),
		CommandOutputLogGroups:    []string{names.Node.RefreshLogGroup},
		LogsKeyArn:                in.keys.LogsKeyArn,
		LogRetentionDays:          cfg.Logs.RetentionDays,
		PackageBucketArns:         packageBuckets(cfg, env.Partition),
		CapacityWaitMinutes:       names.Node.CapacityWaitMinutes,
		RefreshAlarmNames:         refreshAlarms(cfg, names, in.refreshAfter),
		RefreshAfter:              in.refreshAfter,
		MinSize:                   cfg.App.MinNodes,
		MaxSize:                   cfg.App.MaxNodes,
		Standby:                   cfg.Restore.Enabled && cfg.Restore.Standby,
		CPUTargetPercent:          float64(cfg.App.CPUTargetPercent),
		RequestsPerTarget:         float64(cfg.App.RequestsPerTarget),
		Schedule:                  scaleSchedule(cfg),
		Protect:                   cfg.IsProd(),
	}, append([]pulumi.ResourceOption{provider}, opts...)...)
}

// appLogGroups are the contract's app log groups, each aliased to the
// monitoring component that owned it before the app tier did.
func appLogGroups(ctx *pulumi.Context, names *contract.Contract) []apptier.LogGroup {
	out := make([]apptier.LogGroup, len(contract.AppLogPurposes))
	for i, p := range contract.AppLogPurposes {
		out[i] = apptier.LogGroup{
			Purpose: p,
			Name:    names.App.LogGroups[p],
			Aliases: formerMonitoringChild(ctx, "aws:cloudwatch/logGroup:LogGroup", "monitoring-log-"+p),
		}
	}
	return out
}

// refreshAlarms are the refresh's circuit breaker, except during a stopAll
// upgrade: there every old node is stopped on purpose, the unhealthy-host
// alarm fires, and a breaker would roll the refresh back onto stopped nodes.
// The next `pulumi up` without a version change restores it. A standby stack
// has neither nodes to judge nor the alarms (monitoring leaves them out).
func refreshAlarms(cfg *config.Config, names *contract.Contract, stopAll []pulumi.Resource) []string {
	if len(stopAll) > 0 || (cfg.Restore.Enabled && cfg.Restore.Standby) {
		return nil
	}
	return names.App.RefreshAlarmNames
}

// appEgress turns app.egress into the app tier's allow-list; open mode is the
// zero value, the whole internet.
func appEgress(e config.Egress) apptier.Egress {
	if e.Mode == config.EgressOpen {
		return apptier.Egress{}
	}
	return apptier.Egress{Cidrs: e.Cidrs, PrefixListIds: e.PrefixListIds}
}
