package userdata

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestScriptsPassShellcheck runs shellcheck (all default checks, style level
// and up) on every script the user data installs, for both OS families.
func TestScriptsPassShellcheck(t *testing.T) {
	shellcheck := testutil.RequireTool(t, "shellcheck")
	for name, params := range fixtures {
		_, cc := mustCloudConfig(t, params())
		scripts := scriptFiles(cc)
		if len(scripts) != 5 {
			t.Fatalf("%s: found %d scripts, want 5", name, len(scripts))
		}
		for _, f := range scripts {
			t.Run(name+"/"+path.Base(f.Path), func(t *testing.T) {
				file := filepath.Join(t.TempDir(), path.Base(f.Path))
				if err := os.WriteFile(file, []byte(f.Content), 0o755); err != nil {
					t.Fatal(err)
				}
				out, err := exec.Command(shellcheck, "--shell=bash", "--severity=style", "--format=gcc", file).CombinedOutput()
				if err != nil {
					t.Errorf("shellcheck %s: %v\n%s", f.Path, err, out)
				}
			})
		}
	}
}

// TestScriptsParse runs bash -n as well: shellcheck tolerates some things bash
// refuses.
func TestScriptsParse(t *testing.T) {
	bash := testutil.RequireTool(t, "bash")
	for name, params := range fixtures {
		_, cc := mustCloudConfig(t, params())
		for _, f := range scriptFiles(cc) {
			if out, err := exec.Command(bash, "-n", "-c", f.Content).CombinedOutput(); err != nil {
				t.Errorf("%s %s: bash -n: %v\n%s", name, f.Path, err, out)
			}
		}
	}
}
