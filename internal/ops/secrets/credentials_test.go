package secrets_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

func TestParseCredentialsKeepsOtherKeys(t *testing.T) {
	c, err := secrets.ParseCredentials(`{"username":"morpheus","password":"s3cret","engine":"mysql","port":3306}`)
	require.NoError(t, err)
	assert.Equal(t, "morpheus", c.Username)
	assert.Equal(t, "s3cret", c.Password)

	out, err := c.WithLogin("morpheus_clone", "n3w").JSON()
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, map[string]any{"username": "morpheus_clone", "password": "n3w", "engine": "mysql", "port": float64(3306)}, doc)
}

func TestParseCredentialsRejectsWithoutQuotingTheValue(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":         `username=a password=hunter2`,
		"array":            `["hunter2"]`,
		"no password":      `{"username":"a"}`,
		"no username":      `{"password":"hunter2"}`,
		"empty password":   `{"username":"a","password":""}`,
		"numeric password": `{"username":"a","password":12345}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := secrets.ParseCredentials(in)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "hunter2")
			assert.NotContains(t, err.Error(), "12345")
		})
	}
}

func TestCredentialsNeverPrintThePassword(t *testing.T) {
	c, err := secrets.ParseCredentials(`{"username":"morpheus","password":"hunter2"}`)
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		assert.NotContains(t, s, "hunter2")
		assert.Contains(t, s, "morpheus")
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "creds", c)
	assert.NotContains(t, buf.String(), "hunter2")
	assert.Contains(t, buf.String(), `"username":"morpheus"`)
}

func TestUsernames(t *testing.T) {
	assert.Equal(t, "morpheus_clone", secrets.AlternateUsername("morpheus"))
	assert.Equal(t, "morpheus", secrets.AlternateUsername("morpheus_clone"))
	assert.Equal(t, "morpheus", secrets.BaseUsername("morpheus_clone"))
	assert.Equal(t, []string{"morpheus", "morpheus_clone"}, secrets.UsernamePair("morpheus_clone"))
	assert.Equal(t, []string{"morpheus", "morpheus_clone"}, secrets.UsernamePair("morpheus"))

	for _, ok := range []string{"morpheus", "morpheus_clone", "m", "a23456789012345678901234567890_clone"[:26]} {
		assert.NoError(t, secrets.ValidateUsername(ok), ok)
	}
	for _, bad := range []string{"", "1morpheus", "mor-pheus", "mor pheus", "o'brien", "a234567890123456789012345678"} {
		assert.Error(t, secrets.ValidateUsername(bad), bad)
	}
}

func TestDescriptionCurrentVersion(t *testing.T) {
	d := secrets.Description{VersionStages: map[string][]string{
		"a": {secrets.StagePrevious},
		"b": {secrets.StageCurrent, secrets.StagePending},
	}}
	assert.Equal(t, "b", d.CurrentVersion())
	assert.Equal(t, "", secrets.Description{}.CurrentVersion())
}
