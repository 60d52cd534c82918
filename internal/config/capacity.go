package config

import (
	"fmt"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
)

// checkConnectionBudget is the database side of the node count: Aurora's
// max_connections, sized by MaxConnectionsFor, must hold every node's pool
// (maxNodes × ConnectionsPerNode) plus one node of surge, and stay within what
// Aurora accepts. MaxConnectionsFor satisfies the first by construction and
// MaxAppNodes the second; the check keeps both true if either constant changes.
func checkConnectionBudget(maxNodes int) error {
	need := maxNodes * ConnectionsPerNode
	have := MaxConnectionsFor(maxNodes)
	switch {
	case have < need+ConnectionsPerNode:
		return fmt.Errorf("gives max_connections %d, below %d nodes × %d pooled connections plus one node of surge (%d)",
			have, maxNodes, ConnectionsPerNode, need+ConnectionsPerNode)
	case have > aurora.MaxConnectionsLimit:
		return fmt.Errorf("needs max_connections %d (%d × (nodes + 1)), above Aurora MySQL's limit of %d; run fewer, larger nodes",
			have, ConnectionsPerNode, aurora.MaxConnectionsLimit)
	}
	return nil
}

// validateCapacity keeps the tiers' sizes consistent with the node count.
func validateCapacity(cfg *Config, c *collector) {
	if err := checkConnectionBudget(cfg.App.MaxNodes); err != nil {
		c.addf("app.maxNodes", cfg.App.MaxNodes, "%v", err)
	}
}
