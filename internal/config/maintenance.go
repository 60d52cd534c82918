package config

import (
	"regexp"
)

// Maintenance is the `maintenance` config object: when the stack's own
// maintenance runs. It holds the app nodes' OS patch window.
type Maintenance struct {
	// OSPatchWindow is the SSM maintenance window that patches the app nodes'
	// operating system with Patch Manager, one node at a time, each out of the
	// load balancer until Morpheus answers /ping again.
	OSPatchWindow OSPatchWindow `json:"osPatchWindow"`
	// SearchOffPeakStartUTC is when OpenSearch's daily 10-hour off-peak window
	// starts, HH:MM in UTC: the service applies its software updates
	// (automatic, blue/green) and Auto-Tune changes only inside it.
	SearchOffPeakStartUTC string `json:"searchOffPeakStartUtc"`
}

// DefaultSearchOffPeakStartUTC starts OpenSearch's off-peak window at 22:00
// UTC, AWS' own default, so it covers the European night.
const DefaultSearchOffPeakStartUTC = "22:00"

// OSPatchWindow is `maintenance.osPatchWindow`: the schedule of the OS patch
// window.
type OSPatchWindow struct {
	// Enabled creates the patch baselines, the patch group and the window.
	Enabled bool `json:"enabled"`
	// Schedule is when the window opens, in UTC: a Systems Manager cron(...)
	// or rate(...) expression such as cron(0 21 ? * TUE *).
	Schedule string `json:"schedule"`
	// DurationHours is how long the window stays open, 1 to 24. Allow about
	// 45 minutes per node: standby, patching, a reboot when one is required,
	// Morpheus' start and the load balancer's health checks.
	DurationHours int `json:"durationHours"`
	// CutoffHours is how long before the window closes no further node starts
	// patching, 0 to durationHours - 1.
	CutoffHours int `json:"cutoffHours"`
}

// OS patch window defaults: Tuesday 21:00 UTC, a quiet evening in Europe and
// clear of the data tier's daily backup window (02:00-03:00), which the
// default five hours end on.
const (
	DefaultOSPatchSchedule      = "cron(0 21 ? * TUE *)"
	DefaultOSPatchDurationHours = 5
	DefaultOSPatchCutoffHours   = 1
	// maxWindowHours is the longest maintenance window Systems Manager accepts.
	maxWindowHours = 24
)

// windowScheduleRE is Systems Manager's schedule syntax: a six-field cron or a
// rate in minutes, hours or days.
var windowScheduleRE = regexp.MustCompile(`^(cron\((\S+ ){5}\S+\)|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\))$`)

// maintenanceDefaults are the same in every environment: patching is free and
// dev nodes need their security updates as much as prod nodes do.
func maintenanceDefaults(Environment) Maintenance {
	return Maintenance{OSPatchWindow: OSPatchWindow{
		Enabled:       true,
		Schedule:      DefaultOSPatchSchedule,
		DurationHours: DefaultOSPatchDurationHours,
		CutoffHours:   DefaultOSPatchCutoffHours,
	}, SearchOffPeakStartUTC: DefaultSearchOffPeakStartUTC}
}

func validateMaintenance(cfg *Config, c *collector) {
	if _, err := parseClock(cfg.Maintenance.SearchOffPeakStartUTC); err != nil {
		c.addf("maintenance.searchOffPeakStartUtc", cfg.Maintenance.SearchOffPeakStartUTC, "must be HH:MM in UTC, e.g. %s", DefaultSearchOffPeakStartUTC)
	}
	w := cfg.Maintenance.OSPatchWindow
	if !windowScheduleRE.MatchString(w.Schedule) {
		c.addf("maintenance.osPatchWindow.schedule", w.Schedule,
			"must be a Systems Manager schedule: cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) or rate(<n> minutes|hours|days), e.g. %s", DefaultOSPatchSchedule)
	}
	if w.DurationHours < 1 || w.DurationHours > maxWindowHours {
		c.addf("maintenance.osPatchWindow.durationHours", w.DurationHours, "must be between 1 and %d", maxWindowHours)
	}
	if w.CutoffHours < 0 || w.CutoffHours >= w.DurationHours {
		c.addf("maintenance.osPatchWindow.cutoffHours", w.CutoffHours,
			"must be between 0 and maintenance.osPatchWindow.durationHours - 1 (%d), or no node could ever start patching", w.DurationHours-1)
	}
}

// SearchOffPeakStartHour is SearchOffPeakStartUTC's hour (validated).
func (m Maintenance) SearchOffPeakStartHour() int {
	t, _ := parseClock(m.SearchOffPeakStartUTC)
	return t / 60
}

// SearchOffPeakStartMinute is SearchOffPeakStartUTC's minute (validated).
func (m Maintenance) SearchOffPeakStartMinute() int {
	t, _ := parseClock(m.SearchOffPeakStartUTC)
	return t % 60
}
