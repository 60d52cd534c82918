package runbookcheck_test

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/runbookcheck"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// projectDir is the repository root.
const projectDir = "../.."

// prodNames plans the shipped prod stack as `make plan STACK=prod` does and
// collects every stack name in its resources' inputs.
func prodNames(t *testing.T) map[string]bool {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"Pulumi.yaml", "Pulumi.prod.yaml"} {
		copyFile(t, filepath.Join(projectDir, name), filepath.Join(dir, name))
	}
	copyFile(t, testutil.OpsArtifact, filepath.Join(dir, "build", "opsfn", "opsfn.zip"))
	out := t.TempDir()
	_, err := plan.Run(stack.Run, nil, dir, out, "prod", io.Discard)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(out, "prod", "resources.json"))
	require.NoError(t, err)
	var resources []struct {
		Inputs map[string]any `json:"inputs"`
	}
	require.NoError(t, json.Unmarshal(b, &resources))
	names := map[string]bool{}
	for _, r := range resources {
		runbookcheck.Names(r.Inputs, names)
	}
	require.Greater(t, len(names), 50, "the prod plan names its resources")
	return names
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

// operatorNames are names the runbooks tell an operator to create (restored
// copies, drill resources): not the stack's, so not in the plan. Each is
// listed with the runbook that creates it; anything else must be in the plan.
var operatorNames = map[string]string{
	"morpheus-ha-prod-aurora-restored":   "backup-and-restore.md (restore to a new cluster)",
	"morpheus-ha-prod-stop-morpheus-ui-": "upgrade-morpheus.md (the stopAll association exists only during such an upgrade; internal/stack/upgrade_test.go plans it)",
	"morpheus-ha-prod-aurora-restored-1": "backup-and-restore.md (the restored cluster's instance)",
	"morpheus-ha-prod-aurora-damaged":    "backup-and-restore.md (the renamed damaged cluster)",
	"morpheus-ha-prod-aurora-test":       "backup-testing.md (the monthly test restore)",
}

// TestRunbooksNameRealResources: every prod name a runbook quotes is one the
// prod plan registers, or one a runbook has the operator create.
func TestRunbooksNameRealResources(t *testing.T) {
	names := prodNames(t)
	files, err := filepath.Glob(filepath.Join(projectDir, "docs", "runbooks", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			quoted := runbookcheck.Quoted(string(b))
			var unknown []string
			for _, q := range quoted {
				if _, created := operatorNames[q]; !created && !runbookcheck.Known(q, names) {
					unknown = append(unknown, q)
				}
			}
			sort.Strings(unknown)
			assert.Empty(t, unknown, "names quoted in %s that the prod plan does not have", filepath.Base(f))
		})
	}
}

// TestCheckerCatchesTypos: the checker finds names in inline code and fenced
// blocks, ignores prose, and rejects a name one character off.
func TestCheckerCatchesTypos(t *testing.T) {
	names := map[string]bool{
		"morpheus-ha-prod-app": true, "morpheus-ha-prod-dbCpu-1": true,
		"/morpheus-ha/prod/cloud-init": true, "alias/morpheus-ha-prod-logs": true,
	}
	doc := "Prose morpheus-ha-prod-nothing is ignored; `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names morpheus-ha-prod-app`.\n" +
		"```sh\naws logs tail /morpheus-ha/prod/cloud-init --follow\n```\n" +
		"Alarms `morpheus-ha-prod-dbCpu-<n>`, key `alias/morpheus-ha-prod-logs`, typo `morpheus-ha-prod-ap`, `/morpheus-ha/prod/cloudinit`,\n" +
		"and a span that wraps: `aws elbv2 describe-target-groups\n--names morpheus-ha-prod-tg`.\n"
	quoted := runbookcheck.Quoted(doc)
	assert.ElementsMatch(t, []string{
		"morpheus-ha-prod-app", "/morpheus-ha/prod/cloud-init", "morpheus-ha-prod-dbCpu-",
		"alias/morpheus-ha-prod-logs", "morpheus-ha-prod-ap", "/morpheus-ha/prod/cloudinit", "morpheus-ha-prod-tg",
	}, quoted)
	for _, tc := range []struct {
		name  string
		known bool
	}{
		{"morpheus-ha-prod-app", true},
		{"morpheus-ha-prod-dbCpu-", true},
		{"alias/morpheus-ha-prod-logs", true},
		{"/morpheus-ha/prod/cloud-init", true},
		{"morpheus-ha-prod-ap", false},
		{"/morpheus-ha/prod/cloudinit", false},
		{"alias/morpheus-ha-prod-log", false},
		{"morpheus-ha-prod-app-", false},
	} {
		assert.Equal(t, tc.known, runbookcheck.Known(tc.name, names), tc.name)
	}
}
