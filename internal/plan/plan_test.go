package plan_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// projectDir is the repository root, where Pulumi.yaml and the stack files live.
const projectDir = "../.."

func TestPlanShippedStacks(t *testing.T) {
	for _, tc := range []struct {
		stack string
		nats  int
	}{{"dev", 1}, {"prod", 3}} {
		t.Run(tc.stack, func(t *testing.T) {
			dir := testutil.ShippedProject(t, nil)
			out := t.TempDir()
			var buf bytes.Buffer
			res, err := plan.Run(stack.Run, nil, dir, out, tc.stack, &buf)
			require.NoError(t, err)
			assert.Contains(t, buf.String(), "morpheus:network:Network")
			assert.Contains(t, buf.String(), "aws:kms/key:Key")

			var entries []plan.Entry
			b, err := os.ReadFile(filepath.Join(out, tc.stack, "resources.json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &entries))
			require.Len(t, entries, len(res.Resources))
			nats := 0
			for _, e := range entries {
				assert.NotEmpty(t, e.URN)
				switch e.Type {
				case "aws:ec2/natGateway:NatGateway":
					nats++
				case "aws:lambda/function:Function":
					// The default artifact path is resolved against the project.
					assert.Equal(t, map[string]any{"archive": filepath.Join(dir, "build", "opsfn", "opsfn.zip")}, e.Inputs["code"])
				}
			}
			assert.Equal(t, tc.nats, nats)
		})
	}
}

// TestPlanIsDeterministic: two plans of one stack write the same bytes.
func TestPlanIsDeterministic(t *testing.T) {
	dir := testutil.ShippedProject(t, nil)
	read := func() []byte {
		out := t.TempDir()
		_, err := plan.Run(stack.Run, nil, dir, out, "prod", &bytes.Buffer{})
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(out, "prod", "resources.json"))
		require.NoError(t, err)
		return b
	}
	assert.Equal(t, string(read()), string(read()))
}

func writeProject(t *testing.T, stackYAML string) string {
	t.Helper()
	dir := t.TempDir()
	pulumiYAML, err := os.ReadFile(filepath.Join(projectDir, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), pulumiYAML, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.bad.yaml"), []byte(stackYAML), 0o644))
	return dir
}

// TestPlanWithoutTheFunctionPackage: a clone that skipped `make opsfn` (which
// `make plan` runs first) is told so, and nothing is written.
func TestPlanWithoutTheFunctionPackage(t *testing.T) {
	dir := testutil.ShippedProject(t, nil)
	require.NoError(t, os.Remove(filepath.Join(dir, "build", "opsfn", "opsfn.zip")))
	out := t.TempDir()
	var buf bytes.Buffer
	_, err := plan.Run(stack.Run, nil, dir, out, "dev", &buf)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `run "make opsfn" first`)
	assert.Empty(t, buf.String())
	_, statErr := os.Stat(filepath.Join(out, "dev"))
	assert.True(t, os.IsNotExist(statErr))
}

func TestBadStackFileFailsWithoutOutput(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown key", "config:\n  aws:region: eu-west-1\n  morpheus-ha:netwrk:\n    cidr: 10.0.0.0/16\n", "morpheus-ha:netwrk"},
		{"bad value", "config:\n  aws:region: eu-west-1\n  morpheus-ha:environment: prod\n  morpheus-ha:domain: x.example.com\n  morpheus-ha:owner: o\n  morpheus-ha:costCenter: c\n  morpheus-ha:network:\n    azCount: 2\n", "morpheus-ha:network.azCount"},
		{"typo in object field", "config:\n  aws:region: eu-west-1\n  morpheus-ha:network:\n    cidrr: 10.0.0.0/16\n", "morpheus-ha:network.cidrr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeProject(t, tc.yaml)
			out := t.TempDir()
			var buf bytes.Buffer
			_, err := plan.Run(stack.Run, nil, dir, out, "bad", &buf)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, buf.String(), "nothing but the error may be printed")
			_, statErr := os.Stat(filepath.Join(out, "bad"))
			assert.True(t, os.IsNotExist(statErr), "no artifacts for a bad stack")
		})
	}
}

// TestSecureValuesArePlaceholdersAndRedacted: a secure: value reaches the program
// as a secret placeholder, and resources.json never shows secret inputs.
func TestSecureValuesArePlaceholdersAndRedacted(t *testing.T) {
	sc, err := plan.LoadStack(writeProject(t, "config:\n  aws:region: eu-west-1\n  morpheus-ha:owner:\n    secure: AAABAJ0bnVyc2U=\n"), "bad")
	require.NoError(t, err)
	assert.Equal(t, plan.SecretPlaceholder, sc.Values["morpheus-ha:owner"])
	assert.Equal(t, []string{"morpheus-ha:owner"}, sc.SecretKeys)
	// Pulumi.yaml defaults fill what the stack leaves out, as the CLI does.
	assert.Equal(t, "dev", sc.Values["morpheus-ha:environment"])

	redacted := plan.Plain(resource.PropertyMap{
		"user":     resource.NewStringProperty("visible"),
		"password": resource.MakeSecret(resource.NewStringProperty("hunter2-secret")),
		"nested": resource.NewObjectProperty(resource.PropertyMap{
			"list": resource.NewArrayProperty([]resource.PropertyValue{resource.MakeSecret(resource.NewStringProperty("x"))}),
		}),
	})
	assert.Equal(t, plan.Redacted, redacted["password"])
	assert.Equal(t, "visible", redacted["user"])
	assert.Equal(t, []any{plan.Redacted}, redacted["nested"].(map[string]any)["list"])
}
