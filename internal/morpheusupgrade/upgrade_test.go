package morpheusupgrade_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/morpheusupgrade"
)

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		change   bool
		allowed  bool
		needs    morpheusupgrade.Strategy
	}{
		{"8.0.7", "8.0.7", false, true, morpheusupgrade.Rolling},
		{"8.0.7-1", "8.0.7-2", false, true, morpheusupgrade.Rolling},
		{"8.0.5", "8.0.7", true, true, morpheusupgrade.Rolling},
		{"8.0.6", "8.0.7", true, true, morpheusupgrade.Rolling},
		{"8.0.4", "8.0.7", true, true, morpheusupgrade.StopAll},
		{"8.0.7", "8.0.8", true, true, morpheusupgrade.StopAll},
		{"8.0.7", "8.1.0", true, true, morpheusupgrade.StopAll},
		{"8.0.7", "8.0.5", true, false, ""},
		{"8.1.0", "8.0.7", true, false, ""},
	} {
		d, err := morpheusupgrade.Decide(tc.from, tc.to)
		require.NoError(t, err, "%s -> %s", tc.from, tc.to)
		assert.Equal(t, tc.change, d.Change, "%s -> %s change", tc.from, tc.to)
		assert.Equal(t, tc.allowed, d.Allowed, "%s -> %s allowed", tc.from, tc.to)
		assert.Equal(t, tc.needs, d.Needs, "%s -> %s: %s", tc.from, tc.to, d.Reason)
		assert.NotEmpty(t, d.Reason)
	}
}

func TestDecideRejectsMalformedVersions(t *testing.T) {
	for _, pair := range [][2]string{{"8.0", "8.0.7"}, {"8.0.7", "eight"}, {"8.0.x", "8.0.7"}} {
		_, err := morpheusupgrade.Decide(pair[0], pair[1])
		assert.Error(t, err, "%v", pair)
	}
}
