package deploytime_test

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/morpheus-ha/morpheus-ha/internal/deploytime"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestShippedPlansAreFullyEstimated fails when a shipped stack gains a resource
// type the create-time table lacks: add the type with its source, do not let it
// count as zero.
func TestShippedPlansAreFullyEstimated(t *testing.T) {
	dir := testutil.ShippedProject(t, nil)
	for _, stackName := range []string{"dev", "prod"} {
		t.Run(stackName, func(t *testing.T) {
			out := t.TempDir()
			_, err := plan.Run(stack.Run, nil, dir, out, stackName, io.Discard, deploytime.Reporter)
			require.NoError(t, err)

			var entries []plan.Entry
			b, err := os.ReadFile(filepath.Join(out, stackName, "resources.json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &entries))
			for _, e := range entries {
				if !e.Custom {
					continue // components take no time of their own
				}
				_, ok := deploytime.Lookup(e.Type)
				assert.True(t, ok, "%s (%s) has no row in the create-time table", e.Type, e.Name)
			}

			var est deploytime.Estimate
			b, err = os.ReadFile(filepath.Join(out, stackName, deploytime.ReportFile))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &est))
			assert.Empty(t, est.NotEstimated)
			require.Len(t, est.NodeGroups, 1)
			assert.True(t, est.NodeGroups[0].WaitsForCapacity)
			assert.NotEmpty(t, est.NodeGroups[0].Inputs.InstanceType, "read from the launch template")
			// The nodes install while the data tier is created, so the deploy ends
			// after the slowest service plus what cannot overlap it (reconfigure
			// and /ping), within the 1.2 target of issue 17.
			floor := est.Slowest.Minutes + est.ReconfigureAndPingMinutes
			assert.GreaterOrEqual(t, est.TotalMinutes, floor)
			assert.LessOrEqual(t, est.TotalMinutes, 1.2*floor, "critical path %.1f min against a floor of %.1f", est.TotalMinutes, floor)
			var viaSignal bool
			for _, s := range est.CriticalChain {
				viaSignal = viaSignal || s.Via == deploytime.ViaReadiness
			}
			assert.True(t, viaSignal, "the nodes' boot follows the readiness signal, not the bootstrap's graph edge")
			last := est.CriticalChain[len(est.CriticalChain)-1]
			assert.InDelta(t, est.TotalMinutes, last.Cumulative, 1e-9)
		})
	}
}

// TestShippedPrimaryWithGlobalDatabaseIsFullyEstimated: prod as the primary a
// DR stack joins (database.globalCluster.enabled) adds the global database,
// which the table must know.
func TestShippedPrimaryWithGlobalDatabaseIsFullyEstimated(t *testing.T) {
	var prod map[string]any
	b, err := os.ReadFile(filepath.Join(testutil.ProjectRoot, "Pulumi.prod.yaml"))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(b, &prod))
	cfg := prod["config"].(map[string]any)
	db, _ := cfg["morpheus-ha:database"].(map[string]any)
	if db == nil {
		db = map[string]any{}
	}
	db["globalCluster"] = map[string]any{"enabled": true}
	cfg["morpheus-ha:database"] = db
	b, err = yaml.Marshal(prod)
	require.NoError(t, err)
	dir := testutil.ShippedProject(t, map[string]string{"Pulumi.primary.yaml": string(b)})

	out := t.TempDir()
	_, err = plan.Run(stack.Run, nil, dir, out, "primary", io.Discard, deploytime.Reporter)
	require.NoError(t, err)
	var est deploytime.Estimate
	b, err = os.ReadFile(filepath.Join(out, "primary", deploytime.ReportFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &est))
	assert.Empty(t, est.NotEstimated)
	row, ok := deploytime.Lookup("aws:rds/globalCluster:GlobalCluster")
	require.True(t, ok)
	assert.Contains(t, row.Source, "rds_global_cluster")
}
