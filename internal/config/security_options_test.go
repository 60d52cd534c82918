package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// TestEgressAccepted: open by default, and an allow-list of CIDR blocks and
// prefix lists is taken as written.
func TestEgressAccepted(t *testing.T) {
	cfg, err := parseWith("prod")
	require.NoError(t, err)
	assert.Equal(t, config.EgressOpen, cfg.App.Egress.Mode)

	cfg, err = parseWith("prod", "app", `{"egress":{"mode":"allowList","cidrs":["10.9.0.0/16"],"prefixListIds":["pl-0123456789abcdef0"]}}`)
	require.NoError(t, err)
	assert.Equal(t, config.Egress{Mode: config.EgressAllowList, Cidrs: []string{"10.9.0.0/16"}, PrefixListIds: []string{"pl-0123456789abcdef0"}}, cfg.App.Egress)
}

func TestEgressRejected(t *testing.T) {
	for _, tc := range []struct {
		name, raw, key, rule string
	}{
		{"unknown mode", `{"mode":"closed"}`, "app.egress.mode", "open, allowList"},
		{"open with a list", `{"mode":"open","cidrs":["10.9.0.0/16"]}`, "app.egress.mode", "no effect"},
		{"empty allow-list", `{"mode":"allowList"}`, "app.egress.cidrs", "at least one"},
		{"allow-list of everything", `{"mode":"allowList","cidrs":["0.0.0.0/0"]}`, "app.egress.cidrs", "mode open"},
		{"malformed CIDR", `{"mode":"allowList","cidrs":["10.9.0.0"]}`, "app.egress.cidrs", "IPv4 CIDR"},
		{"CIDR twice", `{"mode":"allowList","cidrs":["10.9.0.0/16","10.9.0.0/16"]}`, "app.egress.cidrs", "twice"},
		{"not a prefix list", `{"mode":"allowList","prefixListIds":["sg-0123456789abcdef0"]}`, "app.egress.prefixListIds", "pl-0123456789abcdef0"},
		{"prefix list twice", `{"mode":"allowList","prefixListIds":["pl-0123456789abcdef0","pl-0123456789abcdef0"]}`, "app.egress.prefixListIds", "twice"},
		{"unknown field", `{"mode":"allowList","cidr":"10.9.0.0/16"}`, "app.egress.cidr", "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("prod", "app", `{"egress":`+tc.raw+`}`)
			requireFieldError(t, err, "morpheus-ha:"+tc.key, tc.rule)
		})
	}
}

func TestAccountSecurityRejected(t *testing.T) {
	for _, tc := range []struct {
		name, raw, key, rule string
	}{
		{"superseded CIS version", `{"securityHub":{"enabled":true,"cisVersion":"1.2.0"}}`, "security.securityHub.cisVersion", "1.4.0, 3.0.0"},
		{"runtime monitoring alone", `{"guardDuty":{"runtimeMonitoring":true}}`, "security.guardDuty.runtimeMonitoring", "security.guardDuty.enabled"},
		{"unknown service field", `{"guardDuty":{"enable":true}}`, "security.guardDuty.enable", "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("dev", "security", tc.raw)
			requireFieldError(t, err, "morpheus-ha:"+tc.key, tc.rule)
		})
	}
}
