package testutil

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// MustRun runs program and fails the test on any error.
func MustRun(t testing.TB, program pulumi.RunFunc, o Options) *Recorder {
	t.Helper()
	rec, err := Run(program, o)
	require.NoError(t, err)
	return rec
}

// testNodePackages pins every node tool to a test URL and checksum.
const testNodePackages = `{"awsCli":{"url":"https://awscli.amazonaws.com/awscli-exe-linux-x86_64-2.22.0.zip","sha256":"` + TestPackageSHA256 + `"},` +
	`"efsUtils":{"url":"s3://platform-packages/amazon-efs-utils-2.1.0-1_amd64.deb","sha256":"` + TestPackageSHA256 + `"},` +
	`"cloudWatchAgent":{"url":"https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/amd64/1.300050.0b1024/amazon-cloudwatch-agent.deb","sha256":"` + TestPackageSHA256 + `"}}`

// TestPackageSHA256 is the package checksum every test configuration pins.
const TestPackageSHA256 = "5f2b7a9c0e4d4b1f8a6c3e2d1b0a99887766554433221100ffeeddccbbaa9988"

// DRRegion is the disaster-recovery region of every test configuration.
const DRRegion = "eu-central-1"

// BreakGlassRoleArn is the break-glass role of every test configuration.
const BreakGlassRoleArn = "arn:aws:iam::123456789012:role/break-glass"

// HostedZoneID is the fake Route 53 zone BaseConfig's domain lives in.
const HostedZoneID = "Z0TESTZONE12345"

// SetupCidr is the base configuration's loadBalancer.setupCidrs entry, the
// network that may reach the ALB until Morpheus' setup is done.
const SetupCidr = "203.0.113.0/24"

// BaseConfig is the smallest valid configuration of an environment, the starting
// point tests change one key of.
func BaseConfig(env string) map[string]string {
	base := map[string]string{
		"aws:region":   "eu-west-1",
		"environment":  env,
		"domain":       "morpheus." + env + ".example.com",
		"owner":        "platform-team",
		"costCenter":   "cc-1234",
		"nodePackages": testNodePackages,
		"morpheus":     `{"packageUrl":"https://downloads.example.com/files/morpheus-appliance_8.0.7-1_amd64.deb","packageSha256":"` + TestPackageSHA256 + `"}`,
		// prod requires an alert subscriber; every environment gets one so a
		// test changing only `environment` stays valid.
		"alerts": `{"emails":["platform-alerts@example.com"]}`,
		// A new stack: Morpheus' setup is not done, so the listener admits
		// only the setup network (documentation range) until setupComplete.
		"loadBalancer": `{"hostedZoneId":"` + HostedZoneID + `","setupCidrs":["` + SetupCidr + `"]}`,
		// The ops function's package must exist; unit tests use the fixture.
		"ops": opsConfig(OpsArtifact),
		// prod copies backups to a DR region and needs a break-glass role.
		"backup": `{"drRegion":"` + DRRegion + `","breakGlassRoleArns":["` + BreakGlassRoleArn + `"]}`,
	}
	if env == "prod" {
		// Prod pins its AZs (the ones the lookup would pick) and names the
		// roles admitted to the admin secrets.
		base["network"] = `{"azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`
		base["security"] = `{"breakGlassRoleArns":["` + DeployerRoleArn + `"]}`
	}
	return base
}

// DeployerRoleArn is the role BaseConfig("prod") admits to the admin secrets,
// the role `pulumi up` runs as.
const DeployerRoleArn = "arn:aws:iam::" + AccountID + ":role/platform-deployer"

// With returns a copy of base with the given keys set (an empty value deletes).
func With(base map[string]string, kv ...string) map[string]string {
	out := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

// opsConfig is the `ops` object naming artifact, as the engine passes objects.
func opsConfig(artifact string) string {
	b, err := json.Marshal(map[string]string{"artifact": artifact})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// RequireRefused runs construct (a component constructor given bad args)
// with o and requires that it fails, saying want, before registering
// anything: not a child, not the component itself.
func RequireRefused(t testing.TB, o Options, construct pulumi.RunFunc, want string) {
	t.Helper()
	rec, err := Run(construct, o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), want)
	assert.Empty(t, rec.Resources(), "refused arguments must register nothing")
}
