package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
)

// AWS Backup rule schedules (UTC), here so that the overlap check and the
// plan use the same times: weekly on Sunday at 01:00 and daily at 03:00, both
// clear of Aurora's backup window (02:00-03:00 by default) and of the weekly
// maintenance windows; monthly on the first at 05:00.
const (
	BackupDailySchedule   = "cron(0 3 ? * * *)"
	BackupWeeklySchedule  = "cron(0 1 ? * SUN *)"
	BackupMonthlySchedule = "cron(0 5 1 * ? *)"
	// backupStartWindowMinutes is how long after its schedule a backup job may
	// start (the plan's startWindow): the span the check reserves for it.
	backupStartWindowMinutes = 60
	// mqWindowMinutes is how long Amazon MQ's weekly maintenance may last.
	mqWindowMinutes = 120
)

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

// window is one scheduled span in minutes after Monday 00:00 UTC (end may pass
// the end of the week). maintenance marks windows in which a service restarts
// or patches; two backup windows may meet, a maintenance window may meet none.
type window struct {
	key         string
	what        string
	start, end  int
	maintenance bool
}

// cronDays are the weekday abbreviations of a Systems Manager cron, Monday first.
var cronDays = map[string]int{"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}

// simpleCronRE is the only cron shape the check reads: fixed minute and hour,
// any day of the month and month, and one weekday (or every day).
var simpleCronRE = regexp.MustCompile(`^cron\(([0-9]{1,2}) ([0-9]{1,2}) \? \* ([A-Z]{3}|\*) \*\)$`)

// cronWindows turns a weekly or daily cron(...) into windows of length
// minutes; other shapes are not checked (nil).
func cronWindows(key, what, schedule string, minutes int, maintenance bool) []window {
	m := simpleCronRE.FindStringSubmatch(schedule)
	if m == nil {
		return nil
	}
	mi, _ := strconv.Atoi(m[1])
	hh, _ := strconv.Atoi(m[2])
	days := []int{0, 1, 2, 3, 4, 5, 6}
	if m[3] != "*" {
		d, ok := cronDays[m[3]]
		if !ok {
			return nil
		}
		days = []int{d}
	}
	var out []window
	for _, d := range days {
		start := d*minutesPerDay + hh*60 + mi
		out = append(out, window{key, what, start, start + minutes, maintenance})
	}
	return out
}

// maintenanceWindows lists the stack's scheduled windows: Aurora's backup and
// maintenance windows, Amazon MQ's (when its zone is UTC), the OS patch window,
// and AWS Backup's daily and weekly jobs. OpenSearch's off-peak window is not
// among them: it is a fixed 10-hour daily window that no weekly slot could
// avoid, and its updates are blue/green, without downtime.
func maintenanceWindows(cfg *Config) []window {
	var out []window
	if b, err := aurora.ParseBackupWindow(cfg.Database.BackupWindow); err == nil {
		s, e := b.Minutes()
		for d := 0; d < 7; d++ {
			out = append(out, window{"database.backupWindow", "Aurora's daily backup window", d*minutesPerDay + s, d*minutesPerDay + e, false})
		}
	}
	if m, err := aurora.ParseMaintenanceWindow(cfg.Database.MaintenanceWindow); err == nil {
		s, e := m.Minutes()
		out = append(out, window{"database.maintenanceWindow", "Aurora's maintenance window", s, e, true})
	}
	if w := cfg.Messaging.MaintenanceWindow; w.TimeZone == "UTC" {
		if d := slices.Index(weekdays, strings.ToUpper(w.DayOfWeek)); d >= 0 {
			if t, err := parseClock(w.TimeOfDay); err == nil {
				start := d*minutesPerDay + t
				out = append(out, window{"messaging.maintenanceWindow", "Amazon MQ's maintenance window (up to 2 h)", start, start + mqWindowMinutes, true})
			}
		}
	}
	if p := cfg.Maintenance.OSPatchWindow; p.Enabled {
		out = append(out, cronWindows("maintenance.osPatchWindow.schedule", "the OS patch window", p.Schedule, p.DurationHours*60, true)...)
	}
	if cfg.Backup.Enabled {
		out = append(out, cronWindows("backup", "AWS Backup's daily jobs", BackupDailySchedule, backupStartWindowMinutes, false)...)
		out = append(out, cronWindows("backup", "AWS Backup's weekly jobs", BackupWeeklySchedule, backupStartWindowMinutes, false)...)
	}
	return out
}

func parseClock(s string) (int, error) {
	hh, mi, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mi)
	if !ok || err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("not HH:MM")
	}
	return h*60 + m, nil
}

// overlaps reports whether a and b meet in any week (windows may wrap).
func overlaps(a, b window) bool {
	for _, shift := range []int{-minutesPerWeek, 0, minutesPerWeek} {
		if a.start < b.end+shift && b.start+shift < a.end {
			return true
		}
	}
	return false
}

// validateWindowOverlaps refuses a maintenance window that meets another
// maintenance window or a backup window, naming both keys: a database patch
// during a backup, or the broker and the database restarting together, is
// the overlap that turns routine maintenance into an outage.
func validateWindowOverlaps(cfg *Config, c *collector) {
	ws := maintenanceWindows(cfg)
	seen := map[string]bool{}
	for i, a := range ws {
		for _, b := range ws[i+1:] {
			// Aurora's own two windows are checked by validateDatabase, with
			// RDS' rule; everything else meets here.
			sameService := strings.HasPrefix(a.key, "database.") && strings.HasPrefix(b.key, "database.")
			if a.key == b.key || sameService || (!a.maintenance && !b.maintenance) || !overlaps(a, b) {
				continue
			}
			pair := a.key + "|" + b.key
			if seen[pair] {
				continue
			}
			seen[pair] = true
			c.addf(a.key, "", "%s overlaps %s (%s); move one of them", a.what, b.what, b.key)
		}
	}
}
