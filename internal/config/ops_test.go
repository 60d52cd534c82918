package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// TestOpsDefaults: without an ops object every environment rotates every 30 days
// with the artifact `make opsfn` builds. BaseConfig points ops at the test
// fixture, so the key is deleted here to see the defaults.
func TestOpsDefaults(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		cfg, err := parseWith(env, "ops", "")
		require.NoError(t, err, env)
		assert.Equal(t, config.Ops{Artifact: "build/opsfn/opsfn.zip", RotationDays: 30,
			RefreshDeadlineMinutes: 240, RefreshSchedule: "cron(0 3 ? * SUN *)"}, cfg.Ops, env)
	}
}

func TestOpsFieldKeepsSibling(t *testing.T) {
	cfg, err := parseWith("prod", "ops", `{"rotationDays":60}`)
	require.NoError(t, err)
	assert.Equal(t, config.Ops{Artifact: config.DefaultOpsArtifact, RotationDays: 60,
		RefreshDeadlineMinutes: config.DefaultRefreshDeadlineMinutes, RefreshSchedule: config.DefaultRefreshSchedule}, cfg.Ops)

	cfg, err = parseWith("dev", "ops", `{"rotationDays":365,"artifact":"/opt/builds/opsfn.zip"}`)
	require.NoError(t, err)
	assert.Equal(t, config.Ops{Artifact: "/opt/builds/opsfn.zip", RotationDays: 365,
		RefreshDeadlineMinutes: config.DefaultRefreshDeadlineMinutes, RefreshSchedule: config.DefaultRefreshSchedule}, cfg.Ops, "dev may rotate yearly")

	cfg, err = parseWith("prod", "ops", `{"refreshDeadlineMinutes":480,"refreshSchedule":"rate(1 day)"}`)
	require.NoError(t, err)
	assert.Equal(t, 480, cfg.Ops.RefreshDeadlineMinutes)
	assert.Equal(t, "rate(1 day)", cfg.Ops.RefreshSchedule)
	assert.Equal(t, config.DefaultRotationDays, cfg.Ops.RotationDays)
}

func TestOpsValidation(t *testing.T) {
	for _, tc := range []struct {
		name, env, obj, key, rule string
	}{
		{"no rotation", "dev", `{"rotationDays":0}`, "rotationDays", "between 1 and 365"},
		{"beyond Secrets Manager", "dev", `{"rotationDays":366}`, "rotationDays", "between 1 and 365"},
		{"prod beyond Security Hub", "prod", `{"rotationDays":91}`, "rotationDays", "SecretsManager.4"},
		{"empty artifact", "prod", `{"artifact":""}`, "artifact", "make opsfn"},
		{"not a zip", "prod", `{"artifact":"build/opsfn/bootstrap"}`, "artifact", ".zip"},
		{"unknown field", "prod", `{"setupAppliance":true}`, "setupAppliance", "unknown field"},
		{"wrong type", "prod", `{"rotationDays":"30"}`, "rotationDays", "integer"},
		{"deadline below one node", "prod", `{"refreshDeadlineMinutes":20}`, "refreshDeadlineMinutes", "between 30 and 1440"},
		{"deadline beyond a day", "prod", `{"refreshDeadlineMinutes":1445}`, "refreshDeadlineMinutes", "between 30 and 1440"},
		{"deadline off the period", "prod", `{"refreshDeadlineMinutes":122}`, "refreshDeadlineMinutes", "multiple of 5"},
		{"schedule not an expression", "prod", `{"refreshSchedule":"daily"}`, "refreshSchedule", "schedule expression"},
		{"cron with five fields", "prod", `{"refreshSchedule":"cron(0 3 * * *)"}`, "refreshSchedule", "cron(<6 fields>)"},
		{"empty schedule", "dev", `{"refreshSchedule":""}`, "refreshSchedule", "schedule expression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith(tc.env, "ops", tc.obj)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:ops."+tc.key)
			assert.Contains(t, err.Error(), tc.rule)
		})
	}
}
