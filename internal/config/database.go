package config

import (
	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
)

// Database is the `database` config object: the Aurora MySQL 3 cluster.
type Database struct {
	// EngineVersion is the Aurora MySQL engine version,
	// 8.0.mysql_aurora.3.05.2 or later; the default is the current LTS.
	EngineVersion string `json:"engineVersion"`
	// InstanceClass is the DB instance class of every instance: a db.*
	// provisioned class, no burstable db.t* in prod.
	InstanceClass string `json:"instanceClass"`
	// InstanceCount is the writer plus readers, 1 to 16; prod requires at least
	// 2, in different AZs.
	InstanceCount int `json:"instanceCount"`
	// Port is the port the cluster listens on, 1150 to 65535.
	Port int `json:"port"`
	// BackupRetentionDays is the automated backup retention, 7 to 35 days.
	BackupRetentionDays int `json:"backupRetentionDays"`
	// BackupWindow is the daily backup window, hh24:mi-hh24:mi in UTC.
	BackupWindow string `json:"backupWindow"`
	// MaintenanceWindow is the weekly maintenance window,
	// ddd:hh24:mi-ddd:hh24:mi in UTC; it must not overlap backupWindow.
	MaintenanceWindow string `json:"maintenanceWindow"`
	// MonitoringInterval is the enhanced-monitoring period in seconds: 1, 5,
	// 10, 15, 30 or 60.
	MonitoringInterval int `json:"monitoringInterval"`
	// CACertIdentifier is the certificate authority of the instances' TLS
	// certificates: rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1.
	CACertIdentifier string `json:"caCertIdentifier"`
	// GlobalCluster makes the cluster the primary of an Aurora global database.
	GlobalCluster GlobalCluster `json:"globalCluster"`
}

// GlobalCluster is `database.globalCluster`.
type GlobalCluster struct {
	// Enabled makes the cluster the primary of an Aurora global database, which
	// a DR stack joins with a secondary cluster in its region
	// (restore.database.source globalSecondary): a replication lag of about a
	// second instead of the DR copies' hours, for the price of a second
	// cluster's storage and replicated writes. Needs a db.r* or other
	// non-burstable class.
	Enabled bool `json:"enabled"`
}

// DefaultDatabasePort is not MySQL's 3306: Security Hub RDS.23 flags default
// ports, and the port is carried into morpheus.rb and the security group anyway.
const DefaultDatabasePort = 3307

// databaseDefaults follows the vendor's Aurora guide (db.r6g.large, a reader in a
// second AZ) for staging and prod, and one small burstable instance for dev.
func databaseDefaults(env Environment) Database {
	d := Database{
		EngineVersion:       aurora.DefaultEngineVersion,
		InstanceClass:       "db.r6g.large",
		InstanceCount:       2,
		Port:                DefaultDatabasePort,
		BackupRetentionDays: 7,
		BackupWindow:        aurora.DefaultBackupWindow,
		MaintenanceWindow:   aurora.DefaultMaintenanceWindow,
		MonitoringInterval:  60,
		CACertIdentifier:    aurora.DefaultCACertIdentifier,
	}
	switch env {
	case Dev:
		d.InstanceClass, d.InstanceCount = "db.t4g.medium", 1
	case Prod:
		d.BackupRetentionDays = 14
	}
	return d
}

func validateDatabase(cfg *Config, c *collector) {
	d := cfg.Database
	if _, err := aurora.ParseEngineVersion(d.EngineVersion); err != nil {
		c.addf("database.engineVersion", d.EngineVersion, "%v", err)
	}

	if err := aurora.CheckInstanceClass(d.InstanceClass); err != nil {
		c.addf("database.instanceClass", d.InstanceClass, "%v", err)
	} else if cfg.IsProd() && aurora.Burstable(d.InstanceClass) {
		c.addf("database.instanceClass", d.InstanceClass, "prod may not use a burstable db.t* class: CPU credits run out under load; use a class such as db.r6g.large")
	}

	switch n := d.InstanceCount; {
	case n < 1 || n > aurora.MaxInstances:
		c.addf("database.instanceCount", n, "must be between 1 and %d (a writer and up to 15 readers)", aurora.MaxInstances)
	case cfg.IsProd() && n < 2:
		c.addf("database.instanceCount", n, "prod needs at least 2 instances (a writer and a reader in another AZ) so that losing an AZ fails over instead of taking Morpheus down")
	}

	if err := aurora.CheckPort(d.Port); err != nil {
		c.addf("database.port", d.Port, "%v", err)
	}
	if err := aurora.CheckBackupRetention(d.BackupRetentionDays); err != nil {
		c.addf("database.backupRetentionDays", d.BackupRetentionDays, "%v", err)
	}

	backup, berr := aurora.ParseBackupWindow(d.BackupWindow)
	if berr != nil {
		c.addf("database.backupWindow", d.BackupWindow, "%v", berr)
	}
	maint, merr := aurora.ParseMaintenanceWindow(d.MaintenanceWindow)
	if merr != nil {
		c.addf("database.maintenanceWindow", d.MaintenanceWindow, "%v", merr)
	}
	if berr == nil && merr == nil && aurora.Overlaps(backup, maint) {
		c.addf("database.maintenanceWindow", d.MaintenanceWindow, "overlaps database.backupWindow %q; RDS requires the two windows not to overlap", d.BackupWindow)
	}

	if err := aurora.CheckMonitoringInterval(d.MonitoringInterval); err != nil {
		c.addf("database.monitoringInterval", d.MonitoringInterval, "%v", err)
	}
	if err := aurora.CheckCACertIdentifier(d.CACertIdentifier); err != nil {
		c.addf("database.caCertIdentifier", d.CACertIdentifier, "%v", err)
	}
	if d.GlobalCluster.Enabled && aurora.Burstable(d.InstanceClass) {
		c.addf("database.globalCluster.enabled", true, "needs a non-burstable database.instanceClass (%s is a db.t* class, which Aurora global databases do not support); use a class such as db.r6g.large", d.InstanceClass)
	}
}

// checkDatabaseChange refuses a downgrade of the deployed cluster: RDS cannot
// downgrade Aurora in place, so the update would fail halfway through a run
// (restoring a snapshot into a new cluster is the only way back).
func checkDatabaseChange(cfg *Config, d Deployed, c *collector) {
	const key = "database.engineVersion"
	to, from := cfg.Database.EngineVersion, d.DatabaseEngineVersion
	if from == "" || to == from {
		return
	}
	// A deployed version below today's minimum still parses (with an error);
	// an unreadable one has nothing to compare, and a bad new one is
	// validateDatabase's to report.
	fv, _ := aurora.ParseEngineVersion(from)
	tv, err := aurora.ParseEngineVersion(to)
	if fv == (aurora.Version{}) || err != nil {
		return
	}
	if tv.Less(fv) {
		c.addf(key, to, "is older than the deployed %s: Aurora clusters cannot be downgraded in place; keep %s (a rollback is a restore from a snapshot into a new stack)", from, from)
	}
}
