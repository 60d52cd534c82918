package mockengine

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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

// qualify puts every key without a namespace into project's, as the engine
// hands config to a program.
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
