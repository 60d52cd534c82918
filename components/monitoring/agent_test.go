package monitoring_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
)

// agentQueryPattern parses AgentQuery's output: function, metric, namespace,
// the group filter and at most one more dimension filter.
var agentQueryPattern = regexp.MustCompile(
	`^SELECT (MAX|MIN)\("([^"]+)"\) FROM "([^"]+)" WHERE "([^"]+)" = '([^']+)'(?: AND "([^"]+)" = '([^']+)')?$`)

// series is one metric as an alarm filters it: name plus the one narrowing
// dimension (empty for memory).
type series struct{ metric, dim, value string }

func (s series) String() string { return fmt.Sprintf("%s{%s=%s}", s.metric, s.dim, s.value) }

// publishedSeries lists what the agent publishes with the metrics document
// the nodes append, applying the agent's naming: mem metrics are named by their
// measurement, disk ones disk_<measurement> per mount point (dimension path),
// procstat ones procstat_lookup_<measurement> per pattern (dimension pattern).
// (internal/agentconfig's tests check the document's JSON itself.)
func publishedSeries(doc agentconfig.Document) map[series]bool {
	m := doc.Metrics.MetricsCollected
	out := map[series]bool{}
	for _, name := range m.Mem.Measurement {
		out[series{metric: name}] = true
	}
	for _, name := range m.Disk.Measurement {
		for _, path := range m.Disk.Resources {
			out[series{"disk_" + name, "path", path}] = true
		}
	}
	for _, p := range m.Procstat {
		for _, name := range p.Measurement {
			out[series{"procstat_lookup_" + name, "pattern", p.Pattern}] = true
		}
	}
	return out
}

// TestAppAlarmsQueryWhatTheAgentPublishes runs the component and requires the
// app-node alarms to query exactly the series the agent config rendered from
// the same ProcessPattern and DiskPaths publishes: same namespace, a group
// dimension the agent appends, and every published series alarmed.
func TestAppAlarmsQueryWhatTheAgentPublishes(t *testing.T) {
	args := baseArgs()
	groups := agentconfig.LogGroups{MorpheusUI: "/p/s/morpheus-ui", Nginx: "/p/s/nginx", CloudInit: "/p/s/cloud-init"}
	cfg, err := agentconfig.New(groups, args.ProcessPattern, args.DiskPaths)
	require.NoError(t, err)
	namespace, appended := cfg.Metrics.Metrics.Namespace, cfg.Metrics.Metrics.AppendDimensions
	published := publishedSeries(cfg.Metrics)
	require.Len(t, published, 2+len(args.DiskPaths), "memory, the process and one disk series per path")

	queried := map[series]bool{}
	for _, a := range run(t, nil).ByType(alarmType) {
		for _, q := range a.Objects("metricQueries") {
			e := q["expression"]
			if !e.IsString() || !strings.HasPrefix(e.StringValue(), "SELECT") {
				continue
			}
			name := a.String("name")
			m := agentQueryPattern.FindStringSubmatch(e.StringValue())
			require.NotNil(t, m, "%s: unexpected query %s", name, e.StringValue())
			assert.Equal(t, namespace, m[3], "%s queries another namespace", name)
			assert.Equal(t, "${aws:AutoScalingGroupName}", appended[m[4]], "%s filters on %s, which the agent does not append as the group", name, m[4])
			assert.Equal(t, asgName, m[5], name)
			s := series{m[2], m[6], m[7]}
			assert.True(t, published[s], "%s queries %s, which the agent does not publish", name, s)
			queried[s] = true
		}
	}
	assert.Equal(t, published, queried, "every published series is alarmed, and nothing else")
}

func TestAgentQuery(t *testing.T) {
	q, err := monitoring.AgentQuery("MIN", agentconfig.ProcessCountMetric, "asg-1", agentconfig.PatternDimension, "java.*morpheus-ui")
	require.NoError(t, err)
	assert.Equal(t, `SELECT MIN("procstat_lookup_pid_count") FROM "CWAgent" WHERE "AutoScalingGroupName" = 'asg-1' AND "pattern" = 'java.*morpheus-ui'`, q)
	for _, bad := range [][]string{{"asg'1"}, {"asg", "path"}, {"asg", "path", `/x"y`}, {""}} {
		_, err := monitoring.AgentQuery("MAX", "m", bad[0], bad[1:]...)
		assert.Error(t, err, "%v", bad)
	}
}
