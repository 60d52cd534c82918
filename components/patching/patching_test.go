package patching_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/patching"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	asg         = "morpheus-ha-prod-app"
	patchGroup  = "morpheus-ha-prod-app"
	targetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/morpheus-ha-prod-app/0123456789abcdef"
	launchHook  = "morpheus-node-ready"
)

var env = testutil.Env()

func args() *patching.Args {
	return &patching.Args{
		Namer:               testutil.ProdNamer(),
		Env:                 env,
		GroupName:           pulumi.String(asg),
		TargetGroupArn:      pulumi.String(targetGroup),
		LaunchHook:          launchHook,
		PatchGroup:          patchGroup,
		PatchGroupTagKey:    "PatchGroup",
		Schedule:            "cron(0 21 ? * TUE *)",
		DurationHours:       5,
		CutoffHours:         1,
		ReadyTimeoutMinutes: 30,
	}
}

func run(t *testing.T, a *patching.Args) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, func(ctx *pulumi.Context) error {
		_, err := patching.NewPatching(ctx, "patching", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

func one(t *testing.T, rec *testutil.Recorder, token string) *testutil.Resource {
	t.Helper()
	all := rec.ByType(token)
	require.Len(t, all, 1, token)
	return all[0]
}

func document(t *testing.T, rec *testutil.Recorder, docType string) map[string]any {
	t.Helper()
	for _, d := range rec.ByType("aws:ssm/document:Document") {
		if d.String("documentType") == docType {
			var content map[string]any
			require.NoError(t, json.Unmarshal([]byte(d.String("content")), &content), "%s content is JSON", docType)
			return content
		}
	}
	t.Fatalf("no %s document", docType)
	return nil
}

// TestBaselinePerOS: every selectable node OS family has a baseline of the
// matching Patch Manager OS, registered for the stack's patch group, and none
// may install or pull in the Morpheus package.
func TestBaselinePerOS(t *testing.T) {
	rec := run(t, args())
	baselines := map[string]*testutil.Resource{}
	for _, b := range rec.ByType("aws:ssm/patchBaseline:PatchBaseline") {
		baselines[b.String("operatingSystem")] = b
	}
	groups := rec.ByType("aws:ssm/patchGroup:PatchGroup")
	require.Len(t, groups, len(baselines), "one patch group registration per baseline")
	registered := map[string]bool{}
	for _, g := range groups {
		assert.Equal(t, patchGroup, g.String("patchGroup"))
		registered[g.String("baselineId")] = true
	}

	wantOS := map[string]string{"ubuntu": "UBUNTU", "rhel": "REDHAT_ENTERPRISE_LINUX"}
	for _, os := range config.NodeOperatingSystems {
		family := config.App{OS: os}.OSFamily()
		t.Run(os, func(t *testing.T) {
			b := baselines[wantOS[family]]
			require.NotNil(t, b, "no %s baseline for %s", wantOS[family], os)
			assert.Equal(t, "morpheus-ha-prod-app-"+family, b.String("name"))
			assert.True(t, registered["patching-baseline-"+family+"-id"], "the %s baseline is the patch group's", family)
			assert.Equal(t, patching.RejectedPackages, b.Strings("rejectedPatches"))
			assert.Equal(t, "BLOCK", b.String("rejectedPatchesAction"))
			rules := b.Objects("approvalRules")
			require.NotEmpty(t, rules)
			for _, r := range rules {
				_, delayed := r["approveAfterDays"]
				// Patch Manager rejects approval delays on Ubuntu.
				assert.Equal(t, family == "rhel", delayed, "approveAfterDays on %s", family)
				assert.NotEmpty(t, testutil.Objs(r, "patchFilters"))
			}
		})
	}
}

// TestWindowPatchesOnlyThisStackOneAtATime: the window targets instances of
// this stack's group carrying its patch group, and its task runs the runbook
// on one of them at a time, stopping at the first error.
func TestWindowPatchesOnlyThisStackOneAtATime(t *testing.T) {
	rec := run(t, args())
	w := one(t, rec, "aws:ssm/maintenanceWindow:MaintenanceWindow")
	assert.Equal(t, "morpheus-ha-prod-os-patch", w.String("name"))
	assert.Equal(t, "cron(0 21 ? * TUE *)", w.String("schedule"))
	assert.Equal(t, "UTC", w.String("scheduleTimezone"))
	assert.EqualValues(t, 5, w.Number("duration"))
	assert.EqualValues(t, 1, w.Number("cutoff"))
	assert.False(t, w.Bool("allowUnassociatedTargets"))

	target := one(t, rec, "aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget")
	assert.Equal(t, "patching-window-id", target.String("windowId"))
	assert.Equal(t, "INSTANCE", target.String("resourceType"))
	got := map[string][]string{}
	for _, tg := range target.Objects("targets") {
		got[testutil.Str(tg, "key")] = testutil.Strs(tg, "values")
	}
	assert.Equal(t, map[string][]string{
		"tag:aws:autoscaling:groupName": {asg},
		"tag:PatchGroup":                {patchGroup},
	}, got, "both tags must match: this stack's group and its patch group")

	task := one(t, rec, "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask")
	assert.Equal(t, "1", task.String("maxConcurrency"))
	assert.Equal(t, "0", task.String("maxErrors"))
	assert.Equal(t, "AUTOMATION", task.String("taskType"))
	assert.Equal(t, "morpheus-ha-prod-os-patch", task.String("taskArn"))
	taskTargets := task.Objects("targets")
	require.Len(t, taskTargets, 1)
	assert.Equal(t, "WindowTargetIds", testutil.Str(taskTargets[0], "key"))
	assert.Equal(t, []string{"patching-target-id"}, testutil.Strs(taskTargets[0], "values"))
	params := map[string][]string{}
	for _, p := range task.Objects("taskInvocationParameters", "automationParameters", "parameters") {
		params[testutil.Str(p, "name")] = testutil.Strs(p, "values")
	}
	assert.Equal(t, []string{"{{RESOURCE_ID}}"}, params["InstanceId"], "each run patches the one node the window hands it")
	assert.Len(t, params["AutomationAssumeRole"], 1)
}

// TestRunbookDrainsPatchesAndWaitsForPing: the runbook leaves the target
// group before patching, reboots only when required, waits for /ping before
// returning the node, and aborts (node left in standby) on any failure.
func TestRunbookDrainsPatchesAndWaitsForPing(t *testing.T) {
	content := document(t, run(t, args()), "Automation")
	var names []string
	steps := map[string]map[string]any{}
	for _, s := range content["mainSteps"].([]any) {
		step := s.(map[string]any)
		names = append(names, step["name"].(string))
		steps[step["name"].(string)] = step
		assert.Equal(t, "Abort", step["onFailure"], "step %s", step["name"])
	}
	assert.Equal(t, []string{
		patching.StepEnterStandby, patching.StepWaitStandby, patching.StepPatch,
		patching.StepPing, patching.StepExitStandby, patching.StepWaitHealthy,
	}, names)

	wait := steps[patching.StepWaitStandby]["inputs"].(map[string]any)
	assert.Equal(t, []any{"Standby"}, wait["DesiredValues"], "patching starts only once the node is out of the target group")

	patch := steps[patching.StepPatch]["inputs"].(map[string]any)
	assert.Equal(t, "AWS-RunPatchBaseline", patch["DocumentName"])
	assert.Equal(t, map[string]any{"Operation": []any{"Install"}, "RebootOption": []any{"RebootIfNeeded"}}, patch["Parameters"])
	assert.Equal(t, []any{"{{ InstanceId }}"}, patch["InstanceIds"])

	ping := steps[patching.StepPing]["inputs"].(map[string]any)
	assert.Equal(t, "morpheus-ha-prod-os-patch-ping", ping["DocumentName"])

	exit := steps[patching.StepExitStandby]["inputs"].(map[string]any)
	assert.Equal(t, map[string]any{"InstanceId": "{{ InstanceId }}", "GroupName": asg, "LaunchHook": launchHook}, exit["InputPayload"])
	assert.Contains(t, exit["Script"], "complete_lifecycle_action")

	healthy := steps[patching.StepWaitHealthy]["inputs"].(map[string]any)
	assert.Equal(t, targetGroup, healthy["TargetGroupArn"])
	assert.Equal(t, []any{"healthy"}, healthy["DesiredValues"])

	params := content["parameters"].(map[string]any)
	assert.Contains(t, params, "InstanceId")
	assert.Equal(t, "{{ AutomationAssumeRole }}", content["assumeRole"])
}

// TestPingCommand: the command fails unless /ping answers 200 in time, and is
// valid POSIX sh.
func TestPingCommand(t *testing.T) {
	content := document(t, run(t, args()), "Command")
	step := content["mainSteps"].([]any)[0].(map[string]any)
	var lines []string
	for _, l := range step["inputs"].(map[string]any)["runCommand"].([]any) {
		lines = append(lines, l.(string))
	}
	script := strings.Join(lines, "\n")
	assert.Contains(t, script, "https://localhost/ping")
	assert.Contains(t, script, `"$code" = 200`)
	assert.Contains(t, script, "exit 1", "a node that never answers fails the step")
	assert.Contains(t, script, "+ 1800 ))", "the wait is bounded by ReadyTimeoutMinutes")

	sc := testutil.RequireTool(t, "shellcheck")
	path := filepath.Join(t.TempDir(), "ping.sh")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o600))
	out, err := exec.Command(sc, "-s", "sh", path).CombinedOutput()
	assert.NoError(t, err, "shellcheck:\n%s", out)
}

// TestStandbyScripts: the standby scripts compile, decrement only above the
// group's minimum, and complete the launch hook leaving standby.
func TestStandbyScripts(t *testing.T) {
	assert.Contains(t, patching.EnterStandbyScript, `ShouldDecrementDesiredCapacity=decrement`)
	assert.Contains(t, patching.EnterStandbyScript, `g["DesiredCapacity"] > g["MinSize"]`)
	assert.Contains(t, patching.EnterStandbyScript, `!= group`, "refuses a node of another group")
	assert.Contains(t, patching.EnterStandbyScript, `already out of service in standby`, "one node out at a time, even after a failed run")
	assert.Contains(t, patching.ExitStandbyScript, `and not completed`, "the hook is completed once")
	assert.Contains(t, patching.ExitStandbyScript, `LifecycleActionResult="CONTINUE"`)
	py := testutil.RequireTool(t, "python3")
	for name, src := range map[string]string{"enter": patching.EnterStandbyScript, "exit": patching.ExitStandbyScript} {
		cmd := exec.Command(py, "-c", "import ast, sys; ast.parse(sys.stdin.read())")
		cmd.Stdin = strings.NewReader(src)
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "%s script: %s", name, out)
	}
}

// TestRoleIsScopedToTheGroup: the role may send only the two patch documents,
// only to this group's nodes, move only this group's nodes, and has no
// mutating action on every resource.
func TestRoleIsScopedToTheGroup(t *testing.T) {
	rec := run(t, args())
	role := one(t, rec, "aws:iam/role:Role")
	assert.Equal(t, "morpheus-ha-prod-os-patch", role.String("name"))
	assert.Contains(t, role.String("assumeRolePolicy"), `"aws:SourceAccount":"`+testutil.AccountID+`"`)

	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(one(t, rec, "aws:iam/rolePolicy:RolePolicy").String("policy")), &doc))
	bySid := map[string]iampolicy.Statement{}
	for _, s := range doc.Statement {
		bySid[s.Sid] = s
		resources := s.Resource
		if slices.Contains(resources, "*") {
			for _, a := range s.Action {
				verb := a[strings.Index(a, ":")+1:]
				assert.True(t, strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "List") || strings.HasPrefix(verb, "Get"),
					"%s on * in %s", a, s.Sid)
			}
		}
	}
	assert.ElementsMatch(t, []string{
		"arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaseline",
		"arn:aws:ssm:eu-west-1:" + testutil.AccountID + ":document/morpheus-ha-prod-os-patch-ping",
	}, bySid["SendPatchDocuments"].Resource)
	assert.Equal(t, map[string]any{"ssm:resourceTag/aws:autoscaling:groupName": asg}, bySid["SendToGroupNodes"].Condition["StringEquals"])
	assert.Equal(t, []string{"arn:aws:autoscaling:eu-west-1:" + testutil.AccountID + ":autoScalingGroup:*:autoScalingGroupName/" + asg},
		bySid["StandbyGroupNodes"].Resource)
	assert.Equal(t, []string{"arn:aws:ssm:eu-west-1:" + testutil.AccountID + ":automation-definition/morpheus-ha-prod-os-patch:*"},
		bySid["StartPatchAutomation"].Resource)
}

// TestArgsValidation: bad arguments fail before any resource.
func TestArgsValidation(t *testing.T) {
	cases := []struct {
		name   string
		change func(*patching.Args)
		want   string
	}{
		{"no group", func(a *patching.Args) { a.GroupName = nil }, "GroupName"},
		{"no hook", func(a *patching.Args) { a.LaunchHook = "" }, "LaunchHook"},
		{"bad schedule", func(a *patching.Args) { a.Schedule = "0 21 * * 2" }, "cron(...)"},
		{"cutoff eats the window", func(a *patching.Args) { a.CutoffHours = 5 }, "CutoffHours"},
		{"no ping wait", func(a *patching.Args) { a.ReadyTimeoutMinutes = 0 }, "ReadyTimeoutMinutes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			tc.change(a)
			rec, err := testutil.Run(func(ctx *pulumi.Context) error {
				_, err := patching.NewPatching(ctx, "patching", a)
				return err
			}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			if rec != nil {
				assert.Empty(t, rec.Resources())
			}
		})
	}
}
