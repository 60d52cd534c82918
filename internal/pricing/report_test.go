package pricing_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/pricing"
)

func TestReporter(t *testing.T) {
	inv := plan.Inventory{Project: "p", Stack: "s", Values: map[string]string{"aws:region": "us-east-1"}, Entries: []plan.Entry{
		entry("aws:kms/key:Key", "key-a", map[string]any{}),
		entry("aws:kms/key:Key", "key-b", map[string]any{}),
		entry("aws:ec2/natGateway:NatGateway", "nat", map[string]any{}),
		entry("aws:iam/role:Role", "role", map[string]any{}),
	}}
	r, err := pricing.Reporter(inv)
	require.NoError(t, err)
	assert.Equal(t, "Monthly cost estimate (us-east-1, on-demand, prices of 2026-12-07)", r.Title)
	assert.Equal(t, "cost.json", r.File)
	est, ok := r.Data.(pricing.Estimate)
	require.True(t, ok, "the report's data is the estimate")
	// us-east-1: 2 keys × $1; NAT 730 h × $0.045 + 100 GB × $0.045.
	assert.InDelta(t, 2+32.85+4.5, est.Total(), 1e-9)
	require.Len(t, est.Services, 2)
	assert.Equal(t, "KMS", est.Services[0].Service)
	assert.InDelta(t, 2, est.Services[0].MonthlyUSD, 1e-9)
	assert.Equal(t, "VPC", est.Services[1].Service)
	assert.InDelta(t, 37.35, est.Services[1].MonthlyUSD, 1e-9)

	for _, want := range []string{
		"Service  Resource                    Quantity          Unit price  Basis  Monthly USD  Assumption\n",
		"KMS      customer managed keys       2 key-month       1           S      2.00         1 per key\n",
		"Total: 39.35 USD a month.\n",
		"Assumptions: 730 h a month;",
		"Not estimated: cross-AZ data transfer",
		"Not priced: none.\n",
		"  IAM is free: aws:iam/role:Role ×1\n",
	} {
		assert.Contains(t, r.Text, want)
	}
}

// TestReporterWithoutPriceTable: a region without a table does not fail the
// plan; the section names the region and the supported ones and writes no
// file. ForInventory, which a budget default would use, returns the error.
func TestReporterWithoutPriceTable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"unsupported region", map[string]string{"aws:region": "ap-south-1"}, `No estimate: no price table for region "ap-south-1" (supported: eu-west-1, us-east-1).`},
		{"no region", map[string]string{}, "No estimate: aws:region is not set: no region to price."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := plan.Inventory{Values: tc.values, Entries: []plan.Entry{entry("aws:kms/key:Key", "key", map[string]any{})}}
			r, err := pricing.Reporter(inv)
			require.NoError(t, err)
			assert.Equal(t, "Monthly cost estimate", r.Title)
			assert.Equal(t, tc.want+"\n", r.Text)
			assert.Empty(t, r.File)
			assert.Nil(t, r.Data)

			_, err = pricing.ForInventory(inv)
			assert.Error(t, err)
		})
	}
}
