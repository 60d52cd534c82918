package config

import (
	"regexp"
	"slices"

	"github.com/morpheus-ha/morpheus-ha/internal/valid"
)

// Vault lock modes.
const (
	// LockNone leaves the vault without a lock (the default).
	LockNone = "none"
	// LockGovernance refuses shorter retention and early deletion except to
	// principals allowed to remove the lock.
	LockGovernance = "governance"
	// LockCompliance is immutable for everyone, AWS included, once its grace
	// period has passed; the vault can then never be deleted while it holds points.
	LockCompliance = "compliance"
)

// VaultLockModes lists the allowed vault lock modes.
var VaultLockModes = []string{LockNone, LockGovernance, LockCompliance}

// Backup is the `backup` config object: AWS Backup of the stateful tier
// (Aurora and EFS), with copies to a second region.
type Backup struct {
	// Enabled creates the vault, the plan and its selection.
	Enabled bool `json:"enabled"`
	// DailyRetentionDays keeps the daily points; the daily rule also runs
	// Aurora's continuous backup (point-in-time restore), so at most 35.
	DailyRetentionDays int `json:"dailyRetentionDays"`
	// WeeklyRetentionDays keeps the weekly points.
	WeeklyRetentionDays int `json:"weeklyRetentionDays"`
	// MonthlyRetentionDays keeps the monthly points.
	MonthlyRetentionDays int `json:"monthlyRetentionDays"`
	// MonthlyColdStorageAfterDays moves monthly EFS points to cold storage
	// after that many days (0: never). Aurora points ignore it.
	MonthlyColdStorageAfterDays int `json:"monthlyColdStorageAfterDays"`
	// CopyToDrRegion copies every rule's points to a vault in DrRegion (prod default).
	CopyToDrRegion bool `json:"copyToDrRegion"`
	// DrRegion is the disaster-recovery region; required while copies or
	// replication are on.
	DrRegion string `json:"drRegion"`
	// ReplicateFileSystem replicates EFS to DrRegion (prod default): its RPO
	// of about 15 minutes is what a daily copy cannot give.
	ReplicateFileSystem bool `json:"replicateFileSystem"`
	// ReplicateSecrets replicates every stack secret to DrRegion (prod
	// default), so a stack restored there reads the same credentials the
	// restored database and broker hold; rotation propagates to the replicas.
	ReplicateSecrets bool `json:"replicateSecrets"`
	// DrDailyRetentionDays keeps the daily copies in the DR vault (at most
	// dailyRetentionDays).
	DrDailyRetentionDays int `json:"drDailyRetentionDays"`
	// DrWeeklyRetentionDays keeps the weekly copies in the DR vault (at most
	// weeklyRetentionDays).
	DrWeeklyRetentionDays int `json:"drWeeklyRetentionDays"`
	// DrMonthlyRetentionDays keeps the monthly copies in the DR vault (at most
	// monthlyRetentionDays).
	DrMonthlyRetentionDays int `json:"drMonthlyRetentionDays"`
	// BreakGlassRoleArns are the only principals allowed to delete recovery
	// points, shorten their lifecycle, or change or delete the vault's access
	// policy; required in prod.
	BreakGlassRoleArns []string `json:"breakGlassRoleArns"`
	// VaultLock optionally locks both vaults.
	VaultLock VaultLock `json:"vaultLock"`
	// RestoreTesting restores the newest points monthly to prove they work.
	RestoreTesting bool `json:"restoreTesting"`
}

// VaultLock is `backup.vaultLock`.
type VaultLock struct {
	// Mode is "none", "governance" or "compliance".
	Mode string `json:"mode"`
	// MinRetentionDays is the shortest retention the lock allows; a rule
	// below it would fail every job.
	MinRetentionDays int `json:"minRetentionDays"`
	// MaxRetentionDays is the longest retention the lock allows; a rule above
	// it would fail every job.
	MaxRetentionDays int `json:"maxRetentionDays"`
	// ChangeableForDays is the compliance lock's grace period (at least 3).
	ChangeableForDays int `json:"changeableForDays"`
}

// Backup limits.
const (
	// maxContinuousRetentionDays is AWS Backup's limit for continuous backups.
	maxContinuousRetentionDays = 35
	// minColdStorageDays is how long a point must stay in cold storage.
	minColdStorageDays = 90
	// minComplianceGraceDays is the compliance lock's shortest grace period.
	minComplianceGraceDays = 3
)

var roleArnRE = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`)

// backupDefaults: daily 35 days (the continuous-backup maximum), weekly 90,
// monthly a year with EFS in cold storage after 90 days; copies to the DR
// region in prod only, where a region loss must not lose the data.
func backupDefaults(env Environment) Backup {
	return Backup{
		Enabled:                     true,
		DailyRetentionDays:          35,
		WeeklyRetentionDays:         90,
		MonthlyRetentionDays:        365,
		MonthlyColdStorageAfterDays: 90,
		CopyToDrRegion:              env == Prod,
		ReplicateFileSystem:         env == Prod,
		ReplicateSecrets:            env == Prod,
		DrDailyRetentionDays:        35,
		DrWeeklyRetentionDays:       90,
		DrMonthlyRetentionDays:      365,
		BreakGlassRoleArns:          []string{},
		VaultLock:                   VaultLock{Mode: LockNone},
		RestoreTesting:              env == Prod,
	}
}

func validateBackup(cfg *Config, c *collector) {
	b := cfg.Backup
	if !b.Enabled {
		if cfg.IsProd() {
			c.addf("backup.enabled", b.Enabled, "prod must back up Aurora and EFS (the RPO and RTO in docs/runbooks/disaster-recovery.md depend on it)")
		}
		return
	}
	retention := func(key string, days, least int) {
		if days < least || days > 36500 {
			c.addf(key, days, "must be between %d and 36500 days", least)
		}
	}
	retention("backup.dailyRetentionDays", b.DailyRetentionDays, 1)
	if b.DailyRetentionDays > maxContinuousRetentionDays {
		c.addf("backup.dailyRetentionDays", b.DailyRetentionDays, "the daily rule runs Aurora's continuous backup, which AWS Backup keeps at most %d days; keep longer history in the weekly and monthly rules", maxContinuousRetentionDays)
	}
	retention("backup.weeklyRetentionDays", b.WeeklyRetentionDays, 7)
	retention("backup.monthlyRetentionDays", b.MonthlyRetentionDays, 28)
	if cold := b.MonthlyColdStorageAfterDays; cold < 0 || (cold > 0 && b.MonthlyRetentionDays < cold+minColdStorageDays) {
		c.addf("backup.monthlyColdStorageAfterDays", cold, "must be 0 (no cold storage) or leave at least %d days in cold storage before backup.monthlyRetentionDays (%d)", minColdStorageDays, b.MonthlyRetentionDays)
	}
	for _, arn := range b.BreakGlassRoleArns {
		if !roleArnRE.MatchString(arn) {
			c.addf("backup.breakGlassRoleArns", arn, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
		}
	}
	if cfg.IsProd() && len(b.BreakGlassRoleArns) == 0 {
		c.addf("backup.breakGlassRoleArns", "", "is empty; prod needs the role that alone may delete recovery points or change the vault's access policy (the vault policy denies everyone else)")
	}
	validateDRCopies(cfg, c)
	validateVaultLock(cfg, c)
}

func validateDRCopies(cfg *Config, c *collector) {
	b := cfg.Backup
	if b.DrRegion != "" && !valid.Region(b.DrRegion) {
		c.addf("backup.drRegion", b.DrRegion, "must be an AWS region name such as eu-central-1")
	}
	if !b.CopyToDrRegion && !b.ReplicateFileSystem && !b.ReplicateSecrets {
		return
	}
	switch {
	case b.DrRegion == "":
		c.addf("backup.drRegion", "", "is not set but backup.copyToDrRegion, backup.replicateFileSystem or backup.replicateSecrets is true; set the region that receives the copies, e.g. eu-central-1")
	case b.DrRegion == cfg.Region:
		c.addf("backup.drRegion", b.DrRegion, "is the stack's own region (aws:region); a copy there does not survive the loss of the region")
	}
	if !b.CopyToDrRegion {
		return
	}
	for _, r := range []struct {
		key          string
		copy, source int
		sourceKey    string
	}{
		{"backup.drDailyRetentionDays", b.DrDailyRetentionDays, b.DailyRetentionDays, "backup.dailyRetentionDays"},
		{"backup.drWeeklyRetentionDays", b.DrWeeklyRetentionDays, b.WeeklyRetentionDays, "backup.weeklyRetentionDays"},
		{"backup.drMonthlyRetentionDays", b.DrMonthlyRetentionDays, b.MonthlyRetentionDays, "backup.monthlyRetentionDays"},
	} {
		switch {
		case r.copy < 1:
			c.addf(r.key, r.copy, "must be at least 1 day")
		case r.copy > r.source:
			// A copy keeps its source's creation date; keeping it longer than
			// the source only makes the DR region the one place a point lives.
			c.addf(r.sourceKey, r.source, "is shorter than its DR copies' %s (%d); keep the source at least as long as its copies", r.key, r.copy)
		}
	}
}

func validateVaultLock(cfg *Config, c *collector) {
	l := cfg.Backup.VaultLock
	if !slices.Contains(VaultLockModes, l.Mode) {
		c.addf("backup.vaultLock.mode", l.Mode, "must be one of %v", VaultLockModes)
		return
	}
	if l.Mode == LockNone {
		return
	}
	if l.Mode == LockCompliance && !cfg.IsProd() {
		c.addf("backup.vaultLock.mode", l.Mode, "a compliance lock can never be removed, so the %s stack could never be destroyed; use governance outside prod", cfg.Environment)
	}
	if l.Mode == LockCompliance && l.ChangeableForDays < minComplianceGraceDays {
		c.addf("backup.vaultLock.changeableForDays", l.ChangeableForDays, "must be at least %d: AWS requires a grace period before a compliance lock becomes immutable", minComplianceGraceDays)
	}
	if l.MinRetentionDays < 1 || l.MaxRetentionDays < l.MinRetentionDays {
		c.addf("backup.vaultLock.minRetentionDays", l.MinRetentionDays, "must be at least 1 and at most backup.vaultLock.maxRetentionDays (%d)", l.MaxRetentionDays)
		return
	}
	b := cfg.Backup
	for _, r := range []struct {
		key  string
		days int
	}{
		{"backup.dailyRetentionDays", b.DailyRetentionDays}, {"backup.weeklyRetentionDays", b.WeeklyRetentionDays},
		{"backup.monthlyRetentionDays", b.MonthlyRetentionDays},
	} {
		if r.days < l.MinRetentionDays || r.days > l.MaxRetentionDays {
			c.addf(r.key, r.days, "is outside the vault lock's %d-%d days (backup.vaultLock); every job of that rule would fail", l.MinRetentionDays, l.MaxRetentionDays)
		}
	}
}
