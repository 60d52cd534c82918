package aurora

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
	// MinWindowMinutes is the shortest backup or maintenance window RDS accepts.
	MinWindowMinutes = 30
)

// Default windows, in UTC: the nightly backup ends well before the weekly
// maintenance window starts, so the two never compete.
const (
	DefaultBackupWindow      = "02:00-03:00"
	DefaultMaintenanceWindow = "sun:04:00-sun:05:00"
)

var (
	days              = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	backupWindowRE    = regexp.MustCompile(`^([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})$`)
	maintenanceRE     = regexp.MustCompile(`^([a-z]{3}):([0-9]{2}):([0-9]{2})-([a-z]{3}):([0-9]{2}):([0-9]{2})$`)
	errBackupFormat   = "must be hh24:mi-hh24:mi in UTC, e.g. " + DefaultBackupWindow
	errMaintFormat    = "must be ddd:hh24:mi-ddd:hh24:mi in UTC with ddd one of mon, tue, wed, thu, fri, sat, sun (lower case, as RDS reports it), e.g. " + DefaultMaintenanceWindow
	errWindowTooShort = "must last at least %d minutes (it lasts %d)"
)

// span is a half-open interval of minutes; a window that wraps midnight (or the
// end of the week) ends past its ring's length.
type span struct{ start, end int }

// BackupWindow is a daily window in minutes after 00:00 UTC.
type BackupWindow struct{ span }

// MaintenanceWindow is a weekly window in minutes after Monday 00:00 UTC.
type MaintenanceWindow struct{ span }

// ParseBackupWindow parses "hh24:mi-hh24:mi" (UTC) and checks its length.
func ParseBackupWindow(s string) (BackupWindow, error) {
	m := backupWindowRE.FindStringSubmatch(s)
	if m == nil {
		return BackupWindow{}, errors.New(errBackupFormat)
	}
	start, ok1 := clock(m[1], m[2])
	end, ok2 := clock(m[3], m[4])
	if !ok1 || !ok2 {
		return BackupWindow{}, fmt.Errorf("%s (hours 00-23, minutes 00-59)", errBackupFormat)
	}
	w := BackupWindow{wrap(start, end, minutesPerDay)}
	if d := w.end - w.start; d < MinWindowMinutes {
		return w, fmt.Errorf(errWindowTooShort, MinWindowMinutes, d)
	}
	return w, nil
}

// ParseMaintenanceWindow parses "ddd:hh24:mi-ddd:hh24:mi" (UTC) and checks its length.
func ParseMaintenanceWindow(s string) (MaintenanceWindow, error) {
	m := maintenanceRE.FindStringSubmatch(s)
	if m == nil {
		return MaintenanceWindow{}, errors.New(errMaintFormat)
	}
	d1, d2 := dayIndex(m[1]), dayIndex(m[4])
	t1, ok1 := clock(m[2], m[3])
	t2, ok2 := clock(m[5], m[6])
	if d1 < 0 || d2 < 0 || !ok1 || !ok2 {
		return MaintenanceWindow{}, fmt.Errorf("%s (hours 00-23, minutes 00-59)", errMaintFormat)
	}
	w := MaintenanceWindow{wrap(d1*minutesPerDay+t1, d2*minutesPerDay+t2, minutesPerWeek)}
	if d := w.end - w.start; d < MinWindowMinutes {
		return w, fmt.Errorf(errWindowTooShort, MinWindowMinutes, d)
	}
	return w, nil
}

// Overlaps reports whether the daily backup window meets the weekly maintenance
// window on any day of the week. RDS rejects overlapping windows.
func Overlaps(b BackupWindow, m MaintenanceWindow) bool {
	// Unroll both windows onto two weeks so wrapping intervals need no special case.
	for day := -1; day <= 7; day++ {
		bs := span{b.start + day*minutesPerDay, b.end + day*minutesPerDay}
		for _, shift := range []int{-minutesPerWeek, 0, minutesPerWeek} {
			ms := span{m.start + shift, m.end + shift}
			if bs.start < ms.end && ms.start < bs.end {
				return true
			}
		}
	}
	return false
}

// wrap returns [start, end) with end moved one ring length on when the window
// wraps past midnight or the end of the week. Equal ends mean an empty window.
func wrap(start, end, ring int) span {
	if end < start {
		end += ring
	}
	return span{start, end}
}

func clock(hh, mi string) (int, bool) {
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mi)
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

func dayIndex(d string) int {
	for i, name := range days {
		if name == d {
			return i
		}
	}
	return -1
}

// Minutes is the window's [start, end) in minutes after 00:00 UTC; end may
// pass midnight.
func (w BackupWindow) Minutes() (start, end int) { return w.start, w.end }

// Minutes is the window's [start, end) in minutes after Monday 00:00 UTC; end
// may pass the end of the week.
func (w MaintenanceWindow) Minutes() (start, end int) { return w.start, w.end }
