package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// RequireTool returns the path of an external checker (shellcheck, ruby,
// python3). Missing on a developer's machine it skips the test, visibly;
// missing in CI (CI set, as .ci/run runs) it fails it, because .ci/run installs
// every tool the tests use and a silent skip there would be a check that can
// never fail.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed, and CI must run every check: add it to .ci/run's apt-get install", name)
	}
	t.Skipf("SKIPPED: %s is not installed (apt-get install -y %s); CI installs it", name, name)
	return ""
}
