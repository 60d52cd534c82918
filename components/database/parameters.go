package database

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// clusterParameterGroup sets what Morpheus and the controls need. Aurora applies
// instance-level values set here (max_connections, slow log) to every instance,
// so a reader promoted by a failover serves with the same limits.
func (b *builder) clusterParameterGroup() (*rds.ClusterParameterGroup, error) {
	params := rds.ClusterParameterGroupParameterArray{}
	for _, p := range ClusterParameters(b.args.MaxConnections) {
		params = append(params, rds.ClusterParameterGroupParameterArgs{
			Name:  pulumi.String(p.Name),
			Value: pulumi.String(p.Value),
		})
	}
	return rds.NewClusterParameterGroup(b.ctx, b.name+"-cluster-params", &rds.ClusterParameterGroupArgs{
		Name:        pulumi.String(b.args.Namer.Name(naming.RDSIdentifier, "aurora-cluster")),
		Family:      pulumi.String(aurora.ParameterGroupFamily),
		Description: pulumi.String("Aurora MySQL for Morpheus: utf8mb4, TLS only, audit, connection limit"),
		Parameters:  params,
	}, b.parent)
}

// Parameter is one cluster parameter.
type Parameter struct {
	Name, Value string
}

// ClusterParameters are the cluster parameter group's settings. All are dynamic,
// so they apply without a reboot.
func ClusterParameters(maxConnections int) []Parameter {
	return []Parameter{
		// Morpheus's schema is utf8mb4 with the general collation
		// (https://github.com/gomorpheus/morpheus-docs/blob/8.0.7/getting_started/installation/database_configure_generic.rst).
		{"character_set_server", "utf8mb4"},
		{"collation_server", "utf8mb4_general_ci"},
		// Refuse clients without TLS; "ON" is the cluster-group spelling.
		{"require_secure_transport", "ON"},
		{"max_connections", fmt.Sprint(maxConnections)},
		// Advanced Auditing feeds the audit log export (RDS.34), which stays empty
		// without it: logins, grants and schema changes.
		{"server_audit_logging", "1"},
		{"server_audit_events", "CONNECT,QUERY_DCL,QUERY_DDL"},
		// The slowquery export needs the slow log written to a file.
		{"slow_query_log", "1"},
		{"long_query_time", "2"},
		{"log_output", "FILE"},
	}
}
