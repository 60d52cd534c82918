package stack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestParametersWrittenAreExactlyThoseTheNodesRead compares two independent
// lists: the parameters the data tier registers, and the names the rendered
// user data reads (taken from the user data itself). A parameter nobody reads,
// or one the nodes wait for in vain, fails.
func TestParametersWrittenAreExactlyThoseTheNodesRead(t *testing.T) {
	rec := runEnv(t, "prod")
	var written []string
	for _, p := range rec.ByType("aws:ssm/parameter:Parameter") {
		written = append(written, p.String("name"))
		assert.Equal(t, "SecureString", p.String("type"), p.Name)
	}
	cfg, err := config.Parse("morpheus-ha", "prod", func(k string) (string, bool) {
		v, ok := testutil.BaseConfig("prod")[strings.TrimPrefix(k, "morpheus-ha:")]
		return v, ok
	})
	require.NoError(t, err)
	names, err := contract.New(cfg)
	require.NoError(t, err)
	read := names.UserData.Parameters.All()
	ud := userData(t, rec)
	for _, n := range read {
		assert.Contains(t, ud, n, "the user data reads %s", n)
	}
	assert.ElementsMatch(t, read, written)
}
