package config

import (
	"slices"
)

// Deployed is what the stack's last deployment exported that a configuration
// change must be checked against: the values whose change replaces a
// stateful resource. The zero value is a first deployment (nothing to
// compare), as is any field the last deployment did not export yet.
type Deployed struct {
	// HasDataTier: the last deployment created the data tier, so replacing the
	// network or a data service would destroy data.
	HasDataTier bool
	// NetworkCIDR, SubnetPrefixLength and AZNames are the VPC's layout.
	NetworkCIDR        string
	SubnetPrefixLength int
	AZNames            []string
	// SearchEngineVersion, DatabaseEngineVersion and MessagingEngineVersion are
	// the engine versions the services were last deployed with.
	SearchEngineVersion    string
	DatabaseEngineVersion  string
	MessagingEngineVersion string
	// MorpheusVersion is the Morpheus version the nodes were last deployed with.
	MorpheusVersion string
	// DatabaseRole is DatabaseRoleSecondary or DatabaseRoleWriter: what the
	// cluster was after the last deployment.
	DatabaseRole string
	// AdoptedFileSystemId is the file system the stack adopted
	// (restore.fileSystem.fileSystemId), empty when it created its own.
	AdoptedFileSystemId string
}

// The values of OutputDatabaseRole.
const (
	// DatabaseRoleSecondary: a standby secondary of another stack's global database.
	DatabaseRoleSecondary = "globalSecondary"
	// DatabaseRoleWriter: a standalone or primary cluster that takes writes.
	DatabaseRoleWriter = "writer"
)

// The stack outputs Deployed is read from. The stack exports each (internal/stack).
const (
	// OutputDatabaseEndpoint exists once the data tier does (HasDataTier).
	OutputDatabaseEndpoint = "databaseEndpoint"
	// OutputNetworkCIDR is network.cidr.
	OutputNetworkCIDR = "networkCidr"
	// OutputSubnetPrefixLength is the resolved network.subnetPrefixLength.
	OutputSubnetPrefixLength = "subnetPrefixLength"
	// OutputAZNames are the AZs the subnets are in, in order.
	OutputAZNames = "azNames"
	// OutputSearchEngineVersion is search.engineVersion.
	OutputSearchEngineVersion = "searchEngineVersion"
	// OutputDatabaseEngineVersion is database.engineVersion.
	OutputDatabaseEngineVersion = "databaseEngineVersion"
	// OutputMessagingEngineVersion is messaging.engineVersion.
	OutputMessagingEngineVersion = "messagingEngineVersion"
	// OutputMorpheusVersion is morpheus.version.
	OutputMorpheusVersion = "morpheusVersion"
	// OutputDatabaseRole is the cluster's role (DatabaseRoleSecondary or DatabaseRoleWriter).
	OutputDatabaseRole = "databaseRole"
	// OutputAdoptedFileSystemId is restore.fileSystem.fileSystemId (empty: none).
	OutputAdoptedFileSystemId = "adoptedFileSystemId"
)

// CheckChanges refuses the configuration changes that would replace (or fail
// to update) a stateful resource of the deployed stack, each naming its key:
// engine downgrades and versions off the upgrade path (always: AWS refuses the
// downgrade, or the provider replaces the OpenSearch domain and its indices),
// and a new VPC CIDR, subnet size or AZ on a stack with a data tier (unless
// allowDestroy: a deliberate rebuild).
func CheckChanges(cfg *Config, d Deployed) error {
	c := &collector{namespace: cfg.Project}
	checkSearchChange(cfg, d, c)
	checkDatabaseChange(cfg, d, c)
	checkMessagingChange(cfg, d, c)
	checkMorpheusChange(cfg, d, c)
	checkNetworkChange(cfg, d, c)
	checkStandbyChange(cfg, d, c)
	return c.err()
}

// checkStandbyChange refuses to make a cluster that takes writes a standby
// secondary again: RDS cannot add an existing cluster to a global database, so
// the update would fail halfway (and would drop the instances of a cluster
// that holds the only current data).
func checkStandbyChange(cfg *Config, d Deployed, c *collector) {
	if d.DatabaseRole == DatabaseRoleWriter && cfg.Restore.SecondaryDatabase() {
		c.addf("restore.standby", true, "the deployed cluster already takes writes (the stack failed over, or never was a secondary); it cannot rejoin a global database: keep restore.standby false, or build a new standby stack (docs/runbooks/disaster-recovery.md, fail-back)")
	}
	if id := cfg.Restore.FileSystem.FileSystemId; d.AdoptedFileSystemId != "" && id != d.AdoptedFileSystemId && !cfg.AllowDestroy {
		c.addf("restore.fileSystem.fileSystemId", id, "differs from the deployed %s: the nodes would mount another (or a new, empty) file system; keep restore.fileSystem as deployed, or set allowDestroy to true to change it on purpose", d.AdoptedFileSystemId)
	}
}

// checkNetworkChange: every subnet, and so every data service, NAT gateway
// and node, sits in the CIDR, at the subnet size, in its AZ; changing one
// replaces them all.
func checkNetworkChange(cfg *Config, d Deployed, c *collector) {
	if !d.HasDataTier || cfg.AllowDestroy {
		return
	}
	n := cfg.Network
	const why = "would replace every subnet and with them Aurora, EFS, Amazon MQ and OpenSearch; set allowDestroy to true only to rebuild the stack on purpose"
	if d.NetworkCIDR != "" && n.CIDR != d.NetworkCIDR {
		c.addf("network.cidr", n.CIDR, "differs from the deployed %s: the change %s", d.NetworkCIDR, why)
	}
	if d.SubnetPrefixLength != 0 && n.SubnetPrefixLength != d.SubnetPrefixLength {
		c.addf("network.subnetPrefixLength", n.SubnetPrefixLength, "differs from the deployed /%d: the change %s", d.SubnetPrefixLength, why)
	}
	if len(d.AZNames) > n.AZCount {
		c.addf("network.azCount", n.AZCount, "is less than the %d deployed AZs %v: removing an AZ %s", len(d.AZNames), d.AZNames, why)
		return
	}
	// Adding an AZ keeps the existing ones in their slots; only a change
	// of a deployed zone (or of its position) moves subnets.
	if len(d.AZNames) > 0 && len(n.AZNames) > 0 &&
		(len(n.AZNames) < len(d.AZNames) || !slices.Equal(n.AZNames[:len(d.AZNames)], d.AZNames)) {
		c.addf("network.azNames", n.AZNames, "must start with the deployed zones %v, in that order: moving a deployed zone %s", d.AZNames, why)
	}
}
