package stack_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestAppEgressAllowList: with app.egress an allow-list, no rule of the nodes'
// group reaches 0.0.0.0/0, the listed networks get 443 and 80, and the
// network's S3 gateway prefix list gets 443 (the nodes' s3:// downloads).
func TestAppEgressAllowList(t *testing.T) {
	cfg := testutil.With(testutil.BaseConfig("prod"), "app", `{"egress":{"mode":"allowList","cidrs":["10.9.0.0/16"]}}`)
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: cfg})
	app := rec.Find("aws:ec2/securityGroup:SecurityGroup", "clients-app")
	require.NotNil(t, app)
	toNetworks := map[string][]float64{}
	for _, r := range rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule") {
		if r.String("securityGroupId") != "clients-app-id" || r.String("type") != "egress" {
			continue
		}
		assert.NotContains(t, r.Strings("cidrBlocks"), "0.0.0.0/0", r.Name)
		for _, dest := range append(r.Strings("cidrBlocks"), r.Strings("prefixListIds")...) {
			toNetworks[dest] = append(toNetworks[dest], r.Number("fromPort"))
		}
	}
	for _, ports := range toNetworks {
		slices.Sort(ports)
	}
	assert.Equal(t, map[string][]float64{"10.9.0.0/16": {80, 443}, "pl-eu-west-1.s3": {443}}, toNetworks)
}
