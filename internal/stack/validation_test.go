package stack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestBadConfigurationRegistersNothing runs the whole program with one bad value
// at a time: each must fail with a message naming the key and the rule, and must
// not have registered a single resource (not even the provider).
func TestBadConfigurationRegistersNothing(t *testing.T) {
	prod := testutil.BaseConfig("prod")
	dev := testutil.BaseConfig("dev")
	cases := []rejectCase{
		{"unknown environment", testutil.With(prod, "environment", "production"), "morpheus-ha:environment", "dev, staging, prod"},
		{"region missing", testutil.With(prod, "aws:region", ""), "aws:region", "not set"},
		{"region malformed", testutil.With(prod, "aws:region", "Europe"), "aws:region", "region name"},
		{"domain missing", testutil.With(prod, "domain", ""), "morpheus-ha:domain", "not set"},
		{"domain syntax", testutil.With(prod, "domain", "morpheus_app.example.com"), "morpheus-ha:domain", "fully qualified"},
		{"domain single label", testutil.With(prod, "domain", "morpheus"), "morpheus-ha:domain", "fully qualified"},
		{"domain trailing dot", testutil.With(prod, "domain", "morpheus.example.com."), "morpheus-ha:domain", "fully qualified"},
		{"appliance url too long", testutil.With(prod, "domain", "a-very-long-host-name-for-morpheus.platform.example-corp.com"), "morpheus-ha:domain", "at most 64"},
		{"owner missing", testutil.With(prod, "owner", ""), "morpheus-ha:owner", "Owner tag"},
		{"cost center missing", testutil.With(prod, "costCenter", ""), "morpheus-ha:costCenter", "CostCenter tag"},
		{"tag overrides standard", testutil.With(prod, "tags", `{"Project":"x"}`), "morpheus-ha:tags.Project", "standard tag"},
		{"tag aws prefix", testutil.With(prod, "tags", `{"aws:foo":"x"}`), "morpheus-ha:tags.aws:foo", "reserved"},
		{"tags not strings", testutil.With(prod, "tags", `{"Team":3}`), "morpheus-ha:tags", "string"},
		{"cidr syntax", testutil.With(prod, "network", `{"cidr":"10.40.0.0"}`), "morpheus-ha:network.cidr", "IPv4 CIDR"},
		{"cidr too big", testutil.With(prod, "network", `{"cidr":"10.0.0.0/8"}`), "morpheus-ha:network.cidr", "/16 and /20"},
		{"cidr too small", testutil.With(prod, "network", `{"cidr":"10.40.0.0/24"}`), "morpheus-ha:network.cidr", "/16 and /20"},
		{"cidr host bits", testutil.With(prod, "network", `{"cidr":"10.40.1.0/16"}`), "morpheus-ha:network.cidr", "host bits"},
		{"cidr public range", testutil.With(prod, "network", `{"cidr":"8.8.0.0/16"}`), "morpheus-ha:network.cidr", "private range"},
		{"az count one", testutil.With(dev, "network", `{"azCount":1}`), "morpheus-ha:network.azCount", "2 or 3"},
		{"az count four", testutil.With(dev, "network", `{"azCount":4}`), "morpheus-ha:network.azCount", "2 or 3"},
		{"prod with two AZs", testutil.With(prod, "network", `{"azCount":2}`), "morpheus-ha:network.azCount", "prod must span 3"},
		{"az count wrong type", testutil.With(dev, "network", `{"azCount":"three"}`), "morpheus-ha:network.azCount", "integer"},
		{"nat mode unknown", testutil.With(dev, "network", `{"natGateways":"none"}`), "morpheus-ha:network.natGateways", `"single" or "perAz"`},
		{"prod with one NAT", testutil.With(prod, "network", `{"natGateways":"single"}`), "morpheus-ha:network.natGateways", "prod needs"},
		{"subnet plan does not fit", testutil.With(prod, "network", `{"cidr":"10.40.0.0/16","subnetPrefixLength":18}`), "morpheus-ha:network.subnetPrefixLength", "does not fit"},
		{"subnet smaller than /28", testutil.With(prod, "network", `{"cidr":"10.40.0.0/20","subnetPrefixLength":29}`), "morpheus-ha:network.subnetPrefixLength", "/28"},
		{"miscased field", testutil.With(prod, "network", `{"CIDR":"10.40.0.0/16"}`), "morpheus-ha:network.CIDR", "case-sensitive"},
		{"typo in network field", testutil.With(prod, "network", `{"cdir":"10.40.0.0/16"}`), "morpheus-ha:network.cdir", "unknown field"},
		{"network not an object", testutil.With(prod, "network", `["10.40.0.0/16"]`), "morpheus-ha:network", "object"},
		{"log retention not allowed", testutil.With(prod, "logs", `{"retentionDays":15}`), "morpheus-ha:logs.retentionDays", "retention values"},
		{"key deletion window", testutil.With(prod, "keys", `{"deletionWindowDays":5}`), "morpheus-ha:keys.deletionWindowDays", "7 and 30"},
		{"key rotation period", testutil.With(prod, "keys", `{"rotationPeriodDays":30}`), "morpheus-ha:keys.rotationPeriodDays", "90 and 2560"},
		{"allowDestroy not boolean", testutil.With(prod, "allowDestroy", "yes"), "morpheus-ha:allowDestroy", "true or false"},
		{"prod with one node", testutil.With(prod, "app", `{"minNodes":1}`), "morpheus-ha:app.minNodes", "one node per AZ"},
		{"burstable node", testutil.With(prod, "app", `{"instanceType":"t3.2xlarge"}`), "morpheus-ha:app.instanceType", "burstable"},
		{"arm node", testutil.With(prod, "app", `{"instanceType":"m7g.2xlarge"}`), "morpheus-ha:app.instanceType", "amd64"},
		{"node too small", testutil.With(prod, "app", `{"instanceType":"m6i.large"}`), "morpheus-ha:app.instanceType", "at least 4 vCPU and 16 GiB"},
		{"compute node short on memory", testutil.With(prod, "app", `{"instanceType":"c6i.xlarge"}`), "morpheus-ha:app.instanceType", "8 GiB"},
		{"unsupported node os", testutil.With(prod, "app", `{"os":"amazonlinux-2023"}`), "morpheus-ha:app.os", "not listed"},
		{"root volume too small", testutil.With(prod, "app", `{"rootVolumeGiB":100}`), "morpheus-ha:app.rootVolumeGiB", "200"},
		{"bad ami id", testutil.With(prod, "app", `{"amiId":"ubuntu"}`), "morpheus-ha:app.amiId", "AMI id"},
		{"package url missing", testutil.With(prod, "morpheus", `{"packageSha256":"`+testutil.TestPackageSHA256+`"}`), "morpheus-ha:morpheus.packageUrl", "is not set"},
		{"package checksum malformed", testutil.With(prod, "morpheus", `{"packageUrl":"https://h.example.com/morpheus-appliance_8.0.7-1_amd64.deb","packageSha256":"abc"}`), "morpheus-ha:morpheus.packageSha256", "64 lower-case hex"},
		{"package of another version", testutil.With(prod, "morpheus", `{"version":"8.0.8","packageUrl":"https://h.example.com/morpheus-appliance_8.0.7-1_amd64.deb","packageSha256":"`+testutil.TestPackageSHA256+`"}`), "morpheus-ha:morpheus.packageUrl", "same version"},
		{"package url with shell metacharacters", testutil.With(prod, "morpheus", `{"packageUrl":"https://h.example.com/8.0.7$(reboot).deb","packageSha256":"`+testutil.TestPackageSHA256+`"}`), "morpheus-ha:morpheus.packageUrl", "no spaces"},
		{"max below min", testutil.With(dev, "app", `{"minNodes":2,"maxNodes":1}`), "morpheus-ha:app.maxNodes", "between"},
		// Issue 12, item 10: accepted but unsafe.
		{"tag key differs only by case", testutil.With(prod, "tags", `{"costcenter":"x"}`), "morpheus-ha:tags.costcenter", "CostCenter, a standard tag"},
		{"tag key differs only by spaces", testutil.With(prod, "tags", `{"Managed By":"x"}`), "morpheus-ha:tags.Managed By", "ManagedBy, a standard tag"},
		{"tag key with padding", testutil.With(prod, "tags", `{" owner ":"x"}`), "morpheus-ha:tags. owner ", "Owner, a standard tag"},
		{"Name tag", testutil.With(prod, "tags", `{"Name":"x"}`), "morpheus-ha:tags.Name", "same name"},
		{"name tag lower case", testutil.With(prod, "tags", `{"name":"x"}`), "morpheus-ha:tags.name", "same name"},
		{"prod log retention under a year", testutil.With(prod, "logs", `{"retentionDays":90}`), "morpheus-ha:logs.retentionDays", "at least 365"},
		{"prod key deletion window short", testutil.With(prod, "keys", `{"deletionWindowDays":7}`), "morpheus-ha:keys.deletionWindowDays", "30 days"},
		{"prod access logs under a year", testutil.With(prod, "loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true,"accessLogRetentionDays":90}`), "morpheus-ha:loadBalancer.accessLogRetentionDays", "at least 365"},
		{"internal ALB open to all", testutil.With(prod, "loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345","setupComplete":true,"internal":true}`), "morpheus-ha:loadBalancer.allowedCidrs", "internal ALB"},
		// Issue 12, item 1: nobody could finish the setup.
		{"prod setup window admits nobody", testutil.With(prod, "loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345"}`), "morpheus-ha:loadBalancer.setupComplete", "loadBalancer.setupCidrs"},
		{"dev setup window admits nobody", testutil.With(dev, "loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345"}`), "morpheus-ha:loadBalancer.setupComplete", "ops.applianceSetup"},
		{"setup window open to all", testutil.With(prod, "loadBalancer", `{"hostedZoneId":"Z0TESTZONE12345","setupCidrs":["0.0.0.0/0"]}`), "morpheus-ha:loadBalancer.setupCidrs", "everyone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireRejected(t, tc.config, tc.wantKey, tc.wantMsg)
		})
	}
}

// TestAllProblemsReportedAtOnce saves the user a fix-and-retry loop per key.
func TestAllProblemsReportedAtOnce(t *testing.T) {
	cfg := testutil.With(testutil.BaseConfig("prod"), "domain", "", "network", `{"cidr":"10.0.0.0/8","azCount":2}`)
	_, err := testutil.Run(stack.Run, testutil.Options{Config: cfg})
	require.Error(t, err)
	for _, key := range []string{"morpheus-ha:domain", "morpheus-ha:network.cidr", "morpheus-ha:network.azCount"} {
		assert.Contains(t, err.Error(), key)
	}
}

// TestUnknownKeyFromEngineRejected covers `pulumi up`: the engine passes every
// stack key in PULUMI_CONFIG, and a typo there must not pass silently.
func TestUnknownKeyFromEngineRejected(t *testing.T) {
	t.Setenv("PULUMI_CONFIG", `{"morpheus-ha:netwrk":"{}","aws:region":"eu-west-1"}`)
	rec, err := testutil.Run(stack.Run, testutil.Options{Config: testutil.BaseConfig("dev")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "morpheus-ha:netwrk")
	assert.Contains(t, err.Error(), "unknown key")
	assert.Empty(t, rec.Resources())
}
