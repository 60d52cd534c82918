package monitoring

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The CloudWatch agent contract: what the app nodes' agent must publish for the
// app-node alarms to see it. The alarms query it with Metrics Insights
// (`FROM "CWAgent" WHERE AutoScalingGroupName = ... AND path|pattern = ...`), so
// extra dimensions the agent adds (InstanceId, host, pid_finder, device, fstype)
// do not matter; these names and dimension keys do.
const (
	// AgentNamespace is the agent's default metric namespace.
	AgentNamespace = "CWAgent"
	// MemUsedMetric is published by the mem plugin (measurement mem_used_percent).
	MemUsedMetric = "mem_used_percent"
	// DiskUsedMetric is published by the disk plugin (measurement used_percent),
	// with the mount point in dimension PathDimension.
	DiskUsedMetric = "disk_used_percent"
	// ProcessCountMetric is published by the procstat plugin (measurement
	// pid_count), with the configured pattern in dimension PatternDimension.
	ProcessCountMetric = "procstat_lookup_pid_count"
	// ASGDimension is appended by the agent from append_dimensions.
	ASGDimension = "AutoScalingGroupName"
	// PathDimension carries a disk metric's mount point.
	PathDimension = "path"
	// PatternDimension carries a procstat metric's pattern, verbatim.
	PatternDimension = "pattern"
)

// LogFile is one file the agent ships, and where to.
type LogFile struct {
	// Path is the file (or glob) on the node.
	Path string
	// Purpose is the log group purpose (MorpheusUILog, NginxLog, CloudInitLog).
	Purpose string
	// Stream is the stream name; {instance_id} is replaced by the agent.
	Stream string
}

// LogFiles are the files the nodes ship. Morpheus writes every service's log to
// /var/log/morpheus/<service>/current (runit svlogd).
var LogFiles = []LogFile{
	{Path: "/var/log/morpheus/morpheus-ui/current", Purpose: MorpheusUILog, Stream: "{instance_id}"},
	{Path: "/var/log/morpheus/nginx/current", Purpose: NginxLog, Stream: "{instance_id}"},
	{Path: "/var/log/cloud-init-output.log", Purpose: CloudInitLog, Stream: "{instance_id}/cloud-init-output"},
	{Path: "/var/log/cloud-init.log", Purpose: CloudInitLog, Stream: "{instance_id}/cloud-init"},
}

// AgentConfig is the CloudWatch agent configuration the app nodes run, split in
// two documents because they start at different times: Logs at the start of
// the user data (cloud-init's own log matters most when a boot fails), Metrics
// only once morpheus-ui is up (`amazon-cloudwatch-agent-ctl -a append-config`),
// so a booting node never reports "process absent" and pages.
type AgentConfig struct {
	// Logs ships LogFiles to the stack's log groups.
	Logs AgentDocument
	// Metrics publishes memory, disk and the morpheus-ui process count.
	Metrics AgentDocument
}

// AgentDocument is one agent configuration file.
type AgentDocument struct {
	Agent   *agentSection   `json:"agent,omitempty"`
	Metrics *metricsSection `json:"metrics,omitempty"`
	Logs    *logsSection    `json:"logs,omitempty"`
}

type agentSection struct {
	MetricsCollectionInterval int    `json:"metrics_collection_interval,omitempty"`
	RunAsUser                 string `json:"run_as_user"`
}

type metricsSection struct {
	Namespace        string            `json:"namespace"`
	AppendDimensions map[string]string `json:"append_dimensions"`
	MetricsCollected metricsCollected  `json:"metrics_collected"`
}

type metricsCollected struct {
	Mem      measurements   `json:"mem"`
	Disk     diskPlugin     `json:"disk"`
	Procstat []procstatRule `json:"procstat"`
}

type measurements struct {
	Measurement []string `json:"measurement"`
}

type diskPlugin struct {
	Measurement []string `json:"measurement"`
	Resources   []string `json:"resources"`
	DropDevice  bool     `json:"drop_device"`
}

type procstatRule struct {
	Pattern     string   `json:"pattern"`
	Measurement []string `json:"measurement"`
}

type logsSection struct {
	LogsCollected logsCollected `json:"logs_collected"`
}

type logsCollected struct {
	Files fileList `json:"files"`
}

type fileList struct {
	CollectList []collectEntry `json:"collect_list"`
}

type collectEntry struct {
	FilePath      string `json:"file_path"`
	LogGroupName  string `json:"log_group_name"`
	LogStreamName string `json:"log_stream_name"`
}

// NewAgentConfig renders the agent configuration matching the alarms: groups
// maps purposes to log group names (LogGroupNames), processPattern and
// diskPaths are the values the component was given.
func NewAgentConfig(groups map[string]string, processPattern string, diskPaths []string) (AgentConfig, error) {
	if strings.TrimSpace(processPattern) == "" {
		return AgentConfig{}, fmt.Errorf("monitoring: the agent needs the morpheus-ui process pattern")
	}
	if err := checkDiskPaths(diskPaths); err != nil {
		return AgentConfig{}, err
	}
	var collect []collectEntry
	for _, f := range LogFiles {
		group, ok := groups[f.Purpose]
		if !ok {
			return AgentConfig{}, fmt.Errorf("monitoring: no log group for %s", f.Purpose)
		}
		collect = append(collect, collectEntry{FilePath: f.Path, LogGroupName: group, LogStreamName: f.Stream})
	}
	// The agent reads root-owned Morpheus logs and /proc of the morpheus-app user.
	agent := &agentSection{MetricsCollectionInterval: 60, RunAsUser: "root"}
	return AgentConfig{
		Logs: AgentDocument{Agent: agent, Logs: &logsSection{LogsCollected: logsCollected{Files: fileList{CollectList: collect}}}},
		Metrics: AgentDocument{Agent: agent, Metrics: &metricsSection{
			Namespace: AgentNamespace,
			// InstanceId keeps nodes apart on the dashboard; the alarms ignore it.
			AppendDimensions: map[string]string{
				ASGDimension: "${aws:AutoScalingGroupName}",
				"InstanceId": "${aws:InstanceId}",
			},
			MetricsCollected: metricsCollected{
				Mem:      measurements{Measurement: []string{MemUsedMetric}},
				Disk:     diskPlugin{Measurement: []string{"used_percent"}, Resources: diskPaths, DropDevice: true},
				Procstat: []procstatRule{{Pattern: processPattern, Measurement: []string{"pid_count"}}},
			},
		}},
	}, nil
}

// JSON renders the document for the agent's fetch-config/append-config.
func (d AgentDocument) JSON() string {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("monitoring: agent config: %v", err))
	}
	return string(b)
}
