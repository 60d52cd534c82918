package alarmcatalog_test

import (
	"flag"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
)

var update = flag.Bool("update", false, "rewrite the alarm table in docs/monitoring.md from the catalog")

const (
	docsPath   = "../../docs/monitoring.md"
	tableBegin = "<!-- alarm-table:begin (generated from internal/alarmcatalog; go test ./internal/alarmcatalog -update) -->"
	tableEnd   = "<!-- alarm-table:end -->"
)

var keyRE = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)

// TestEntriesAreWellFormed holds every entry to what CloudWatch and the config
// accept, so a typo in the table fails here rather than at `pulumi up`.
func TestEntriesAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	missing := map[string]bool{alarmcatalog.Breaching: true, alarmcatalog.NotBreaching: true, alarmcatalog.Missing: true}
	for _, e := range alarmcatalog.Entries {
		assert.False(t, seen[e.Key], "duplicate key %s", e.Key)
		seen[e.Key] = true
		assert.Regexp(t, keyRE, e.Key)
		assert.Contains(t, alarmcatalog.Tiers, e.Tier, e.Key)
		assert.NotEmpty(t, e.Metric, e.Key)
		assert.NotEmpty(t, e.Unit, e.Key)
		assert.LessOrEqual(t, e.Min, e.Max, e.Key)
		assert.NoError(t, alarmcatalog.Check(e.Key, e.Default), "%s: the default must pass its own bounds", e.Key)
		assert.NotEmpty(t, e.Symbol(), "%s: unknown comparison %q", e.Key, e.Comparison)
		assert.True(t, missing[e.TreatMissingData], "%s: treatMissingData %q", e.Key, e.TreatMissingData)
		assert.Zero(t, e.Period%60, "%s: period must be a multiple of 60", e.Key)
		assert.True(t, e.DatapointsToAlarm >= 1 && e.DatapointsToAlarm <= e.Evaluations, "%s: datapoints %d of %d", e.Key, e.DatapointsToAlarm, e.Evaluations)
		assert.LessOrEqual(t, e.Period*e.Evaluations, 86400, "%s: CloudWatch evaluates at most one day", e.Key)
		assert.Contains(t, []alarmcatalog.Scale{alarmcatalog.Absolute, alarmcatalog.MiB, alarmcatalog.PerMinNode, alarmcatalog.PercentOfMaxConnections}, e.Scale, e.Key)
		assert.Contains(t, []alarmcatalog.Expand{alarmcatalog.Once, alarmcatalog.PerDBInstance, alarmcatalog.PerDiskPath, alarmcatalog.PerNATGateway}, e.Expand, e.Key)
		// The reason goes into the alarm description (1024 characters with the rest).
		assert.NotEmpty(t, e.Reason, e.Key)
		assert.LessOrEqual(t, len(e.Reason), 400, "%s: reason too long for an alarm description", e.Key)
		for _, cell := range e.Cells() {
			assert.NotContains(t, cell, "|", "%s: a pipe would break the Markdown table", e.Key)
		}
	}
}

func TestEveryTierHasAlarms(t *testing.T) {
	for _, tier := range alarmcatalog.Tiers {
		n := 0
		for _, e := range alarmcatalog.Entries {
			if e.Tier == tier {
				n++
			}
		}
		assert.Positive(t, n, "tier %s has no alarm", tier)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		key  string
		v    float64
		want string
	}{
		{"appCpu", 85, ""},
		{"appCpu", 0, "between 1 and 100"},
		{"appCpu", 101, "between 1 and 100"},
		{"appCpu", math.NaN(), "between"},
		{"albHealthyHosts", 2, "between 0.1 and 1"},
		{"appCPU", 85, "unknown threshold"},
	} {
		err := alarmcatalog.Check(tc.key, tc.v)
		if tc.want == "" {
			assert.NoError(t, err, tc.key)
			continue
		}
		require.Error(t, err, "%s=%v", tc.key, tc.v)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestThresholdScaling(t *testing.T) {
	s := alarmcatalog.Sizing{MinNodes: 3, DBMaxConnections: 1000}
	for key, want := range map[string]float64{
		"appCpu":           85,
		"dbFreeableMemory": 1024 * 1024 * 1024,
		"albHealthyHosts":  3,
		"dbConnections":    800,
	} {
		e, ok := alarmcatalog.Lookup(key)
		require.True(t, ok, key)
		assert.InDelta(t, want, e.Threshold(e.Default, s), 1e-6, key)
	}
}

func TestDefaultsAreFresh(t *testing.T) {
	a := alarmcatalog.Defaults()
	a["appCpu"] = 1
	assert.EqualValues(t, 85, alarmcatalog.Defaults()["appCpu"], "callers must not share the map")
	assert.Len(t, a, len(alarmcatalog.Entries))
}

// TestDocsTableMatchesCatalog parses the alarm table of docs/monitoring.md and
// compares every row, cell by cell, with the catalog, so the documentation
// cannot drift from the code. Run with -update to regenerate it.
func TestDocsTableMatchesCatalog(t *testing.T) {
	raw, err := os.ReadFile(docsPath)
	require.NoError(t, err)
	doc := string(raw)
	start := strings.Index(doc, tableBegin)
	end := strings.Index(doc, tableEnd)
	require.True(t, start >= 0 && end > start, "docs/monitoring.md must hold the table between %q and %q", tableBegin, tableEnd)

	if *update {
		doc = doc[:start+len(tableBegin)] + "\n" + alarmcatalog.Table() + doc[end:]
		require.NoError(t, os.WriteFile(docsPath, []byte(doc), 0o644))
		return
	}

	rows := parseTable(t, doc[start+len(tableBegin):end])
	require.NotEmpty(t, rows)
	assert.Equal(t, alarmcatalog.Columns, rows[0], "header")
	documented := map[string][]string{}
	for _, r := range rows[1:] {
		key := strings.Trim(r[0], "`")
		assert.NotContains(t, documented, key, "key %s documented twice", key)
		documented[key] = r
	}
	for _, e := range alarmcatalog.Entries {
		row, ok := documented[e.Key]
		if !assert.True(t, ok, "docs/monitoring.md lacks alarm %s", e.Key) {
			continue
		}
		want := e.Cells()
		for i, col := range alarmcatalog.Columns {
			assert.Equal(t, want[i], row[i], "alarm %s, column %q", e.Key, col)
		}
		delete(documented, e.Key)
	}
	assert.Empty(t, documented, "docs/monitoring.md documents alarms the code does not create")
}

// parseTable splits Markdown table rows into trimmed cells, skipping the
// separator row.
func parseTable(t *testing.T, s string) [][]string {
	t.Helper()
	var rows [][]string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		require.True(t, strings.HasPrefix(line, "|") && strings.HasSuffix(line, "|"), "not a table row: %q", line)
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if strings.Trim(strings.Join(cells, ""), "-: ") == "" {
			continue
		}
		require.Len(t, cells, len(alarmcatalog.Columns), "row %q", line)
		rows = append(rows, cells)
	}
	return rows
}
