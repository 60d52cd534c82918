package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
)

// TestConnectionBudget: every node count the group may run fits Aurora with a
// node of surge; a count beyond Aurora's limit is refused with the numbers.
func TestConnectionBudget(t *testing.T) {
	for n := 1; n <= MaxAppNodes; n++ {
		require.NoError(t, checkConnectionBudget(n), "app.maxNodes %d", n)
		assert.GreaterOrEqual(t, MaxConnectionsFor(n), (n+1)*ConnectionsPerNode)
	}
	tooMany := aurora.MaxConnectionsLimit/ConnectionsPerNode + 1
	err := checkConnectionBudget(tooMany)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "above Aurora MySQL's limit of 16000")
}
