// Package plan is the offline synthesis: it reads Pulumi.yaml and a stack file
// the way the Pulumi CLI does, runs the real program under mocks, and renders
// what `pulumi up` would create, with no AWS credentials and no Pulumi CLI.
package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// SecretPlaceholder stands in for every `secure:` value of the stack file.
const SecretPlaceholder = "offline-plan-secret-placeholder"

// StackConfig is a stack's configuration as the engine would hand it over.
type StackConfig struct {
	// Project is Pulumi.yaml's name.
	Project string
	// Stack is the stack name.
	Stack string
	// Values maps fully qualified keys to values (objects as JSON).
	Values map[string]string
	// SecretKeys are the keys whose values were `secure:` in the stack file.
	SecretKeys []string
}

type projectFile struct {
	Name   string                    `yaml:"name"`
	Config map[string]projectSetting `yaml:"config"`
}

type projectSetting struct {
	Type    string `yaml:"type"`
	Default any    `yaml:"default"`
	Value   any    `yaml:"value"`
}

type stackFile struct {
	Config map[string]any `yaml:"config"`
}

// LoadStack reads Pulumi.yaml and Pulumi.<stack>.yaml from dir. Project keys the
// stack does not set take Pulumi.yaml's default, as the CLI does; a key of the
// project's namespace that the program does not read is an error.
func LoadStack(dir, stack string) (*StackConfig, error) {
	var proj projectFile
	if err := readYAML(filepath.Join(dir, "Pulumi.yaml"), &proj); err != nil {
		return nil, err
	}
	if proj.Name == "" {
		return nil, fmt.Errorf("Pulumi.yaml: no project name")
	}
	var sf stackFile
	stackPath := filepath.Join(dir, "Pulumi."+stack+".yaml")
	if err := readYAML(stackPath, &sf); err != nil {
		return nil, err
	}

	out := &StackConfig{Project: proj.Name, Stack: stack, Values: map[string]string{}}
	keys := make([]string, 0, len(sf.Config))
	for key, raw := range sf.Config {
		keys = append(keys, key)
		value, secret, err := encode(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", stackPath, key, err)
		}
		out.Values[key] = value
		if secret {
			out.SecretKeys = append(out.SecretKeys, key)
		}
	}
	if unknown := config.UnknownKeys(proj.Name, keys); len(unknown) > 0 {
		return nil, unknown
	}
	for key, setting := range proj.Config {
		full := key
		if !strings.Contains(key, ":") {
			full = proj.Name + ":" + key
		}
		if _, set := out.Values[full]; set {
			continue
		}
		v := setting.Default
		if v == nil {
			v = setting.Value
		}
		if v == nil {
			continue
		}
		value, _, err := encode(v)
		if err != nil {
			return nil, fmt.Errorf("Pulumi.yaml: %s: %w", key, err)
		}
		out.Values[full] = value
	}
	sort.Strings(out.SecretKeys)
	return out, nil
}

// encode turns a YAML value into the string the engine passes: scalars as text,
// objects and lists as JSON, and `secure:` values as a placeholder.
func encode(v any) (value string, secret bool, err error) {
	switch t := v.(type) {
	case string:
		return t, false, nil
	case bool, int, int64, float64:
		return fmt.Sprint(t), false, nil
	case map[string]any:
		if _, ok := t["secure"]; ok && len(t) == 1 {
			return SecretPlaceholder, true, nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", false, err
	}
	return string(b), false, nil
}

func readYAML(path string, into any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
