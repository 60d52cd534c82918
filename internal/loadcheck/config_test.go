package loadcheck_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/loadcheck"
)

func TestParseFlagsDefaultsAndEnvironment(t *testing.T) {
	cfg, err := loadcheck.ParseFlags(nil, env(map[string]string{
		loadcheck.URLEnv: "https://morpheus.example.com/", loadcheck.UsernameEnv: "ops",
		loadcheck.PasswordEnv: fakePassword,
	}), &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, "https://morpheus.example.com", cfg.BaseURL.String(), "trailing slash trimmed")
	assert.Equal(t, "ops", cfg.Username)
	assert.Equal(t, fakePassword, cfg.Password.Reveal())
	assert.Equal(t, loadcheck.DefaultPaths, cfg.Paths)
	assert.Equal(t, loadcheck.DefaultRate, cfg.Rate)
	assert.Equal(t, loadcheck.DefaultConcurrency, cfg.Concurrency)
	assert.Equal(t, loadcheck.DefaultDuration, cfg.Duration)
	assert.Equal(t, loadcheck.DefaultMaxErrorRate, cfg.Thresholds.MaxErrorRate)
	assert.Zero(t, cfg.Thresholds.MaxP95)
}

func TestParseFlagsPasswordFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(file, []byte(fakePassword+"\r\nsecond line\n"), 0o600))
	cfg, err := loadcheck.ParseFlags([]string{"-url", "https://m.example.com", "-username", "ops", "-password-file", file,
		"-paths", " /api/whoami , /api/instances?max=5", "-max-p95", "2s"}, env(nil), &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, fakePassword, cfg.Password.Reveal(), "first line, without its line ending")
	assert.Equal(t, []string{"/api/whoami", "/api/instances?max=5"}, cfg.Paths)
	assert.Equal(t, 2*time.Second, cfg.Thresholds.MaxP95)
}

func TestParseFlagsRefuses(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("x\n"), 0o600))
	emptyFile := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(emptyFile, []byte("\n"), 0o600))
	base := map[string]string{loadcheck.UsernameEnv: "ops", loadcheck.PasswordEnv: fakePassword}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"password flag does not exist", []string{"-url", "https://m.example.com", "-password=" + fakePassword}, base, "flag provided but not defined: -password"},
		{"insecure is not offered", []string{"-url", "https://m.example.com", "-insecure"}, base, "flag provided but not defined: -insecure"},
		{"plain http", []string{"-url", "http://m.example.com"}, base, "must be an https:// URL"},
		{"credentials in the URL", []string{"-url", "https://ops:" + fakePassword + "@m.example.com"}, base, "must not hold credentials"},
		{"no URL", nil, base, "-url: required"},
		{"no username", []string{"-url", "https://m.example.com"}, map[string]string{loadcheck.PasswordEnv: "x"}, "-username"},
		{"no password", []string{"-url", "https://m.example.com"}, map[string]string{loadcheck.UsernameEnv: "ops"}, "no password"},
		{"both password sources", []string{"-url", "https://m.example.com", "-password-file", pwFile}, base, "not both"},
		{"empty password file", []string{"-url", "https://m.example.com", "-password-file", emptyFile}, map[string]string{loadcheck.UsernameEnv: "ops"}, "first line is empty"},
		{"absolute URL as path", []string{"-url", "https://m.example.com", "-paths", "https://evil.example.com/api/whoami"}, base, "must be a path on the appliance"},
		{"scheme-relative path", []string{"-url", "https://m.example.com", "-paths", "//evil.example.com/x"}, base, "must be a path on the appliance"},
		{"empty path", []string{"-url", "https://m.example.com", "-paths", "/api/ping,,/api/whoami"}, base, "empty path"},
		{"zero rate", []string{"-url", "https://m.example.com", "-rate", "0"}, base, "-rate 0"},
		{"rate above the cap", []string{"-url", "https://m.example.com", "-rate", "5000"}, base, "-rate 5000"},
		{"duration above the cap", []string{"-url", "https://m.example.com", "-duration", "31m"}, base, "-duration 31m0s"},
		{"no workers", []string{"-url", "https://m.example.com", "-concurrency", "0"}, base, "-concurrency 0"},
		{"error rate as a percentage", []string{"-url", "https://m.example.com", "-max-error-rate", "5"}, base, "fraction between 0 and 1"},
		{"stray argument", []string{"-url", "https://m.example.com", "extra"}, base, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := loadcheck.ParseFlags(tt.args, env(tt.env), &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error()+stderr.String(), tt.want)
			assert.NotContains(t, err.Error()+stderr.String(), fakePassword)
		})
	}
}
