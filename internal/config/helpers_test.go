package config_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// parseWith parses the smallest valid configuration of env (testutil.BaseConfig)
// with kv's keys set (unqualified project keys, objects as JSON; an empty value
// deletes), exactly as the Pulumi engine would hand them over.
func parseWith(env string, kv ...string) (*config.Config, error) {
	values := map[string]string{}
	for k, v := range testutil.With(testutil.BaseConfig(env), kv...) {
		if !strings.Contains(k, ":") {
			k = testutil.Project + ":" + k
		}
		values[k] = v
	}
	return config.Parse(testutil.Project, env, func(key string) (string, bool) {
		v, ok := values[key]
		return v, ok
	})
}

// requireFieldError requires err to hold a config.FieldError for key (fully
// qualified, "morpheus-ha:...") whose rule contains rule, and the whole
// message to name the key.
func requireFieldError(t *testing.T, err error, key, rule string) {
	t.Helper()
	require.Error(t, err)
	var errs config.Errors
	require.ErrorAs(t, err, &errs)
	var found *config.FieldError
	for i := range errs {
		if errs[i].Key == key {
			found = &errs[i]
		}
	}
	require.NotNil(t, found, "an error names %s; got:\n%v", key, err)
	assert.Contains(t, found.Error(), rule)
	assert.Contains(t, err.Error(), key)
}
