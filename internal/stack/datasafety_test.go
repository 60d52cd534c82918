package stack_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestTeardownKeepsData: allowDestroy lifts pulumi protect and deletion
// protection only. A prod teardown still leaves Aurora's final snapshot and
// keeps every secret restorable for 30 days (the snapshot's users need their
// passwords); dev keeps neither.
func TestTeardownKeepsData(t *testing.T) {
	for _, tc := range []struct {
		name         string
		config       map[string]string
		protect      bool
		snapshot     bool
		recoveryDays float64
	}{
		{"prod", testutil.BaseConfig("prod"), true, true, 30},
		{"prod with allowDestroy", testutil.With(testutil.BaseConfig("prod"), "allowDestroy", "true"), false, true, 30},
		{"dev", testutil.BaseConfig("dev"), false, false, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: tc.config})
			clusters := rec.ByType("aws:rds/cluster:Cluster")
			require.Len(t, clusters, 1)
			c := clusters[0]
			assert.Equal(t, tc.protect, c.Protect)
			assert.Equal(t, tc.protect, c.Bool("deletionProtection"))
			assert.Equal(t, !tc.snapshot, c.Bool("skipFinalSnapshot"))
			if tc.snapshot {
				assert.Equal(t, "morpheus-ha-prod-aurora-final", c.String("finalSnapshotIdentifier"))
			}
			secrets := rec.ByType("aws:secretsmanager/secret:Secret")
			require.NotEmpty(t, secrets)
			for _, s := range secrets {
				assert.Equal(t, tc.recoveryDays, s.Number("recoveryWindowInDays"), s.Name)
			}
		})
	}
}

// adminPolicies returns the admin secrets' resource policies by purpose.
func adminPolicies(t *testing.T, rec *testutil.Recorder) map[string]map[string]any {
	t.Helper()
	secretNames := map[string]string{}
	for _, s := range rec.ByType("aws:secretsmanager/secret:Secret") {
		secretNames["arn:aws:secretsmanager:eu-west-1:"+testutil.AccountID+":secret:"+s.String("name")+"-AbC123"] = s.String("name")
	}
	out := map[string]map[string]any{}
	for _, p := range rec.ByType("aws:secretsmanager/secretPolicy:SecretPolicy") {
		name, ok := secretNames[p.String("secretArn")]
		require.True(t, ok, "%s guards %s, not a stack secret", p.Name, p.String("secretArn"))
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(p.String("policy")), &doc), p.Name)
		assert.True(t, p.Bool("blockPublicPolicy"), p.Name)
		out[name[strings.LastIndex(name, "/")+1:]] = doc
	}
	return out
}

// TestAdminSecretsAdmitOnlyOpsAndBreakGlass: in the prod plan the broker admin,
// OpenSearch master and (with the appliance setup) Morpheus admin secrets deny
// reading and changing them to every principal but the ops function's role
// and the configured break-glass roles; the node role is not among them. The
// Morpheus logins, which nodes read, get no such policy. Dev without
// break-glass roles gets none (and so keeps working for any deployer).
func TestAdminSecretsAdmitOnlyOpsAndBreakGlass(t *testing.T) {
	ops := fmt.Sprintf(setupOps, testutil.OpsArtifact)
	for _, tc := range []struct {
		name    string
		config  map[string]string
		guarded []string
	}{
		{"prod", testutil.BaseConfig("prod"), []string{"mq-admin", "opensearch-master"}},
		{"prod with appliance setup", testutil.With(testutil.BaseConfig("prod"), "ops", ops), []string{"mq-admin", "opensearch-master", "morpheus-admin"}},
		{"dev without break-glass roles", testutil.BaseConfig("dev"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: tc.config})
			policies := adminPolicies(t, rec)
			assert.Len(t, policies, len(tc.guarded))
			opsRole := rec.Find("aws:iam/role:Role", "ops-role")
			require.NotNil(t, opsRole)
			opsRoleArn := "arn:aws:iam::" + testutil.AccountID + ":role/ops-role-id"
			nodeRole := rec.Find("aws:iam/role:Role", "app-role")
			require.NotNil(t, nodeRole)
			for _, purpose := range tc.guarded {
				doc, ok := policies[purpose]
				require.True(t, ok, "%s has no resource policy", purpose)
				stmts := doc["Statement"].([]any)
				require.Len(t, stmts, 1, purpose)
				st := stmts[0].(map[string]any)
				assert.Equal(t, "Deny", st["Effect"], purpose)
				assert.Equal(t, map[string]any{"AWS": "*"}, st["Principal"], purpose)
				assert.ElementsMatch(t, opsfunction.GuardedActions, list(st["Action"]), purpose)
				for _, a := range []string{"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"} {
					assert.Contains(t, list(st["Action"]), a, purpose)
				}
				cond := st["Condition"].(map[string]any)["ArnNotLike"].(map[string]any)
				admitted := list(cond["aws:PrincipalArn"])
				assert.Equal(t, []string{opsRoleArn, testutil.DeployerRoleArn}, admitted, purpose)
				assert.NotContains(t, admitted, "arn:aws:iam::"+testutil.AccountID+":role/app-role-id", "%s admits the node role", purpose)
			}
			for _, login := range []string{"db-morpheus", "mq-morpheus", "opensearch-morpheus"} {
				assert.NotContains(t, policies, login, "nodes read %s", login)
			}
		})
	}
}

// deployedProd is what a prod stack deployed from BaseConfig("prod") exported.
func deployedProd() map[string]any {
	return map[string]any{
		"databaseEndpoint":       "morpheus-ha-prod-aurora.cluster-mock.eu-west-1.rds.amazonaws.com",
		"networkCidr":            "10.40.0.0/16",
		"subnetPrefixLength":     20,
		"azNames":                []any{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		"searchEngineVersion":    "OpenSearch_2.19",
		"databaseEngineVersion":  "8.0.mysql_aurora.3.10.3",
		"messagingEngineVersion": "3.13",
	}
}

// onlyReads asserts that a refused run registered nothing but the read of the
// stack's own last outputs: no provider, no resource.
func onlyReads(t *testing.T, rec *testutil.Recorder) {
	t.Helper()
	for _, r := range rec.Resources() {
		assert.True(t, r.Read && r.Type == testutil.StackReferenceType, "%s %s registered by a refused run", r.Type, r.Name)
	}
}

// TestReplacingChangesRefusedOnDeployedStack runs the program against a
// deployed prod stack's outputs with one replacement-forcing change at a
// time: each fails naming its key before the provider or any resource is
// registered; upgrades along AWS's paths and a deliberate rebuild pass.
func TestReplacingChangesRefusedOnDeployedStack(t *testing.T) {
	prod := testutil.BaseConfig("prod")
	net := func(extra string) string {
		return `{"azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]` + extra + `}`
	}
	cases := []struct {
		name    string
		config  map[string]string
		wantKey string
		wantMsg string
	}{
		{"unchanged", prod, "", ""},
		{"search downgrade", testutil.With(prod, "search", `{"engineVersion":"OpenSearch_2.17"}`), "morpheus-ha:search.engineVersion", "cannot be downgraded"},
		{"search major upgrade from 2.19", testutil.With(prod, "search", `{"engineVersion":"OpenSearch_3.1","allowUnsupportedVersion":true}`), "", ""},
		{"aurora downgrade", testutil.With(prod, "database", `{"engineVersion":"8.0.mysql_aurora.3.08.2"}`), "morpheus-ha:database.engineVersion", "cannot be downgraded"},
		{"broker off the upgrade path", testutil.With(prod, "messaging", `{"engineVersion":"4.3","allowUnsupportedVersion":true}`), "morpheus-ha:messaging.engineVersion", "only major upgrade from it is to 4.2"},
		{"cidr change", testutil.With(prod, "network", net(`,"cidr":"10.50.0.0/16"`)), "morpheus-ha:network.cidr", "differs from the deployed"},
		{"subnet size change", testutil.With(prod, "network", net(`,"subnetPrefixLength":21`)), "morpheus-ha:network.subnetPrefixLength", "differs from the deployed"},
		{"az change", testutil.With(prod, "network", `{"azNames":["eu-west-1a","eu-west-1b","eu-west-1d"]}`), "morpheus-ha:network.azNames", "deployed zones"},
		{"cidr change with allowDestroy", testutil.With(prod, "allowDestroy", "true", "network", net(`,"cidr":"10.50.0.0/16"`)), "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(stack.Run, testutil.Options{Config: tc.config, Deployed: deployedProd()})
			if tc.wantKey == "" {
				require.NoError(t, err)
				assert.NotEmpty(t, rec.ByType("aws:rds/cluster:Cluster"))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantKey)
			assert.Contains(t, err.Error(), tc.wantMsg)
			onlyReads(t, rec)
		})
	}
}

// azLookups counts the program's availability zone lookups.
func azLookups(rec *testutil.Recorder) int {
	n := 0
	for _, inv := range rec.Invokes() {
		if inv.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
			n++
		}
	}
	return n
}

// subnetAZs lists the AZs of the private-data subnets.
func subnetAZs(rec *testutil.Recorder) []string {
	var out []string
	for _, s := range rec.ByType("aws:ec2/subnet:Subnet") {
		if strings.Contains(s.Name, "data") {
			out = append(out, s.String("availabilityZone"))
		}
	}
	return out
}

// TestAZsArePinned: prod takes its zones from network.azNames and never asks
// AWS; a dev stack without them keeps the zones of its last deployment (even
// when the lookup would now answer differently) and looks them up only on its
// first deployment; the stack exports what the next run compares.
func TestAZsArePinned(t *testing.T) {
	devDeployed := map[string]any{"databaseEndpoint": "db", "azNames": []any{"eu-west-1c", "eu-west-1d"}}
	for _, tc := range []struct {
		name     string
		config   map[string]string
		deployed map[string]any
		lookups  int
		want     []string
	}{
		{"prod pinned", testutil.BaseConfig("prod"), nil, 0, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}},
		{"dev first deployment", testutil.BaseConfig("dev"), nil, 1, []string{"eu-west-1a", "eu-west-1b"}},
		{"dev redeployed", testutil.BaseConfig("dev"), devDeployed, 0, []string{"eu-west-1c", "eu-west-1d"}},
		{"dev gains an AZ", testutil.With(testutil.BaseConfig("dev"), "network", `{"azCount":3}`), devDeployed, 1, []string{"eu-west-1c", "eu-west-1d", "eu-west-1a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: tc.config, Deployed: tc.deployed})
			assert.Equal(t, tc.lookups, azLookups(rec))
			assert.ElementsMatch(t, tc.want, subnetAZs(rec))
		})
	}
}

// TestHardeningKeysRegisterNothing: a bad value of the hardening's keys fails
// the whole program naming the key before any resource (or the read of the
// stack's last outputs) is registered.
func TestHardeningKeysRegisterNothing(t *testing.T) {
	prod := testutil.BaseConfig("prod")
	cases := []struct {
		name, key, value, wantKey, wantMsg string
	}{
		{"prod without break-glass roles", "security", `{}`, "morpheus-ha:security.breakGlassRoleArns", "prod needs at least one role"},
		{"break-glass user", "security", `{"breakGlassRoleArns":["arn:aws:iam::123456789012:user/alice"]}`, "morpheus-ha:security.breakGlassRoleArns", "IAM role ARNs"},
		{"typo in security", "security", `{"breakGlassRoles":[]}`, "morpheus-ha:security.breakGlassRoles", "unknown field"},
		{"prod without pinned AZs", "network", `{"cidr":"10.40.0.0/16"}`, "morpheus-ha:network.azNames", "prod must pin its 3 AZs"},
		{"pinned AZs of another region", "network", `{"azNames":["us-east-1a","us-east-1b","us-east-1c"]}`, "morpheus-ha:network.azNames", "AZ names of eu-west-1"},
		{"prod search without replica", "search", `{"replicaCount":0}`, "morpheus-ha:search.replicaCount", "at least 1 replica"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(stack.Run, testutil.Options{Config: testutil.With(prod, tc.key, tc.value)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantKey)
			assert.Contains(t, err.Error(), tc.wantMsg)
			assert.Empty(t, rec.Resources(), "a bad configuration must register no resource")
		})
	}
}
