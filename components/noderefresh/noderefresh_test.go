package noderefresh_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/noderefresh"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const asg = "morpheus-ha-prod-app"

var secretArns = []string{
	"arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/db-morpheus-AbC123",
	"arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/mq-morpheus-AbC123",
	"arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/opensearch-morpheus-AbC123",
}

func args() *noderefresh.Args {
	return &noderefresh.Args{
		Namer:               testutil.ProdNamer(),
		Env:                 testutil.Env(),
		AsgName:             pulumi.String(asg),
		AppSecretArns:       pulumi.ToStringArray(secretArns),
		RefreshScriptPath:   "/usr/local/sbin/morpheus-node-refresh",
		ReadyTimeoutMinutes: 30,
		MaxNodes:            6,
		LogGroupName:        "/morpheus-ha/prod/node-refresh",
		LogsKeyArn:          pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/logs"),
		LogRetentionDays:    90,
		Signal:              noderefresh.Signal{Namespace: "Morpheus/morpheus-ha-prod", Metric: "NodeRefreshSignal", Value: 0},
		Schedule:            "cron(0 3 ? * SUN *)",
	}
}

func program(a *noderefresh.Args) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := noderefresh.NewNodeRefresh(ctx, "refresh", a)
		return err
	}
}

func run(t *testing.T, a *noderefresh.Args) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, program(a), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

func doc(t *testing.T, rec *testutil.Recorder, docType string) (*testutil.Resource, map[string]any) {
	t.Helper()
	for _, d := range rec.ByType("aws:ssm/document:Document") {
		if d.String("documentType") == docType {
			var content map[string]any
			require.NoError(t, json.Unmarshal([]byte(d.String("content")), &content), "%s content is JSON", docType)
			return d, content
		}
	}
	t.Fatalf("no %s document", docType)
	return nil, nil
}

// script returns the command document's shell lines and the step.
func script(t *testing.T, content map[string]any) (string, map[string]any) {
	t.Helper()
	steps := content["mainSteps"].([]any)
	require.Len(t, steps, 1)
	step := steps[0].(map[string]any)
	var lines []string
	for _, l := range step["inputs"].(map[string]any)["runCommand"].([]any) {
		lines = append(lines, l.(string))
	}
	return strings.Join(lines, "\n"), step
}

// TestCommandDocument: the document takes the group-wide lock and then runs
// the node's own refresh script, the one implementation of a refresh.
func TestCommandDocument(t *testing.T) {
	for _, path := range []string{"/usr/local/sbin/morpheus-node-refresh", "/opt/morpheus-ha/bin/refresh"} {
		a := args()
		a.RefreshScriptPath = path
		rec := run(t, a)
		d, content := doc(t, rec, "Command")
		assert.Equal(t, "morpheus-ha-prod-node-refresh", d.String("name"))
		assert.Equal(t, "JSON", d.String("documentFormat"))
		assert.Equal(t, "2.2", content["schemaVersion"])
		sh, step := script(t, content)
		assert.Equal(t, "aws:runShellScript", step["action"])
		assert.Equal(t, "{{ executionTimeout }}", step["inputs"].(map[string]any)["timeoutSeconds"])

		lock := strings.Index(sh, "flock -w 3600 9")
		refresh := strings.Index(sh, "\n"+path+" --restart-ui")
		require.Positive(t, lock, "one node at a time across concurrent runs")
		require.Positive(t, refresh, "runs the node's refresh script %s with a restart", path)
		assert.Less(t, lock, refresh, "the lock is held before the refresh starts")
		assert.NotContains(t, sh, "morpheus-ctl", "the node script reconfigures, not a second copy here")
		assert.True(t, strings.HasPrefix(sh, "set -eu\n"), "any failing step fails the command")
		assert.NotContains(t, sh, "pipefail", "SSM runs the lines with /bin/sh (dash on Ubuntu)")
		assert.Contains(t, d.String("content"), `>&2`, "no HTML escaping: the console shows the script as written")
		timeout := content["parameters"].(map[string]any)["executionTimeout"].(map[string]any)["default"]
		assert.Equal(t, "6600", timeout, "lock 3600 + reconfigure 900 + the script's 30-minute /ping wait + 300")
	}
}

func TestAutomationDocument(t *testing.T) {
	rec := run(t, args())
	cmd, _ := doc(t, rec, "Command")
	d, content := doc(t, rec, "Automation")
	assert.Equal(t, "morpheus-ha-prod-node-refresh-automation", d.String("name"))
	assert.Equal(t, "0.3", content["schemaVersion"])
	assert.Equal(t, "{{ AutomationAssumeRole }}", content["assumeRole"])
	role := rec.Find("aws:iam/role:Role", "refresh-automation-role")
	require.NotNil(t, role)
	param := content["parameters"].(map[string]any)["AutomationAssumeRole"].(map[string]any)
	assert.Equal(t, "String", param["type"])
	assert.Equal(t, "arn:aws:iam::123456789012:role/"+role.Name+"-id", param["default"])

	steps := content["mainSteps"].([]any)
	require.Len(t, steps, 2)
	step := steps[0].(map[string]any)
	assert.Equal(t, "aws:runCommand", step["action"])
	assert.Equal(t, "Abort", step["onFailure"])
	in := step["inputs"].(map[string]any)
	assert.Equal(t, cmd.String("name"), in["DocumentName"])
	assert.Equal(t, "1", in["MaxConcurrency"], "one node at a time")
	assert.Equal(t, "0", in["MaxErrors"], "stop at the first failed node")
	assert.Equal(t, []any{map[string]any{"Key": "tag:aws:autoscaling:groupName", "Values": []any{asg}}}, in["Targets"])
	assert.EqualValues(t, 6*6600, step["timeoutSeconds"], "every node of the largest group at its full timeout")
	out := in["CloudWatchOutputConfig"].(map[string]any)
	assert.Equal(t, true, out["CloudWatchOutputEnabled"])
	assert.Equal(t, "/morpheus-ha/prod/node-refresh", out["CloudWatchLogGroupName"])

	// Only after every node succeeded (the first step aborts otherwise) the
	// runbook records the completed refresh the overdue alarm waits for.
	record := steps[1].(map[string]any)
	assert.Equal(t, "aws:executeAwsApi", record["action"])
	assert.Equal(t, "Abort", record["onFailure"])
	assert.Equal(t, map[string]any{
		"Service": "cloudwatch", "Api": "PutMetricData", "Namespace": "Morpheus/morpheus-ha-prod",
		"MetricData": []any{map[string]any{"MetricName": "NodeRefreshSignal", "Value": float64(0), "Unit": "None"}},
	}, record["inputs"])
}

func TestRulePattern(t *testing.T) {
	rec := run(t, args())
	rule := rec.Find("aws:cloudwatch/eventRule:EventRule", "refresh-rule")
	require.NotNil(t, rule)
	rules := []*testutil.Resource{rule}
	var p struct {
		Source     []string `json:"source"`
		DetailType []string `json:"detail-type"`
		Detail     struct {
			EventSource         []string `json:"eventSource"`
			EventName           []string `json:"eventName"`
			AdditionalEventData struct {
				SecretID []string `json:"SecretId"`
			} `json:"additionalEventData"`
		} `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(rules[0].String("eventPattern")), &p), "pattern is JSON")
	assert.Equal(t, []string{"aws.secretsmanager"}, p.Source)
	assert.Equal(t, []string{"AWS Service Event via CloudTrail"}, p.DetailType)
	assert.Equal(t, []string{"secretsmanager.amazonaws.com"}, p.Detail.EventSource)
	assert.Equal(t, []string{"RotationSucceeded"}, p.Detail.EventName)
	assert.Equal(t, secretArns, p.Detail.AdditionalEventData.SecretID)
}

func policy(t *testing.T, r *testutil.Resource, key string) []map[string]any {
	t.Helper()
	var d struct {
		Statement []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(r.String(key)), &d))
	return d.Statement
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

// TestScheduleStartsTheSameRefresh: the safety net runs the same runbook, with
// the same role and input, on the configured schedule.
func TestScheduleStartsTheSameRefresh(t *testing.T) {
	for _, schedule := range []string{"cron(0 3 ? * SUN *)", "rate(1 day)"} {
		a := args()
		a.Schedule = schedule
		rec := run(t, a)
		rule := rec.Find("aws:cloudwatch/eventRule:EventRule", "refresh-schedule")
		require.NotNil(t, rule)
		assert.Equal(t, schedule, rule.String("scheduleExpression"))
		assert.Equal(t, "morpheus-ha-prod-node-refresh-scheduled", rule.String("name"))
		assert.Empty(t, rule.String("eventPattern"))
		onRotation := rec.Find("aws:cloudwatch/eventTarget:EventTarget", "refresh-target")
		scheduled := rec.Find("aws:cloudwatch/eventTarget:EventTarget", "refresh-schedule-target")
		require.NotNil(t, scheduled)
		assert.Equal(t, rule.String("name"), scheduled.String("rule"), "the scheduled rule's target")
		for _, key := range []string{"arn", "roleArn", "input"} {
			assert.Equal(t, onRotation.String(key), scheduled.String(key), key)
		}
	}
}

// TestAutomationMayRecordOnlyInTheStackNamespace: the completed-refresh signal
// is the automation role's only CloudWatch write, limited to the namespace.
func TestAutomationMayRecordOnlyInTheStackNamespace(t *testing.T) {
	rec := run(t, args())
	found := false
	for _, s := range policy(t, rec.Find("aws:iam/rolePolicy:RolePolicy", "refresh-automation-role-policy"), "policy") {
		if !slices.Contains(strs(s["Action"]), "cloudwatch:PutMetricData") {
			continue
		}
		found = true
		assert.Equal(t, []string{"cloudwatch:PutMetricData"}, strs(s["Action"]))
		assert.Equal(t, "Morpheus/morpheus-ha-prod", s["Condition"].(map[string]any)["StringEquals"].(map[string]any)["cloudwatch:namespace"])
	}
	assert.True(t, found)
}

func TestEventTargetStartsOnlyThisAutomation(t *testing.T) {
	rec := run(t, args())
	target := rec.Find("aws:cloudwatch/eventTarget:EventTarget", "refresh-target")
	require.NotNil(t, target)
	assert.Equal(t, "arn:aws:ssm:eu-west-1:123456789012:automation-definition/morpheus-ha-prod-node-refresh-automation:$DEFAULT", target.String("arn"))
	automation, _ := doc(t, rec, "Automation")
	assert.Contains(t, target.DependsOn, automation.URN)

	eventsRole := rec.Find("aws:iam/role:Role", "refresh-events-role")
	require.NotNil(t, eventsRole)
	assert.Equal(t, "arn:aws:iam::123456789012:role/"+eventsRole.Name+"-id", target.String("roleArn"))
	trust := policy(t, eventsRole, "assumeRolePolicy")
	require.Len(t, trust, 1)
	assert.Equal(t, "events.amazonaws.com", trust[0]["Principal"].(map[string]any)["Service"])

	automationRoleArn := "arn:aws:iam::123456789012:role/refresh-automation-role-id"
	var input map[string][]string
	require.NoError(t, json.Unmarshal([]byte(target.String("input")), &input))
	assert.Equal(t, map[string][]string{"AutomationAssumeRole": {automationRoleArn}}, input)

	statements := policy(t, rec.Find("aws:iam/rolePolicy:RolePolicy", "refresh-events-role-policy"), "policy")
	require.Len(t, statements, 2)
	for _, s := range statements {
		actions := strs(s["Action"])
		resources := strs(s["Resource"])
		switch {
		case slices.Equal(actions, []string{"ssm:StartAutomationExecution"}):
			assert.Equal(t, []string{"arn:aws:ssm:eu-west-1:123456789012:automation-definition/morpheus-ha-prod-node-refresh-automation:*"}, resources)
		case slices.Equal(actions, []string{"iam:PassRole"}):
			assert.Equal(t, []string{automationRoleArn}, resources)
			assert.Equal(t, "ssm.amazonaws.com", s["Condition"].(map[string]any)["StringEquals"].(map[string]any)["iam:PassedToService"])
		default:
			t.Errorf("unexpected statement %v", s)
		}
	}
}

func TestAutomationRoleSendsOnlyTheRefreshToTheGroup(t *testing.T) {
	rec := run(t, args())
	role := rec.Find("aws:iam/role:Role", "refresh-automation-role")
	require.NotNil(t, role)
	trust := policy(t, role, "assumeRolePolicy")
	assert.Equal(t, "ssm.amazonaws.com", trust[0]["Principal"].(map[string]any)["Service"])
	assert.Equal(t, testutil.AccountID, trust[0]["Condition"].(map[string]any)["StringEquals"].(map[string]any)["aws:SourceAccount"])
	assert.Equal(t, "arn:aws:ssm:eu-west-1:123456789012:automation-execution/*", trust[0]["Condition"].(map[string]any)["ArnLike"].(map[string]any)["aws:SourceArn"],
		"only this account's automation executions in the stack's region")

	var send [][]string
	for _, s := range policy(t, rec.Find("aws:iam/rolePolicy:RolePolicy", "refresh-automation-role-policy"), "policy") {
		actions, resources := strs(s["Action"]), strs(s["Resource"])
		if slices.Equal(actions, []string{"cloudwatch:PutMetricData"}) {
			continue // TestAutomationMayRecordOnlyInTheStackNamespace
		}
		if !slices.Contains(actions, "ssm:SendCommand") {
			for _, a := range actions {
				assert.True(t, strings.Contains(a, ":List") || strings.Contains(a, ":Get") || strings.Contains(a, ":Describe"), "read-only on *: %s", a)
			}
			continue
		}
		assert.Equal(t, []string{"ssm:SendCommand"}, actions)
		send = append(send, resources)
		if resources[0] == "arn:aws:ec2:eu-west-1:123456789012:instance/*" {
			assert.Equal(t, asg, s["Condition"].(map[string]any)["StringEquals"].(map[string]any)["ssm:resourceTag/aws:autoscaling:groupName"])
		}
	}
	assert.ElementsMatch(t, [][]string{
		{"arn:aws:ssm:eu-west-1:123456789012:document/morpheus-ha-prod-node-refresh"},
		{"arn:aws:ec2:eu-west-1:123456789012:instance/*"},
	}, send)
}

func TestLogGroupAndOutputsNames(t *testing.T) {
	rec := run(t, args())
	groups := rec.ByType("aws:cloudwatch/logGroup:LogGroup")
	require.Len(t, groups, 1)
	assert.Equal(t, "/morpheus-ha/prod/node-refresh", groups[0].String("name"))
	assert.EqualValues(t, 90, groups[0].Number("retentionInDays"))
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/logs", groups[0].String("kmsKeyId"))
	comp := rec.ByType(noderefresh.TypeToken)
	require.Len(t, comp, 1)
	for _, r := range rec.Resources() {
		if r.Type != noderefresh.TypeToken {
			assert.Equal(t, comp[0].URN, r.Parent, r.Name)
		}
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	for name, mutate := range map[string]func(*noderefresh.Args){
		"no group":             func(a *noderefresh.Args) { a.AsgName = nil },
		"no secrets":           func(a *noderefresh.Args) { a.AppSecretArns = nil },
		"relative script":      func(a *noderefresh.Args) { a.RefreshScriptPath = "morpheus-node-refresh" },
		"shell in script path": func(a *noderefresh.Args) { a.RefreshScriptPath = "/usr/local/sbin/refresh; reboot" },
		"no script":            func(a *noderefresh.Args) { a.RefreshScriptPath = "" },
		"no ready timeout":     func(a *noderefresh.Args) { a.ReadyTimeoutMinutes = 0 },
		"no node limit":        func(a *noderefresh.Args) { a.MaxNodes = 0 },
		"no retention":         func(a *noderefresh.Args) { a.LogRetentionDays = 0 },
		"no log group":         func(a *noderefresh.Args) { a.LogGroupName = "" },
		"no signal":            func(a *noderefresh.Args) { a.Signal = noderefresh.Signal{} },
		"no schedule":          func(a *noderefresh.Args) { a.Schedule = "" },
		"schedule injection":   func(a *noderefresh.Args) { a.Schedule = "rate(1 day)) (" },
	} {
		t.Run(name, func(t *testing.T) {
			a := args()
			mutate(a)
			rec, err := testutil.Run(program(a), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Empty(t, rec.Resources())
		})
	}
}
