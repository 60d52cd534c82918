package loadcheck_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/loadcheck"
)

// mainRun runs the command's Main against f and returns its exit status and
// everything it wrote.
func mainRun(t *testing.T, f *fakeMorpheus, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"-url", f.srv.URL, "-username", fakeUser, "-ca-file", f.caFile}, args...)
	code := loadcheck.Main(context.Background(), args, env(vars), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// assertNoSecret fails if any output holds the password or a token.
func assertNoSecret(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, secret := range []string{fakePassword, fakeToken, "refresh-never-print-me"} {
			assert.NotContains(t, out, secret)
		}
	}
}

func TestMainPassesAndNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{"/api/ping": {}, "/api/whoami": {}, "/api/instances": {}, "/api/servers": {}})
	vars := map[string]string{loadcheck.PasswordEnv: fakePassword}
	code, stdout, stderr := mainRun(t, f, vars, "-rate", "40", "-duration", "200ms")
	assert.Equal(t, loadcheck.ExitPass, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, "PASS")
	for _, p := range loadcheck.DefaultPaths {
		assert.Contains(t, stdout, p)
	}
	assert.Contains(t, stderr, "logged in as")
	assertNoSecret(t, stdout, stderr)

	code, stdout, stderr = mainRun(t, f, vars, "-rate", "40", "-duration", "200ms", "-json")
	assert.Equal(t, loadcheck.ExitPass, code)
	var report loadcheck.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &report), stdout)
	assert.True(t, report.Passed)
	assert.Equal(t, int64(8), report.Offered)
	assert.Len(t, report.ByPath, len(loadcheck.DefaultPaths))
	assertNoSecret(t, stdout, stderr)
	f.assertCleanLogin(2)
}

func TestMainFailsThresholdsWithExitOne(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{"/api/servers": {status: 500}, "/api/whoami": {}})
	file := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(file, []byte(fakePassword+"\n"), 0o600))
	code, stdout, stderr := mainRun(t, f, nil, "-password-file", file, "-rate", "40", "-duration", "200ms",
		"-paths", "/api/whoami,/api/servers?max=25", "-json")
	assert.Equal(t, loadcheck.ExitThreshold, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	var report loadcheck.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	assert.False(t, report.Passed)
	assert.Equal(t, map[string]int64{"http_500": 4}, report.ErrorsByClass)
	assertNoSecret(t, stdout, stderr)
}

func TestMainLoginFailureExitsTwoWithoutSecrets(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{"/api/ping": {}})
	wrong := fakePassword + "-wrong"
	code, stdout, stderr := mainRun(t, f, map[string]string{loadcheck.PasswordEnv: wrong}, "-duration", "100ms")
	assert.Equal(t, loadcheck.ExitNoRun, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "HTTP 400 (invalid_grant: Bad credentials)")
	assert.NotContains(t, stderr, wrong)
	assertNoSecret(t, stdout, stderr)
	assert.Zero(t, f.totalHits(), "no load without a token")
}

func TestMainRefusesBadFlagsWithExitTwo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := loadcheck.Main(context.Background(), []string{"-url", "https://m.example.com", "-username", "ops", "-password", fakePassword},
		env(nil), &stdout, &stderr)
	assert.Equal(t, loadcheck.ExitNoRun, code)
	assert.Contains(t, stderr.String(), "-password")
	assertNoSecret(t, stdout.String(), stderr.String())
	assert.True(t, strings.HasPrefix(stderr.String(), "flag provided but not defined"), stderr.String())
	assert.Equal(t, 1, strings.Count(stderr.String(), "flag provided but not defined"), "reported once")
}

func TestMainHelpExitsZero(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, loadcheck.Main(context.Background(), []string{"-h"}, env(nil), &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-max-error-rate")
	assert.Contains(t, stderr.String(), "never from a flag")
}
