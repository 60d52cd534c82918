package agentconfig_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
)

var (
	groups = agentconfig.LogGroups{
		MorpheusUI: "/morpheus-ha/prod/morpheus-ui",
		Nginx:      "/morpheus-ha/prod/nginx",
		CloudInit:  "/morpheus-ha/prod/cloud-init",
	}
	pattern   = "java.*morpheus-ui"
	diskPaths = []string{"/", "/var/opt/morpheus"}
)

// The shapes the agent reads. Decoding with DisallowUnknownFields makes any
// field the tests do not know about (aggregation_dimensions, say) a failure.
type (
	logsFile struct {
		Agent   agentSection `json:"agent"`
		Metrics any          `json:"metrics"`
		Logs    struct {
			ForceFlushInterval int `json:"force_flush_interval"`
			LogsCollected      struct {
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
	metricsFile struct {
		Agent   agentSection `json:"agent"`
		Logs    any          `json:"logs"`
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
					DropDevice  bool     `json:"drop_device"`
				} `json:"disk"`
				Procstat []struct {
					Pattern     string   `json:"pattern"`
					Measurement []string `json:"measurement"`
				} `json:"procstat"`
			} `json:"metrics_collected"`
		} `json:"metrics"`
	}
	agentSection struct {
		MetricsCollectionInterval int    `json:"metrics_collection_interval"`
		RunAsUser                 string `json:"run_as_user"`
	}
)

func decodeStrict(t *testing.T, raw string, into any) {
	t.Helper()
	require.True(t, json.Valid([]byte(raw)), "not valid JSON:\n%s", raw)
	require.True(t, strings.HasSuffix(raw, "}\n"), "a file ends with a newline")
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(into), raw)
}

func mustNew(t *testing.T) agentconfig.Config {
	t.Helper()
	cfg, err := agentconfig.New(groups, pattern, diskPaths)
	require.NoError(t, err)
	return cfg
}

// TestLogsDocument: every file goes to the group it belongs in, each in its own
// stream per instance, and the boot-time document publishes no metrics.
func TestLogsDocument(t *testing.T) {
	var doc logsFile
	decodeStrict(t, mustNew(t).Logs.JSON(), &doc)
	assert.Nil(t, doc.Metrics, "metrics start only once morpheus-ui answers")
	assert.Equal(t, agentSection{MetricsCollectionInterval: 60, RunAsUser: "root"}, doc.Agent)
	assert.Equal(t, 5, doc.Logs.ForceFlushInterval, "a failed bootstrap waits 15 s for its last lines")

	shipped := map[string]string{}
	streams := map[string]bool{}
	for _, f := range doc.Logs.LogsCollected.Files.CollectList {
		shipped[f.FilePath] = f.LogGroupName
		assert.True(t, strings.HasPrefix(f.LogStreamName, "{instance_id}/"), "%s: stream %s", f.FilePath, f.LogStreamName)
		assert.False(t, streams[f.LogStreamName], "stream %s is used twice", f.LogStreamName)
		streams[f.LogStreamName] = true
	}
	assert.Equal(t, map[string]string{
		"/var/log/morpheus/morpheus-ui/current": groups.MorpheusUI,
		"/var/log/morpheus/nginx/current":       groups.Nginx,
		"/var/log/morpheus/nginx/*error.log":    groups.Nginx,
		"/var/log/cloud-init-output.log":        groups.CloudInit,
		"/var/log/cloud-init.log":               groups.CloudInit,
		"/var/log/morpheus-node.log":            groups.CloudInit,
	}, shipped)
	assert.Equal(t, "/var/log/morpheus-node.log", agentconfig.NodeLogPath)
}

// TestMetricsDocument: the appended document publishes exactly the given
// pattern and disk paths, under the names and dimensions the contract names.
func TestMetricsDocument(t *testing.T) {
	var doc metricsFile
	decodeStrict(t, mustNew(t).Metrics.JSON(), &doc)
	m := doc.Metrics
	assert.Nil(t, doc.Logs, "logs ship from the boot-time document")
	assert.Equal(t, agentSection{MetricsCollectionInterval: 60, RunAsUser: "root"}, doc.Agent,
		"append-config refuses an agent section that differs from the logs document's")
	assert.Equal(t, "CWAgent", m.Namespace)
	assert.Equal(t, agentconfig.Namespace, m.Namespace)
	assert.Equal(t, map[string]string{
		agentconfig.ASGDimension:      "${aws:AutoScalingGroupName}",
		agentconfig.InstanceDimension: "${aws:InstanceId}",
	}, m.AppendDimensions)

	c := m.MetricsCollected
	assert.Equal(t, diskPaths, c.Disk.Resources)
	assert.True(t, c.Disk.DropDevice)
	require.Len(t, c.Procstat, 1)
	assert.Equal(t, pattern, c.Procstat[0].Pattern)

	// The agent names mem metrics by their measurement, disk ones
	// disk_<measurement> and procstat ones procstat_lookup_<measurement>
	// (CloudWatch-Agent-metrics-collected-by-CloudWatch-agent, CloudWatch-Agent-procstat-process-metrics).
	assert.Equal(t, []string{agentconfig.MemUsedMetric}, c.Mem.Measurement)
	require.Len(t, c.Disk.Measurement, 1)
	assert.Equal(t, agentconfig.DiskUsedMetric, "disk_"+c.Disk.Measurement[0])
	require.Len(t, c.Procstat[0].Measurement, 1)
	assert.Equal(t, agentconfig.ProcessCountMetric, "procstat_lookup_"+c.Procstat[0].Measurement[0])
	assert.Equal(t, "mem_used_percent", agentconfig.MemUsedMetric)
	assert.Equal(t, "disk_used_percent", agentconfig.DiskUsedMetric)
	assert.Equal(t, "procstat_lookup_pid_count", agentconfig.ProcessCountMetric)
	assert.Equal(t, "path", agentconfig.PathDimension)
	assert.Equal(t, "pattern", agentconfig.PatternDimension)
}

// TestNewCopiesDiskPaths: the caller's slice is config; changing it later must
// not change a rendered document.
func TestNewCopiesDiskPaths(t *testing.T) {
	paths := []string{"/"}
	cfg, err := agentconfig.New(groups, pattern, paths)
	require.NoError(t, err)
	paths[0] = "/elsewhere"
	assert.Equal(t, []string{"/"}, cfg.Metrics.Metrics.MetricsCollected.Disk.Resources)
}

func TestNewRejects(t *testing.T) {
	noNginx := groups
	noNginx.Nginx = ""
	badGroup := groups
	badGroup.CloudInit = "/a b"
	for _, tc := range []struct {
		name    string
		groups  agentconfig.LogGroups
		pattern string
		paths   []string
		want    string
	}{
		{"empty pattern", groups, " ", diskPaths, "must not be empty"},
		{"quoted pattern", groups, "java.*'morpheus-ui'", diskPaths, "without quotes"},
		{"escaped pattern", groups, `morpheus-ui\.war`, diskPaths, "backslashes"},
		{"invalid regular expression", groups, "java.*(morpheus-ui", diskPaths, "regular expression"},
		{"no disk path", groups, pattern, nil, "at least one mount point"},
		{"relative disk path", groups, pattern, []string{"var"}, `disk path "var" must be an absolute`},
		{"unclean disk path", groups, pattern, []string{"/var/"}, "clean"},
		{"quoted disk path", groups, pattern, []string{"/it's"}, "quotes"},
		{"repeated disk path", groups, pattern, []string{"/", "/"}, "listed twice"},
		{"missing log group", noNginx, pattern, diskPaths, `LogGroups.Nginx "" must be a log group name`},
		{"bad log group", badGroup, pattern, diskPaths, `LogGroups.CloudInit "/a b"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := agentconfig.New(tc.groups, tc.pattern, tc.paths)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, agentconfig.Config{}, cfg)
		})
	}
	// Every problem at once, so one preview shows all of them.
	_, err := agentconfig.New(agentconfig.LogGroups{}, "", nil)
	require.Error(t, err)
	for _, want := range []string{"process pattern", "disk paths", "LogGroups.MorpheusUI", "LogGroups.Nginx", "LogGroups.CloudInit"} {
		assert.Contains(t, err.Error(), want)
	}
}

// TestDocumentChecks: the documents New renders pass; swapped, empty or mixed
// ones (what a hand-built Config could hold) do not.
func TestDocumentChecks(t *testing.T) {
	cfg := mustNew(t)
	assert.NoError(t, cfg.Logs.CheckLogs())
	assert.NoError(t, cfg.Metrics.CheckMetrics())

	assert.ErrorContains(t, cfg.Metrics.CheckLogs(), "must not publish metrics")
	assert.ErrorContains(t, cfg.Logs.CheckMetrics(), "must not ship logs")
	assert.ErrorContains(t, agentconfig.Document{}.CheckLogs(), "at least one log file")
	assert.ErrorContains(t, agentconfig.Document{}.CheckMetrics(), "must publish metrics")

	noGroup := mustNew(t).Logs
	noGroup.Logs.LogsCollected.Files.CollectList[2].LogGroupName = ""
	assert.ErrorContains(t, noGroup.CheckLogs(), "collect_list[2]")

	for name, tc := range map[string]struct {
		mutate func(m *agentconfig.MetricsSection)
		want   string
	}{
		"namespace":   {func(m *agentconfig.MetricsSection) { m.Namespace = "Morpheus" }, `must be "CWAgent"`},
		"no ASG":      {func(m *agentconfig.MetricsSection) { delete(m.AppendDimensions, agentconfig.ASGDimension) }, "must append AutoScalingGroupName"},
		"no procstat": {func(m *agentconfig.MetricsSection) { m.MetricsCollected.Procstat = nil }, "procstat"},
		"bad pattern": {func(m *agentconfig.MetricsSection) { m.MetricsCollected.Procstat[0].Pattern = "(" }, "regular expression"},
		"no disk":     {func(m *agentconfig.MetricsSection) { m.MetricsCollected.Disk.Resources = nil }, "at least one mount point"},
	} {
		t.Run(name, func(t *testing.T) {
			doc := mustNew(t).Metrics
			tc.mutate(doc.Metrics)
			assert.ErrorContains(t, doc.CheckMetrics(), tc.want)
		})
	}
}
