package testutil

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

// Project is the Pulumi project name (Pulumi.yaml `name`), the config namespace.
const Project = "morpheus-ha"

// Options configures one mock run.
type Options struct {
	// Project defaults to Project.
	Project string
	// Stack defaults to the config's environment, else "test".
	Stack string
	// Config maps keys to values; a key without a namespace is the project's.
	// Objects are JSON strings, as the Pulumi engine passes them.
	Config map[string]string
	// SecretKeys are config keys (same form as Config) that hold secrets.
	SecretKeys []string
	// DryRun runs the program as `pulumi preview` would.
	DryRun bool
	// RootDirectory is the project directory (Pulumi.yaml's), which the engine
	// passes as PULUMI_ROOT_DIRECTORY; relative paths in config resolve against it.
	RootDirectory string
	// Deployed are the outputs of the stack's last deployment, which the
	// program reads through a stack reference to itself; nil is a first
	// deployment.
	Deployed map[string]any
}

// Run executes program under mocks and returns what it registered. The error is
// the program's, or the first mock failure (duplicate URN, unexpected invoke).
func Run(program pulumi.RunFunc, o Options) (*Recorder, error) {
	project := o.Project
	if project == "" {
		project = Project
	}
	cfg := qualify(project, o.Config)
	stack := o.Stack
	if stack == "" {
		stack = cfg[project+":environment"]
		if stack == "" {
			stack = "test"
		}
	}
	secrets := make([]string, 0, len(o.SecretKeys))
	for k := range qualify(project, toSet(o.SecretKeys)) {
		secrets = append(secrets, k)
	}
	rec := NewRecorder(project, stack, cfg["aws:region"])
	rec.Deployed = o.Deployed
	err := pulumi.RunErr(program, pulumi.WithMocks(project, stack, rec), func(info *pulumi.RunInfo) {
		info.Config = cfg
		info.ConfigSecretKeys = secrets
		info.DryRun = o.DryRun
		info.RootDirectory = o.RootDirectory
	})
	return rec, err
}

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

// HostedZoneID is the fake Route 53 zone BaseConfig's domain lives in.
const HostedZoneID = "Z0TESTZONE12345"

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
		"alerts":       `{"emails":["platform-alerts@example.com"]}`,
		"loadBalancer": `{"hostedZoneId":"` + HostedZoneID + `"}`,
		// The ops function's package must exist; unit tests use the fixture.
		"ops": opsConfig(OpsArtifact),
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

func qualify(project string, cfg map[string]string) map[string]string {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		if !strings.Contains(k, ":") {
			k = project + ":" + k
		}
		out[k] = v
	}
	return out
}

func toSet(keys []string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		out[k] = ""
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
