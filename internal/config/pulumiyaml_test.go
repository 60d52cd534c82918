package config_test

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

type setting struct {
	Type        string `yaml:"type"`
	Description string `yaml:"description"`
	Default     any    `yaml:"default"`
	Value       any    `yaml:"value"`
}

func loadPulumiYAML(t *testing.T) map[string]setting {
	t.Helper()
	b, err := os.ReadFile("../../Pulumi.yaml")
	require.NoError(t, err)
	var proj struct {
		Name   string             `yaml:"name"`
		Config map[string]setting `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(b, &proj))
	require.Equal(t, "morpheus-ha", proj.Name)
	return proj.Config
}

// TestPulumiYAMLMirrorsGo keeps Pulumi.yaml's typed config block and the Go
// configuration in step: same keys, each typed, described and defaulted, and
// foreign keys untyped (the CLI rejects a type on them).
func TestPulumiYAMLMirrorsGo(t *testing.T) {
	settings := loadPulumiYAML(t)
	for key, s := range settings {
		if strings.Contains(key, ":") {
			assert.Empty(t, s.Type, "foreign key %s must not declare a type", key)
			assert.Nil(t, s.Default, "foreign key %s takes only value:", key)
			continue
		}
		assert.Contains(t, config.ProjectKeys, key, "Pulumi.yaml declares %s, which the program does not read", key)
	}
	for _, key := range config.ProjectKeys {
		s, ok := settings[key]
		if !assert.True(t, ok, "Pulumi.yaml lacks %s", key) {
			continue
		}
		assert.Contains(t, []string{"string", "integer", "boolean", "array", "object"}, s.Type, key)
		assert.NotEmpty(t, s.Description, key)
		require.NotNil(t, s.Default, "%s needs a default", key)
		switch s.Type {
		case "object":
			assert.Equal(t, map[string]any{}, s.Default, "%s: object defaults are {} (their fields default by environment in Go)", key)
		case "string":
			assert.IsType(t, "", s.Default, key)
		case "boolean":
			assert.IsType(t, false, s.Default, key)
		}
	}
	assert.Equal(t, string(config.DefaultEnvironment), settings["environment"].Default)
	assert.Equal(t, false, settings["allowDestroy"].Default)
}

// TestObjectDescriptionsNameEveryField: the description is the only place a user
// of `pulumi config` sees an object's fields.
func TestObjectDescriptionsNameEveryField(t *testing.T) {
	settings := loadPulumiYAML(t)
	ct := reflect.TypeOf(config.Config{})
	sections := 0
	for i := 0; i < ct.NumField(); i++ {
		f := ct.Field(i)
		if f.Type.Kind() != reflect.Struct {
			continue
		}
		sections++
		key := string(unicode.ToLower(rune(f.Name[0]))) + f.Name[1:]
		require.True(t, slices.Contains(config.ProjectKeys, key), "section %s must be a project key", key)
		desc := settings[key].Description
		for j := 0; j < f.Type.NumField(); j++ {
			name, _, _ := strings.Cut(f.Type.Field(j).Tag.Get("json"), ",")
			assert.Contains(t, desc, name, "Pulumi.yaml's %s description must name field %s", key, name)
		}
	}
	assert.GreaterOrEqual(t, sections, 4)
}
