package config_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

func TestAlertDefaults(t *testing.T) {
	cfg, err := parseWith("dev", "alerts", "")
	require.NoError(t, err, "dev may run without subscribers")
	a := cfg.Alerts
	assert.Empty(t, a.Emails)
	assert.Equal(t, alarmcatalog.Defaults(), a.Thresholds)
	assert.Equal(t, []string{"/"}, a.DiskPaths)
	assert.Equal(t, config.DefaultProcessPattern, a.ProcessPattern)
	assert.Equal(t, config.DefaultErrorLogPattern, a.ErrorLogPattern)
	assert.Equal(t, config.DefaultFailedLoginPattern, a.FailedLoginPattern)
}

// TestDefaultProcessPatternFindsOnlyTheJVM: procstat matches the pattern as a
// regular expression against each process's command line. The JVM must match
// whatever its options; runit's supervisor and log processes for morpheus-ui,
// which outlive a dead JVM, must not, or the alarm would never see it gone.
// The real command line is unconfirmed (docs/monitoring.md), hence the setting.
func TestDefaultProcessPatternFindsOnlyTheJVM(t *testing.T) {
	re := regexp.MustCompile(config.DefaultProcessPattern)
	for cmdline, want := range map[string]bool{
		"/opt/morpheus/embedded/java/bin/java -Xmx4g -jar /opt/morpheus/lib/morpheus/morpheus-ui.war":            true,
		"/opt/morpheus/embedded/java/bin/java -Dfile.encoding=UTF-8 -jar /opt/morpheus/lib/morpheus/morpheus-ui": true,
		"runsv morpheus-ui":                               false,
		"svlogd -tt /var/log/morpheus/morpheus-ui":        false,
		"/opt/morpheus/embedded/java/bin/java -jar check": false,
	} {
		assert.Equal(t, want, re.MatchString(cmdline), "%q on %q", config.DefaultProcessPattern, cmdline)
	}
}

// TestThresholdOverrideKeepsOtherDefaults: naming one threshold must not drop
// the others' defaults.
func TestThresholdOverrideKeepsOtherDefaults(t *testing.T) {
	cfg, err := parseWith("prod", "alerts", `{"emails":["ops@example.com"],"thresholds":{"appCpu":70},"diskPaths":["/","/var/opt/morpheus"]}`)
	require.NoError(t, err)
	assert.EqualValues(t, 70, cfg.Alerts.Thresholds["appCpu"])
	assert.EqualValues(t, 90, cfg.Alerts.Thresholds["appMemory"])
	assert.Len(t, cfg.Alerts.Thresholds, len(alarmcatalog.Entries))
	assert.Equal(t, []string{"/", "/var/opt/morpheus"}, cfg.Alerts.DiskPaths)
}

func TestAlertValidation(t *testing.T) {
	for _, tc := range []struct {
		name, env, alerts string
		wantKey, wantMsg  string
	}{
		{"prod without subscriber", "prod", `{}`, "morpheus-ha:alerts.emails", "prod needs at least one subscriber"},
		{"bad email", "dev", `{"emails":["ops@example.com","not-an-address"]}`, "morpheus-ha:alerts.emails[1]", "e-mail address"},
		{"display name email", "dev", `{"emails":["Ops <ops@example.com>"]}`, "morpheus-ha:alerts.emails[0]", "plain e-mail"},
		{"duplicate email", "dev", `{"emails":["ops@example.com","OPS@example.com"]}`, "morpheus-ha:alerts.emails[1]", "twice"},
		{"http endpoint", "dev", `{"httpsEndpoint":"http://hooks.example.com/x"}`, "morpheus-ha:alerts.httpsEndpoint", "https:// URL"},
		{"endpoint with credentials", "dev", `{"httpsEndpoint":"https://u:pw@hooks.example.com/x"}`, "morpheus-ha:alerts.httpsEndpoint", "credentials"},
		{"unknown threshold", "dev", `{"thresholds":{"appCPU":70}}`, "morpheus-ha:alerts.thresholds.appCPU", "unknown threshold"},
		{"threshold out of range", "dev", `{"thresholds":{"appCpu":150}}`, "morpheus-ha:alerts.thresholds.appCpu", "between 1 and 100"},
		{"threshold not a number", "dev", `{"thresholds":{"appCpu":"high"}}`, "morpheus-ha:alerts.thresholds", "must be of type number"},
		{"relative disk path", "dev", `{"diskPaths":["var/opt"]}`, "morpheus-ha:alerts.diskPaths[0]", "absolute"},
		{"unclean disk path", "dev", `{"diskPaths":["/var/opt/"]}`, "morpheus-ha:alerts.diskPaths[0]", "clean"},
		{"no disk path", "dev", `{"diskPaths":[]}`, "morpheus-ha:alerts.diskPaths", "at least one"},
		{"duplicate disk path", "dev", `{"diskPaths":["/","/"]}`, "morpheus-ha:alerts.diskPaths[1]", "twice"},
		{"quoted process pattern", "dev", `{"processPattern":"morpheus'ui"}`, "morpheus-ha:alerts.processPattern", "quotes"},
		{"empty process pattern", "dev", `{"processPattern":" "}`, "morpheus-ha:alerts.processPattern", "must not be empty"},
		{"process pattern not a regexp", "dev", `{"processPattern":"java.*(morpheus-ui"}`, "morpheus-ha:alerts.processPattern", "regular expression"},
		{"quoted disk path", "dev", `{"diskPaths":["/it's"]}`, "morpheus-ha:alerts.diskPaths[0]", "quotes"},
		{"empty error pattern", "dev", `{"errorLogPattern":""}`, "morpheus-ha:alerts.errorLogPattern", "filter pattern"},
		{"typo in alerts field", "dev", `{"emial":["ops@example.com"]}`, "morpheus-ha:alerts.emial", "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith(tc.env, "alerts", tc.alerts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantKey)
			assert.Contains(t, err.Error(), tc.wantMsg)
			assert.NotContains(t, err.Error(), "pw@", "credentials must not be echoed")
		})
	}
}

// TestWrongTypeReportedOnce: a threshold of the wrong type is one problem, not
// also a second "out of range" for the zero decoding left behind.
func TestWrongTypeReportedOnce(t *testing.T) {
	_, err := parseWith("dev", "alerts", `{"thresholds":{"appCpu":"high"}}`)
	require.Error(t, err)
	assert.Len(t, err.(config.Errors), 1, err.Error())
}
