package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// TestCostDefaults: the budget defaults to the reference estimate plus 20%,
// rounded up to a dollar, and stays below nothing it should cover.
func TestCostDefaults(t *testing.T) {
	for _, tc := range []struct {
		env     string
		budget  float64
		anomaly float64
		drills  bool
	}{
		{"dev", 717, 25, false},      // 597 × 1.2 = 716.4
		{"staging", 3279, 100, true}, // 2732 × 1.2 = 3278.4
		{"prod", 3969, 150, false},   // 3307 × 1.2 = 3968.4
	} {
		t.Run(tc.env, func(t *testing.T) {
			cfg, err := parseWith(tc.env)
			require.NoError(t, err)
			assert.Equal(t, tc.budget, cfg.Cost.MonthlyBudgetUSD)
			assert.Equal(t, tc.anomaly, cfg.Cost.AnomalyThresholdUSD)
			assert.False(t, cfg.Cost.ActivateAllocationTags, "account-wide: opt-in")
			assert.Equal(t, tc.drills, cfg.Drills.Enabled)
			assert.Equal(t, 10, cfg.Drills.NetworkDisruptionMinutes)
			assert.False(t, cfg.App.ScheduledScaleIn.Enabled)
			assert.Empty(t, cfg.BudgetWarning(), "the default budget never warns")
		})
	}
}

func TestBudgetFor(t *testing.T) {
	for _, tc := range []struct{ estimate, want float64 }{
		{600, 720}, // exactly 720, not 721 from float noise
		{596.75, 717},
		{0.5, 1},
		{1000.01, 1201},
	} {
		assert.Equal(t, tc.want, config.BudgetFor(tc.estimate), "%v", tc.estimate)
	}
}

// TestBudgetWarning: a budget under the environment's reference estimate
// warns (naming the key and the estimate); at or above it does not.
func TestBudgetWarning(t *testing.T) {
	for _, tc := range []struct {
		env, cost string
		warns     bool
	}{
		{"prod", `{"monthlyBudgetUsd":3000}`, true},
		{"prod", `{"monthlyBudgetUsd":3307}`, false},
		{"dev", `{"monthlyBudgetUsd":100}`, true},
		{"dev", `{"monthlyBudgetUsd":5000}`, false},
	} {
		t.Run(tc.env+tc.cost, func(t *testing.T) {
			cfg, err := parseWith(tc.env, "cost", tc.cost)
			require.NoError(t, err, "a low budget is a warning, not an error")
			w := cfg.BudgetWarning()
			if !tc.warns {
				assert.Empty(t, w)
				return
			}
			assert.Contains(t, w, "morpheus-ha:cost.monthlyBudgetUsd")
			assert.Contains(t, w, "reference estimate")
			assert.Contains(t, w, "make plan STACK="+tc.env)
		})
	}
}

// TestScheduledScaleInAcceptsNonProd: dev and staging may shrink, down to
// zero nodes, in any IANA zone.
func TestScheduledScaleInAcceptsNonProd(t *testing.T) {
	cfg, err := parseWith("staging", "app", `{"scheduledScaleIn":{"enabled":true,"timezone":"America/New_York","scaleInCron":"30 18 * * MON-FRI","scaleOutCron":"0 6 * * MON-FRI","minOutsideHours":0}}`)
	require.NoError(t, err)
	s := cfg.App.ScheduledScaleIn
	assert.True(t, s.Enabled)
	assert.Equal(t, "America/New_York", s.Timezone)
	assert.Equal(t, 3, cfg.App.MinNodes, "the rest of app keeps its defaults")
}
