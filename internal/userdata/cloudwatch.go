package userdata

import (
	"encoding/json"
	"fmt"
)

// Metrics the CloudWatch agent publishes, for the alarms built elsewhere.
const (
	// MetricNamespace is the agent's namespace.
	MetricNamespace = "CWAgent"
	// UIProcessPattern matches the morpheus-ui java process's command line (the
	// UI runs from /opt/morpheus/lib/morpheus/morpheus-ui.war); runsv and svlogd
	// for morpheus-ui do not match because they are not java. Its metric is
	// procstat_lookup_pid_count with dimension pattern = UIProcessPattern; 0
	// means morpheus-ui is down.
	UIProcessPattern = "java.*morpheus-ui"
)

// Log files the agent ships, with their streams ({instance_id} is replaced by
// the agent).
const (
	morpheusUILog   = "/var/log/morpheus/morpheus-ui/current"
	nginxLog        = "/var/log/morpheus/nginx/current"
	nginxErrorLog   = "/var/log/morpheus/nginx/*error.log"
	cloudInitOutput = "/var/log/cloud-init-output.log"
)

// cwConfig is the subset of the CloudWatch agent configuration file the node
// uses (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html).
type cwConfig struct {
	Agent   cwAgent   `json:"agent"`
	Logs    cwLogs    `json:"logs"`
	Metrics cwMetrics `json:"metrics"`
}

type cwAgent struct {
	MetricsCollectionInterval int    `json:"metrics_collection_interval"`
	RunAsUser                 string `json:"run_as_user"`
}

type cwLogs struct {
	LogsCollected      cwLogsCollected `json:"logs_collected"`
	ForceFlushInterval int             `json:"force_flush_interval"`
}

type cwLogsCollected struct {
	Files cwFiles `json:"files"`
}

type cwFiles struct {
	CollectList []cwLogFile `json:"collect_list"`
}

type cwLogFile struct {
	FilePath      string `json:"file_path"`
	LogGroupName  string `json:"log_group_name"`
	LogStreamName string `json:"log_stream_name"`
}

type cwMetrics struct {
	Namespace             string             `json:"namespace"`
	AppendDimensions      map[string]string  `json:"append_dimensions"`
	AggregationDimensions [][]string         `json:"aggregation_dimensions"`
	MetricsCollected      cwMetricsCollected `json:"metrics_collected"`
}

type cwMetricsCollected struct {
	Mem      cwMeasurement `json:"mem"`
	Disk     cwDisk        `json:"disk"`
	Procstat []cwProcstat  `json:"procstat"`
}

type cwMeasurement struct {
	Measurement []string `json:"measurement"`
}

type cwDisk struct {
	Measurement []string `json:"measurement"`
	Resources   []string `json:"resources"`
	// DropDevice keeps the dimensions to path and fstype, which are stable across
	// nodes (device names are not).
	DropDevice bool `json:"drop_device"`
}

type cwProcstat struct {
	Pattern     string   `json:"pattern"`
	Measurement []string `json:"measurement"`
}

// cloudWatchAgentConfig returns the agent configuration as indented JSON.
func cloudWatchAgentConfig(p Params) ([]byte, error) {
	stream := func(suffix string) string { return "{instance_id}/" + suffix }
	cfg := cwConfig{
		Agent: cwAgent{MetricsCollectionInterval: 60, RunAsUser: "root"},
		Logs: cwLogs{
			ForceFlushInterval: 5,
			LogsCollected: cwLogsCollected{Files: cwFiles{CollectList: []cwLogFile{
				{FilePath: morpheusUILog, LogGroupName: p.LogGroups.MorpheusUI, LogStreamName: stream("morpheus-ui")},
				{FilePath: nginxLog, LogGroupName: p.LogGroups.Nginx, LogStreamName: stream("nginx")},
				{FilePath: nginxErrorLog, LogGroupName: p.LogGroups.Nginx, LogStreamName: stream("nginx-error")},
				{FilePath: cloudInitOutput, LogGroupName: p.LogGroups.CloudInit, LogStreamName: stream("cloud-init-output")},
				{FilePath: LogPath, LogGroupName: p.LogGroups.CloudInit, LogStreamName: stream("morpheus-node")},
			}}},
		},
		Metrics: cwMetrics{
			Namespace: MetricNamespace,
			AppendDimensions: map[string]string{
				"InstanceId":           "${aws:InstanceId}",
				"AutoScalingGroupName": "${aws:AutoScalingGroupName}",
			},
			// Also publish per-group aggregates so alarms can watch the whole group
			// without knowing instance ids (e.g. minimum pid_count < 1).
			AggregationDimensions: [][]string{{"AutoScalingGroupName"}},
			MetricsCollected: cwMetricsCollected{
				Mem:      cwMeasurement{Measurement: []string{"mem_used_percent"}},
				Disk:     cwDisk{Measurement: []string{"used_percent"}, Resources: []string{"/", MountPoint}, DropDevice: true},
				Procstat: []cwProcstat{{Pattern: UIProcessPattern, Measurement: []string{"pid_count"}}},
			},
		},
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("userdata: encoding CloudWatch agent config: %w", err)
	}
	return append(b, '\n'), nil
}
