package stack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestBadBackupConfigRegistersNothing: every backup and DR rule fails during
// config loading, naming the key, before any resource registers.
func TestBadBackupConfigRegistersNothing(t *testing.T) {
	const glass = `"breakGlassRoleArns":["` + testutil.BreakGlassRoleArn + `"]`
	prod, dev := testutil.BaseConfig("prod"), testutil.BaseConfig("dev")
	cases := []struct {
		name    string
		base    map[string]string
		backup  string
		wantKey string
		wantMsg string
	}{
		{"DR region is the stack's", prod, `{"drRegion":"eu-west-1",` + glass + `}`, "morpheus-ha:backup.drRegion", "stack's own region"},
		{"copies without a DR region", prod, `{` + glass + `}`, "morpheus-ha:backup.drRegion", "is not set"},
		{"DR region malformed", dev, `{"drRegion":"Frankfurt"}`, "morpheus-ha:backup.drRegion", "region name"},
		{"source shorter than its copy", prod, `{"drRegion":"eu-central-1","weeklyRetentionDays":30,"drWeeklyRetentionDays":60,` + glass + `}`, "morpheus-ha:backup.weeklyRetentionDays", "shorter than its DR copies"},
		{"daily beyond continuous limit", dev, `{"dailyRetentionDays":60}`, "morpheus-ha:backup.dailyRetentionDays", "at most 35"},
		{"cold storage too short", dev, `{"monthlyRetentionDays":120,"monthlyColdStorageAfterDays":90}`, "morpheus-ha:backup.monthlyColdStorageAfterDays", "at least 90 days in cold storage"},
		{"lock min above max", dev, `{"vaultLock":{"mode":"governance","minRetentionDays":400,"maxRetentionDays":30}}`, "morpheus-ha:backup.vaultLock.minRetentionDays", "at most backup.vaultLock.maxRetentionDays"},
		{"lock excludes a rule", dev, `{"vaultLock":{"mode":"governance","minRetentionDays":60,"maxRetentionDays":400}}`, "morpheus-ha:backup.dailyRetentionDays", "outside the vault lock"},
		{"compliance lock in dev", dev, `{"vaultLock":{"mode":"compliance","minRetentionDays":1,"maxRetentionDays":400,"changeableForDays":3}}`, "morpheus-ha:backup.vaultLock.mode", "never be destroyed"},
		{"compliance without grace", prod, `{"drRegion":"eu-central-1","vaultLock":{"mode":"compliance","minRetentionDays":1,"maxRetentionDays":400},` + glass + `}`, "morpheus-ha:backup.vaultLock.changeableForDays", "at least 3"},
		{"unknown lock mode", dev, `{"vaultLock":{"mode":"strict"}}`, "morpheus-ha:backup.vaultLock.mode", "must be one of"},
		{"prod without break-glass", prod, `{"drRegion":"eu-central-1"}`, "morpheus-ha:backup.breakGlassRoleArns", "is empty"},
		{"break-glass not a role", prod, `{"drRegion":"eu-central-1","breakGlassRoleArns":["arn:aws:iam::123456789012:user/alice"]}`, "morpheus-ha:backup.breakGlassRoleArns", "IAM role ARN"},
		{"prod without backups", prod, `{"enabled":false}`, "morpheus-ha:backup.enabled", "prod must back up"},
		{"replication without a DR region", dev, `{"replicateFileSystem":true}`, "morpheus-ha:backup.drRegion", "backup.replicateFileSystem"},
		{"secret replicas without a DR region", dev, `{"replicateSecrets":true}`, "morpheus-ha:backup.drRegion", "backup.replicateSecrets"},
		{"typo in a field", dev, `{"dailyRetention":7}`, "morpheus-ha:backup.dailyRetention", "unknown field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireRejected(t, testutil.With(tc.base, "backup", tc.backup), tc.wantKey, tc.wantMsg)
		})
	}
}

// TestBackupPlanInTheProdStack: prod backs up Aurora and EFS by ARN into a
// vault under the data key and copies every rule to the DR region; dev keeps
// its points in its own region only.
func TestBackupPlanInTheProdStack(t *testing.T) {
	prod := runEnv(t, "prod")
	sel := prod.ByType("aws:backup/selection:Selection")
	require.Len(t, sel, 1)
	cluster := prod.ByType("aws:rds/cluster:Cluster")[0]
	fs := prod.ByType("aws:efs/fileSystem:FileSystem")[0]
	assert.Contains(t, sel[0].PropertyDependencies["resources"], cluster.URN)
	assert.Contains(t, sel[0].PropertyDependencies["resources"], fs.URN)
	assert.Len(t, prod.ByType("aws:backup/vault:Vault"), 2, "primary and DR vaults")
	assert.Contains(t, prod.Find("aws:backup/vault:Vault", "backup-vault").PropertyDependencies["kmsKeyArn"], prod.Find("aws:kms/key:Key", "keys-data").URN)
	assert.Contains(t, prod.Find("aws:backup/vault:Vault", "backup-dr-vault").PropertyDependencies["kmsKeyArn"], prod.Find("aws:kms/key:Key", "keys-data-dr").URN)
	for _, r := range prod.ByType("aws:backup/plan:Plan")[0].Objects("rules") {
		_, copies := r["copyActions"]
		assert.True(t, copies, "prod copies rule %s", r["ruleName"].StringValue())
	}
	assert.Len(t, prod.ByType("aws:backup/restoreTestingPlan:RestoreTestingPlan"), 1)
	repl := prod.ByType("aws:efs/replicationConfiguration:ReplicationConfiguration")
	require.Len(t, repl, 1, "prod replicates EFS to the DR region")
	assert.Equal(t, testutil.DRRegion, repl[0].String("destination", "region"))
	assert.Contains(t, repl[0].PropertyDependencies["destination"], prod.Find("aws:kms/key:Key", "keys-data-dr").URN, "the replica uses the DR data key")
	assert.True(t, repl[0].Protect, "deleting the replication is the failover, never a side effect")
	drSecretsKey := prod.Find("aws:kms/key:Key", "keys-secrets-dr")
	require.NotNil(t, drSecretsKey, "the replicas get a secrets key of the DR region")
	for _, sec := range prod.ByType("aws:secretsmanager/secret:Secret") {
		rs := sec.Objects("replicas")
		require.Len(t, rs, 1, "%s is replicated to the DR region", sec.Name)
		assert.Equal(t, testutil.DRRegion, rs[0]["region"].StringValue(), sec.Name)
		assert.Contains(t, sec.PropertyDependencies["replicas"], drSecretsKey.URN, "%s's replica uses the DR secrets key", sec.Name)
	}

	dev := runEnv(t, "dev")
	assert.Len(t, dev.ByType("aws:backup/vault:Vault"), 1, "no DR vault in dev")
	assert.Empty(t, dev.ByType("aws:efs/replicationConfiguration:ReplicationConfiguration"), "no EFS replica in dev")
	for _, sec := range dev.ByType("aws:secretsmanager/secret:Secret") {
		assert.Empty(t, sec.Objects("replicas"), "no secret replicas in dev: %s", sec.Name)
	}
}
