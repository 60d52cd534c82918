package pricing_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/pricing"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// stagingStackFile is the shipped staging stack file, which shippedProject
// does not copy.
func stagingStackFile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(projectDir, "Pulumi.staging.yaml"))
	require.NoError(t, err)
	return string(b)
}

// TestReferenceEstimatesFollowTheShippedStacks: the default budget comes from
// config.ReferenceEstimateUSD because the program cannot price itself; each
// figure must stay within 10% of its shipped stack's real estimate, and the
// default budget above it, or every stack of that environment gets a budget
// that alerts monthly (too low) or never (far too high).
func TestReferenceEstimatesFollowTheShippedStacks(t *testing.T) {
	dir := testutil.ShippedProject(t, map[string]string{"Pulumi.staging.yaml": stagingStackFile(t)})
	for _, env := range config.Environments {
		t.Run(string(env), func(t *testing.T) {
			out := t.TempDir()
			var buf bytes.Buffer
			_, err := plan.Run(stack.Run, nil, dir, out, string(env), &buf, pricing.Reporter)
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join(out, string(env), pricing.ReportFile))
			require.NoError(t, err)
			var est pricing.Estimate
			require.NoError(t, json.Unmarshal(b, &est))

			ref := config.ReferenceEstimateUSD[env]
			assert.InEpsilon(t, est.Total(), ref, 0.10, "config.ReferenceEstimateUSD[%s] is %v, the shipped plan says %.2f: update it", env, ref, est.Total())
			budget := config.DefaultCost(env).MonthlyBudgetUSD
			assert.Greater(t, budget, est.Total(), "the default budget is above the estimate")
			assert.Equal(t, config.BudgetFor(ref), budget, "the default is the reference plus 20%%")

			printed := buf.String()
			assert.Contains(t, printed, "Budget: cost.monthlyBudgetUsd is "+jsonNum(budget)+" USD (default")
			assert.Contains(t, printed, "  pulumi config set --path cost.monthlyBudgetUsd "+jsonNum(config.BudgetFor(est.Total()))+" --stack "+string(env)+"\n")
			assert.NotContains(t, printed, "WARNING: the budget is below")
		})
	}
}

// TestBudgetAdvice: the advice reads the budget from the stack file or the
// environment's default, suggests the estimate plus 20% rounded up, and
// warns only below the estimate.
func TestBudgetAdvice(t *testing.T) {
	est := pricing.Estimate{TotalUSD: 1000.25}
	for _, tc := range []struct {
		name   string
		values map[string]string
		want   pricing.BudgetAdvice
		warns  bool
	}{
		{"default dev", map[string]string{}, pricing.BudgetAdvice{BudgetUSD: config.BudgetFor(config.ReferenceEstimateUSD[config.Dev]), SuggestedUSD: 1201, BelowEstimate: true}, true},
		{"default prod", map[string]string{"p:environment": "prod"}, pricing.BudgetAdvice{BudgetUSD: config.BudgetFor(config.ReferenceEstimateUSD[config.Prod]), SuggestedUSD: 1201}, false},
		{"set above", map[string]string{"p:cost": `{"monthlyBudgetUsd":1500}`}, pricing.BudgetAdvice{BudgetUSD: 1500, Set: true, SuggestedUSD: 1201}, false},
		{"set below", map[string]string{"p:cost": `{"monthlyBudgetUsd":900,"anomalyThresholdUsd":10}`}, pricing.BudgetAdvice{BudgetUSD: 900, Set: true, SuggestedUSD: 1201, BelowEstimate: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pricing.Budget(plan.Inventory{Project: "p", Stack: "s", Values: tc.values}, est)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			text := pricing.RenderBudget("s", est, got)
			assert.Contains(t, text, "pulumi config set --path cost.monthlyBudgetUsd 1201 --stack s\n")
			assert.Equal(t, tc.warns, strings.Contains(text, "WARNING: the budget is below this plan's estimate of 1000.25 USD"), text)
		})
	}
	_, err := pricing.Budget(plan.Inventory{Project: "p", Values: map[string]string{"p:cost": "{"}}, est)
	assert.ErrorContains(t, err, "p:cost")
}

func jsonNum(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestREADMEScheduledScaleInSavings: the README's savings figures follow the
// eu-west-1 table and the default schedule (weekdays 07:00-19:00 on, so 108
// of 168 hours off), so a price update that changes them fails here until
// the README says so.
func TestREADMEScheduledScaleInSavings(t *testing.T) {
	tbl, err := pricing.LoadTable("eu-west-1")
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(projectDir, "README.md"))
	require.NoError(t, err)
	const offFraction = 108.0 / 168.0
	offHours := pricing.DefaultAssumptions.HoursPerMonth * offFraction
	perNode := tbl.Prices["ec2.instance.m6i.xlarge"].USD*offHours + 200*tbl.Prices["ebs.gp3.gb"].USD*offFraction
	for _, want := range []string{
		fmt.Sprintf("%.0f of 730 hours a month", offHours),
		fmt.Sprintf("m6i.xlarge %v USD an hour", tbl.Prices["ec2.instance.m6i.xlarge"].USD),
		fmt.Sprintf("gp3 %v USD per GB-month", tbl.Prices["ebs.gp3.gb"].USD),
		fmt.Sprintf("each node removed saves about **%.0f USD a month**", perNode),
		fmt.Sprintf("staging (3 nodes to 0) about %.0f of", 3*perNode),
		fmt.Sprintf("or %.0f USD with\n`minOutsideHours: 1`", 2*perNode),
	} {
		assert.Contains(t, string(readme), want)
	}
}
