package patching

import (
	"strconv"

	"github.com/morpheus-ha/morpheus-ha/internal/ssmdoc"
)

// Fixed names of the patch run.
const (
	// RunPatchBaseline is Amazon's patching Command document.
	RunPatchBaseline = "AWS-RunPatchBaseline"
	// GroupTagKey is the tag EC2 Auto Scaling puts on every instance it launches.
	GroupTagKey = "aws:autoscaling:groupName"
	// PingURL is what the node answers once Morpheus serves again; the target
	// group's health check asks the same path.
	PingURL = "https://localhost/ping"
	// PythonRuntime runs the automation's standby steps.
	PythonRuntime = "python3.11"
)

// Step timeouts, in seconds.
const (
	// standbyTimeout covers the target group's deregistration delay (300 s)
	// and Auto Scaling's own bookkeeping.
	standbyTimeout = 900
	// patchTimeout covers a full upgrade and the reboot Patch Manager waits for.
	patchTimeout = 3600
	// healthyTimeout covers the target group's healthy threshold after the node
	// is back in service.
	healthyTimeout = 900
	// scriptTimeout is aws:executeScript's own limit.
	scriptTimeout = 600
)

// PingScript is the shell the ping command runs on the node: it waits, bounded
// by readyTimeoutMinutes, for Morpheus to answer /ping with 200 and fails
// otherwise, which stops the automation with the node still in standby (out of
// the load balancer) rather than returning a broken node to service. POSIX sh:
// SSM runs the lines with /bin/sh, which is dash on Ubuntu.
func PingScript(readyTimeoutMinutes int) []string {
	return []string{
		"set -eu",
		"deadline=$(( $(date +%s) + " + strconv.Itoa(readyTimeoutMinutes*60) + " ))",
		`echo "waiting up to ` + strconv.Itoa(readyTimeoutMinutes) + ` min for ` + PingURL + `"`,
		"while :; do",
		"  code=$(curl -ks -o /dev/null --max-time 10 -w '%{http_code}' " + PingURL + " || true)",
		`  if [ "$code" = 200 ]; then echo "Morpheus answers /ping"; exit 0; fi`,
		`  if [ "$(date +%s)" -ge "$deadline" ]; then echo "Morpheus did not answer /ping with 200 in time (last: $code); the node stays in standby" >&2; exit 1; fi`,
		"  sleep 15",
		"done",
	}
}

// PingCommandContent is the Command document that waits for /ping on a node.
func PingCommandContent(readyTimeoutMinutes int) (string, error) {
	return ssmdoc.Marshal(ssmdoc.Command{
		SchemaVersion: "2.2",
		Description:   "Morpheus OS patching: wait for " + PingURL + " to answer 200 after patching (and any reboot); fail if it does not.",
		MainSteps: []ssmdoc.CommandStep{ssmdoc.LinuxShellStep("waitForPing",
			strconv.Itoa(readyTimeoutMinutes*60+60), PingScript(readyTimeoutMinutes))},
	})
}

// EnterStandbyScript moves the node to Standby, which deregisters it from the
// target group (after the deregistration delay) and suspends Auto Scaling's
// health checks of it, so a reboot never gets it replaced. It decrements the
// desired capacity when the group is above its minimum (no replacement node);
// at the minimum Auto Scaling refuses a decrement, so the group launches a
// replacement to keep the minimum serving, and scales back in afterwards. It
// refuses while another node of the group is in standby (a node a failed run
// left out of service), so the group never loses two nodes to patching.
const EnterStandbyScript = `import boto3


def handler(events, context):
    asg = boto3.client("autoscaling")
    instance, group = events["InstanceId"], events["GroupName"]
    found = asg.describe_auto_scaling_instances(InstanceIds=[instance])["AutoScalingInstances"]
    if not found or found[0]["AutoScalingGroupName"] != group:
        raise Exception("%s is not a node of %s" % (instance, group))
    state = found[0]["LifecycleState"]
    if state in ("Standby", "EnteringStandby"):
        return {"state": state, "decremented": False}
    if state != "InService":
        raise Exception("%s is %s, not InService; not patching it" % (instance, state))
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]
    others = [i["InstanceId"] for i in g["Instances"]
              if i["InstanceId"] != instance and i["LifecycleState"] in ("Standby", "EnteringStandby")]
    if others:
        raise Exception("%s already out of service in standby; patching one node at a time" % ", ".join(others))
    decrement = g["DesiredCapacity"] > g["MinSize"]
    asg.enter_standby(AutoScalingGroupName=group, InstanceIds=[instance], ShouldDecrementDesiredCapacity=decrement)
    print("%s entering standby (desired %d, min %d, decrement %s)" % (instance, g["DesiredCapacity"], g["MinSize"], decrement))
    return {"state": "EnteringStandby", "decremented": decrement}
`

// ExitStandbyScript returns the node to service. Leaving Standby passes the
// node through Pending again, where the launch lifecycle hook holds it; the
// node completes that hook only at first boot, so the script completes it
// (CONTINUE: /ping already answered) instead of letting its ABANDON default
// terminate a healthy, freshly patched node.
const ExitStandbyScript = `import time

import boto3


def handler(events, context):
    asg = boto3.client("autoscaling")
    instance, group, hook = events["InstanceId"], events["GroupName"], events["LaunchHook"]
    state = asg.describe_auto_scaling_instances(InstanceIds=[instance])["AutoScalingInstances"][0]["LifecycleState"]
    if state == "Standby":
        asg.exit_standby(AutoScalingGroupName=group, InstanceIds=[instance])
    deadline = time.time() + 480
    completed = False
    while time.time() < deadline:
        state = asg.describe_auto_scaling_instances(InstanceIds=[instance])["AutoScalingInstances"][0]["LifecycleState"]
        if state == "Pending:Wait" and not completed:
            asg.complete_lifecycle_action(AutoScalingGroupName=group, LifecycleHookName=hook,
                                          InstanceId=instance, LifecycleActionResult="CONTINUE")
            completed = True
            print("%s: completed %s after leaving standby" % (instance, hook))
        elif state == "InService":
            return {"state": state}
        time.sleep(10)
    raise Exception("%s did not return to InService (last state %s)" % (instance, state))
`

// automationDocument is an SSM Automation runbook, schema 0.3.
type automationDocument struct {
	SchemaVersion string                      `json:"schemaVersion"`
	Description   string                      `json:"description"`
	AssumeRole    string                      `json:"assumeRole"`
	Parameters    map[string]ssmdoc.Parameter `json:"parameters"`
	MainSteps     []map[string]any            `json:"mainSteps"`
}

// AutomationParams are the names the runbook is built from.
type AutomationParams struct {
	// GroupName is the app nodes' Auto Scaling group.
	GroupName string
	// TargetGroupArn is the load balancer's target group of the nodes.
	TargetGroupArn string
	// LaunchHook is the group's launch lifecycle hook.
	LaunchHook string
	// PingDocument is the Command document that waits for /ping.
	PingDocument string
	// RoleArn is the AutomationAssumeRole parameter's default.
	RoleArn string
}

// Step names, in order. Tests and the runbook refer to them.
const (
	StepEnterStandby = "enterStandby"
	StepWaitStandby  = "waitForStandby"
	StepPatch        = "runPatchBaseline"
	StepPing         = "waitForPing"
	StepExitStandby  = "exitStandby"
	StepWaitHealthy  = "waitForHealthyTarget"
)

// AutomationContent is the runbook that patches one node: standby (out of the
// target group), AWS-RunPatchBaseline Install with RebootIfNeeded, wait for
// /ping, back in service (completing the launch hook), wait for the target to
// be healthy. Every step aborts on failure: a node that fails to patch or to
// answer /ping stays in standby, out of traffic, for an operator to look at,
// and the window's error threshold of 0 stops before the next node.
func AutomationContent(p AutomationParams) (string, error) {
	instance := "{{ InstanceId }}"
	payload := map[string]string{"InstanceId": instance, "GroupName": p.GroupName, "LaunchHook": p.LaunchHook}
	lifecycle := map[string]any{
		"Service":          "autoscaling",
		"Api":              "DescribeAutoScalingInstances",
		"InstanceIds":      []string{instance},
		"PropertySelector": "$.AutoScalingInstances[0].LifecycleState",
	}
	with := func(m map[string]any, k string, v any) map[string]any {
		out := map[string]any{k: v}
		for key, val := range m {
			out[key] = val
		}
		return out
	}
	steps := []map[string]any{
		{
			"name": StepEnterStandby, "action": "aws:executeScript", "timeoutSeconds": scriptTimeout, "onFailure": "Abort",
			"inputs": map[string]any{"Runtime": PythonRuntime, "Handler": "handler", "Script": EnterStandbyScript, "InputPayload": payload},
		},
		{
			"name": StepWaitStandby, "action": "aws:waitForAwsResourceProperty", "timeoutSeconds": standbyTimeout, "onFailure": "Abort",
			"inputs": with(lifecycle, "DesiredValues", []string{"Standby"}),
		},
		{
			"name": StepPatch, "action": "aws:runCommand", "timeoutSeconds": patchTimeout, "onFailure": "Abort",
			"inputs": map[string]any{
				"DocumentName": RunPatchBaseline,
				"InstanceIds":  []string{instance},
				"Parameters":   map[string][]string{"Operation": {"Install"}, "RebootOption": {"RebootIfNeeded"}},
			},
		},
		{
			"name": StepPing, "action": "aws:runCommand", "timeoutSeconds": patchTimeout, "onFailure": "Abort",
			"inputs": map[string]any{"DocumentName": p.PingDocument, "InstanceIds": []string{instance}},
		},
		{
			"name": StepExitStandby, "action": "aws:executeScript", "timeoutSeconds": scriptTimeout, "onFailure": "Abort",
			"inputs": map[string]any{"Runtime": PythonRuntime, "Handler": "handler", "Script": ExitStandbyScript, "InputPayload": payload},
		},
		{
			"name": StepWaitHealthy, "action": "aws:waitForAwsResourceProperty", "timeoutSeconds": healthyTimeout, "onFailure": "Abort",
			"isEnd": true,
			"inputs": map[string]any{
				"Service":          "elbv2",
				"Api":              "DescribeTargetHealth",
				"TargetGroupArn":   p.TargetGroupArn,
				"Targets":          []map[string]string{{"Id": instance}},
				"PropertySelector": "$.TargetHealthDescriptions[0].TargetHealth.State",
				"DesiredValues":    []string{"healthy"},
			},
		},
	}
	return ssmdoc.Marshal(automationDocument{
		SchemaVersion: "0.3",
		Description: "Morpheus OS patching of one app node of " + p.GroupName + ": standby (out of the load balancer), " +
			RunPatchBaseline + " Install with RebootIfNeeded, wait for /ping, back in service, wait until the target is healthy. " +
			"A failure leaves the node in standby. Run by the OS patch maintenance window one node at a time.",
		AssumeRole: "{{ AutomationAssumeRole }}",
		Parameters: map[string]ssmdoc.Parameter{
			"InstanceId": {
				Type:           "String",
				Description:    "The app node to patch (a node of " + p.GroupName + ").",
				AllowedPattern: "^i-[0-9a-f]{8,17}$",
			},
			"AutomationAssumeRole": {
				Type:        "String",
				Description: "Role the automation runs as (standby, patch, ping for this group's nodes only).",
				Default:     p.RoleArn,
			},
		},
		MainSteps: steps,
	})
}
