package stack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func runEnv(t *testing.T, env string) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.BaseConfig(env)})
}

// rejectCase is one configuration the program must refuse: the key the
// error names and what it says.
type rejectCase struct {
	name    string
	config  map[string]string
	wantKey string
	wantMsg string
}

// requireRejected runs the program with config and requires that the
// configuration fails, naming key and saying msg, before any resource
// registers.
func requireRejected(t *testing.T, config map[string]string, key, msg string) {
	t.Helper()
	rec, err := testutil.Run(stack.Run, testutil.Options{Config: config})
	require.Error(t, err)
	assert.Contains(t, err.Error(), key)
	assert.Contains(t, err.Error(), msg)
	assert.Empty(t, rec.Resources(), "a bad configuration must register no resource")
}

func TestEnvironmentLayouts(t *testing.T) {
	for _, tc := range []struct {
		env     string
		azs     int
		nats    int
		protect bool
	}{
		{"dev", 2, 1, false},
		{"staging", 3, 3, false},
		{"prod", 3, 3, true},
	} {
		t.Run(tc.env, func(t *testing.T) {
			rec := runEnv(t, tc.env)
			tiers := map[string]map[string]bool{}
			for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
				tier := s.String("tags", "Tier")
				if tiers[tier] == nil {
					tiers[tier] = map[string]bool{}
				}
				tiers[tier][s.String("availabilityZone")] = true
			}
			require.Len(t, tiers, 3)
			for tier, azs := range tiers {
				assert.Len(t, azs, tc.azs, "tier %s", tier)
			}
			assert.Len(t, rec.ByType("aws:ec2/natGateway:NatGateway"), tc.nats)
			for _, k := range rec.ByType("aws:kms/key:Key") {
				assert.Equal(t, tc.protect, k.Protect, k.Name)
			}
		})
	}
}

// TestAZsAreSortedAndStable: the mock lists zones out of order; the program must
// pick the first ones by name so reruns never move subnets.
func TestAZsAreSortedAndStable(t *testing.T) {
	rec := runEnv(t, "prod")
	seen := map[string]bool{}
	for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
		seen[s.String("availabilityZone")] = true
	}
	assert.Equal(t, map[string]bool{"eu-west-1a": true, "eu-west-1b": true, "eu-west-1c": true}, seen)
}

func TestAllowDestroyLiftsProtection(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("prod"), "allowDestroy", "true")})
	for _, r := range rec.Resources() {
		assert.False(t, r.Protect, "%s %s still protected", r.Type, r.Name)
	}
}

// TestProviderAndTags: explicit providers (the stack's region, us-east-1 for
// the Route 53 health check, and prod's DR region for backup copies) carry the
// tag set, and every AWS resource uses one
// of them, so nothing escapes the defaultTags.
func TestProviderAndTags(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("prod"), "tags", `{"DataClass":"internal"}`)})
	providers := rec.ByType("pulumi:providers:aws")
	require.Len(t, providers, 3)
	regions := map[string]string{}
	want := map[string]string{
		"Project": "morpheus-ha", "Environment": "prod", "Stack": "prod", "Owner": "platform-team",
		"CostCenter": "cc-1234", "ManagedBy": "pulumi", "DataClass": "internal",
	}
	for _, p := range providers {
		regions[p.Name] = p.String("region")
		for k, v := range want {
			assert.Equal(t, v, p.String("defaultTags", "tags", k), "provider %s tag %s", p.Name, k)
		}
	}
	assert.Equal(t, map[string]string{"aws": "eu-west-1", "aws-us-east-1": "us-east-1", "aws-dr": testutil.DRRegion}, regions)
	for _, r := range rec.Resources() {
		if !r.Custom || !strings.HasPrefix(r.Type, "aws:") {
			continue
		}
		ok := false
		for _, p := range providers {
			ok = ok || strings.HasPrefix(r.Provider, p.URN+"::")
		}
		assert.True(t, ok, "%s %s uses provider %q", r.Type, r.Name, r.Provider)
	}
}

func TestLogGroupsHaveRetentionAndKey(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		rec := runEnv(t, env)
		groups := rec.ByType("aws:cloudwatch/logGroup:LogGroup")
		require.NotEmpty(t, groups)
		for _, g := range groups {
			assert.NotZero(t, g.Number("retentionInDays"), "%s has no retention", g.Name)
			assert.Contains(t, g.String("kmsKeyId"), "keys-logs", "%s must use the logs key", g.Name)
		}
	}
}

func TestEveryKeyRotatesAndHasPolicy(t *testing.T) {
	rec := runEnv(t, "prod")
	ks := rec.ByType("aws:kms/key:Key")
	require.Len(t, ks, 7, "four keys by purpose, the notifications key of the us-east-1 health-check topic, and the DR region's data and secrets keys")
	for _, k := range ks {
		assert.True(t, k.Bool("enableKeyRotation"), k.Name)
		assert.Contains(t, k.String("policy"), `"Statement"`, k.Name)
	}
}

// TestNoDuplicateNamesAndAllParented: the recorder rejects duplicate URNs; here we
// also check every resource hangs under a component or is the provider (or the
// stack's read of its own last outputs, which belongs to the stack itself).
func TestAllResourcesUnderComponents(t *testing.T) {
	rec := runEnv(t, "prod")
	for _, r := range rec.Resources() {
		if r.Type == "pulumi:providers:aws" || r.Type == testutil.StackReferenceType || strings.HasPrefix(r.Type, "morpheus:") {
			continue
		}
		parent := rec.ByURN(r.Parent)
		require.NotNil(t, parent, "%s %s has no recorded parent", r.Type, r.Name)
		assert.True(t, strings.HasPrefix(parent.Type, "morpheus:"), "%s %s is not inside a component", r.Type, r.Name)
	}
}
