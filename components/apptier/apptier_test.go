package apptier_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func args() *apptier.Args {
	return &apptier.Args{
		Namer:                       testutil.ProdNamer(),
		Names:                       apptier.Names{Group: "morpheus-ha-prod-app", LaunchHook: "morpheus-node-ready", TerminateHook: "morpheus-node-drain"},
		Env:                         testutil.Env(),
		Tags:                        map[string]string{"Project": "morpheus-ha", "Environment": "prod"},
		SubnetIds:                   pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		AZCount:                     3,
		AppSecurityGroupId:          pulumi.String("sg-app"),
		LoadBalancerSecurityGroupId: pulumi.String("sg-alb"),
		EndpointSecurityGroupId:     pulumi.String("sg-endpoints"),
		DataPorts: []apptier.DataPort{
			{Description: "MySQL to Aurora", Port: 3306, SecurityGroupId: pulumi.String("sg-db")},
			{Description: "AMQPS to Amazon MQ", Port: 5671, SecurityGroupId: pulumi.String("sg-mq")},
		},
		TargetGroupArn:            pulumi.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/1"),
		RequestCountResourceLabel: pulumi.String("app/alb/1/targetgroup/tg/1"),
		ImageId:                   pulumi.String("ami-123"),
		InstanceType:              "m6i.xlarge",
		RootVolumeGiB:             400,
		DataKeyArn:                pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/data"),
		UserData:                  []byte("#cloud-config\n"),
		SecretsKeyArn:             pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/secrets"),
		FileSystemArn:             pulumi.String("arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1"),
		NodeSecretNames:           []string{"/morpheus-ha/prod/db-morpheus", "/morpheus-ha/prod/mq-morpheus"},
		LogGroups: []apptier.LogGroup{
			{Purpose: "morpheus-ui", Name: "/morpheus-ha/prod/morpheus-ui"},
			{Purpose: "nginx", Name: "/morpheus-ha/prod/nginx"},
		},
		LogsKeyArn:          pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/logs"),
		LogRetentionDays:    90,
		CapacityWaitMinutes: 120,
		MinSize:             3,
		MaxSize:             6,
		CPUTargetPercent:    60,
		RequestsPerTarget:   1000,
		Protect:             true,
	}
}

func run(t *testing.T, a *apptier.Args) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, func(ctx *pulumi.Context) error {
		_, err := apptier.NewAppTier(ctx, "app", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

func TestLaunchTemplate(t *testing.T) {
	rec := run(t, args())
	lts := rec.ByType("aws:ec2/launchTemplate:LaunchTemplate")
	require.Len(t, lts, 1)
	lt := lts[0]
	assert.Equal(t, "required", lt.String("metadataOptions", "httpTokens"), "IMDSv2 required")
	assert.EqualValues(t, 1, lt.Number("metadataOptions", "httpPutResponseHopLimit"))
	nics := lt.Objects("networkInterfaces")
	require.Len(t, nics, 1)
	assert.Equal(t, "false", nics[0]["associatePublicIpAddress"].StringValue(), "no public IP")
	bdm := lt.Objects("blockDeviceMappings")
	require.Len(t, bdm, 1)
	ebs := bdm[0]["ebs"].ObjectValue()
	assert.Equal(t, "true", ebs["encrypted"].StringValue())
	assert.Equal(t, "gp3", ebs["volumeType"].StringValue())
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/data", ebs["kmsKeyId"].StringValue())
	assert.EqualValues(t, 400, ebs["volumeSize"].NumberValue())
	assert.True(t, lt.Bool("monitoring", "enabled"))
	var kinds []string
	for _, spec := range lt.Objects("tagSpecifications") {
		kinds = append(kinds, spec["resourceType"].StringValue())
		assert.Equal(t, "prod", spec["tags"].ObjectValue()["Environment"].StringValue())
	}
	assert.ElementsMatch(t, []string{"instance", "volume", "network-interface"}, kinds)
	assert.NotEmpty(t, lt.String("userData"))
	assert.Empty(t, rec.ByType("aws:ec2/keyPair:KeyPair"), "no SSH key pair")
}

func TestGroupSpreadsAndGates(t *testing.T) {
	rec := run(t, args())
	g := rec.ByType("aws:autoscaling/group:Group")
	require.Len(t, g, 1)
	asg := g[0]
	assert.Equal(t, []string{"subnet-a", "subnet-b", "subnet-c"}, asg.Strings("vpcZoneIdentifiers"))
	assert.EqualValues(t, 3, asg.Number("minSize"))
	assert.Equal(t, "ELB", asg.String("healthCheckType"))
	assert.NotZero(t, asg.Number("healthCheckGracePeriod"))
	hooks := map[string]string{}
	for _, h := range asg.Objects("initialLifecycleHooks") {
		hooks[h["lifecycleTransition"].StringValue()] = h["defaultResult"].StringValue()
	}
	assert.Equal(t, "ABANDON", hooks["autoscaling:EC2_INSTANCE_LAUNCHING"], "a node that never answers /ping is replaced")
	assert.Equal(t, "CONTINUE", hooks["autoscaling:EC2_INSTANCE_TERMINATING"])
	assert.Equal(t, "Rolling", asg.String("instanceRefresh", "strategy"))
	assert.EqualValues(t, 66, asg.Number("instanceRefresh", "preferences", "minHealthyPercentage"))
	v, ok := asg.Prop("instanceRefresh", "preferences", "checkpointPercentages")
	require.True(t, ok)
	assert.Len(t, v.ArrayValue(), 3, "refresh pauses at checkpoints")
	assert.True(t, asg.Bool("instanceRefresh", "preferences", "autoRollback"))
	for _, tag := range asg.Objects("tags") {
		assert.True(t, tag["propagateAtLaunch"].BoolValue(), tag["key"].StringValue())
	}

	metrics := map[string]bool{}
	for _, p := range rec.ByType("aws:autoscaling/policy:Policy") {
		assert.Equal(t, "TargetTrackingScaling", p.String("policyType"))
		metrics[p.String("targetTrackingConfiguration", "predefinedMetricSpecification", "predefinedMetricType")] = true
	}
	assert.Equal(t, map[string]bool{"ASGAverageCPUUtilization": true, "ALBRequestCountPerTarget": true}, metrics)
}

func TestSecurityRules(t *testing.T) {
	rec := run(t, args())
	rules := rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule")
	require.NotEmpty(t, rules)
	ingress := 0
	for _, r := range rules {
		assert.Equal(t, "sg-app", r.String("securityGroupId"))
		assert.NotEmpty(t, r.String("description"), "%s has no description", r.Name)
		if r.String("type") == "ingress" {
			ingress++
			assert.Equal(t, "sg-alb", r.String("sourceSecurityGroupId"), "ingress only from the ALB group")
			assert.EqualValues(t, 443, r.Number("fromPort"))
			assert.Empty(t, r.Strings("cidrBlocks"))
		}
	}
	assert.Equal(t, 1, ingress)
	for _, port := range []float64{3306, 5671} {
		found := false
		for _, r := range rules {
			found = found || (r.String("type") == "egress" && r.Number("fromPort") == port && strings.HasPrefix(r.String("sourceSecurityGroupId"), "sg-"))
		}
		assert.True(t, found, "egress to the data group on %v", port)
	}
	for _, r := range rules {
		assert.False(t, r.Number("fromPort") == 22 || r.Number("toPort") == 22, "no port 22")
	}
}

// agentRegistration are the only ssm actions the node role has on "*": the SSM
// agent's registration and association poll, which read nothing.
var agentRegistration = map[string]bool{"ssm:UpdateInstanceInformation": true, "ssm:ListInstanceAssociations": true}

// TestNodePolicyIsScoped: every IAM document is valid JSON, secretsmanager, ssm
// and kms actions never take a `*` resource beyond the agent's registration,
// and no AWS managed policy (AmazonSSMManagedInstanceCore's ssm:GetParameter on
// "*" reads every parameter in the account) is attached.
func TestNodePolicyIsScoped(t *testing.T) {
	rec := run(t, args())
	policies := rec.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	docs := []string{policies[0].String("policy")}
	for _, r := range rec.ByType("aws:iam/role:Role") {
		docs = append(docs, r.String("assumeRolePolicy"))
	}
	for _, raw := range docs {
		require.True(t, json.Valid([]byte(raw)), raw)
		var doc iampolicy.Document
		require.NoError(t, json.Unmarshal([]byte(raw), &doc))
		for _, s := range doc.Statement {
			for _, action := range s.Action {
				svc, _, _ := strings.Cut(action, ":")
				if (svc == "secretsmanager" || svc == "ssm" || svc == "kms") && !agentRegistration[action] {
					for _, res := range s.Resource {
						assert.NotEqual(t, "*", res, "%s must name this stack's resources", action)
					}
				}
			}
		}
	}
	policy := policies[0].String("policy")
	// Only the named logins, never the stack's whole secret path (admin secrets).
	assert.Contains(t, policy, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/db-morpheus-??????")
	assert.Contains(t, policy, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/mq-morpheus-??????")
	assert.NotContains(t, policy, "secret:/morpheus-ha/prod/*")
	assert.Contains(t, policy, "kms:ViaService")
	assert.Empty(t, rec.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "inline least privilege only")
}

// TestNodePolicyRunsTheAgents: what replaced the managed policies still lets
// the SSM agent serve Session Manager and Run Command (writing the refresh's
// output), and the CloudWatch agent publish, into CWAgent only.
func TestNodePolicyRunsTheAgents(t *testing.T) {
	a := args()
	a.CommandOutputLogGroups = []string{"/morpheus-ha/prod/node-refresh"}
	rec := run(t, a)
	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(rec.ByType("aws:iam/rolePolicy:RolePolicy")[0].String("policy")), &doc))
	bySid := map[string]iampolicy.Statement{}
	for _, s := range doc.Statement {
		bySid[s.Sid] = s
	}
	agent := bySid["SystemsManagerAgent"]
	for _, action := range []string{"ssm:UpdateInstanceInformation", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages", "ec2messages:SendReply"} {
		assert.Contains(t, agent.Action, action)
	}
	for _, action := range agent.Action {
		svc, _, _ := strings.Cut(action, ":")
		assert.True(t, svc == "ssmmessages" || svc == "ec2messages" || agentRegistration[action], "%s is more than the agent needs", action)
	}
	metrics := bySid["PublishAgentMetrics"]
	assert.Equal(t, []string{"cloudwatch:PutMetricData"}, metrics.Action)
	assert.Equal(t, "CWAgent", metrics.Condition["StringEquals"]["cloudwatch:namespace"])
	assert.ElementsMatch(t, []string{"ec2:DescribeTags", "ec2:DescribeVolumes"}, bySid["AgentLookups"].Action)
	logs := bySid["ShipLogs"]
	assert.Contains(t, logs.Resource, "arn:aws:logs:eu-west-1:123456789012:log-group:/morpheus-ha/prod/node-refresh:*", "Run Command output")
	assert.Contains(t, logs.Resource, "arn:aws:logs:eu-west-1:123456789012:log-group:/morpheus-ha/prod/morpheus-ui:*", "app logs")
	for _, r := range logs.Resource {
		assert.NotContains(t, r, "log-group:*", "no write beyond the named groups")
	}
	assert.Equal(t, []string{"logs:DescribeLogGroups"}, bySid["FindLogGroups"].Action)
}

func TestInvalidArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		mut  func(*apptier.Args)
		want string
	}{
		{"small disk", func(a *apptier.Args) { a.RootVolumeGiB = 100 }, "200 GiB"},
		{"prod one node", func(a *apptier.Args) { a.MinSize = 1 }, "one node per AZ"},
		{"huge user data", func(a *apptier.Args) { a.UserData = make([]byte, 20000) }, "16384"},
		{"no image", func(a *apptier.Args) { a.ImageId = nil }, "ImageId"},
		{"no names", func(a *apptier.Args) { a.Names.LaunchHook = "" }, "both hooks"},
		{"no node secrets", func(a *apptier.Args) { a.NodeSecretNames = nil }, "NodeSecretNames"},
		{"no log groups", func(a *apptier.Args) { a.LogGroups = nil }, "LogGroups"},
		{"empty command log group", func(a *apptier.Args) { a.CommandOutputLogGroups = []string{""} }, "CommandOutputLogGroups"},
		{"node tag overrides a stack tag", func(a *apptier.Args) { a.ExtraInstanceTags = map[string]string{"Environment": "dev"} }, "may not override the tag Environment"},
		{"node tag overrides Name", func(a *apptier.Args) { a.ExtraInstanceTags = map[string]string{"Name": "x"} }, "may not override the tag Name"},
		{"allow-list without the S3 prefix list", func(a *apptier.Args) { a.Egress = apptier.Egress{Cidrs: []string{"10.9.0.0/16"}} }, "S3PrefixListId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			tc.mut(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}}, func(ctx *pulumi.Context) error {
				_, err := apptier.NewAppTier(ctx, "app", a)
				return err
			}, tc.want)
		})
	}
}

// TestLogGroups: the nodes' log groups have retention and the logs key, and the
// node policy may write to exactly them.
func TestLogGroups(t *testing.T) {
	rec := run(t, args())
	groups := rec.ByType("aws:cloudwatch/logGroup:LogGroup")
	require.Len(t, groups, 2)
	for _, g := range groups {
		assert.EqualValues(t, 90, g.Number("retentionInDays"), g.Name)
		assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/logs", g.String("kmsKeyId"), g.Name)
	}
	policy := rec.ByType("aws:iam/rolePolicy:RolePolicy")[0].String("policy")
	assert.Contains(t, policy, "log-group:/morpheus-ha/prod/nginx:*")
	assert.Contains(t, policy, "log-group:/morpheus-ha/prod/morpheus-ui:*")
}

// TestExtraInstanceTags: node-only tags reach instances, volumes and network
// interfaces through the launch template, and new instances through the
// group's propagated tags, next to the stack's tags.
func TestExtraInstanceTags(t *testing.T) {
	a := args()
	a.ExtraInstanceTags = map[string]string{"PatchGroup": "morpheus-ha-prod-app"}
	rec := run(t, a)
	lt := rec.ByType("aws:ec2/launchTemplate:LaunchTemplate")[0]
	specs := lt.Objects("tagSpecifications")
	require.Len(t, specs, 3)
	for _, spec := range specs {
		assert.Equal(t, "morpheus-ha-prod-app", testutil.Str(spec, "tags", "PatchGroup"), testutil.Str(spec, "resourceType"))
		assert.Equal(t, "prod", testutil.Str(spec, "tags", "Environment"), "stack tags stay")
	}
	tags := map[string]string{}
	for _, tag := range rec.ByType("aws:autoscaling/group:Group")[0].Objects("tags") {
		tags[testutil.Str(tag, "key")] = testutil.Str(tag, "value")
	}
	assert.Equal(t, "morpheus-ha-prod-app", tags["PatchGroup"])
	assert.Equal(t, "prod", tags["Environment"])
}
