package stack_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// zone is the loadBalancer field every variant below keeps.
const zone = `"hostedZoneId":"` + testutil.HostedZoneID + `"`

// albIngress is the ALB group's inline rules: CIDRs and groups by port.
func albIngress(t *testing.T, rec *testutil.Recorder) (cidrs map[float64][]string, groups map[float64][]string) {
	t.Helper()
	sg := rec.Find(sgType, "edge-sg")
	require.NotNil(t, sg)
	cidrs, groups = map[float64][]string{}, map[float64][]string{}
	for _, r := range sg.Objects("ingress") {
		port := r["fromPort"].NumberValue()
		cidrs[port] = append(cidrs[port], testutil.Strs(r, "cidrBlocks")...)
		groups[port] = append(groups[port], testutil.Strs(r, "securityGroups")...)
	}
	return cidrs, groups
}

// TestListenerClosedUntilSetupComplete: a new stack's ALB admits only the
// setup sources while Morpheus' unauthenticated setup is open; the automated
// setup gets exactly the path it needs (NAT addresses in, egress 443 out, or
// the ALB's and ops groups for an internal ALB); setupComplete opens the
// listener to allowedCidrs and removes the setup path.
func TestListenerClosedUntilSetupComplete(t *testing.T) {
	ops := fmt.Sprintf(setupOps, testutil.OpsArtifact)
	for _, env := range []string{"prod", "dev"} {
		nats := map[string]int{"prod": 3, "dev": 1}[env]
		for _, tc := range []struct {
			name       string
			kv         []string
			wantCidrs  []string // on 443 and 80; "nat" stands for one /32 per NAT gateway
			wantOpsIn  bool     // the ops group on 443
			wantSetup  bool     // the setup invocation and its egress rule
			wantEgress string   // the setup egress: a CIDR or a group
		}{
			{"setup network only", nil, []string{testutil.SetupCidr}, false, false, ""},
			{"automated setup, internet-facing", []string{"loadBalancer", `{` + zone + `}`, "ops", ops},
				[]string{"nat"}, false, true, "0.0.0.0/0"},
			{"automated setup and a setup network", []string{"ops", ops},
				[]string{testutil.SetupCidr, "nat"}, false, true, "0.0.0.0/0"},
			{"automated setup, internal ALB", []string{"loadBalancer", `{` + zone + `,"internal":true,"allowedCidrs":["10.0.0.0/8"]}`, "ops", ops},
				nil, true, true, "edge-sg-id"},
			{"setup complete", []string{"loadBalancer", `{` + zone + `,"setupComplete":true}`},
				[]string{"0.0.0.0/0"}, false, false, ""},
			{"setup complete with the automated setup", []string{"loadBalancer", `{` + zone + `,"setupComplete":true,"allowedCidrs":["198.51.100.0/24"]}`, "ops", ops},
				[]string{"198.51.100.0/24"}, false, false, ""},
		} {
			t.Run(env+"/"+tc.name, func(t *testing.T) {
				rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig(env), tc.kv...)})
				var want []string
				for _, c := range tc.wantCidrs {
					if c != "nat" {
						want = append(want, c)
						continue
					}
					for _, eip := range rec.ByType("aws:ec2/eip:Eip") {
						assert.Contains(t, rec.Find(sgType, "edge-sg").PropertyDependencies["ingress"], eip.URN, "the ALB admits the NAT gateways' own addresses")
					}
					want = append(want, "nat")
				}
				cidrs, groups := albIngress(t, rec)
				for _, port := range []float64{443, 80} {
					got := slices.Clone(cidrs[port])
					natCount := 0
					for i, c := range got {
						if strings.HasSuffix(c, "/32") && strings.HasPrefix(c, "198.51.100.") {
							got[i] = "nat"
							natCount++
						}
					}
					got = slices.Compact(got)
					if len(want) == 0 {
						assert.Empty(t, got, "port %v", port)
					} else {
						assert.Equal(t, want, got, "port %v", port)
					}
					if slices.Contains(want, "nat") {
						assert.Equal(t, nats, natCount, "one /32 per NAT gateway on port %v", port)
					}
				}
				if tc.wantOpsIn {
					assert.Equal(t, []string{"clients-ops-id"}, groups[443])
				} else {
					assert.Empty(t, groups[443])
				}
				assert.Empty(t, groups[80], "the ops group never needs HTTP")

				inv := rec.Find("aws:lambda/invocation:Invocation", "ops-setup")
				egress := rec.Find(sgRuleType, "ops-out-setup-https")
				if !tc.wantSetup {
					assert.Nil(t, inv)
					assert.Nil(t, egress)
					for _, r := range rec.ByType(sgRuleType) {
						if r.String("securityGroupId") == "clients-ops-id" {
							assert.NotContains(t, r.Strings("cidrBlocks"), "0.0.0.0/0", "%s: the ops group reaches no CIDR outside the setup window", r.Name)
						}
					}
					return
				}
				require.NotNil(t, inv)
				require.NotNil(t, egress)
				assert.Equal(t, "clients-ops-id", egress.String("securityGroupId"))
				assert.Equal(t, "egress", egress.String("type"))
				assert.EqualValues(t, 443, egress.Number("fromPort"))
				assert.EqualValues(t, 443, egress.Number("toPort"))
				if tc.wantEgress == "0.0.0.0/0" {
					assert.Equal(t, []string{"0.0.0.0/0"}, egress.Strings("cidrBlocks"))
				} else {
					assert.Equal(t, tc.wantEgress, egress.String("sourceSecurityGroupId"))
					assert.Empty(t, egress.Strings("cidrBlocks"))
				}
				assert.Contains(t, inv.DependsOn, egress.URN, "the setup waits for its path")
			})
		}
	}
}

// TestRoute53HealthCheckOnlyWhereCheckersReach: Route 53's checkers reach only
// an internet-facing ALB open to 0.0.0.0/0 after setup; anywhere else the
// check and its alarm would report the stack down forever.
func TestRoute53HealthCheckOnlyWhereCheckersReach(t *testing.T) {
	for _, tc := range []struct {
		name string
		lb   string
		want bool
	}{
		{"open internet-facing", `{` + zone + `,"setupComplete":true}`, true},
		{"setup window", `{` + zone + `,"setupCidrs":["198.51.100.0/24"]}`, false},
		{"restricted CIDRs", `{` + zone + `,"setupComplete":true,"allowedCidrs":["198.51.100.0/24"]}`, false},
		{"internal", `{` + zone + `,"setupComplete":true,"internal":true,"allowedCidrs":["10.0.0.0/8"]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("prod"), "loadBalancer", tc.lb)})
			checks := rec.ByType("aws:route53/healthCheck:HealthCheck")
			var route53Alarms int
			for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
				if a.String("namespace") == "AWS/Route53" {
					route53Alarms++
				}
			}
			if tc.want {
				assert.Len(t, checks, 1)
				assert.Equal(t, 1, route53Alarms)
			} else {
				assert.Empty(t, checks)
				assert.Zero(t, route53Alarms)
			}
			require.NotNil(t, rec.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-alarm-albUnhealthyHosts"),
				"the target group's alarm watches the nodes either way")
		})
	}
}
