package aurora_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
)

func TestParseEngineVersion(t *testing.T) {
	for _, tc := range []struct {
		in      string
		ok      bool
		mention string
	}{
		{aurora.DefaultEngineVersion, true, ""},
		{"8.0.mysql_aurora.3.05.2", true, ""},
		{"8.0.mysql_aurora.3.06.0", true, ""},
		{"8.0.mysql_aurora.3.11.1", true, ""},
		{"8.0.mysql_aurora.3.05.1", false, "8.0.32"},
		{"8.0.mysql_aurora.3.04.2", false, "3.05.2"},
		{"8.0.mysql_aurora.3.04.4", false, "too old"},
		{"5.7.mysql_aurora.2.12.1", false, "MySQL 8.0 only"},
		{"8.4.mysql_aurora.4.0.0", false, "MySQL 8.0 only"},
		{"8.0.mysql_aurora.3.05.0.1", false, "8.0.mysql_aurora.3.MM.P"},
		{"3.10.3", false, "8.0.mysql_aurora.3.MM.P"},
		{"", false, "8.0.mysql_aurora.3.MM.P"},
	} {
		_, err := aurora.ParseEngineVersion(tc.in)
		if tc.ok {
			assert.NoError(t, err, tc.in)
			continue
		}
		if assert.Error(t, err, tc.in) {
			assert.Contains(t, err.Error(), tc.mention, tc.in)
		}
	}
}

// TestVersionOrderIsNumeric: "3.10" sorts after "3.09" although "1" < "9".
func TestVersionOrderIsNumeric(t *testing.T) {
	a, err := aurora.ParseEngineVersion("8.0.mysql_aurora.3.09.0")
	require.NoError(t, err)
	b, err := aurora.ParseEngineVersion("8.0.mysql_aurora.3.10.0")
	require.NoError(t, err)
	assert.True(t, a.Less(b))
	assert.False(t, b.Less(a))
	assert.Equal(t, "3.09.0", a.String())
}

func TestWindows(t *testing.T) {
	for _, tc := range []struct {
		backup, maint string
		backupErr     string
		maintErr      string
		overlap       bool
	}{
		{backup: aurora.DefaultBackupWindow, maint: aurora.DefaultMaintenanceWindow},
		{backup: "02:00-03:00", maint: "sun:02:30-sun:03:30", overlap: true},
		{backup: "02:00-03:00", maint: "wed:03:00-wed:04:00"},                // touching is not overlapping
		{backup: "23:30-00:30", maint: "mon:00:00-mon:01:00", overlap: true}, // backup wraps midnight
		{backup: "23:30-00:30", maint: "sun:23:45-mon:00:15", overlap: true}, // both wrap the week
		{backup: "12:00-13:00", maint: "sat:22:00-sun:06:00"},                // spans midnight, misses noon
		{backup: "12:00-13:00", maint: "sat:22:00-mon:06:00", overlap: true}, // covers Sunday noon
		{backup: "2:00-03:00", maint: aurora.DefaultMaintenanceWindow, backupErr: "hh24:mi-hh24:mi"},
		{backup: "24:00-01:00", maint: aurora.DefaultMaintenanceWindow, backupErr: "hours 00-23"},
		{backup: "02:00-02:20", maint: aurora.DefaultMaintenanceWindow, backupErr: "at least 30 minutes"},
		{backup: aurora.DefaultBackupWindow, maint: "sun:04:00-05:00", maintErr: "ddd:hh24:mi-ddd:hh24:mi"},
		{backup: aurora.DefaultBackupWindow, maint: "Sun:04:00-Sun:05:00", maintErr: "lower case"},
		{backup: aurora.DefaultBackupWindow, maint: "sol:04:00-sol:05:00", maintErr: "mon, tue"},
		{backup: aurora.DefaultBackupWindow, maint: "sun:04:00-sun:04:10", maintErr: "at least 30 minutes"},
	} {
		name := tc.backup + " / " + tc.maint
		b, berr := aurora.ParseBackupWindow(tc.backup)
		m, merr := aurora.ParseMaintenanceWindow(tc.maint)
		if tc.backupErr != "" {
			if assert.Error(t, berr, name) {
				assert.Contains(t, berr.Error(), tc.backupErr, name)
			}
			continue
		}
		if tc.maintErr != "" {
			if assert.Error(t, merr, name) {
				assert.Contains(t, merr.Error(), tc.maintErr, name)
			}
			continue
		}
		require.NoError(t, berr, name)
		require.NoError(t, merr, name)
		assert.Equal(t, tc.overlap, aurora.Overlaps(b, m), name)
	}
}
