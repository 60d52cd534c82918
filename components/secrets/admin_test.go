package secrets_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func runAdmin(t *testing.T, admin bool) (*testutil.Recorder, map[string]string) {
	t.Helper()
	var arns map[string]string
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		c, err := secrets.NewSecrets(ctx, "secrets", &secrets.Args{
			Namer:                  naming.Namer{Project: ctx.Project(), Stack: ctx.Stack()},
			SecretsKeyArn:          pulumi.String(secretsKey),
			Protect:                true,
			ApplianceAdmin:         admin,
			ApplianceAdminUsername: map[bool]string{true: "admin.ops"}[admin],
		})
		if err != nil {
			return err
		}
		c.SecretArns.ApplyT(func(m map[string]string) map[string]string { arns = m; return m })
		return nil
	}, testutil.Options{Config: testutil.BaseConfig("prod")})
	return rec, arns
}

// TestApplianceAdminOffByDefault: stacks without the appliance setup keep
// exactly their five secrets.
func TestApplianceAdminOffByDefault(t *testing.T) {
	rec, arns := runAdmin(t, false)
	assert.Nil(t, rec.Find(tSecret, "secrets-morpheus-admin"))
	assert.Nil(t, rec.Find(tPassword, "secrets-morpheus-admin-password"))
	assert.NotContains(t, arns, string(secrets.MorpheusAdmin))
	assert.Len(t, rec.ByType(tSecret), len(secrets.Purposes))
}

// TestApplianceAdminSecret: the admin secret is stored like the others (the
// secrets key, protected, a secret JSON value) with the configured login and a
// 32-character password of all four classes from SafeSpecial.
func TestApplianceAdminSecret(t *testing.T) {
	rec, arns := runAdmin(t, true)
	s := rec.Find(tSecret, "secrets-morpheus-admin")
	require.NotNil(t, s)
	assert.Equal(t, secretsKey, testutil.Str(s.Inputs, "kmsKeyId"))
	assert.True(t, s.Protect)
	assert.True(t, strings.HasSuffix(testutil.Str(s.Inputs, "name"), "/morpheus-admin"), testutil.Str(s.Inputs, "name"))
	assert.NotEmpty(t, arns[string(secrets.MorpheusAdmin)])

	pw := rec.Find(tPassword, "secrets-morpheus-admin-password")
	require.NotNil(t, pw)
	assert.True(t, pw.Protect)
	assert.Equal(t, float64(32), testutil.Num(pw.Inputs, "length"))
	assert.Equal(t, secrets.SafeSpecial, testutil.Str(pw.Inputs, "overrideSpecial"))
	for _, k := range []string{"minUpper", "minLower", "minNumeric", "minSpecial"} {
		assert.Equal(t, float64(1), testutil.Num(pw.Inputs, k), k)
	}

	v := rec.Find(tVersion, "secrets-morpheus-admin-version")
	require.NotNil(t, v)
	assert.True(t, v.Inputs["secretString"].IsSecret())
	var creds struct{ Username, Password string }
	require.NoError(t, json.Unmarshal([]byte(testutil.Str(v.Inputs, "secretString")), &creds))
	assert.Equal(t, "admin.ops", creds.Username)
	assert.Len(t, creds.Password, 32)
}

func TestApplianceAdminNeedsUsername(t *testing.T) {
	rec, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := secrets.NewSecrets(ctx, "secrets", &secrets.Args{
			Namer: naming.Namer{Project: "p", Stack: "s"}, SecretsKeyArn: pulumi.String(secretsKey), ApplianceAdmin: true,
		})
		return err
	}, testutil.Options{Config: testutil.BaseConfig("dev")})
	require.ErrorContains(t, err, "ApplianceAdminUsername")
	assert.Empty(t, rec.ByType(secrets.TypeToken))
}
