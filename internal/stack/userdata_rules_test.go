package stack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// nodePackages renders the nodePackages object with one package's URL replaced.
func nodePackages(field, url string) string {
	urls := map[string]string{
		"awsCli":          "https://awscli.amazonaws.com/awscli-exe-linux-x86_64-2.22.0.zip",
		"efsUtils":        "s3://platform-packages/amazon-efs-utils-2.1.0-1_amd64.deb",
		"cloudWatchAgent": "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/amd64/1.300050.0b1024/amazon-cloudwatch-agent.deb",
	}
	urls[field] = url
	var parts []string
	for _, f := range []string{"awsCli", "efsUtils", "cloudWatchAgent"} {
		parts = append(parts, `"`+f+`":{"url":"`+urls[f]+`","sha256":"`+testutil.TestPackageSHA256+`"}`)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestUserDataRulesFailDuringConfigLoading runs each rule of the user data
// (internal/userdata's Validate, whose user-supplied rules are internal/valid's)
// with a failing value through the whole program: config loading must refuse
// it naming the config key, before any resource registers, instead of the user
// data failing halfway through a run with a Go field name.
func TestUserDataRulesFailDuringConfigLoading(t *testing.T) {
	prod := testutil.BaseConfig("prod")
	rhel := testutil.With(prod, "app", `{"os":"rhel-9"}`)
	morpheus := func(url, sha, version string) string {
		return `{"version":"` + version + `","packageUrl":"` + url + `","packageSha256":"` + sha + `"}`
	}
	deb := "https://h.example.com/morpheus-appliance_8.0.7-1_amd64.deb"
	cases := []struct {
		name, key, value, wantKey, wantMsg string
		base                               map[string]string
	}{
		{"AWS CLI from s3", "nodePackages", nodePackages("awsCli", "s3://bucket/awscli.zip"), "morpheus-ha:nodePackages.awsCli.url", "must be an https:// URL", prod},
		{"AWS CLI not a zip", "nodePackages", nodePackages("awsCli", "https://awscli.amazonaws.com/awscli.tar.gz"), "morpheus-ha:nodePackages.awsCli.url", ".zip", prod},
		{"efs-utils rpm on ubuntu", "nodePackages", nodePackages("efsUtils", "https://h.example.com/amazon-efs-utils-2.1.0-1.rpm"), "morpheus-ha:nodePackages.efsUtils.url", "must name a .deb file (app.os is ubuntu-24.04)", prod},
		{"agent with a query", "nodePackages", nodePackages("cloudWatchAgent", "https://h.example.com/agent.deb?sig=1"), "morpheus-ha:nodePackages.cloudWatchAgent.url", "query", prod},
		{"agent over http", "nodePackages", nodePackages("cloudWatchAgent", "http://h.example.com/agent.deb"), "morpheus-ha:nodePackages.cloudWatchAgent.url", "https://", prod},
		{"agent host without a domain", "nodePackages", nodePackages("cloudWatchAgent", "https://packages/agent.deb"), "morpheus-ha:nodePackages.cloudWatchAgent.url", "https://", prod},
		{"deb packages on rhel-9", "morpheus", morpheus(deb, testutil.TestPackageSHA256, "8.0.7"), "morpheus-ha:morpheus.packageUrl", "must name a .rpm file (app.os is rhel-9)", rhel},
		{"node packages deb on rhel-9", "morpheus", morpheus("https://h.example.com/morpheus-appliance-8.0.7-1.el9.x86_64.rpm", testutil.TestPackageSHA256, "8.0.7"), "morpheus-ha:nodePackages.efsUtils.url", ".rpm", rhel},
		{"package bucket name invalid", "morpheus", morpheus("s3://Bucket_1/morpheus-8.0.7.deb", testutil.TestPackageSHA256, "8.0.7"), "morpheus-ha:morpheus.packageUrl", "https:// or s3://", prod},
		{"package checksum upper case", "morpheus", morpheus(deb, strings.ToUpper(testutil.TestPackageSHA256), "8.0.7"), "morpheus-ha:morpheus.packageSha256", "64 lower-case hex", prod},
		{"version not x.y.z", "morpheus", morpheus(deb, testutil.TestPackageSHA256, "8.0"), "morpheus-ha:morpheus.version", "8.0.7", prod},
		{"region with two digits too many", "aws:region", "eu-west-123", "aws:region", "region name", prod},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(stack.Run, testutil.Options{Config: testutil.With(tc.base, tc.key, tc.value)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantKey)
			assert.Contains(t, err.Error(), tc.wantMsg)
			assert.NotContains(t, err.Error(), "Params.", "the message names the config key, not a Go field")
			assert.Empty(t, rec.Resources(), "nothing registers")
		})
	}
}
