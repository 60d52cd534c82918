package backup_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/backup"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	dataKey    = "arn:aws:kms:eu-west-1:123456789012:key/data"
	drKey      = "arn:aws:kms:eu-central-1:123456789012:key/data-dr"
	clusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:morpheus-ha-prod-aurora"
	efsArn     = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1"
	breakGlass = "arn:aws:iam::123456789012:role/break-glass"
)

func args() *backup.Args {
	return &backup.Args{
		Namer:      testutil.ProdNamer(),
		Env:        testutil.Env(),
		DataKeyArn: pulumi.String(dataKey),
		Rules: []backup.Rule{
			{Name: "daily", Schedule: "cron(0 3 ? * * *)", RetentionDays: 35, Continuous: true, CopyRetentionDays: 14},
			{Name: "weekly", Schedule: "cron(0 4 ? * SUN *)", RetentionDays: 90, CopyRetentionDays: 60},
			{Name: "monthly", Schedule: "cron(0 5 1 * ? *)", RetentionDays: 365, ColdStorageAfterDays: 90, CopyRetentionDays: 365},
		},
		AuroraClusterArn:   pulumi.String(clusterArn),
		FileSystemArn:      pulumi.String(efsArn),
		BreakGlassRoleArns: []string{breakGlass},
		RestoreTesting:     true,
		Protect:            true,
	}
}

// program runs the component, with a DR region when withDR.
func program(a *backup.Args, withDR bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if withDR {
			dr, err := testutil.DRTarget(ctx, drKey)
			if err != nil {
				return err
			}
			a.DR = dr
		}
		_, err := backup.NewBackup(ctx, "backup", a)
		return err
	}
}

func run(t *testing.T, a *backup.Args, withDR bool) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, program(a, withDR), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

// TestVaultsUseTheirOwnKeys: the primary vault uses the data key, the DR vault
// the DR region's key through the DR provider; both are protected.
func TestVaultsUseTheirOwnKeys(t *testing.T) {
	rec := run(t, args(), true)
	primary := rec.Find("aws:backup/vault:Vault", "backup-vault")
	dr := rec.Find("aws:backup/vault:Vault", "backup-dr-vault")
	require.NotNil(t, primary)
	require.NotNil(t, dr)
	assert.Equal(t, dataKey, primary.String("kmsKeyArn"))
	assert.Equal(t, drKey, dr.String("kmsKeyArn"))
	assert.True(t, strings.HasPrefix(dr.Provider, rec.Find("pulumi:providers:aws", "aws-dr").URN+"::"), "the DR vault lives in the DR region")
	for _, v := range []*testutil.Resource{primary, dr} {
		assert.True(t, v.Protect, v.Name)
		assert.False(t, v.Bool("forceDestroy"), "%s: a teardown keeps the recovery points", v.Name)
	}
	assert.Equal(t, "morpheus-ha-prod-backup", primary.String("name"))
	assert.Equal(t, "morpheus-ha-prod-backup-dr", dr.String("name"))
}

// TestVaultPolicyDeniesDeletionToAllButBreakGlass on both vaults.
func TestVaultPolicyDeniesDeletionToAllButBreakGlass(t *testing.T) {
	rec := run(t, args(), true)
	policies := rec.ByType("aws:backup/vaultPolicy:VaultPolicy")
	require.Len(t, policies, 2)
	for _, p := range policies {
		var doc iampolicy.Document
		require.NoError(t, json.Unmarshal([]byte(p.String("policy")), &doc), p.Name)
		require.Len(t, doc.Statement, 1)
		s := doc.Statement[0]
		assert.Equal(t, "Deny", s.Effect)
		assert.Equal(t, "*", s.Principal["AWS"])
		assert.Contains(t, s.Action, "backup:DeleteRecoveryPoint")
		assert.Contains(t, s.Action, "backup:PutBackupVaultAccessPolicy")
		assert.Contains(t, s.Action, "backup:UpdateRecoveryPointLifecycle")
		for _, a := range s.Action {
			assert.NotContains(t, a, "*", "no wildcard actions")
		}
		assert.Equal(t, map[string]map[string]any{"ArnNotEquals": {"aws:PrincipalArn": breakGlass}}, s.Condition)
	}
}

// TestRulesRetentionAndCopies: every rule keeps its points as configured and
// copies them to the DR vault with its own retention; the daily rule runs
// continuous backup, the monthly one uses cold storage.
func TestRulesRetentionAndCopies(t *testing.T) {
	rec := run(t, args(), true)
	plans := rec.ByType("aws:backup/plan:Plan")
	require.Len(t, plans, 1)
	rules := map[string]map[string]any{}
	for _, r := range plans[0].Objects("rules") {
		rules[r["ruleName"].StringValue()] = plan.Plain(r)
	}
	require.Len(t, rules, 3)
	for _, tc := range []struct {
		name             string
		keep, copy, cold float64
		continuous       bool
	}{
		{"daily", 35, 14, 0, true},
		{"weekly", 90, 60, 0, false},
		{"monthly", 365, 365, 90, false},
	} {
		r := rules[tc.name]
		require.NotNil(t, r, tc.name)
		lc := r["lifecycle"].(map[string]any)
		assert.EqualValues(t, tc.keep, lc["deleteAfter"], tc.name)
		if tc.cold > 0 {
			assert.EqualValues(t, tc.cold, lc["coldStorageAfter"], tc.name)
		} else {
			assert.NotContains(t, lc, "coldStorageAfter", tc.name)
		}
		assert.Equal(t, tc.continuous, r["enableContinuousBackup"], tc.name)
		copies := r["copyActions"].([]any)
		require.Len(t, copies, 1, tc.name)
		c := copies[0].(map[string]any)
		assert.Contains(t, c["destinationVaultArn"], "vault/backup-dr-vault", "%s copies to the DR vault", tc.name)
		assert.EqualValues(t, tc.copy, c["lifecycle"].(map[string]any)["deleteAfter"], tc.name)
	}
}

// TestWithoutDRNoCopies: without a DR region nothing is copied and no DR vault exists.
func TestWithoutDRNoCopies(t *testing.T) {
	rec := run(t, args(), false)
	assert.Len(t, rec.ByType("aws:backup/vault:Vault"), 1)
	for _, r := range rec.ByType("aws:backup/plan:Plan")[0].Objects("rules") {
		_, has := plan.Plain(r)["copyActions"]
		assert.False(t, has, "no copy action without a DR vault")
	}
}

// TestSelectionByArn backs up exactly the Aurora cluster and the file system
// with the backup role, which has AWS's backup and restore policies.
func TestSelectionByArn(t *testing.T) {
	rec := run(t, args(), false)
	sel := rec.ByType("aws:backup/selection:Selection")
	require.Len(t, sel, 1)
	assert.ElementsMatch(t, []string{clusterArn, efsArn}, sel[0].Strings("resources"))
	role := rec.Find("aws:iam/role:Role", "backup-role")
	require.NotNil(t, role)
	assert.Contains(t, sel[0].String("iamRoleArn"), role.Name)
	assert.Contains(t, role.String("assumeRolePolicy"), "backup.amazonaws.com")
	var attached []string
	for _, a := range rec.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
		attached = append(attached, a.String("policyArn"))
	}
	assert.ElementsMatch(t, []string{
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
	}, attached)
}

// TestRestoreTesting restores the newest Aurora and EFS snapshots monthly.
func TestRestoreTesting(t *testing.T) {
	rec := run(t, args(), false)
	plans := rec.ByType("aws:backup/restoreTestingPlan:RestoreTestingPlan")
	require.Len(t, plans, 1)
	assert.Equal(t, backup.RestoreTestSchedule, plans[0].String("scheduleExpression"))
	assert.Regexp(t, `^[A-Za-z0-9_]+$`, plans[0].String("name"), "restore testing names allow letters, digits and _ only")
	types := map[string][]string{}
	for _, s := range rec.ByType("aws:backup/restoreTestingSelection:RestoreTestingSelection") {
		types[s.String("protectedResourceType")] = s.Strings("protectedResourceArns")
		assert.Regexp(t, `^[A-Za-z0-9_]+$`, s.String("name"))
	}
	assert.Equal(t, map[string][]string{"Aurora": {clusterArn}, "EFS": {efsArn}}, types)

	a := args()
	a.RestoreTesting = false
	assert.Empty(t, run(t, a, false).ByType("aws:backup/restoreTestingPlan:RestoreTestingPlan"))
}

// TestVaultLock: governance has no grace period, compliance has one; both
// bound retention and are protected.
func TestVaultLock(t *testing.T) {
	for _, tc := range []struct {
		mode  string
		grace bool
	}{{backup.LockGovernance, false}, {backup.LockCompliance, true}} {
		a := args()
		a.Lock = backup.Lock{Mode: tc.mode, MinRetentionDays: 7, MaxRetentionDays: 400, ChangeableForDays: 3}
		locks := run(t, a, true).ByType("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
		require.Len(t, locks, 2, tc.mode)
		for _, l := range locks {
			assert.EqualValues(t, 7, l.Number("minRetentionDays"))
			assert.EqualValues(t, 400, l.Number("maxRetentionDays"))
			_, has := l.Prop("changeableForDays")
			assert.Equal(t, tc.grace, has, "%s: grace period", tc.mode)
			assert.True(t, l.Protect)
		}
	}
	assert.Empty(t, run(t, args(), true).ByType("aws:backup/vaultLockConfiguration:VaultLockConfiguration"), "no lock by default")
}

func TestEveryChildIsParented(t *testing.T) {
	testutil.AssertChildrenOf(t, run(t, args(), true), backup.TypeToken, "backup")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	for name, mutate := range map[string]func(*backup.Args){
		"no rules":           func(a *backup.Args) { a.Rules = nil },
		"duplicate rule":     func(a *backup.Args) { a.Rules[1].Name = "daily" },
		"bad schedule":       func(a *backup.Args) { a.Rules[0].Schedule = "daily" },
		"continuous over 35": func(a *backup.Args) { a.Rules[0].RetentionDays = 60 },
		"cold too short":     func(a *backup.Args) { a.Rules[2].RetentionDays = 120 },
		"no cluster":         func(a *backup.Args) { a.AuroraClusterArn = nil },
		"lock min above max": func(a *backup.Args) {
			a.Lock = backup.Lock{Mode: backup.LockGovernance, MinRetentionDays: 30, MaxRetentionDays: 7}
		},
		"compliance no grace": func(a *backup.Args) {
			a.Lock = backup.Lock{Mode: backup.LockCompliance, MinRetentionDays: 1, MaxRetentionDays: 400}
		},
		"unknown lock mode": func(a *backup.Args) { a.Lock.Mode = "strict" },
	} {
		t.Run(name, func(t *testing.T) {
			a := args()
			mutate(a)
			rec, err := testutil.Run(program(a, false), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			for _, r := range rec.Resources() {
				assert.Equal(t, "pulumi:providers:aws", r.Type, "invalid args registered %s", r.Name)
			}
		})
	}
}
