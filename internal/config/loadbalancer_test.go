package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

const testCertARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

func TestLoadBalancerDefaults(t *testing.T) {
	for _, tc := range []struct {
		env     config.Environment
		logDays int
	}{
		{config.Dev, 14},
		{config.Staging, 30},
		{config.Prod, 365},
	} {
		t.Run(string(tc.env), func(t *testing.T) {
			cfg, err := parseWith(string(tc.env))
			require.NoError(t, err)
			lb := cfg.LoadBalancer
			assert.False(t, lb.Internal)
			assert.Equal(t, []string{"0.0.0.0/0"}, lb.AllowedCidrs)
			assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", lb.SslPolicy)
			assert.Equal(t, "defensive", lb.DesyncMitigationMode)
			assert.Equal(t, 350, lb.IdleTimeoutSeconds)
			assert.Equal(t, tc.logDays, lb.AccessLogRetentionDays)
			assert.False(t, lb.Waf)
			assert.Equal(t, "Z0TESTZONE12345", lb.HostedZoneId)
			assert.Empty(t, lb.CertificateArn)
			assert.False(t, lb.SetupComplete, "a new stack starts with the setup window closed to all but setupCidrs")
		})
	}
}

// TestAllowedCidrsDoNotLeakBetweenParses: decoding a user list writes into the
// default slice's backing array; a shared default would carry one stack's CIDRs
// into the next Parse.
func TestAllowedCidrsDoNotLeakBetweenParses(t *testing.T) {
	cfg, err := parseWith("prod", "loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true,"allowedCidrs":["198.51.100.0/24"]}`)
	require.NoError(t, err)
	assert.Equal(t, []string{"198.51.100.0/24"}, cfg.LoadBalancer.AllowedCidrs)

	again, err := parseWith("prod")
	require.NoError(t, err)
	assert.Equal(t, []string{"0.0.0.0/0"}, again.LoadBalancer.AllowedCidrs)
}

func TestLoadBalancerValidSettings(t *testing.T) {
	for _, tc := range []struct {
		name  string
		raw   string
		check func(t *testing.T, lb config.LoadBalancer)
	}{
		{"existing certificate", `{"certificateArn":"` + testCertARN + `","setupComplete":true}`, func(t *testing.T, lb config.LoadBalancer) {
			assert.Equal(t, testCertARN, lb.CertificateArn)
			assert.Empty(t, lb.HostedZoneId)
		}},
		{"every field", `{"hostedZoneId":"Z2ABCDEF123456","internal":true,"allowedCidrs":["10.0.0.0/8","192.168.10.0/24"],` +
			`"sslPolicy":"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09","desyncMitigationMode":"strictest",` +
			`"idleTimeoutSeconds":4000,"accessLogRetentionDays":365,"waf":true,"setupCidrs":["192.168.10.0/24"]}`, func(t *testing.T, lb config.LoadBalancer) {
			assert.True(t, lb.Internal)
			assert.Equal(t, []string{"10.0.0.0/8", "192.168.10.0/24"}, lb.AllowedCidrs)
			assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", lb.SslPolicy)
			assert.Equal(t, "strictest", lb.DesyncMitigationMode)
			assert.Equal(t, 4000, lb.IdleTimeoutSeconds)
			assert.Equal(t, 365, lb.AccessLogRetentionDays)
			assert.True(t, lb.Waf)
			assert.Equal(t, []string{"192.168.10.0/24"}, lb.SetupCidrs)
			assert.False(t, lb.SetupComplete)
		}},
		{"idle timeout lower bound", `{"hostedZoneId":"Z2ABCDEF123456","setupComplete":true,"idleTimeoutSeconds":60}`, func(t *testing.T, lb config.LoadBalancer) {
			assert.Equal(t, 60, lb.IdleTimeoutSeconds)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseWith("prod", "loadBalancer", tc.raw)
			require.NoError(t, err)
			tc.check(t, cfg.LoadBalancer)
		})
	}
}

func TestLoadBalancerRejected(t *testing.T) {
	const zone = `"hostedZoneId":"Z0TESTZONE12345","setupComplete":true`
	for _, tc := range []struct {
		name, raw, key, rule string
	}{
		{"bad CIDR", `{` + zone + `,"allowedCidrs":["10.0.0.0/33"]}`, "loadBalancer.allowedCidrs", "IPv4 CIDR"},
		{"CIDR without prefix", `{` + zone + `,"allowedCidrs":["203.0.113.7"]}`, "loadBalancer.allowedCidrs", "IPv4 CIDR"},
		{"IPv6 CIDR", `{` + zone + `,"allowedCidrs":["2001:db8::/32"]}`, "loadBalancer.allowedCidrs", "IPv4 only"},
		{"CIDR host bits", `{` + zone + `,"allowedCidrs":["203.0.113.7/24"]}`, "loadBalancer.allowedCidrs", "203.0.113.0/24"},
		{"CIDR twice", `{` + zone + `,"allowedCidrs":["10.0.0.0/8","10.0.0.0/8"]}`, "loadBalancer.allowedCidrs", "twice"},
		{"no CIDR", `{` + zone + `,"allowedCidrs":[]}`, "loadBalancer.allowedCidrs", "at least one"},
		{"unknown ssl policy", `{` + zone + `,"sslPolicy":"ELBSecurityPolicy-2016-08"}`, "loadBalancer.sslPolicy", "TLS 1.2+ policy"},
		{"legacy Ext policy", `{` + zone + `,"sslPolicy":"ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09"}`, "loadBalancer.sslPolicy", "TLS 1.2+ policy"},
		{"neither certificate source", `{}`, "loadBalancer.hostedZoneId", "exactly one"},
		{"both certificate sources", `{` + zone + `,"certificateArn":"` + testCertARN + `"}`, "loadBalancer.certificateArn", "only one"},
		{"hosted zone with prefix", `{"hostedZoneId":"/hostedzone/Z0TESTZONE12345"}`, "loadBalancer.hostedZoneId", "Route 53 hosted zone id"},
		{"hosted zone lower case", `{"hostedZoneId":"z0testzone12345"}`, "loadBalancer.hostedZoneId", "Route 53 hosted zone id"},
		{"hosted zone not Z", `{"hostedZoneId":"A0TESTZONE12345"}`, "loadBalancer.hostedZoneId", "Route 53 hosted zone id"},
		{"certificate of another service", `{"certificateArn":"arn:aws:iam::123456789012:server-certificate/morpheus"}`, "loadBalancer.certificateArn", "ACM certificate ARN"},
		{"certificate ARN malformed", `{"certificateArn":"arn:aws:acm:eu-west-1:123456789012:certificate/not-a-uuid"}`, "loadBalancer.certificateArn", "ACM certificate ARN"},
		{"certificate in another region", `{"certificateArn":"` + strings.Replace(testCertARN, "eu-west-1", "us-east-1", 1) + `"}`, "loadBalancer.certificateArn", "own region (eu-west-1)"},
		{"desync monitor", `{` + zone + `,"desyncMitigationMode":"monitor"}`, "loadBalancer.desyncMitigationMode", "defensive, strictest"},
		{"idle timeout too short", `{` + zone + `,"idleTimeoutSeconds":59}`, "loadBalancer.idleTimeoutSeconds", "between 60 and 4000"},
		{"idle timeout too long", `{` + zone + `,"idleTimeoutSeconds":4001}`, "loadBalancer.idleTimeoutSeconds", "between 60 and 4000"},
		{"log retention zero", `{` + zone + `,"accessLogRetentionDays":0}`, "loadBalancer.accessLogRetentionDays", "between 1 and 3653"},
		{"waf not boolean", `{` + zone + `,"waf":"yes"}`, "loadBalancer.waf", "boolean"},
		{"unknown field", `{` + zone + `,"certificate":"x"}`, "loadBalancer.certificate", "unknown field"},
		{"prod access logs under a year", `{` + zone + `,"accessLogRetentionDays":90}`, "loadBalancer.accessLogRetentionDays", "at least 365"},
		{"internal ALB open to all", `{` + zone + `,"internal":true}`, "loadBalancer.allowedCidrs", "every network that can route to the VPC"},
		{"internal ALB listing 0.0.0.0/0", `{` + zone + `,"internal":true,"allowedCidrs":["10.0.0.0/8","0.0.0.0/0"]}`, "loadBalancer.allowedCidrs", "internal ALB"},
		{"setup window admits nobody", `{"hostedZoneId":"Z0TESTZONE12345"}`, "loadBalancer.setupComplete", "loadBalancer.setupCidrs"},
		{"setup window open to all", `{"hostedZoneId":"Z0TESTZONE12345","setupCidrs":["0.0.0.0/0"]}`, "loadBalancer.setupCidrs", "everyone"},
		{"setup CIDR malformed", `{"hostedZoneId":"Z0TESTZONE12345","setupCidrs":["203.0.113.7"]}`, "loadBalancer.setupCidrs", "IPv4 CIDR"},
		{"setup CIDR host bits", `{"hostedZoneId":"Z0TESTZONE12345","setupCidrs":["203.0.113.7/24"]}`, "loadBalancer.setupCidrs", "203.0.113.0/24"},
		{"setup complete not boolean", `{` + zone + `,"setupComplete":"yes"}`, "loadBalancer.setupComplete", "boolean"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("prod", "loadBalancer", tc.raw)
			requireFieldError(t, err, "morpheus-ha:"+tc.key, tc.rule)
		})
	}
}

// TestApplianceURLBoundary: appliance_url is "https://" + domain and Morpheus
// takes at most 64 characters, so a 56-character domain is the longest allowed.
func TestApplianceURLBoundary(t *testing.T) {
	domain := func(n int) string {
		const suffix = ".example.com"
		return strings.Repeat("a", n-len(suffix)) + suffix
	}
	cfg, err := parseWith("prod", "domain", domain(56))
	require.NoError(t, err)
	assert.Len(t, cfg.ApplianceURL(), 64)
	assert.False(t, strings.HasSuffix(cfg.ApplianceURL(), "/"))

	_, err = parseWith("prod", "domain", domain(57))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "morpheus-ha:domain")
	assert.Contains(t, err.Error(), "at most 64")
	assert.Contains(t, err.Error(), "is 65 characters")
}

// TestSetupWindowSources: with setup not yet done, a setup network or the ops
// function's automated setup is enough; once done, neither is needed.
func TestSetupWindowSources(t *testing.T) {
	const setupOps = `{"artifact":"build/opsfn/opsfn.zip","applianceSetup":{"enabled":true,"accountName":"Example Corp","adminUsername":"admin.ops","adminEmail":"admin@example.com","firstName":"Ada","lastName":"Lovelace"}}`
	for _, tc := range []struct {
		name string
		kv   []string
	}{
		{"setup network", []string{"loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345","setupCidrs":["198.51.100.0/24"]}`}},
		{"automated setup", []string{"loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345"}`, "ops", setupOps}},
		{"setup done", []string{"loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith("prod", tc.kv...)
			assert.NoError(t, err)
		})
	}
}

// TestPublicHealthCheck: Route 53's checkers reach only an internet-facing ALB
// whose listener is open to everyone.
func TestPublicHealthCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		lb   string
		want bool
	}{
		{"open internet-facing", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true}`, true},
		{"setup window", `{"hostedZoneId":"Z0TESTZONE12345","setupCidrs":["198.51.100.0/24"]}`, false},
		{"restricted CIDRs", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true,"allowedCidrs":["198.51.100.0/24"]}`, false},
		{"internal", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true,"internal":true,"allowedCidrs":["10.0.0.0/8"]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseWith("prod", "loadBalancer", tc.lb)
			require.NoError(t, err)
			assert.Equal(t, tc.want, cfg.PublicHealthCheck())
		})
	}
}
