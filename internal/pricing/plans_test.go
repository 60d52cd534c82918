package pricing_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/pricing"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// projectDir is the repository root, where Pulumi.yaml and the stack files live.
const projectDir = "../.."

// prodWithWAF is the prod stack file with the ALB's web ACL switched on, so
// the WAF pricing runs against what the program really registers.
func prodWithWAF(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(projectDir, "Pulumi.prod.yaml"))
	require.NoError(t, err)
	const zone = "  morpheus-ha:loadBalancer:\n    hostedZoneId: Z0EXAMPLE00000000000\n"
	require.Contains(t, string(b), zone, "the prod stack file's loadBalancer block changed; update this test")
	return strings.Replace(string(b), zone, zone+"    waf: true\n", 1)
}

// TestShippedStacksEstimates plans the shipped stacks with the reporter, as
// `make plan` does, and pins their totals within bounds wide enough for a
// price update (±10% or so) but not for a topology change (a fourth node, a
// lost NAT gateway), and requires that every resource is priced or free.
func TestShippedStacksEstimates(t *testing.T) {
	dir := testutil.ShippedProject(t, map[string]string{"Pulumi.prodwaf.yaml": prodWithWAF(t)})
	for _, tc := range []struct {
		stack    string
		min, max float64
		// quantities pins the topology behind the total: price key → quantity.
		quantities map[string]float64
		// services pins whole services' monthly USD.
		services map[string]float64
	}{{
		stack: "dev", min: 530, max: 650,
		quantities: map[string]float64{
			"ec2.instance.m6i.xlarge":             730,          // 1 node (the group's minimum)
			"rds.instance.db.t4g.medium":          730,          // 1 writer
			"mq.instance.mq.t3.micro":             730,          // single instance
			"opensearch.instance.t3.small.search": 730,          // 1 node
			"nat.hour":                            730,          // 1 NAT gateway
			"vpce.interface.hour":                 10 * 2 * 730, // 10 interface endpoints in 2 AZs
		},
	}, {
		stack: "prod", min: 2900, max: 3600,
		quantities: map[string]float64{
			"ec2.instance.m6i.2xlarge":             3 * 730,
			"ebs.gp3.gb":                           3 * 400,
			"rds.instance.db.r6g.large":            2 * 730,
			"mq.instance.mq.m7g.large":             3 * 730, // CLUSTER_MULTI_AZ
			"opensearch.instance.m6g.large.search": 6 * 730, // 3 data + 3 masters
			"opensearch.gp3.gb":                    3 * 100,
			"nat.hour":                             3 * 730,
			"vpce.interface.hour":                  10 * 3 * 730,
			"kms.key":                              7,  // 4 by purpose, us-east-1 notifications, DR data and DR secrets
			"secretsmanager.secret":                12, // 6 (db-master: a global database member holds its own), their 6 DR replicas
		},
	}, {
		stack: "prodwaf", min: 2900, max: 3600,
		// The web ACL with the three AWS managed rule groups, 10 M requests.
		services: map[string]float64{"WAF": 5 + 3*1 + 10*0.6},
	}} {
		t.Run(tc.stack, func(t *testing.T) {
			out := t.TempDir()
			var buf bytes.Buffer
			_, err := plan.Run(stack.Run, nil, dir, out, tc.stack, &buf, pricing.Reporter)
			require.NoError(t, err)
			// The plan output is long; report what is missing, not all of it.
			printed := buf.String()
			assert.True(t, strings.Contains(printed, "\nMonthly cost estimate (eu-west-1, on-demand, prices of "), "the plan prints the estimate")
			assert.True(t, strings.Contains(printed, "\n  Not priced: none.\n"), "the plan prints that nothing is left unpriced")

			b, err := os.ReadFile(filepath.Join(out, tc.stack, pricing.ReportFile))
			require.NoError(t, err)
			var est pricing.Estimate
			require.NoError(t, json.Unmarshal(b, &est))
			assert.Empty(t, est.NotPriced, "every resource of the shipped stacks is priced or free")
			assert.GreaterOrEqual(t, est.Total(), tc.min)
			assert.LessOrEqual(t, est.Total(), tc.max)

			got := map[string]float64{}
			for _, r := range est.Rows {
				got[r.PriceKey] += r.Quantity
			}
			for key, q := range tc.quantities {
				assert.InDelta(t, q, got[key], 1e-9, key)
			}
			services := map[string]float64{}
			for _, s := range est.Services {
				services[s.Service] = s.MonthlyUSD
			}
			for s, usd := range tc.services {
				assert.InDelta(t, usd, services[s], 1e-9, s)
			}
		})
	}
}

// TestShippedStacksUseOnlyKnownTypes fails when the program starts creating a
// resource type that is neither priced nor in the free list: price it (or
// list it as free, with why) before it ships.
func TestShippedStacksUseOnlyKnownTypes(t *testing.T) {
	dir := testutil.ShippedProject(t, map[string]string{"Pulumi.prodwaf.yaml": prodWithWAF(t)})
	for _, name := range []string{"dev", "prod", "prodwaf"} {
		t.Run(name, func(t *testing.T) {
			sc, err := plan.LoadStack(dir, name)
			require.NoError(t, err)
			rec, err := testutil.Run(stack.Run, testutil.Options{
				Project: sc.Project, Stack: sc.Stack, Config: sc.Values, SecretKeys: sc.SecretKeys, RootDirectory: dir,
			})
			require.NoError(t, err)
			for _, r := range rec.Resources() {
				if r.Custom {
					assert.True(t, pricing.Covered(r.Type), "%s (%s) is neither priced nor free", r.Type, r.Name)
				}
			}
		})
	}
}
