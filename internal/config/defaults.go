package config

// Defaults that do not depend on the environment. Pulumi.yaml mirrors them in its
// config block (a test keeps the two in step).
const (
	DefaultEnvironment        = Dev
	DefaultVPCCIDR            = "10.40.0.0/16"
	DefaultKeyDeletionWindow  = 30
	DefaultKeyRotationPeriod  = 365
	defaultSubnetPrefixOffset = 4
)

// profile holds the defaults that differ by environment.
type profile struct {
	azCount          int
	natGateways      string
	logRetentionDays int
	minNodes         int
	maxNodes         int
}

// profiles: dev is cost-minimal, staging and prod are fully HA. Retention: 14
// days in dev, 30 in staging, a year in prod (ProdMinAuditRetentionDays: prod's
// flow and audit logs are incident evidence, and one retention for every group
// keeps the key simple).
var profiles = map[Environment]profile{
	Dev:     {azCount: 2, natGateways: NATSingle, logRetentionDays: 14, minNodes: 1, maxNodes: 2},
	Staging: {azCount: 3, natGateways: NATPerAZ, logRetentionDays: 30, minNodes: 3, maxNodes: 5},
	Prod:    {azCount: 3, natGateways: NATPerAZ, logRetentionDays: ProdMinAuditRetentionDays, minNodes: 3, maxNodes: 6},
}

// defaultsFor returns a Config pre-filled with the defaults of env; decoding the
// user's objects on top of it keeps every field the user left out.
func defaultsFor(env Environment) Config {
	p, ok := profiles[env]
	if !ok {
		p = profiles[Dev]
	}
	return Config{
		Environment: env,
		ExtraTags:   map[string]string{},
		Network: Network{
			CIDR:        DefaultVPCCIDR,
			AZCount:     p.azCount,
			NATGateways: p.natGateways,
		},
		Logs: Logs{RetentionDays: p.logRetentionDays},
		Keys: Keys{DeletionWindowDays: DefaultKeyDeletionWindow, RotationPeriodDays: DefaultKeyRotationPeriod},
		App:  appDefaults(env, p),

		Search:       searchDefaults(env),
		Storage:      storageDefaults(env),
		Messaging:    messagingDefaults(env),
		Database:     databaseDefaults(env),
		Morpheus:     Morpheus{Version: DefaultMorpheusVersion, UpgradeStrategy: "rolling"},
		Alerts:       alertsDefaults(env),
		LoadBalancer: defaultLoadBalancer(p),
		Ops:          opsDefaults(env),
		Backup:       backupDefaults(env),
		Security:     securityDefaults(),
		Maintenance:  maintenanceDefaults(env),
		Cost:         costDefaults(env),
		Drills:       drillsDefaults(env),
		Restore:      restoreDefaults(),
	}
}
