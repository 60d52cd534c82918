package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// TestMaintenanceDefaults: every environment patches weekly in a quiet slot.
func TestMaintenanceDefaults(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		cfg, err := parseWith(env)
		require.NoError(t, err, env)
		assert.Equal(t, config.OSPatchWindow{
			Enabled: true, Schedule: "cron(0 21 ? * TUE *)", DurationHours: 5, CutoffHours: 1,
		}, cfg.Maintenance.OSPatchWindow, env)
	}
}

func TestMaintenanceFieldKeepsSiblings(t *testing.T) {
	cfg, err := parseWith("prod", "maintenance", `{"osPatchWindow":{"schedule":"rate(7 days)"}}`)
	require.NoError(t, err)
	assert.Equal(t, config.OSPatchWindow{Enabled: true, Schedule: "rate(7 days)", DurationHours: 5, CutoffHours: 1},
		cfg.Maintenance.OSPatchWindow)
}

func TestMaintenanceValidation(t *testing.T) {
	for _, tc := range []struct {
		name, obj, key, rule string
	}{
		{"plain cron", `{"osPatchWindow":{"schedule":"0 21 * * 2"}}`, "osPatchWindow.schedule", "Systems Manager schedule"},
		{"five-field cron", `{"osPatchWindow":{"schedule":"cron(0 21 * * 2)"}}`, "osPatchWindow.schedule", "cron(<minutes>"},
		{"zero rate", `{"osPatchWindow":{"schedule":"rate(0 days)"}}`, "osPatchWindow.schedule", "rate(<n>"},
		{"no duration", `{"osPatchWindow":{"durationHours":0,"cutoffHours":0}}`, "osPatchWindow.durationHours", "between 1 and 24"},
		{"too long", `{"osPatchWindow":{"durationHours":25}}`, "osPatchWindow.durationHours", "between 1 and 24"},
		{"cutoff fills the window", `{"osPatchWindow":{"durationHours":2,"cutoffHours":2}}`, "osPatchWindow.cutoffHours", "no node could ever start"},
		{"negative cutoff", `{"osPatchWindow":{"cutoffHours":-1}}`, "osPatchWindow.cutoffHours", "between 0"},
		{"unknown field", `{"osPatchWindow":{"rebootOption":"NoReboot"}}`, "osPatchWindow.rebootOption", "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("prod", "maintenance", tc.obj)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:maintenance."+tc.key)
			assert.Contains(t, err.Error(), tc.rule)
		})
	}
}
