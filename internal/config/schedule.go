package config

import (
	"regexp"
	"strings"
	"time"
	// The timezone is checked against the IANA database; embedding it keeps
	// the check the same on machines without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// ScheduledScaleIn is `app.scheduledScaleIn`: outside working hours a
// non-prod group shrinks to minOutsideHours nodes and grows back to
// app.minNodes before work starts. Nodes removed at night are terminated and
// boot from scratch in the morning (15-40 minutes), so scaleOutCron should
// fire that long before people need Morpheus.
type ScheduledScaleIn struct {
	// Enabled creates the two scheduled actions; refused in prod, which must
	// keep a node in every AZ at all times.
	Enabled bool `json:"enabled"`
	// Timezone is the IANA time zone both cron expressions are read in, e.g.
	// Europe/Dublin.
	Timezone string `json:"timezone"`
	// ScaleInCron is when the group shrinks: a five-field cron expression
	// (minute hour day-of-month month day-of-week).
	ScaleInCron string `json:"scaleInCron"`
	// ScaleOutCron is when the group grows back to app.minNodes, in the same
	// form.
	ScaleOutCron string `json:"scaleOutCron"`
	// MinOutsideHours is the group's minimum and desired size outside working
	// hours, below app.minNodes. At 0 Morpheus is down overnight and the
	// healthy-host and endpoint alarms fire; 1 keeps it up at lower cost.
	MinOutsideHours int `json:"minOutsideHours"`
}

// scheduleDefaults: off; when turned on, weekdays 07:00 to 19:00 UTC are
// working hours, and the group is empty outside them.
func scheduleDefaults() ScheduledScaleIn {
	return ScheduledScaleIn{Timezone: "UTC", ScaleInCron: "0 19 * * 1-5", ScaleOutCron: "0 7 * * 1-5"}
}

// cronFieldRE is one field of an Auto Scaling recurrence: numbers, names
// (MON, JAN), ranges, lists and steps.
var cronFieldRE = regexp.MustCompile(`^[0-9A-Za-z*/,\-]+$`)

func validCron(expr string) bool {
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return false
	}
	for _, f := range fields {
		if !cronFieldRE.MatchString(f) {
			return false
		}
	}
	return true
}

func validateScheduledScaleIn(cfg *Config, c *collector) {
	s := cfg.App.ScheduledScaleIn
	if !s.Enabled {
		return
	}
	const key = "app.scheduledScaleIn."
	if cfg.IsProd() {
		c.addf(key+"enabled", s.Enabled, "prod must keep app.minNodes nodes (one per AZ) at all hours; scheduled scale-in is for dev and staging")
	}
	if _, err := time.LoadLocation(s.Timezone); err != nil || s.Timezone == "" || s.Timezone == "Local" {
		c.addf(key+"timezone", s.Timezone, "must be an IANA time zone name such as UTC or Europe/Dublin")
	}
	if !validCron(s.ScaleInCron) {
		c.addf(key+"scaleInCron", s.ScaleInCron, "must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 19 * * 1-5\"")
	}
	if !validCron(s.ScaleOutCron) {
		c.addf(key+"scaleOutCron", s.ScaleOutCron, "must be a five-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 7 * * 1-5\"")
	}
	if strings.Join(strings.Fields(s.ScaleInCron), " ") == strings.Join(strings.Fields(s.ScaleOutCron), " ") {
		c.addf(key+"scaleOutCron", s.ScaleOutCron, "must differ from scaleInCron")
	}
	if s.MinOutsideHours < 0 || s.MinOutsideHours >= cfg.App.MinNodes {
		c.addf(key+"minOutsideHours", s.MinOutsideHours, "must be between 0 and app.minNodes - 1 (%d): outside hours the group runs fewer nodes, or the schedule saves nothing", cfg.App.MinNodes-1)
	}
}
