package resilience_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/resilience"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	templateType = "aws:fis/experimentTemplate:ExperimentTemplate"
	clusterArn   = "arn:aws:rds:eu-west-1:123456789012:cluster:morpheus-ha-staging-db"
	logsKey      = "arn:aws:kms:eu-west-1:123456789012:key/logs"
	alarm5xx     = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:morpheus-ha-staging-albElb5xx"
	alarmHosts   = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:morpheus-ha-staging-albUnhealthyHosts"
	groupName    = "morpheus-ha-staging-app"
)

var env = testutil.Env()

func baseArgs() *resilience.Args {
	return &resilience.Args{
		Namer:                    naming.Namer{Project: "morpheus-ha", Stack: "staging"},
		Env:                      env,
		AsgName:                  groupName,
		DBClusterArn:             pulumi.String(clusterArn),
		VpcId:                    pulumi.String("vpc-1"),
		AzName:                   "eu-west-1a",
		DrillSubnetIds:           pulumi.ToStringArray([]string{"subnet-app-a", "subnet-data-a"}),
		NetworkDisruptionMinutes: 10,
		StopAlarmArns:            []pulumi.StringInput{pulumi.String(alarm5xx), pulumi.String(alarmHosts)},
		LogsKeyArn:               pulumi.String(logsKey),
		LogRetentionDays:         30,
	}
}

func program(mutate func(*resilience.Args)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := baseArgs()
		if mutate != nil {
			mutate(a)
		}
		_, err := resilience.NewResilience(ctx, "drills", a)
		return err
	}
}

func run(t *testing.T) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, program(nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

// templates returns the templates by their single action's id.
func templates(t *testing.T, rec *testutil.Recorder) map[string]*testutil.Resource {
	t.Helper()
	out := map[string]*testutil.Resource{}
	for _, r := range rec.ByType(templateType) {
		actions := r.Objects("actions")
		require.Len(t, actions, 1, "%s: one action per drill", r.Name)
		out[testutil.Str(actions[0], "actionId")] = r
	}
	return out
}

// TestTemplatesTargetOnlyThisStack: each drill's one target selects this
// stack's resources only: the group's nodes by the Auto Scaling tag (one
// running node), the cluster by ARN, the one AZ's two subnets by ARN.
func TestTemplatesTargetOnlyThisStack(t *testing.T) {
	rec := run(t)
	byAction := templates(t, rec)
	require.Len(t, byAction, 3)
	for _, tc := range []struct {
		action, resourceType, selection, key string
		arns                                 []string
		tags                                 map[string]string
	}{
		{action: "aws:ec2:terminate-instances", resourceType: "aws:ec2:instance", selection: "COUNT(1)", key: "Instances",
			tags: map[string]string{"aws:autoscaling:groupName": groupName}},
		{action: "aws:rds:failover-db-cluster", resourceType: "aws:rds:cluster", selection: "ALL", key: "Clusters",
			arns: []string{clusterArn}},
		{action: "aws:network:disrupt-connectivity", resourceType: "aws:ec2:subnet", selection: "ALL", key: "Subnets",
			arns: []string{"arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-app-a", "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-data-a"}},
	} {
		t.Run(tc.action, func(t *testing.T) {
			tpl := byAction[tc.action]
			require.NotNil(t, tpl)
			targets := tpl.Objects("targets")
			require.Len(t, targets, 1)
			target := targets[0]
			assert.Equal(t, tc.resourceType, testutil.Str(target, "resourceType"))
			assert.Equal(t, tc.selection, testutil.Str(target, "selectionMode"))
			assert.Equal(t, tc.arns, testutil.Strs(target, "resourceArns"))
			tags := map[string]string{}
			for _, tag := range testutil.Objs(target, "resourceTags") {
				tags[testutil.Str(tag, "key")] = testutil.Str(tag, "value")
			}
			if tc.tags == nil {
				tc.tags = map[string]string{}
			}
			assert.Equal(t, tc.tags, tags)
			assert.True(t, len(tc.arns) > 0 || len(tc.tags) > 0, "a target selects by ARN or by this stack's tag")
			action := tpl.Objects("actions")[0]
			assert.Equal(t, tc.key, testutil.Str(action, "target", "key"))
			assert.Equal(t, testutil.Str(target, "name"), testutil.Str(action, "target", "value"))
			assert.Equal(t, "fail", tpl.String("experimentOptions", "emptyTargetResolutionMode"))
			assert.Equal(t, "single-account", tpl.String("experimentOptions", "accountTargeting"))
		})
	}
	nodes := byAction["aws:ec2:terminate-instances"].Objects("targets")[0]
	filters := testutil.Objs(nodes, "filters")
	require.Len(t, filters, 1)
	assert.Equal(t, "State.Name", testutil.Str(filters[0], "path"))
	assert.Equal(t, []string{"running"}, testutil.Strs(filters[0], "values"), "never a node that is already leaving")
}

// TestNetworkDrillIsBounded: the disruption lasts the configured minutes and
// cuts all traffic of the subnets (scope all).
func TestNetworkDrillIsBounded(t *testing.T) {
	for _, minutes := range []int{1, 10, 30} {
		rec := testutil.MustRun(t, program(func(a *resilience.Args) { a.NetworkDisruptionMinutes = minutes }),
			testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
		action := templates(t, rec)["aws:network:disrupt-connectivity"].Objects("actions")[0]
		params := map[string]string{}
		for _, p := range testutil.Objs(action, "parameters") {
			params[testutil.Str(p, "key")] = testutil.Str(p, "value")
		}
		assert.Equal(t, map[string]string{"duration": "PT" + strconv.Itoa(minutes) + "M", "scope": "all"}, params)
	}
}

// TestStopConditionsAndLogs: every drill stops on both alarms and logs to
// the encrypted group, which has a retention.
func TestStopConditionsAndLogs(t *testing.T) {
	rec := run(t)
	groups := rec.ByType("aws:cloudwatch/logGroup:LogGroup")
	require.Len(t, groups, 1)
	g := groups[0]
	assert.Equal(t, "/morpheus-ha/staging/fis-experiments", g.String("name"))
	assert.Equal(t, logsKey, g.String("kmsKeyId"))
	assert.EqualValues(t, 30, g.Number("retentionInDays"))
	for _, tpl := range rec.ByType(templateType) {
		var stops []string
		for _, s := range tpl.Objects("stopConditions") {
			assert.Equal(t, "aws:cloudwatch:alarm", testutil.Str(s, "source"))
			stops = append(stops, testutil.Str(s, "value"))
		}
		assert.Equal(t, []string{alarm5xx, alarmHosts}, stops, tpl.Name)
		assert.EqualValues(t, 2, tpl.Number("logConfiguration", "logSchemaVersion"))
		assert.Equal(t, "arn:aws:logs:eu-west-1:123456789012:log-group:/morpheus-ha/staging/fis-experiments:*",
			tpl.String("logConfiguration", "cloudwatchLogsConfiguration", "logGroupArn"), tpl.Name)
		assert.Equal(t, "arn:aws:iam::123456789012:role/drills-role-id", tpl.String("roleArn"))
		assert.Contains(t, tpl.DependsOn, rec.ByType("aws:iam/rolePolicy:RolePolicy")[0].URN, "the role can act before a drill can start")
	}
}

// destructive reports whether an action changes something: everything but
// reads and the log delivery set-up.
func destructive(action string) bool {
	_, verb, _ := strings.Cut(action, ":")
	for _, read := range []string{"Describe", "Get", "List"} {
		if strings.HasPrefix(verb, read) {
			return false
		}
	}
	return !strings.HasPrefix(action, "logs:")
}

// TestRoleIsScoped: FIS alone, for this account's experiments, assumes the
// role; no destructive action has a "*" resource, and every wildcard ARN on
// one is narrowed by a condition (this group's tag, FIS' own ACL tag, this VPC).
func TestRoleIsScoped(t *testing.T) {
	rec := run(t)
	roles := rec.ByType("aws:iam/role:Role")
	require.Len(t, roles, 1)
	var trust iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(roles[0].String("assumeRolePolicy")), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, "fis.amazonaws.com", trust.Statement[0].Principal["Service"])
	assert.Equal(t, testutil.AccountID, trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
	assert.Equal(t, "arn:aws:fis:eu-west-1:123456789012:experiment/*", trust.Statement[0].Condition["ArnLike"]["aws:SourceArn"])

	policies := rec.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	assert.Empty(t, rec.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "no managed policy: they grant every instance and cluster")
	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(policies[0].String("policy")), &doc))
	granted := map[string]bool{}
	for _, s := range doc.Statement {
		require.Equal(t, "Allow", s.Effect)
		for _, a := range s.Action {
			granted[a] = true
			if !destructive(a) {
				continue
			}
			for _, r := range s.Resource {
				assert.NotEqual(t, "*", r, "%s: %s on *", s.Sid, a)
				if strings.Contains(r, "*") {
					assert.NotEmpty(t, s.Condition, "%s: %s on %s needs a condition", s.Sid, a, r)
				}
			}
		}
	}
	for _, a := range []string{"ec2:TerminateInstances", "rds:FailoverDBCluster", "ec2:CreateNetworkAcl", "ec2:CreateNetworkAclEntry",
		"ec2:DeleteNetworkAcl", "ec2:ReplaceNetworkAclAssociation", "ec2:CreateTags", "logs:CreateLogDelivery"} {
		assert.True(t, granted[a], "the drills need %s", a)
	}
	byStatement := map[string]iampolicy.Statement{}
	for _, s := range doc.Statement {
		byStatement[s.Sid] = s
	}
	assert.Equal(t, groupName, byStatement["TerminateThisGroupsNodes"].Condition["StringEquals"]["ec2:ResourceTag/aws:autoscaling:groupName"])
	assert.Equal(t, []string{clusterArn}, byStatement["FailOverThisCluster"].Resource)
	assert.Equal(t, "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1", byStatement["SwapAclsOfDrillSubnets"].Condition["ArnEquals"]["ec2:Vpc"])
}

// TestNoReaderNoFailoverDrill: without a cluster to fail over, the failover
// template and the role's RDS grant are left out; the other drills stay.
func TestNoReaderNoFailoverDrill(t *testing.T) {
	rec := testutil.MustRun(t, program(func(a *resilience.Args) { a.DBClusterArn = nil }),
		testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	byAction := templates(t, rec)
	assert.Len(t, byAction, 2)
	assert.NotContains(t, byAction, "aws:rds:failover-db-cluster")
	policy := rec.ByType("aws:iam/rolePolicy:RolePolicy")[0].String("policy")
	assert.NotContains(t, policy, "rds:")
}

func TestEveryChildIsParented(t *testing.T) {
	testutil.AssertChildrenOf(t, run(t), resilience.TypeToken, "drills")
}

// TestInvalidArgs: bad arguments fail before anything is registered.
func TestInvalidArgs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*resilience.Args)
		want   string
	}{
		{"no stop condition", func(a *resilience.Args) { a.StopAlarmArns = nil }, "StopAlarmArns"},
		{"no group", func(a *resilience.Args) { a.AsgName = "" }, "any instance"},
		{"unbounded disruption", func(a *resilience.Args) { a.NetworkDisruptionMinutes = 31 }, "NetworkDisruptionMinutes"},
		{"no disruption", func(a *resilience.Args) { a.NetworkDisruptionMinutes = 0 }, "NetworkDisruptionMinutes"},
		{"no subnets", func(a *resilience.Args) { a.DrillSubnetIds = nil }, "DrillSubnetIds"},
		{"no retention", func(a *resilience.Args) { a.LogRetentionDays = 0 }, "LogRetentionDays"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(program(tc.mutate), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.Resources())
		})
	}
}
