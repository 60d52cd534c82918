package config_test

import (
	"strings"

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
