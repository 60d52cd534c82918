package noderefresh

import (
	"strconv"

	"github.com/morpheus-ha/morpheus-ha/internal/ssmdoc"
)

// Node-side constants of the refresh.
const (
	// LockFile serialises refreshes across the whole group. It lives on the
	// shared EFS file system every node mounts, so two automation runs (three
	// secrets can rotate within minutes of each other) still restart only one
	// node at a time.
	LockFile = "/var/opt/morpheus/morpheus-ui/.morpheus-node-refresh.lock"
	// LockWaitSeconds bounds the wait for another node's refresh.
	LockWaitSeconds = 3600
	// ReconfigureSeconds is the time a morpheus-ctl reconfigure may take.
	ReconfigureSeconds = 900
	// slackSeconds covers rendering, the restart and SSM's own overhead.
	slackSeconds = 300
	// GroupTagKey is the tag EC2 Auto Scaling puts on every instance it launches.
	GroupTagKey = "aws:autoscaling:groupName"
)

// CommandTimeoutSeconds is the command's default executionTimeout: the lock
// wait, a reconfigure and the node script's own wait for /ping.
func CommandTimeoutSeconds(readyTimeoutMinutes int) int {
	return LockWaitSeconds + ReconfigureSeconds + readyTimeoutMinutes*60 + slackSeconds
}

// AutomationStepTimeoutSeconds bounds a whole rolling refresh: every node of
// the largest group at its full command timeout.
func AutomationStepTimeoutSeconds(maxNodes, readyTimeoutMinutes int) int {
	return maxNodes * CommandTimeoutSeconds(readyTimeoutMinutes)
}

// RefreshScript is the shell the command runs on a node (POSIX sh: SSM runs
// the lines with /bin/sh, which is dash on Ubuntu). It takes the group-wide
// lock and runs the node's own refresh script, the one implementation of a
// refresh (re-render morpheus.rb, reconfigure, restart morpheus-ui, wait for
// /ping), which fails when Morpheus does not come back, so that the rolling
// refresh stops before it touches the next node.
func RefreshScript(refreshScript string) []string {
	wait := strconv.Itoa(LockWaitSeconds)
	return []string{
		"set -eu",
		"lock=" + LockFile,
		`echo "waiting for the group-wide refresh lock $lock (one node at a time)"`,
		`exec 9>>"$lock"`,
		`if ! flock -w ` + wait + ` 9; then echo "another node held $lock for ` + wait + ` s; giving up" >&2; exit 1; fi`,
		refreshScript + " --restart-ui",
	}
}

// CommandContent is the Command document: one shell step on Linux nodes, with
// the timeout as a parameter an operator can raise for a slow node.
func CommandContent(refreshScript string, readyTimeoutMinutes int) (string, error) {
	return ssmdoc.Marshal(ssmdoc.Command{
		SchemaVersion: "2.2",
		Description:   "Morpheus node refresh: under the group-wide lock, run " + refreshScript + " --restart-ui (re-render morpheus.rb from the current secrets, reconfigure, restart morpheus-ui, wait for /ping). Run on one node at a time (the automation does).",
		Parameters: map[string]ssmdoc.Parameter{
			"executionTimeout": {
				Type:           "String",
				Description:    "Seconds the refresh may take on one node, including the wait for another node's refresh.",
				Default:        strconv.Itoa(CommandTimeoutSeconds(readyTimeoutMinutes)),
				AllowedPattern: "^[1-9][0-9]{1,5}$",
			},
		},
		MainSteps: []ssmdoc.CommandStep{ssmdoc.LinuxShellStep("refreshMorpheusConfig", "{{ executionTimeout }}", RefreshScript(refreshScript))},
	})
}

// automationDocument is an SSM Automation runbook, schema 0.3.
type automationDocument struct {
	SchemaVersion string                      `json:"schemaVersion"`
	Description   string                      `json:"description"`
	AssumeRole    string                      `json:"assumeRole"`
	Parameters    map[string]ssmdoc.Parameter `json:"parameters"`
	MainSteps     []automationStep            `json:"mainSteps"`
}

type automationStep struct {
	Name           string `json:"name"`
	Action         string `json:"action"`
	TimeoutSeconds int    `json:"timeoutSeconds"`
	OnFailure      string `json:"onFailure"`
	// Inputs is runCommandInputs or putMetricInputs.
	Inputs any `json:"inputs"`
}

// putMetricInputs is an aws:executeAwsApi call of CloudWatch PutMetricData.
type putMetricInputs struct {
	Service    string        `json:"Service"`
	Api        string        `json:"Api"`
	Namespace  string        `json:"Namespace"`
	MetricData []metricDatum `json:"MetricData"`
}

type metricDatum struct {
	MetricName string  `json:"MetricName"`
	Value      float64 `json:"Value"`
	Unit       string  `json:"Unit"`
}

// Signal is the metric the automation writes once every node is refreshed.
type Signal struct {
	// Namespace and Metric name it.
	Namespace, Metric string
	// Value is what a completed refresh writes.
	Value float64
}

// recordStepTimeoutSeconds bounds the PutMetricData call.
const recordStepTimeoutSeconds = 60

type runCommandInputs struct {
	DocumentName           string        `json:"DocumentName"`
	Targets                []Target      `json:"Targets"`
	MaxConcurrency         string        `json:"MaxConcurrency"`
	MaxErrors              string        `json:"MaxErrors"`
	CloudWatchOutputConfig cloudWatchOut `json:"CloudWatchOutputConfig"`
}

// Target selects instances by tag, as Run Command does.
type Target struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

type cloudWatchOut struct {
	CloudWatchLogGroupName  string `json:"CloudWatchLogGroupName"`
	CloudWatchOutputEnabled bool   `json:"CloudWatchOutputEnabled"`
}

// AutomationContent is the runbook: an aws:runCommand step running the
// command document on the group's nodes one at a time (MaxConcurrency 1),
// stopping at the first failure (MaxErrors 0), with every node's output in
// logGroup; then, only if every node succeeded, a step recording the completed
// refresh as signal (what the nodeRefreshOverdue alarm waits for after a
// rotation). roleArn is the AutomationAssumeRole parameter's default, so an
// operator can start it with no parameters at all.
func AutomationContent(commandDocument, asgName, logGroup, roleArn string, stepTimeoutSeconds int, signal Signal) (string, error) {
	return ssmdoc.Marshal(automationDocument{
		SchemaVersion: "0.3",
		Description:   "Morpheus rolling node refresh for Auto Scaling group " + asgName + ": runs " + commandDocument + " on one node at a time and stops at the first node that fails. Started by EventBridge after a Morpheus secret rotates; operators may start it by hand.",
		AssumeRole:    "{{ AutomationAssumeRole }}",
		Parameters: map[string]ssmdoc.Parameter{
			"AutomationAssumeRole": {
				Type:        "String",
				Description: "Role the automation runs as (sends the command to the group's nodes).",
				Default:     roleArn,
			},
		},
		MainSteps: []automationStep{{
			Name:           "refreshNodesOneByOne",
			Action:         "aws:runCommand",
			TimeoutSeconds: stepTimeoutSeconds,
			OnFailure:      "Abort",
			Inputs: runCommandInputs{
				DocumentName:   commandDocument,
				Targets:        []Target{{Key: "tag:" + GroupTagKey, Values: []string{asgName}}},
				MaxConcurrency: "1",
				MaxErrors:      "0",
				CloudWatchOutputConfig: cloudWatchOut{
					CloudWatchLogGroupName:  logGroup,
					CloudWatchOutputEnabled: true,
				},
			},
		}, {
			Name:           "recordCompletedRefresh",
			Action:         "aws:executeAwsApi",
			TimeoutSeconds: recordStepTimeoutSeconds,
			OnFailure:      "Abort",
			Inputs: putMetricInputs{
				Service: "cloudwatch", Api: "PutMetricData", Namespace: signal.Namespace,
				MetricData: []metricDatum{{MetricName: signal.Metric, Value: signal.Value, Unit: "None"}},
			},
		}},
	})
}

// AutomationInput is the EventBridge target's constant input: the automation's
// parameters (name to list of values). Without it EventBridge would pass the
// event itself, whose fields are not parameters of the runbook.
func AutomationInput(roleArn string) (string, error) {
	return ssmdoc.Marshal(map[string][]string{"AutomationAssumeRole": {roleArn}})
}
