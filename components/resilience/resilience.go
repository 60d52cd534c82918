// Package resilience holds the stack's failure drills: AWS Fault Injection
// Service experiment templates that terminate one app node, fail over the
// Aurora cluster, and disconnect one AZ's private-app and private-data subnets
// for a bounded time. Each stops when the ALB's 5xx or unhealthy-host alarm
// fires, acts only on this stack's resources through a role limited to those
// actions and resources, and logs to an encrypted log group.
//
// A template does nothing by itself: docs/runbooks/failover-testing.md says
// how to start each experiment and what to watch.
package resilience

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/fis"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:resilience:Resilience"

// Drill names: the keys of TemplateIds and the suffix of each template's Name tag.
const (
	// TerminateNode terminates one running app node.
	TerminateNode = "terminate-app-node"
	// FailoverDatabase fails the Aurora cluster over to a reader.
	FailoverDatabase = "aurora-failover"
	// DisruptAZ disconnects one AZ's private-app and private-data subnets.
	DisruptAZ = "az-network-disruption"
)

// Drills lists the drill names in creation order.
var Drills = []string{TerminateNode, FailoverDatabase, DisruptAZ}

// MaxDisruptionMinutes bounds the network drill.
const MaxDisruptionMinutes = 30

// Args configures the drills.
type Args struct {
	// Namer names the role, the log group and the templates.
	Namer naming.Namer
	// Env is the account and region (ARNs, trust).
	Env awsenv.Env
	// AsgName is the app nodes' group; the node drill picks one of its
	// running instances by the tag Auto Scaling puts on them.
	AsgName string
	// DBClusterArn is the Aurora cluster the failover drill targets; nil
	// leaves that drill out (a cluster without a reader has nothing to fail
	// over to).
	DBClusterArn pulumi.StringInput
	// VpcId is the stack's VPC (the network drill's ACLs live there).
	VpcId pulumi.StringInput
	// AzName is the AZ the network drill disconnects (for descriptions).
	AzName string
	// DrillSubnetIds are that AZ's private-app and private-data subnets.
	DrillSubnetIds pulumi.StringArrayInput
	// NetworkDisruptionMinutes is how long the network drill lasts.
	NetworkDisruptionMinutes int
	// StopAlarmArns are the alarms that stop every drill: the ALB's 5xx and
	// unhealthy-host alarms.
	StopAlarmArns []pulumi.StringInput
	// LogsKeyArn encrypts the experiment log group.
	LogsKeyArn pulumi.StringInput
	// LogRetentionDays is the log group's retention.
	LogRetentionDays int
}

// Resilience is the component.
type Resilience struct {
	pulumi.ResourceState

	// TemplateIds maps each drill name (Drills) to its experiment template id,
	// what `aws fis start-experiment --experiment-template-id` takes.
	TemplateIds pulumi.StringMapOutput `pulumi:"templateIds"`
	// RoleArn is the role the experiments run as.
	RoleArn pulumi.StringOutput `pulumi:"roleArn"`
	// LogGroupName receives the experiments' logs.
	LogGroupName pulumi.StringOutput `pulumi:"logGroupName"`
}

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("resilience: "+format, v...)) }
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.Region == "" {
		add("Env needs account, partition and region, got %+v", a.Env)
	}
	if a.AsgName == "" {
		add("AsgName is required: without it the node drill could pick any instance")
	}
	if a.AzName == "" {
		add("AzName is required")
	}
	for _, r := range []struct {
		name string
		in   pulumi.Input
	}{
		{"VpcId", a.VpcId}, {"DrillSubnetIds", a.DrillSubnetIds}, {"LogsKeyArn", a.LogsKeyArn},
	} {
		if r.in == nil {
			add("%s is required", r.name)
		}
	}
	if a.NetworkDisruptionMinutes < 1 || a.NetworkDisruptionMinutes > MaxDisruptionMinutes {
		add("NetworkDisruptionMinutes %d is outside 1..%d", a.NetworkDisruptionMinutes, MaxDisruptionMinutes)
	}
	if len(a.StopAlarmArns) == 0 {
		add("StopAlarmArns is required: a drill without a stop condition cannot be halted by what it breaks")
	}
	for i, s := range a.StopAlarmArns {
		if s == nil {
			add("StopAlarmArns[%d] is nil", i)
		}
	}
	if a.LogRetentionDays <= 0 {
		add("LogRetentionDays %d must be positive", a.LogRetentionDays)
	}
	return errors.Join(errs...)
}

// NewResilience creates the log group, the FIS role and the three templates.
func NewResilience(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Resilience, error) {
	if args == nil {
		return nil, errors.New("resilience: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Resilience{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	env := args.Env

	logGroup, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.Namer.LogGroup("fis-experiments")),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
		KmsKeyId:        args.LogsKeyArn,
	}, parent)
	if err != nil {
		return nil, err
	}

	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(args.Namer.Name(naming.IAMRole, "fis")),
		Description:      pulumi.String("AWS FIS failure drills of " + args.Namer.Prefix() + ": this stack's app nodes, Aurora cluster and one AZ's subnets only"),
		AssumeRolePolicy: pulumi.String(Trust(env).JSON()),
	}, parent)
	if err != nil {
		return nil, err
	}
	drillSubnets := subnetArns(env, args.DrillSubnetIds)
	vpcArn := pulumi.Sprintf("%s", args.VpcId).ApplyT(func(id string) string { return env.ARN("ec2", "vpc/"+id) }).(pulumi.StringOutput)
	var clusterArn pulumi.StringInput = pulumi.String("")
	if args.DBClusterArn != nil {
		clusterArn = args.DBClusterArn
	}
	policy := pulumi.All(clusterArn, vpcArn, drillSubnets).ApplyT(func(v []any) string {
		return RolePolicy(env, Targets{
			AsgName: args.AsgName, ClusterArn: v[0].(string), VpcArn: v[1].(string), SubnetArns: v[2].([]string),
		}).JSON()
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, parent)
	if err != nil {
		return nil, err
	}

	common := templateCommon{
		roleArn:  role.Arn,
		logGroup: pulumi.Sprintf("%s:*", logGroup.Arn),
		stops:    stopConditions(args.StopAlarmArns),
		// A template must not start before its role can act, or the first
		// experiment fails on permissions.
		opts: []pulumi.ResourceOption{parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy})},
	}
	specs := []templateSpec{
		{
			drill:       TerminateNode,
			description: fmt.Sprintf("Terminate 1 running app node of %s; Auto Scaling replaces it", args.AsgName),
			target: &fis.ExperimentTemplateTargetArgs{
				Name:          pulumi.String("app-node"),
				ResourceType:  pulumi.String("aws:ec2:instance"),
				SelectionMode: pulumi.String("COUNT(1)"),
				ResourceTags: fis.ExperimentTemplateTargetResourceTagArray{&fis.ExperimentTemplateTargetResourceTagArgs{
					Key: pulumi.String(GroupTagKey), Value: pulumi.String(args.AsgName),
				}},
				Filters: fis.ExperimentTemplateTargetFilterArray{&fis.ExperimentTemplateTargetFilterArgs{
					Path: pulumi.String("State.Name"), Values: pulumi.StringArray{pulumi.String("running")},
				}},
			},
			targetKey: "Instances",
			actionId:  "aws:ec2:terminate-instances",
		},
		{
			drill:       FailoverDatabase,
			description: "Fail the Aurora cluster over to a reader; Morpheus reconnects through the cluster endpoint",
			target: &fis.ExperimentTemplateTargetArgs{
				Name:          pulumi.String("cluster"),
				ResourceType:  pulumi.String("aws:rds:cluster"),
				SelectionMode: pulumi.String("ALL"),
				ResourceArns:  pulumi.StringArray{args.DBClusterArn},
			},
			targetKey: "Clusters",
			actionId:  "aws:rds:failover-db-cluster",
		},
		{
			drill: DisruptAZ,
			description: fmt.Sprintf("Disconnect the private-app and private-data subnets of %s for %d minutes; the other AZs serve",
				args.AzName, args.NetworkDisruptionMinutes),
			target: &fis.ExperimentTemplateTargetArgs{
				Name:          pulumi.String("az-subnets"),
				ResourceType:  pulumi.String("aws:ec2:subnet"),
				SelectionMode: pulumi.String("ALL"),
				ResourceArns:  drillSubnets,
			},
			targetKey: "Subnets",
			actionId:  "aws:network:disrupt-connectivity",
			parameters: map[string]string{
				"duration": fmt.Sprintf("PT%dM", args.NetworkDisruptionMinutes),
				// all: every flow in and out of the subnets except within each
				// subnet, as an AZ's network loss looks to its neighbours.
				"scope": "all",
			},
		},
	}
	ids := pulumi.StringMap{}
	for _, s := range specs {
		if s.drill == FailoverDatabase && args.DBClusterArn == nil {
			continue
		}
		t, err := s.create(ctx, name, args.Namer, common)
		if err != nil {
			return nil, err
		}
		ids[s.drill] = t.ID().ToStringOutput()
	}

	c.TemplateIds = ids.ToStringMapOutput()
	c.RoleArn = role.Arn
	c.LogGroupName = logGroup.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"templateIds":  c.TemplateIds,
		"roleArn":      c.RoleArn,
		"logGroupName": c.LogGroupName,
	})
}

// templateCommon is what every template shares.
type templateCommon struct {
	roleArn  pulumi.StringOutput
	logGroup pulumi.StringOutput
	stops    fis.ExperimentTemplateStopConditionArray
	opts     []pulumi.ResourceOption
}

// templateSpec is one drill: one target and one action on it.
type templateSpec struct {
	drill, description  string
	target              *fis.ExperimentTemplateTargetArgs
	targetKey, actionId string
	parameters          map[string]string
}

func (s templateSpec) create(ctx *pulumi.Context, name string, namer naming.Namer, c templateCommon) (*fis.ExperimentTemplate, error) {
	params := fis.ExperimentTemplateActionParameterArray{}
	for _, k := range sortedKeys(s.parameters) {
		params = append(params, &fis.ExperimentTemplateActionParameterArgs{Key: pulumi.String(k), Value: pulumi.String(s.parameters[k])})
	}
	action := &fis.ExperimentTemplateActionArgs{
		Name:     pulumi.String(s.drill),
		ActionId: pulumi.String(s.actionId),
		Target:   &fis.ExperimentTemplateActionTargetArgs{Key: pulumi.String(s.targetKey), Value: s.target.Name},
	}
	if len(params) > 0 {
		action.Parameters = params
	}
	return fis.NewExperimentTemplate(ctx, name+"-"+s.drill, &fis.ExperimentTemplateArgs{
		Description:    pulumi.String(s.description),
		RoleArn:        c.roleArn,
		Targets:        fis.ExperimentTemplateTargetArray{s.target},
		Actions:        fis.ExperimentTemplateActionArray{action},
		StopConditions: c.stops,
		LogConfiguration: &fis.ExperimentTemplateLogConfigurationArgs{
			LogSchemaVersion: pulumi.Int(2),
			CloudwatchLogsConfiguration: &fis.ExperimentTemplateLogConfigurationCloudwatchLogsConfigurationArgs{
				LogGroupArn: c.logGroup,
			},
		},
		ExperimentOptions: &fis.ExperimentTemplateExperimentOptionsArgs{
			AccountTargeting: pulumi.String("single-account"),
			// A drill whose target vanished must fail loudly, not pass doing nothing.
			EmptyTargetResolutionMode: pulumi.String("fail"),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(namer.Name(naming.Generic, s.drill))},
	}, c.opts...)
}

// stopConditions stops a drill when any of the alarms fires.
func stopConditions(arns []pulumi.StringInput) fis.ExperimentTemplateStopConditionArray {
	out := fis.ExperimentTemplateStopConditionArray{}
	for _, a := range arns {
		out = append(out, &fis.ExperimentTemplateStopConditionArgs{Source: pulumi.String("aws:cloudwatch:alarm"), Value: a})
	}
	return out
}

// subnetArns turns subnet ids into ARNs, what FIS targets and IAM take.
func subnetArns(env awsenv.Env, ids pulumi.StringArrayInput) pulumi.StringArrayOutput {
	return ids.ToStringArrayOutput().ApplyT(func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = env.ARN("ec2", "subnet/"+id)
		}
		return out
	}).(pulumi.StringArrayOutput)
}
