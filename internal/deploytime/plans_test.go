package deploytime_test

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// TestShippedDRFailover: the DR stack's failover (Pulumi.dr.yaml with
// restore.standby false) is estimated as an update of the standby stack; the
// cluster's instances and the nodes' boot decide it, well within the 2 h RTO.
func TestShippedDRFailover(t *testing.T) {
	dir := testutil.ShippedProject(t, nil)
	out := t.TempDir()
	_, err := plan.Run(stack.Run, nil, dir, out, "dr", io.Discard, deploytime.Reporter, deploytime.FailoverReporter)
	require.NoError(t, err)

	var est deploytime.Estimate
	b, err := os.ReadFile(filepath.Join(out, "dr", deploytime.FailoverFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &est))
	assert.Empty(t, est.NotEstimated)
	require.NotNil(t, est.Update)
	assert.NotEmpty(t, est.Update.New)
	assert.Positive(t, est.Update.Unchanged, "the pilot light is already there")

	var instance, boot bool
	for _, s := range est.CriticalChain {
		switch s.Type {
		case "aws:rds/clusterInstance:ClusterInstance":
			instance = instance || s.Change == deploytime.ChangeNew
		case "aws:autoscaling/group:Group":
			boot = s.Change == deploytime.ChangeChanged && s.Minutes > 10
		}
	}
	assert.True(t, instance, "the promoted cluster's instances are created on the chain")
	assert.True(t, boot, "the nodes boot on the chain")
	require.Len(t, est.NodeGroups, 1)
	assert.True(t, est.NodeGroups[0].WaitsForCapacity, "the group grows from 0 to app.minNodes")
	// Well under the 2 h RTO: half of it.
	assert.Less(t, est.TotalMinutes, 60.0, "failover %.1f min", est.TotalMinutes)
	last := est.CriticalChain[len(est.CriticalChain)-1]
	assert.InDelta(t, est.TotalMinutes, last.Cumulative, 1e-9)

	// The failover plan stays in memory: the stack's files are the standby's.
	var entries []plan.Entry
	b, err = os.ReadFile(filepath.Join(out, "dr", "resources.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &entries))
	for _, e := range entries {
		if e.Type == "aws:autoscaling/group:Group" {
			assert.Zero(t, e.Inputs["minSize"], "resources.json is the standby plan's")
		}
		assert.NotEqual(t, "aws:rds/clusterInstance:ClusterInstance", e.Type, "the standby cluster is headless")
	}
	var first deploytime.Estimate
	b, err = os.ReadFile(filepath.Join(out, "dr", deploytime.ReportFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &first))
	assert.Nil(t, first.Update, "deploy-time.json is the standby stack's first deploy")
}

// TestNoFailoverForOtherStacks: a stack that is not a standby gets no failover
// section or file.
func TestNoFailoverForOtherStacks(t *testing.T) {
	dir := testutil.ShippedProject(t, nil)
	out := t.TempDir()
	var buf strings.Builder
	_, err := plan.Run(stack.Run, nil, dir, out, "dev", &buf, deploytime.FailoverReporter)
	require.NoError(t, err)
	assert.NotContains(t, buf.String(), deploytime.FailoverTitle)
	_, err = os.Stat(filepath.Join(out, "dev", deploytime.FailoverFile))
	assert.True(t, os.IsNotExist(err))
}
