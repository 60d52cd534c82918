package monitoring_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

type widget struct {
	Type       string `json:"type"`
	X          int    `json:"x"`
	Y          int    `json:"y"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Properties struct {
		Markdown string  `json:"markdown"`
		Title    string  `json:"title"`
		Region   string  `json:"region"`
		Metrics  [][]any `json:"metrics"`
	} `json:"properties"`
}

var quoted = regexp.MustCompile(`'([^']*)'`)

func dashboardWidgets(t *testing.T, rec *testutil.Recorder) []widget {
	t.Helper()
	d := rec.ByType(dashboardType)
	require.Len(t, d, 1)
	assert.Equal(t, "morpheus-ha-prod", d[0].String("dashboardName"))
	body := d[0].String("dashboardBody")
	require.True(t, json.Valid([]byte(body)), "dashboard body is not valid JSON")
	var parsed struct {
		Widgets []widget `json:"widgets"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &parsed))
	require.NotEmpty(t, parsed.Widgets)
	return parsed.Widgets
}

// TestDashboardNamesOnlyArgs: every dimension value and every value in a
// query is something the component was given; nothing is invented.
func TestDashboardNamesOnlyArgs(t *testing.T) {
	allowed := map[string]bool{
		lbSuffix: true, tgSuffix: true, asgName: true, brokerName: true, searchDomain: true, efsID: true,
		testutil.AccountID: true, healthCheck: true, "java.*morpheus-ui": true,
	}
	for _, s := range append(append([]string{}, instances...), diskPaths...) {
		allowed[s] = true
	}
	namespaces := map[string]bool{
		"AWS/ApplicationELB": true, "AWS/EC2": true, "AWS/RDS": true, "AWS/AmazonMQ": true,
		"AWS/ES": true, "AWS/EFS": true, "AWS/Route53": true, "Morpheus/morpheus-ha-prod": true,
	}
	used := map[string]bool{}
	for _, w := range dashboardWidgets(t, run(t, nil)) {
		if w.Type != "metric" {
			continue
		}
		queries := 0
		for _, line := range w.Properties.Metrics {
			require.NotEmpty(t, line, w.Properties.Title)
			if opts, ok := line[0].(map[string]any); ok {
				e, _ := opts["expression"].(string)
				require.NotEmpty(t, e, "%s: an options-only line must be an expression", w.Properties.Title)
				if strings.HasPrefix(e, "SELECT") {
					queries++
				}
				for _, m := range quoted.FindAllStringSubmatch(e, -1) {
					assert.True(t, allowed[m[1]], "%s: query names %q, which was not passed in", w.Properties.Title, m[1])
					used[m[1]] = true
				}
				continue
			}
			assert.True(t, namespaces[line[0].(string)], "%s: namespace %v", w.Properties.Title, line[0])
			// namespace, metric, then name/value pairs, then an options object.
			for i := 2; i+1 < len(line); i += 2 {
				v, ok := line[i+1].(string)
				require.True(t, ok, "%s: dimension %v has no string value", w.Properties.Title, line[i])
				assert.True(t, allowed[v], "%s: dimension %v=%q was not passed in", w.Properties.Title, line[i], v)
				used[v] = true
			}
		}
		assert.LessOrEqual(t, queries, 1, "%s: one Metrics Insights query per graph", w.Properties.Title)
	}
	for v := range allowed {
		assert.True(t, used[v], "the dashboard never shows %q", v)
	}
}

// TestDashboardLayout: one header per tier, each followed by graphs, all on
// the 24-column grid without overlaps; the health check graph reads us-east-1.
func TestDashboardLayout(t *testing.T) {
	widgets := dashboardWidgets(t, run(t, nil))
	var headers []string
	graphsAfter := map[string]int{}
	current := ""
	type cell struct{ x, y int }
	taken := map[cell]string{}
	for _, w := range widgets {
		assert.LessOrEqual(t, w.X+w.Width, 24, "widget %q leaves the grid", w.Properties.Title)
		for x := w.X; x < w.X+w.Width; x++ {
			for y := w.Y; y < w.Y+w.Height; y++ {
				c := cell{x, y}
				assert.Empty(t, taken[c], "%q overlaps %q", w.Properties.Title+w.Properties.Markdown, taken[c])
				taken[c] = w.Properties.Title + w.Properties.Markdown
			}
		}
		if w.Type == "text" {
			current = strings.TrimPrefix(w.Properties.Markdown, "## ")
			headers = append(headers, current)
			continue
		}
		graphsAfter[current]++
		want := "eu-west-1"
		if strings.Contains(w.Properties.Title, "Route 53") {
			want = "us-east-1"
		}
		assert.Equal(t, want, w.Properties.Region, w.Properties.Title)
	}
	assert.Equal(t, []string{"Load balancer", "App nodes", "Aurora", "Amazon MQ", "OpenSearch", "EFS"}, headers)
	for _, h := range headers {
		assert.Positive(t, graphsAfter[h], "row %s has no graph", h)
	}
}
