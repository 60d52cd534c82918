package stack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/morpheus-ha/morpheus-ha/internal/nodeparams"
)

// TestDataTierWritesEveryNodeParameter: the nodes read these names at boot
// (internal/userdata), so the data tier must write each one, under the stack's
// prefix, as a SecureString.
func TestDataTierWritesEveryNodeParameter(t *testing.T) {
	rec := runEnv(t, "prod")
	var names []string
	for _, p := range rec.ByType("aws:ssm/parameter:Parameter") {
		names = append(names, p.String("name"))
		assert.Equal(t, "SecureString", p.String("type"), p.Name)
	}
	want := make([]string, len(nodeparams.All))
	for i, key := range nodeparams.All {
		want[i] = "/morpheus-ha/prod/" + key
	}
	assert.ElementsMatch(t, want, names)
}
