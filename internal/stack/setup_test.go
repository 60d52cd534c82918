package stack_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const setupOps = `{"artifact":%q,"applianceSetup":{"enabled":true,"accountName":"Example Corp","adminUsername":"admin.ops","adminEmail":"admin@example.com","firstName":"Ada","lastName":"Lovelace"}}`

// runSetup runs the stack of env with ops.applianceSetup enabled.
func runSetup(t *testing.T, env string) *testutil.Recorder {
	t.Helper()
	ops := fmt.Sprintf(setupOps, testutil.OpsArtifact)
	return testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig(env), "ops", ops)})
}

// TestApplianceSetupOffByDefault: existing stacks get no admin secret and no
// setup invocation.
func TestApplianceSetupOffByDefault(t *testing.T) {
	for _, env := range []string{"prod", "dev"} {
		rec := runEnv(t, env)
		assert.Nil(t, rec.Find("aws:secretsmanager/secret:Secret", "data-secrets-morpheus-admin"), env)
		assert.Nil(t, rec.Find("aws:lambda/invocation:Invocation", "ops-setup"), env)
		assert.Len(t, rec.ByType("aws:lambda/invocation:Invocation"), 1, env)
	}
}

// TestApplianceSetupEnabled: the admin secret exists, the role reads it, and
// the setup invocation names it, holds no password and waits for the group.
func TestApplianceSetupEnabled(t *testing.T) {
	for _, env := range []string{"prod", "dev"} {
		rec := runSetup(t, env)
		secret := rec.Find("aws:secretsmanager/secret:Secret", "data-secrets-morpheus-admin")
		require.NotNil(t, secret, env)
		adminArn := secretArnOf(t, rec, "morpheus-admin")

		inv := rec.Find("aws:lambda/invocation:Invocation", "ops-setup")
		require.NotNil(t, inv, env)
		input := inv.String("input")
		ev, err := targets.DecodeSetup([]byte(input))
		require.NoError(t, err, env)
		assert.Equal(t, adminArn, ev.AdminSecretARN, env)
		assert.Equal(t, "https://morpheus."+env+".example.com", ev.ApplianceURL, env)
		assert.Equal(t, "admin.ops", ev.Username, env)
		assert.Equal(t, "Example Corp", ev.AccountName, env)
		assert.NotContains(t, input, "password", env)
		for name, pw := range rec.GeneratedSecrets() {
			assert.NotContains(t, input, pw, "%s in the setup input", name)
		}

		group := only(t, rec, "aws:autoscaling/group:Group")
		assert.Equal(t, group.String("name"), ev.AppGroup, env)
		assert.Contains(t, inv.PropertyDependencies["input"], group.URN, "%s: the setup waits for the group", env)
		assert.Greater(t, group.Number("minElbCapacity"), float64(0), "%s: the group waits for healthy nodes", env)

		policy := rec.Find("aws:iam/rolePolicy:RolePolicy", "ops-role-policy").String("policy")
		assert.Contains(t, policy, adminArn, "%s: the ops role reads the admin secret", env)
	}
}
