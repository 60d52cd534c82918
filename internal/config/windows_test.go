package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefaultWindowsDoNotOverlap: the quiet weekly slots the stack ships with
// (Aurora Sunday 04:00, Amazon MQ Sunday 06:00, OS patching Tuesday 21:00) meet
// neither each other nor the backup windows (Aurora daily 02:00, AWS Backup
// daily 03:00 and Sunday 01:00).
func TestDefaultWindowsDoNotOverlap(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		_, err := parseWith(env)
		require.NoError(t, err, env)
	}
}

// TestOverlappingWindowsNameBothKeys: each overlapping pair fails naming both.
func TestOverlappingWindowsNameBothKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		kv   []string
		keys []string
	}{
		{"broker with the database", []string{"messaging", `{"maintenanceWindow":{"dayOfWeek":"SUNDAY","timeOfDay":"04:30"}}`},
			[]string{"database.maintenanceWindow", "messaging.maintenanceWindow"}},
		{"broker during the daily AWS Backup jobs", []string{"messaging", `{"maintenanceWindow":{"dayOfWeek":"FRIDAY","timeOfDay":"02:30"}}`},
			[]string{"messaging.maintenanceWindow", "backup"}},
		{"database during the weekly AWS Backup jobs", []string{"database", `{"maintenanceWindow":"sun:01:00-sun:01:30"}`},
			[]string{"database.maintenanceWindow", "backup"}},
		{"OS patching over the broker's window", []string{"maintenance", `{"osPatchWindow":{"schedule":"cron(0 5 ? * SUN *)","durationHours":3,"cutoffHours":1}}`},
			[]string{"maintenance.osPatchWindow.schedule", "messaging.maintenanceWindow"}},
		{"OS patching through the night's backups", []string{"maintenance", `{"osPatchWindow":{"schedule":"cron(0 1 ? * WED *)","durationHours":4,"cutoffHours":1}}`},
			[]string{"maintenance.osPatchWindow.schedule", "database.backupWindow"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("prod", tc.kv...)
			require.Error(t, err)
			for _, k := range tc.keys {
				assert.Contains(t, err.Error(), k)
			}
			assert.True(t, strings.Contains(err.Error(), "overlaps"), err.Error())
		})
	}
}

// TestBrokerWindowInAnotherZoneIsNotCompared: a window in a zone with
// daylight saving has no fixed UTC slot; it is left to the operator.
func TestBrokerWindowInAnotherZoneIsNotCompared(t *testing.T) {
	_, err := parseWith("prod", "messaging", `{"maintenanceWindow":{"dayOfWeek":"SUNDAY","timeOfDay":"04:30","timeZone":"Europe/Berlin"}}`)
	require.NoError(t, err)
}

func TestSearchOffPeakStartIsATime(t *testing.T) {
	_, err := parseWith("prod", "maintenance", `{"searchOffPeakStartUtc":"25:00"}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "morpheus-ha:maintenance.searchOffPeakStartUtc")
	cfg, err := parseWith("prod", "maintenance", `{"searchOffPeakStartUtc":"23:30"}`)
	require.NoError(t, err)
	assert.Equal(t, 23, cfg.Maintenance.SearchOffPeakStartHour())
	assert.Equal(t, 30, cfg.Maintenance.SearchOffPeakStartMinute())
}
