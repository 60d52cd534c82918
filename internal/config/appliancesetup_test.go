package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

const validSetup = `{"applianceSetup":{"enabled":true,"accountName":"Example Corp","adminUsername":"admin.ops","adminEmail":"admin@example.com","firstName":"Ada","lastName":"Lovelace"}}`

// TestApplianceSetupOffByDefault: no stack runs the setup unless asked, and a
// disabled section needs none of its fields.
func TestApplianceSetupOffByDefault(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		cfg, err := parseWith(env, "ops", "")
		require.NoError(t, err, env)
		assert.Equal(t, config.ApplianceSetup{}, cfg.Ops.ApplianceSetup, env)
	}
	cfg, err := parseWith("prod", "ops", `{"applianceSetup":{"enabled":false,"adminEmail":"not-an-address"}}`)
	require.NoError(t, err, "fields of a disabled setup are not validated")
	assert.False(t, cfg.Ops.ApplianceSetup.Enabled)
}

func TestApplianceSetupEnabled(t *testing.T) {
	cfg, err := parseWith("prod", "ops", validSetup)
	require.NoError(t, err)
	assert.Equal(t, config.ApplianceSetup{
		Enabled: true, AccountName: "Example Corp", AdminUsername: "admin.ops", AdminEmail: "admin@example.com",
		FirstName: "Ada", LastName: "Lovelace",
	}, cfg.Ops.ApplianceSetup)
	assert.Equal(t, config.DefaultRotationDays, cfg.Ops.RotationDays, "siblings keep their defaults")
}

func TestApplianceSetupValidation(t *testing.T) {
	full := func(override string) string {
		return `{"applianceSetup":{"enabled":true,"accountName":"Example Corp","adminUsername":"admin","adminEmail":"admin@example.com","firstName":"Ada","lastName":"Lovelace"` + override + `}}`
	}
	for _, tc := range []struct {
		name, obj, key, rule string
	}{
		{"enabled without fields", `{"applianceSetup":{"enabled":true}}`, "applianceSetup.accountName", "required when ops.applianceSetup.enabled"},
		{"no first name", full(`,"firstName":" "`), "applianceSetup.firstName", "required"},
		{"no last name", full(`,"lastName":""`), "applianceSetup.lastName", "required"},
		{"no username", full(`,"adminUsername":""`), "applianceSetup.adminUsername", "A-Z a-z 0-9"},
		{"username with space", full(`,"adminUsername":"ad min"`), "applianceSetup.adminUsername", "A-Z a-z 0-9"},
		{"username with @", full(`,"adminUsername":"admin@corp"`), "applianceSetup.adminUsername", "A-Z a-z 0-9"},
		{"username starting with a dot", full(`,"adminUsername":".admin"`), "applianceSetup.adminUsername", "starting with a letter"},
		{"no email", full(`,"adminEmail":""`), "applianceSetup.adminEmail", "e-mail address"},
		{"bad email", full(`,"adminEmail":"admin"`), "applianceSetup.adminEmail", "e-mail address"},
		{"display name email", full(`,"adminEmail":"Admin <admin@example.com>"`), "applianceSetup.adminEmail", "plain e-mail"},
		{"email without a dotted domain", full(`,"adminEmail":"admin@localhost"`), "applianceSetup.adminEmail", "e-mail address"},
		{"unknown field", `{"applianceSetup":{"enabled":true,"password":"x"}}`, "applianceSetup.password", "unknown field"},
		{"wrong type", `{"applianceSetup":{"enabled":"yes"}}`, "applianceSetup.enabled", "boolean"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("prod", "ops", tc.obj)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:ops."+tc.key)
			assert.Contains(t, err.Error(), tc.rule)
		})
	}
}
