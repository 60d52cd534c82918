package testutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// ProjectRoot is the repository root (where Pulumi.yaml lives), found from this
// source file's location like OpsArtifact.
var ProjectRoot = filepath.Join(filepath.Dir(OpsArtifact), "..", "..", "..")

// ShippedProject copies Pulumi.yaml and every shipped stack file into a fresh
// project directory, with the ops package fixture where `make opsfn` would
// put the function's package (unit tests do not cross-compile it), so a test
// can plan the stacks exactly as users configure them. extra adds or replaces
// files by name (e.g. a variant stack file).
func ShippedProject(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	stackFiles, err := filepath.Glob(filepath.Join(ProjectRoot, "Pulumi*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, stackFiles, "no Pulumi.yaml under %s", ProjectRoot)
	for _, from := range stackFiles {
		copyFile(t, from, filepath.Join(dir, filepath.Base(from)))
	}
	copyFile(t, OpsArtifact, filepath.Join(dir, "build", "opsfn", "opsfn.zip"))
	for name, body := range extra {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, b, 0o644))
}
