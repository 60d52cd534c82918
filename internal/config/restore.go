package config

import (
	"regexp"
	"strings"
	"time"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
)

// Database restore sources (restore.database.source).
const (
	// RestoreNone creates an empty cluster (the default).
	RestoreNone = "none"
	// RestoreSnapshot restores a cluster snapshot: a manual or final snapshot,
	// or an AWS Backup recovery point (in this region, a DR copy included).
	RestoreSnapshot = "snapshot"
	// RestorePointInTime restores a point in time of a cluster in this region.
	RestorePointInTime = "pointInTime"
	// RestoreGlobalSecondary joins another stack's Aurora global database as
	// its secondary; turning restore.standby off promotes it.
	RestoreGlobalSecondary = "globalSecondary"
)

// DatabaseRestoreSources lists the allowed restore.database.source values.
var DatabaseRestoreSources = []string{RestoreNone, RestoreSnapshot, RestorePointInTime, RestoreGlobalSecondary}

// File system restore sources (restore.fileSystem.source).
const (
	// RestoreBackup adopts the file system an AWS Backup restore job created.
	RestoreBackup = "backup"
	// RestoreReplica adopts the EFS replication destination of the source stack.
	RestoreReplica = "replica"
)

// FileSystemRestoreSources lists the allowed restore.fileSystem.source values.
var FileSystemRestoreSources = []string{RestoreNone, RestoreBackup, RestoreReplica}

// Restore is the `restore` config object: restore mode, where a stack builds
// its stateful tier from another stack's recovery points instead of empty
// (docs/runbooks/disaster-recovery.md, Pulumi.dr.yaml).
type Restore struct {
	// Enabled turns restore mode on; every other restore key needs it.
	Enabled bool `json:"enabled"`
	// Standby keeps a restore-mode stack a pilot light: no app nodes, no
	// bootstrap or restore run, the database a secondary of
	// restore.database.globalClusterIdentifier. Setting it to false is the
	// failover: the secondary is promoted, the snapshots are restored, the
	// nodes start.
	Standby bool `json:"standby"`
	// Database picks the Aurora cluster's source.
	Database RestoreDatabase `json:"database"`
	// FileSystem picks the EFS file system to adopt; read whether or not
	// restore mode is on, so leaving restore mode keeps the adopted one.
	FileSystem RestoreFileSystem `json:"fileSystem"`
	// SnapshotBucket is the bucket in this region that holds the source stack's
	// OpenSearch snapshots and broker definitions exports (the source stack's
	// snapshotReplicaBucketName output); empty restores neither.
	SnapshotBucket string `json:"snapshotBucket"`
	// SnapshotBucketKeyArn is the KMS key of the objects in snapshotBucket (the
	// source stack's drDataKeyArn output); required with it.
	SnapshotBucketKeyArn string `json:"snapshotBucketKeyArn"`
	// SearchSnapshot is the OpenSearch snapshot to restore; empty is the newest
	// successful one.
	SearchSnapshot string `json:"searchSnapshot"`
	// DefinitionsKey is the broker definitions export to import (an object
	// key); empty is the newest.
	DefinitionsKey string `json:"definitionsKey"`
}

// RestoreDatabase is `restore.database`.
type RestoreDatabase struct {
	// Source is none, snapshot, pointInTime or globalSecondary.
	Source string `json:"source"`
	// SnapshotIdentifier is the cluster snapshot's ARN (snapshot source), e.g.
	// an AWS Backup recovery point copied to this region.
	SnapshotIdentifier string `json:"snapshotIdentifier"`
	// SourceClusterIdentifier is the cluster whose point in time is restored
	// (pointInTime source), in this region.
	SourceClusterIdentifier string `json:"sourceClusterIdentifier"`
	// RestoreTime is the point in time, RFC 3339 in UTC (pointInTime source);
	// empty is the latest restorable time.
	RestoreTime string `json:"restoreTime"`
	// GlobalClusterIdentifier is the source stack's global database
	// (globalSecondary source; its globalClusterIdentifier output).
	GlobalClusterIdentifier string `json:"globalClusterIdentifier"`
	// StandbyInstances is how many instances the secondary runs while
	// restore.standby is true: 0 (headless: replication only, the cheapest) or 1.
	StandbyInstances int `json:"standbyInstances"`
}

// RestoreFileSystem is `restore.fileSystem`.
type RestoreFileSystem struct {
	// Source is none, backup (a file system an AWS Backup restore job created)
	// or replica (the source stack's EFS replication destination).
	Source string `json:"source"`
	// FileSystemId is the file system to adopt (fs-...): the stack mounts and
	// backs it up but never deletes it.
	FileSystemId string `json:"fileSystemId"`
}

var (
	clusterSnapshotARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster-snapshot:[A-Za-z0-9:-]{1,255}$`)
	clusterIdentifierRE  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{0,62}$`)
	clusterARNRE         = regexp.MustCompile(`^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster:[a-zA-Z][a-zA-Z0-9-]{0,62}$`)
	fileSystemIDRE       = regexp.MustCompile(`^fs-[0-9a-f]{8,40}$`)
	kmsKeyARNRE          = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/[A-Za-z0-9-]+$`)
	bucketNameRE         = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	snapshotNameRE       = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,254}$`)
	objectKeyRE          = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_./-]{0,1000}$`)
)

func restoreDefaults() Restore {
	return Restore{
		Database:   RestoreDatabase{Source: RestoreNone},
		FileSystem: RestoreFileSystem{Source: RestoreNone},
	}
}

// Active reports whether the restore has happened or happens in this run: a
// restore-mode stack out of standby.
func (r Restore) Active() bool { return r.Enabled && !r.Standby }

// SecondaryDatabase reports whether the cluster is (still) a global secondary:
// a globalSecondary source in standby. Out of standby it is promoted.
func (r Restore) SecondaryDatabase() bool {
	return r.Enabled && r.Standby && r.Database.Source == RestoreGlobalSecondary
}

func validateRestore(cfg *Config, c *collector) {
	r := cfg.Restore
	// An adopted file system stays adopted when the stack leaves restore
	// mode: dropping it would give the nodes a new, empty one.
	validateRestoreFileSystem(r.FileSystem, c)
	if !r.Enabled {
		// Anything set beyond the defaults would be ignored: say so rather than
		// build an empty stack the user thinks is restored.
		const off = "needs restore.enabled: true (restore mode is off, so nothing would be restored)"
		if r.Standby {
			c.addf("restore.standby", true, off)
		}
		if r.Database.Source != RestoreNone {
			c.addf("restore.database.source", r.Database.Source, off)
		}
		if r.SnapshotBucket != "" {
			c.addf("restore.snapshotBucket", r.SnapshotBucket, off)
		}
		return
	}
	validateRestoreDatabase(cfg, c)
	validateRestoreSnapshots(cfg, c)
	if cfg.Ops.ApplianceSetup.Enabled {
		c.addf("ops.applianceSetup.enabled", true, "must be false in restore mode: the restored database holds a Morpheus that is already set up")
	}
	if !cfg.LoadBalancer.SetupComplete {
		c.addf("loadBalancer.setupComplete", false, "must be true in restore mode: the restored Morpheus is already set up, so its listener must admit loadBalancer.allowedCidrs, not only the setup networks")
	}
	if r.Standby && cfg.App.ScheduledScaleIn.Enabled {
		c.addf("app.scheduledScaleIn.enabled", true, "must be false while restore.standby is true: its scale-out would start nodes in a pilot light")
	}
	if r.SnapshotBucket != "" && !cfg.Backup.Enabled {
		c.addf("restore.snapshotBucket", r.SnapshotBucket, "needs backup.enabled: OpenSearch restores through the stack's own snapshot role")
	}
	if r.Standby && r.Database.Source != RestoreGlobalSecondary {
		c.addf("restore.standby", true, "needs restore.database.source %s: a pilot light keeps its database current by replication; a %s restore taken at standby would be stale at failover (restore it when failing over instead)", RestoreGlobalSecondary, r.Database.Source)
	}
	if cfg.Database.GlobalCluster.Enabled && r.Database.Source == RestoreGlobalSecondary && r.Standby {
		c.addf("database.globalCluster.enabled", true, "a standby secondary cannot also be the primary of a global database; enable it after failover, to replicate back (docs/runbooks/disaster-recovery.md, fail-back)")
	}
}

func validateRestoreDatabase(cfg *Config, c *collector) {
	d := cfg.Restore.Database
	switch d.Source {
	case RestoreNone:
	case RestoreSnapshot:
		if !clusterSnapshotARNRE.MatchString(d.SnapshotIdentifier) {
			c.addf("restore.database.snapshotIdentifier", d.SnapshotIdentifier, "must be a cluster snapshot ARN (arn:aws:rds:<region>:<account>:cluster-snapshot:<name>, an AWS Backup recovery point of the cluster included) for source %s", RestoreSnapshot)
		} else if region := strings.Split(d.SnapshotIdentifier, ":")[3]; region != cfg.Region {
			c.addf("restore.database.snapshotIdentifier", d.SnapshotIdentifier, "is in %s, not this stack's region %s: RDS restores snapshots of its own region (use the DR vault's copy)", region, cfg.Region)
		}
	case RestorePointInTime:
		if !clusterIdentifierRE.MatchString(d.SourceClusterIdentifier) && !clusterARNRE.MatchString(d.SourceClusterIdentifier) {
			c.addf("restore.database.sourceClusterIdentifier", d.SourceClusterIdentifier, "must be the identifier or ARN of an Aurora cluster in %s for source %s", cfg.Region, RestorePointInTime)
		}
		if d.RestoreTime != "" {
			t, err := time.Parse(time.RFC3339, d.RestoreTime)
			switch {
			case err != nil:
				c.addf("restore.database.restoreTime", d.RestoreTime, "must be an RFC 3339 time such as 2026-12-01T09:30:00Z, or empty for the latest restorable time")
			case t.After(time.Now()):
				c.addf("restore.database.restoreTime", d.RestoreTime, "is in the future")
			}
		}
	case RestoreGlobalSecondary:
		if !clusterIdentifierRE.MatchString(d.GlobalClusterIdentifier) {
			c.addf("restore.database.globalClusterIdentifier", d.GlobalClusterIdentifier, "must be the source stack's global cluster identifier (its globalClusterIdentifier output) for source %s", RestoreGlobalSecondary)
		}
		if aurora.Burstable(cfg.Database.InstanceClass) {
			c.addf("database.instanceClass", cfg.Database.InstanceClass, "Aurora global databases do not support burstable db.t* classes; use a class such as db.r6g.large")
		}
	default:
		c.addf("restore.database.source", d.Source, "must be one of %s", strings.Join(DatabaseRestoreSources, ", "))
	}
	if d.Source != RestoreGlobalSecondary && d.GlobalClusterIdentifier != "" {
		c.addf("restore.database.globalClusterIdentifier", d.GlobalClusterIdentifier, "is only read with source %s", RestoreGlobalSecondary)
	}
	if d.StandbyInstances != 0 && d.StandbyInstances != 1 {
		c.addf("restore.database.standbyInstances", d.StandbyInstances, "must be 0 (a headless secondary) or 1")
	}
}

func validateRestoreFileSystem(f RestoreFileSystem, c *collector) {
	switch f.Source {
	case RestoreNone:
		if f.FileSystemId != "" {
			c.addf("restore.fileSystem.fileSystemId", f.FileSystemId, "is only read with source %s or %s", RestoreBackup, RestoreReplica)
		}
	case RestoreBackup, RestoreReplica:
		if !fileSystemIDRE.MatchString(f.FileSystemId) {
			c.addf("restore.fileSystem.fileSystemId", f.FileSystemId, "must be the id (fs-...) of the file system to adopt for source %s", f.Source)
		}
	default:
		c.addf("restore.fileSystem.source", f.Source, "must be one of %s", strings.Join(FileSystemRestoreSources, ", "))
	}
}

func validateRestoreSnapshots(cfg *Config, c *collector) {
	r := cfg.Restore
	if r.SnapshotBucket == "" {
		for _, f := range [][2]string{{"restore.snapshotBucketKeyArn", r.SnapshotBucketKeyArn}, {"restore.searchSnapshot", r.SearchSnapshot}, {"restore.definitionsKey", r.DefinitionsKey}} {
			if f[1] != "" {
				c.addf(f[0], f[1], "needs restore.snapshotBucket, the bucket it is read from")
			}
		}
		return
	}
	if !bucketNameRE.MatchString(r.SnapshotBucket) {
		c.addf("restore.snapshotBucket", r.SnapshotBucket, "must be an S3 bucket name (the source stack's snapshotReplicaBucketName output)")
	}
	if m := kmsKeyARNRE.FindStringSubmatch(r.SnapshotBucketKeyArn); m == nil {
		c.addf("restore.snapshotBucketKeyArn", r.SnapshotBucketKeyArn, "must be the KMS key ARN the bucket's objects are encrypted with (the source stack's drDataKeyArn output)")
	} else if m[1] != cfg.Region {
		c.addf("restore.snapshotBucketKeyArn", r.SnapshotBucketKeyArn, "is in %s, not this stack's region %s, where the bucket and the domain are", m[1], cfg.Region)
	}
	if r.SearchSnapshot != "" && !snapshotNameRE.MatchString(r.SearchSnapshot) {
		c.addf("restore.searchSnapshot", r.SearchSnapshot, "must be an OpenSearch snapshot name (lower-case letters, digits, _ . -), or empty for the newest")
	}
	if r.DefinitionsKey != "" && !objectKeyRE.MatchString(r.DefinitionsKey) {
		c.addf("restore.definitionsKey", r.DefinitionsKey, "must be an S3 object key such as rabbitmq/definitions-2026-12-01.json, or empty for the newest")
	}
}
