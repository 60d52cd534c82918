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
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/userdata"
)

// nodeParams derives the nodes' user data inputs from the configuration alone:
// every name in them (secrets, parameters, hooks, log groups) is fixed by the
// stack's naming, so the user data never waits on, or changes with, a resource.
func nodeParams(cfg *config.Config) (userdata.Params, error) {
	namer := naming.Namer{Project: cfg.Project, Stack: cfg.Stack}
	agent, err := agentconfig.New(monitoring.AgentLogGroups(namer), cfg.Alerts.ProcessPattern, cfg.Alerts.DiskPaths)
	if err != nil {
		return userdata.Params{}, err
	}
	names := apptier.NamesFor(namer)
	family := userdata.Ubuntu
	if strings.HasPrefix(cfg.App.OS, "rhel") {
		family = userdata.RHEL
	}
	artifact := func(a config.Artifact) userdata.Artifact { return userdata.Artifact{URL: a.URL, SHA256: a.SHA256} }
	return userdata.Params{
		OS:              family,
		Morpheus:        userdata.MorpheusPackage{URL: cfg.Morpheus.PackageURL, SHA256: cfg.Morpheus.PackageSHA256, Version: cfg.Morpheus.Version},
		EFSUtils:        artifact(cfg.NodePackages.EFSUtils),
		AWSCLI:          artifact(cfg.NodePackages.AWSCLI),
		CloudWatchAgent: artifact(cfg.NodePackages.CloudWatchAgent),
		Region:          cfg.Region,
		ApplianceURL:    cfg.ApplianceURL(),
		Secrets: userdata.Secrets{
			DB:     secrets.SecretName(namer, secrets.DBMorpheus),
			MQ:     secrets.SecretName(namer, secrets.MQMorpheus),
			Search: secrets.SecretName(namer, secrets.OpenSearchMorpheus),
		},
		Parameters: userdata.ParametersUnder(namer.Path() + "/"),
		Hooks:      userdata.Hooks{Launch: names.LaunchHook, Termination: names.TerminateHook},
		Agent:      agent,
	}, nil
}

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
	net     *network.Network
	clients *clientgroups.ClientGroups
	keys    *keys.Keys
	data    datatier.Outputs
	edge    *loadbalancer.LoadBalancer
	ops     *opsfunction.OpsFunction
	mon     *monitoring.Monitoring
}

// newAppTier renders the user data and starts the node group. The group's
// subnets resolve only after the ops function's bootstrap has created Morpheus'
// users, so no node boots against a database it cannot log in to.
func newAppTier(ctx *pulumi.Context, cfg *config.Config, namer naming.Namer, env awsenv.Env, in appInputs,
	provider pulumi.ResourceOrInvokeOption, opts ...pulumi.ResourceOption,
) (*apptier.AppTier, error) {
	params, err := nodeParams(cfg)
	if err != nil {
		return nil, err
	}
	ud, err := userdata.Render(params)
	if err != nil {
		return nil, err
	}
	image, err := nodeImage(ctx, cfg.App, provider)
	if err != nil {
		return nil, err
	}
	return apptier.NewAppTier(ctx, "app", &apptier.Args{
		Namer:                       namer,
		Env:                         env,
		Tags:                        cfg.Tags(),
		SubnetIds:                   in.ops.AfterBootstrap(in.net.AppSubnetIds),
		AZCount:                     cfg.Network.AZCount,
		AppSecurityGroupId:          in.clients.AppSecurityGroupId,
		LoadBalancerSecurityGroupId: in.edge.SecurityGroupId,
		EndpointSecurityGroupId:     in.net.EndpointSecurityGroupId,
		DataPorts: []apptier.DataPort{
			{Description: "MySQL over TLS to Aurora", Port: cfg.Database.Port, SecurityGroupId: in.data.DBSecurityGroupId},
			{Description: "NFS over TLS to EFS mount targets", Port: storage.NFSPort, SecurityGroupId: in.data.EFSSecurityGroupId},
			{Description: "AMQPS to Amazon MQ", Port: 5671, SecurityGroupId: in.data.MQSecurityGroupId},
			{Description: "HTTPS to OpenSearch", Port: 443, SecurityGroupId: in.data.SearchSecurityGroupId},
		},
		TargetGroupArn:            in.edge.TargetGroupArn,
		RequestCountResourceLabel: pulumi.Sprintf("%s/%s", in.edge.ArnSuffix, in.edge.TargetGroupArnSuffix),
		ImageId:                   pulumi.String(image),
		InstanceType:              cfg.App.InstanceType,
		RootVolumeGiB:             cfg.App.RootVolumeGiB,
		DataKeyArn:                in.keys.DataKeyArn,
		UserData:                  ud,
		SecretsKeyArn:             in.keys.SecretsKeyArn,
		FileSystemArn:             in.data.FileSystemArn,
		// Typed outputs of the log groups: the node role's policy names them, so
		// nodes wait for groups that have retention and the logs key.
		LogGroupNames:     pulumi.StringArray{in.mon.MorpheusLogGroupName, in.mon.NginxLogGroupName, in.mon.CloudInitLogGroupName},
		PackageBucketArns: packageBuckets(cfg, env.Partition),
		MinSize:           cfg.App.MinNodes,
		MaxSize:           cfg.App.MaxNodes,
		CPUTargetPercent:  float64(cfg.App.CPUTargetPercent),
		RequestsPerTarget: float64(cfg.App.RequestsPerTarget),
		Protect:           cfg.IsProd(),
	}, append([]pulumi.ResourceOption{provider}, opts...)...)
}
