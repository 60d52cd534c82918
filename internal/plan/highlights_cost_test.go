package plan_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestHighlightsShowCostControlsAndDrills: a reviewer of a staging plan sees
// the budget, the scaling targets and, per drill, what it does and the alarms
// that stop it, by name.
func TestHighlightsShowCostControlsAndDrills(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.BaseConfig("staging")})
	var buf bytes.Buffer
	require.NoError(t, plan.WriteHighlights(&buf, rec.Resources()))
	out := buf.String()
	for _, want := range []string{
		"Budget cost-budget",
		"limitAmount  3279.00",
		"user:Stack$staging",
		"predefinedMetricType  ASGAverageCPUUtilization",
		"FIS drill drills-terminate-app-node",
		"stops on     morpheus-ha-staging-albElb5xx, morpheus-ha-staging-albUnhealthyHosts",
	} {
		assert.Contains(t, out, want)
	}
}
