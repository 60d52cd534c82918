package configdoc_test

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/configdoc"
)

var update = flag.Bool("update", false, "rewrite the README configuration table and the Pulumi.yaml descriptions (make docs)")

const (
	configDir  = "../config"
	readmePath = "../../README.md"
	pulumiPath = "../../Pulumi.yaml"
	stale      = "is stale: run `make docs` and commit the result"
)

func generate(t *testing.T) []configdoc.Key {
	t.Helper()
	docs, err := configdoc.ParseDocs(configDir)
	require.NoError(t, err)
	keys, err := configdoc.Keys(docs)
	require.NoError(t, err)
	return keys
}

// TestREADMETableIsGenerated compares the README's configuration table with
// the one the config struct generates (make docs rewrites it).
func TestREADMETableIsGenerated(t *testing.T) {
	want := configdoc.Table(generate(t))
	raw, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	if *update {
		out, err := configdoc.SpliceTable(string(raw), want)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(readmePath, []byte(out), 0o644))
		return
	}
	got, err := configdoc.CurrentTable(string(raw))
	require.NoError(t, err)
	assert.Equal(t, want, got, "README.md's configuration table "+stale)
}

// TestPulumiYAMLDescriptionsAreGenerated compares every key's description in
// Pulumi.yaml, as the CLI reads it, with the generated one (make docs rewrites
// them in place).
func TestPulumiYAMLDescriptionsAreGenerated(t *testing.T) {
	descs := configdoc.Descriptions(generate(t))
	raw, err := os.ReadFile(pulumiPath)
	require.NoError(t, err)
	if *update {
		out, err := configdoc.RewriteDescriptions(string(raw), descs)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(pulumiPath, []byte(out), 0o644))
		return
	}
	var proj struct {
		Config map[string]struct {
			Description string `yaml:"description"`
		} `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &proj))
	for key, want := range descs {
		assert.Equal(t, want, proj.Config[key].Description, "Pulumi.yaml's description of %s "+stale, key)
	}
}

// TestEveryKeyIsGenerated: the generated keys are exactly the keys the program
// reads, plus aws:region, and every leaf has a type, a text and a default.
func TestEveryKeyIsGenerated(t *testing.T) {
	keys := generate(t)
	var top []string
	for _, k := range keys {
		top = append(top, k.Name)
		for _, leaf := range k.Leaves() {
			assert.NotEmpty(t, leaf.Type, leaf.Name)
			assert.NotEmpty(t, leaf.Doc, leaf.Name)
			assert.NotEmpty(t, leaf.Default, leaf.Name)
		}
	}
	assert.ElementsMatch(t, append(slices.Clone(config.ProjectKeys), config.RegionKey), top)

	table := configdoc.Table(keys)
	// Keys an earlier, hand-written table left out.
	for _, key := range []string{"app.amiId", "app.rootVolumeGiB", "app.cpuTargetPercent", "app.requestsPerTarget",
		"alerts.diskPaths", "alerts.processPattern", "alerts.errorLogPattern", "alerts.failedLoginPattern"} {
		assert.Contains(t, table, "| `"+key+"` |")
	}
}

// TestDefaultsAreMeasured checks rendered defaults against values the config
// package states, per environment, and that required keys say so.
func TestDefaultsAreMeasured(t *testing.T) {
	byName := map[string]configdoc.Key{}
	for _, top := range generate(t) {
		for _, k := range top.Leaves() {
			byName[k.Name] = k
		}
	}
	for key, want := range map[string]string{
		"environment":               "`" + string(config.DefaultEnvironment) + "`",
		"network.cidr":              "`" + config.DefaultVPCCIDR + "`",
		"network.azCount":           "2 in dev, 3 otherwise",
		"logs.retentionDays":        "14 in dev, 30 in staging, 365 in prod",
		"app.rootVolumeGiB":         "200, 400 in prod",
		"domain":                    "required",
		"aws:region":                "required",
		"morpheus.packageUrl":       "required",
		"alerts.emails":             "`[]`, required in prod",
		"loadBalancer.allowedCidrs": "`[\"0.0.0.0/0\"]`",
		"ops.rotationDays":          "30",
		"allowDestroy":              "`false`",
	} {
		assert.Equal(t, want, byName[key].Default, key)
	}
}

func TestRewriteDescriptionsKeepsTheRest(t *testing.T) {
	src := strings.Join([]string{
		"name: x",
		"config:",
		"  # a comment that must survive",
		"  b:",
		"    type: string",
		"    description: \"old\" # trailing",
		"    default: \"\"",
		"  a:",
		"    type: object",
		"    description: old",
		"    default: {}",
		"other: 1",
		"",
	}, "\n")
	out, err := configdoc.RewriteDescriptions(src, map[string]string{"a": `new "quoted" text: with colon`, "b": "plain"})
	require.NoError(t, err)
	assert.Equal(t, strings.Replace(strings.Replace(src,
		"    description: \"old\" # trailing", "    description: \"plain\" # trailing", 1),
		"    description: old", `    description: "new \"quoted\" text: with colon"`, 1), out)

	var parsed map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(out), &parsed))
	assert.Equal(t, `new "quoted" text: with colon`, parsed["config"].(map[string]any)["a"].(map[string]any)["description"])

	_, err = configdoc.RewriteDescriptions(src, map[string]string{"missing": "x"})
	assert.ErrorContains(t, err, "missing")
	_, err = configdoc.RewriteDescriptions(strings.Replace(src, "description: old", "description: >\n      folded", 1), map[string]string{"a": "x"})
	assert.ErrorContains(t, err, "one-line", "a block scalar continues below and cannot be replaced line by line")
}

func TestSpliceTable(t *testing.T) {
	doc := "intro\n" + configdoc.TableBegin + "\nold\n" + configdoc.TableEnd + "\nafter\n"
	out, err := configdoc.SpliceTable(doc, "| new |\n")
	require.NoError(t, err)
	assert.Equal(t, "intro\n"+configdoc.TableBegin+"\n| new |\n"+configdoc.TableEnd+"\nafter\n", out)
	got, err := configdoc.CurrentTable(out)
	require.NoError(t, err)
	assert.Equal(t, "| new |\n", got)
	_, err = configdoc.SpliceTable("no markers", "x")
	assert.Error(t, err)
}
