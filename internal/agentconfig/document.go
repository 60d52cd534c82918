package agentconfig

import (
	"encoding/json"
	"fmt"
)

// Config is the agent configuration of the app nodes, in two documents because
// they start at different times: Logs when the node boots (cloud-init's own log
// matters most when a boot fails), Metrics only once morpheus-ui answers
// (`amazon-cloudwatch-agent-ctl -a append-config`), so a booting node never
// reports "process absent" and pages.
type Config struct {
	// Logs ships LogFiles to the stack's log groups; it has no metrics section.
	Logs Document
	// Metrics publishes memory, disk and the morpheus-ui process count; it has no
	// logs section.
	Metrics Document
}

// Document is one agent configuration file, the subset of
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html
// the nodes use.
type Document struct {
	Agent   *AgentSection   `json:"agent,omitempty"`
	Metrics *MetricsSection `json:"metrics,omitempty"`
	Logs    *LogsSection    `json:"logs,omitempty"`
}

// AgentSection is the agent-wide settings. Both documents carry the same one:
// append-config refuses only differing values for a key.
type AgentSection struct {
	MetricsCollectionInterval int `json:"metrics_collection_interval"`
	// RunAsUser is root: the agent reads root-owned Morpheus logs and the /proc
	// entries of the morpheus-app user's JVM.
	RunAsUser string `json:"run_as_user"`
}

// MetricsSection publishes the metric contract.
type MetricsSection struct {
	Namespace        string            `json:"namespace"`
	AppendDimensions map[string]string `json:"append_dimensions"`
	MetricsCollected MetricsCollected  `json:"metrics_collected"`
}

// MetricsCollected are the plugins the nodes run.
type MetricsCollected struct {
	Mem      Measurements `json:"mem"`
	Disk     Disk         `json:"disk"`
	Procstat []Procstat   `json:"procstat"`
}

// Measurements lists a plugin's measurements.
type Measurements struct {
	Measurement []string `json:"measurement"`
}

// Disk is the disk plugin: Resources are mount points.
type Disk struct {
	Measurement []string `json:"measurement"`
	Resources   []string `json:"resources"`
	// DropDevice keeps the dimensions to path and fstype, which are the same on
	// every node (device names are not).
	DropDevice bool `json:"drop_device"`
}

// Procstat is one procstat rule; Pattern is a regular expression over each
// process's command line.
type Procstat struct {
	Pattern     string   `json:"pattern"`
	Measurement []string `json:"measurement"`
}

// LogsSection ships files.
type LogsSection struct {
	LogsCollected      LogsCollected `json:"logs_collected"`
	ForceFlushInterval int           `json:"force_flush_interval"`
}

// LogsCollected holds the file list.
type LogsCollected struct {
	Files Files `json:"files"`
}

// Files lists the shipped files.
type Files struct {
	CollectList []CollectEntry `json:"collect_list"`
}

// CollectEntry is one shipped file.
type CollectEntry struct {
	FilePath      string `json:"file_path"`
	LogGroupName  string `json:"log_group_name"`
	LogStreamName string `json:"log_stream_name"`
}

// JSON renders the document as the file the agent's fetch-config or
// append-config reads: indented, with a final newline.
func (d Document) JSON() string {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		// Only strings, ints, bools, slices and string maps: encoding cannot fail.
		panic(fmt.Sprintf("agentconfig: encoding a document: %v", err))
	}
	return string(b) + "\n"
}
