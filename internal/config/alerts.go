package config

import (
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
)

// Alerts is the `alerts` config object: who is told of an alarm, and when
// (docs/monitoring.md lists every alarm).
type Alerts struct {
	// Emails are the addresses subscribed to the alerts topics (each confirms
	// by mail); prod needs at least one subscriber, here or in httpsEndpoint.
	Emails []string `json:"emails"`
	// HTTPSEndpoint optionally subscribes a webhook: an https:// URL without
	// embedded credentials.
	HTTPSEndpoint string `json:"httpsEndpoint"`
	// Thresholds overrides alarm thresholds by alarm name; unknown names are
	// rejected.
	Thresholds map[string]float64 `json:"thresholds" docdefault:"the defaults in docs/monitoring.md"`
	// DiskPaths are the node mount points whose disk use is alarmed.
	DiskPaths []string `json:"diskPaths"`
	// ProcessPattern is the CloudWatch agent procstat pattern of the
	// morpheus-ui process: a regular expression over command lines, without
	// quotes or backslashes.
	//
	// The alarm and the agent config (internal/agentconfig) are both built
	// from it.
	ProcessPattern string `json:"processPattern"`
	// ErrorLogPattern is the CloudWatch Logs metric filter pattern of Morpheus
	// error lines.
	ErrorLogPattern string `json:"errorLogPattern"`
	// FailedLoginPattern is the CloudWatch Logs metric filter pattern of failed
	// logins.
	FailedLoginPattern string `json:"failedLoginPattern"`
}

// Alert defaults. The process and log patterns are unconfirmed against a running
// Morpheus 8.x node (docs/decisions: monitoring); that is why they are settings.
const (
	// DefaultProcessPattern matches the morpheus-ui JVM's command line (a java
	// binary running .../morpheus-ui.war) whatever its options and the war's
	// exact name, and not the runit supervisor (runsv) or log (svlogd)
	// processes that also carry "morpheus-ui" in theirs: they are not java.
	DefaultProcessPattern = "java.*morpheus-ui"
	// DefaultErrorLogPattern matches Morpheus' (logback) level field ERROR.
	DefaultErrorLogPattern = `"ERROR"`
	// DefaultFailedLoginPattern matches the messages Spring Security and
	// Morpheus are expected to log for a rejected login.
	DefaultFailedLoginPattern = `?"Bad credentials" ?"Login failed" ?"authentication failure"`
	// DefaultDiskPath is the root volume, where /var/opt/morpheus lives unless
	// a separate volume is mounted there.
	DefaultDiskPath = "/"
)

// Limits of the services the values end up in.
const (
	// maxFilterPattern is CloudWatch Logs' metric filter pattern limit.
	maxFilterPattern = 1024
	// maxSubscribers keeps the subscriber list reviewable (and under SNS's
	// rate of confirmation mails); a distribution list is the way to reach more.
	maxSubscribers = 10
)

// alertsDefaults are the same in every environment: thresholds describe
// Morpheus' health, not the stack's size (per-node thresholds scale with
// app.minNodes by themselves).
func alertsDefaults(_ Environment) Alerts {
	return Alerts{
		Emails:             []string{},
		Thresholds:         alarmcatalog.Defaults(),
		DiskPaths:          []string{DefaultDiskPath},
		ProcessPattern:     DefaultProcessPattern,
		ErrorLogPattern:    DefaultErrorLogPattern,
		FailedLoginPattern: DefaultFailedLoginPattern,
	}
}

func validateAlerts(cfg *Config, c *collector) {
	a := &cfg.Alerts
	validateSubscribers(cfg, c)

	// A value of the wrong type was already reported, and decoding left a zero
	// in its place that would only be reported again as out of range.
	if c.has("alerts.thresholds") {
		a.Thresholds = map[string]float64{}
	}
	keys := make([]string, 0, len(a.Thresholds))
	for k := range a.Thresholds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := alarmcatalog.Check(k, a.Thresholds[k]); err != nil {
			c.addf("alerts.thresholds."+k, alarmcatalog.FormatNumber(a.Thresholds[k]), "%v", err)
		}
	}

	if len(a.DiskPaths) == 0 {
		c.addf("alerts.diskPaths", "[]", "must name at least one mount point, e.g. [\"/\"]")
	}
	seen := map[string]bool{}
	for i, p := range a.DiskPaths {
		key := "alerts.diskPaths[" + strconv.Itoa(i) + "]"
		if err := agentconfig.CheckDiskPath(p); err != nil {
			c.addf(key, p, "%v", err)
		} else if seen[p] {
			c.addf(key, p, "is listed twice")
		}
		seen[p] = true
	}

	if err := agentconfig.CheckProcessPattern(a.ProcessPattern); err != nil {
		c.addf("alerts.processPattern", a.ProcessPattern, "%v (default %q)", err, DefaultProcessPattern)
	}
	for key, p := range map[string]string{"alerts.errorLogPattern": a.ErrorLogPattern, "alerts.failedLoginPattern": a.FailedLoginPattern} {
		if strings.TrimSpace(p) == "" || len(p) > maxFilterPattern {
			c.addf(key, p, "must be a CloudWatch Logs filter pattern of 1 to %d characters", maxFilterPattern)
		}
	}
}

func validateSubscribers(cfg *Config, c *collector) {
	a := &cfg.Alerts
	if len(a.Emails) > maxSubscribers {
		c.addf("alerts.emails", strings.Join(a.Emails, ","), "at most %d addresses; use a distribution list", maxSubscribers)
	}
	seen := map[string]bool{}
	for i, e := range a.Emails {
		key := "alerts.emails[" + strconv.Itoa(i) + "]"
		addr, err := mail.ParseAddress(e)
		switch {
		case err != nil || addr.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], "."):
			c.addf(key, e, "must be a plain e-mail address such as ops@example.com")
		case seen[strings.ToLower(e)]:
			c.addf(key, e, "is listed twice")
		}
		seen[strings.ToLower(e)] = true
	}
	if ep := a.HTTPSEndpoint; ep != "" {
		u, err := url.Parse(ep)
		switch {
		case err != nil || u.Scheme != "https" || u.Host == "":
			c.addf("alerts.httpsEndpoint", ep, "must be an https:// URL")
		case u.User != nil:
			c.addf("alerts.httpsEndpoint", "(redacted)", "must not embed credentials: they would sit in plain config and state")
		}
	}
	if cfg.IsProd() && len(a.Emails) == 0 && a.HTTPSEndpoint == "" {
		c.addf("alerts.emails", "[]", "prod needs at least one subscriber (alerts.emails or alerts.httpsEndpoint): alarms nobody receives are silent")
	}
}
