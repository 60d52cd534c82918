package monitoring_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
)

// TestAgentConfigMatchesAlarms: the agent config the nodes run publishes what
// the app-node alarms query, and ships logs to the groups the component creates.
func TestAgentConfigMatchesAlarms(t *testing.T) {
	cfg, err := monitoring.NewAgentConfig(monitoring.LogGroupNames(namer), "morpheus-ui.war", diskPaths)
	require.NoError(t, err)

	var metrics struct {
		Agent   map[string]any `json:"agent"`
		Metrics struct {
			Namespace        string            `json:"namespace"`
			AppendDimensions map[string]string `json:"append_dimensions"`
			MetricsCollected struct {
				Mem struct {
					Measurement []string `json:"measurement"`
				} `json:"mem"`
				Disk struct {
					Measurement []string `json:"measurement"`
					Resources   []string `json:"resources"`
				} `json:"disk"`
				Procstat []struct {
					Pattern     string   `json:"pattern"`
					Measurement []string `json:"measurement"`
				} `json:"procstat"`
			} `json:"metrics_collected"`
		} `json:"metrics"`
		Logs any `json:"logs"`
	}
	raw := cfg.Metrics.JSON()
	require.True(t, json.Valid([]byte(raw)))
	require.NoError(t, json.Unmarshal([]byte(raw), &metrics))
	m := metrics.Metrics
	assert.Nil(t, metrics.Logs, "logs ship from the boot-time document")
	assert.Equal(t, monitoring.AgentNamespace, m.Namespace)
	assert.Equal(t, "${aws:AutoScalingGroupName}", m.AppendDimensions[monitoring.ASGDimension])
	// The agent names disk metrics disk_<measurement> and procstat ones
	// procstat_lookup_<measurement>; the alarms query those names.
	assert.Equal(t, []string{monitoring.MemUsedMetric}, m.MetricsCollected.Mem.Measurement)
	assert.Equal(t, []string{"used_percent"}, m.MetricsCollected.Disk.Measurement)
	assert.Equal(t, "disk_used_percent", monitoring.DiskUsedMetric)
	assert.Equal(t, diskPaths, m.MetricsCollected.Disk.Resources)
	require.Len(t, m.MetricsCollected.Procstat, 1)
	assert.Equal(t, "morpheus-ui.war", m.MetricsCollected.Procstat[0].Pattern)
	assert.Equal(t, []string{"pid_count"}, m.MetricsCollected.Procstat[0].Measurement)
	assert.Equal(t, "procstat_lookup_pid_count", monitoring.ProcessCountMetric)

	var logs struct {
		Metrics any `json:"metrics"`
		Logs    struct {
			LogsCollected struct {
				Files struct {
					CollectList []struct {
						FilePath      string `json:"file_path"`
						LogGroupName  string `json:"log_group_name"`
						LogStreamName string `json:"log_stream_name"`
					} `json:"collect_list"`
				} `json:"files"`
			} `json:"logs_collected"`
		} `json:"logs"`
	}
	require.NoError(t, json.Unmarshal([]byte(cfg.Logs.JSON()), &logs))
	assert.Nil(t, logs.Metrics, "metrics start only once Morpheus runs")
	groups := map[string]string{}
	for _, f := range logs.Logs.LogsCollected.Files.CollectList {
		groups[f.FilePath] = f.LogGroupName
		assert.Contains(t, f.LogStreamName, "{instance_id}")
	}
	assert.Equal(t, map[string]string{
		"/var/log/morpheus/morpheus-ui/current": "/morpheus-ha/prod/morpheus-ui",
		"/var/log/morpheus/nginx/current":       "/morpheus-ha/prod/nginx",
		"/var/log/cloud-init-output.log":        "/morpheus-ha/prod/cloud-init",
		"/var/log/cloud-init.log":               "/morpheus-ha/prod/cloud-init",
	}, groups)
}

func TestAgentConfigRejectsGaps(t *testing.T) {
	_, err := monitoring.NewAgentConfig(map[string]string{}, "morpheus-ui.war", diskPaths)
	assert.ErrorContains(t, err, "no log group")
	_, err = monitoring.NewAgentConfig(monitoring.LogGroupNames(namer), "", diskPaths)
	assert.ErrorContains(t, err, "pattern")
	_, err = monitoring.NewAgentConfig(monitoring.LogGroupNames(namer), "morpheus-ui.war", []string{"var"})
	assert.ErrorContains(t, err, "absolute")
}

func TestAgentQuery(t *testing.T) {
	q, err := monitoring.AgentQuery("MIN", monitoring.ProcessCountMetric, "asg-1", monitoring.PatternDimension, "morpheus-ui.war")
	require.NoError(t, err)
	assert.Equal(t, `SELECT MIN("procstat_lookup_pid_count") FROM "CWAgent" WHERE "AutoScalingGroupName" = 'asg-1' AND "pattern" = 'morpheus-ui.war'`, q)
	for _, bad := range [][]string{{"asg'1"}, {"asg", "path"}, {"asg", "path", `/x"y`}, {""}} {
		_, err := monitoring.AgentQuery("MAX", "m", bad[0], bad[1:]...)
		assert.Error(t, err, "%v", bad)
	}
}
