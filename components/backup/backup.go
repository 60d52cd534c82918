// Package backup protects the stateful tier with AWS Backup: a vault encrypted
// with the data key and guarded by an access policy (and optionally a vault
// lock), a plan of daily, weekly and monthly rules (the daily one runs Aurora's
// continuous backup for point-in-time restore), copies of every rule to a vault
// in the disaster-recovery region, a selection of the Aurora cluster and the EFS
// file system by ARN, and a monthly restore test that proves the points restore.
package backup

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/drregion"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:backup:Backup"

// Naming rules of the resources named here.
var (
	// vaultName: 2-50 of letters, digits, hyphens and underscores.
	vaultName = naming.Kind{Service: "backup vault", MaxLen: 50}
	// planName: up to 50 characters.
	planName = naming.Kind{Service: "backup plan", MaxLen: 50}
)

// Lock modes (internal/config's VaultLockModes).
const (
	LockNone       = "none"
	LockGovernance = "governance"
	LockCompliance = "compliance"
)

// cronPattern is an AWS Backup schedule expression.
var cronPattern = regexp.MustCompile(`^cron\([^()]+\)$`)

// Rule is one backup rule.
type Rule struct {
	// Name is the rule's name (letters, digits, hyphens, underscores, dots).
	Name string
	// Schedule is a cron(...) expression, in UTC.
	Schedule string
	// RetentionDays is how long the rule's points live.
	RetentionDays int
	// ColdStorageAfterDays moves points that support it (EFS) to cold storage;
	// 0 keeps them warm.
	ColdStorageAfterDays int
	// Continuous runs continuous backup (point-in-time restore) for the types
	// that support it (Aurora); RetentionDays must then be 35 or less.
	Continuous bool
	// CopyRetentionDays is how long the DR copy lives (used with Args.DR).
	CopyRetentionDays int
}

// Lock is the optional vault lock of both vaults.
type Lock struct {
	// Mode is LockNone, LockGovernance or LockCompliance.
	Mode string
	// MinRetentionDays and MaxRetentionDays bound every point's retention.
	MinRetentionDays, MaxRetentionDays int
	// ChangeableForDays is the compliance lock's grace period (at least 3).
	ChangeableForDays int
}

// DR is the disaster-recovery region the DR vault lives in, with its data key.
type DR = drregion.Target

// Args configures the backups.
type Args struct {
	// Namer names the vaults, plan, role and restore tests.
	Namer naming.Namer
	// Env is the account and partition (policy ARNs).
	Env awsenv.Env
	// DataKeyArn encrypts the vault (EFS points; Aurora keeps its own key).
	DataKeyArn pulumi.StringInput
	// Rules are the plan's rules.
	Rules []Rule
	// AuroraClusterArn and FileSystemArn are what the plan backs up.
	AuroraClusterArn pulumi.StringInput
	FileSystemArn    pulumi.StringInput
	// ExcludeAurora leaves the cluster out of the plan and the restore tests:
	// a standby global secondary, whose data the primary's backups and their
	// copies in this region already hold (AuroraClusterArn may then be nil).
	ExcludeAurora bool
	// BreakGlassRoleArns alone may delete points, shorten their lifecycle or
	// change the vault policy; without any, no vault policy is set (non-prod).
	BreakGlassRoleArns []string
	// Lock optionally locks both vaults.
	Lock Lock
	// DR, when set, copies every rule's points to a vault in that region.
	DR *DR
	// RestoreTesting restores the newest Aurora and EFS points monthly.
	RestoreTesting bool
	// Protect guards the vaults and lock against deletion by Pulumi (prod).
	Protect bool
}

// Backup is the component.
type Backup struct {
	pulumi.ResourceState

	// VaultName is the primary vault's name.
	VaultName pulumi.StringOutput `pulumi:"vaultName"`
	// DRVaultArn is the DR vault's ARN; empty without Args.DR.
	DRVaultArn pulumi.StringOutput `pulumi:"drVaultArn"`
	// PlanId is the backup plan.
	PlanId pulumi.StringOutput `pulumi:"planId"`
	// RoleArn is the role AWS Backup backs up, copies and restores with.
	RoleArn pulumi.StringOutput `pulumi:"roleArn"`
}

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("backup: "+format, v...)) }
	if a.Namer.Project == "" || a.Env.AccountID == "" || a.Env.Partition == "" {
		add("Namer and Env are required")
	}
	if a.DataKeyArn == nil || (a.AuroraClusterArn == nil && !a.ExcludeAurora) || a.FileSystemArn == nil {
		add("DataKeyArn, AuroraClusterArn and FileSystemArn are required")
	}
	if len(a.Rules) == 0 {
		add("at least one rule is required")
	}
	seen := map[string]bool{}
	for _, r := range a.Rules {
		if r.Name == "" || seen[r.Name] {
			add("rule names must be set and distinct, got %q", r.Name)
		}
		seen[r.Name] = true
		if !cronPattern.MatchString(r.Schedule) {
			add("rule %s: schedule %q must be cron(...)", r.Name, r.Schedule)
		}
		if r.RetentionDays < 1 || (r.Continuous && r.RetentionDays > 35) {
			add("rule %s: retention %d days must be at least 1 (at most 35 with continuous backup)", r.Name, r.RetentionDays)
		}
		if r.ColdStorageAfterDays > 0 && r.RetentionDays < r.ColdStorageAfterDays+90 {
			add("rule %s: cold storage after %d days needs a retention of at least %d", r.Name, r.ColdStorageAfterDays, r.ColdStorageAfterDays+90)
		}
		if a.DR != nil && (r.CopyRetentionDays < 1 || r.CopyRetentionDays > r.RetentionDays) {
			add("rule %s: copy retention %d must be 1 to the rule's %d days", r.Name, r.CopyRetentionDays, r.RetentionDays)
		}
	}
	if a.DR != nil {
		if err := a.DR.Check(a.Env.Region); err != nil {
			add("%v", err)
		}
	}
	switch a.Lock.Mode {
	case LockNone, "":
	case LockGovernance, LockCompliance:
		if a.Lock.MinRetentionDays < 1 || a.Lock.MaxRetentionDays < a.Lock.MinRetentionDays {
			add("lock retention %d-%d is invalid", a.Lock.MinRetentionDays, a.Lock.MaxRetentionDays)
		}
		if a.Lock.Mode == LockCompliance && a.Lock.ChangeableForDays < 3 {
			add("a compliance lock needs ChangeableForDays of at least 3")
		}
	default:
		add("lock mode %q is not one of none, governance, compliance", a.Lock.Mode)
	}
	return errors.Join(errs...)
}

// NewBackup creates the vaults, their policies and locks, the role, the plan,
// its selection and the restore tests.
func NewBackup(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backup, error) {
	if args == nil {
		return nil, errors.New("backup: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Backup{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}
	role, err := b.role()
	if err != nil {
		return nil, err
	}
	primary, err := b.vault("vault", "backup", args.DataKeyArn)
	if err != nil {
		return nil, err
	}
	c.DRVaultArn = pulumi.String("").ToStringOutput()
	var drVaultArn pulumi.StringOutput
	if args.DR != nil {
		dr, err := b.vault("dr-vault", "backup-dr", args.DR.KeyArn, pulumi.Provider(args.DR.Provider))
		if err != nil {
			return nil, err
		}
		drVaultArn = dr.Arn
		c.DRVaultArn = dr.Arn
	}
	plan, err := b.plan(primary.Name, drVaultArn)
	if err != nil {
		return nil, err
	}
	if err := b.selection(plan.ID().ToStringOutput(), role.Arn); err != nil {
		return nil, err
	}
	if args.RestoreTesting {
		if err := b.restoreTests(primary.Arn, role.Arn); err != nil {
			return nil, err
		}
	}
	c.VaultName = primary.Name
	c.PlanId = plan.ID().ToStringOutput()
	c.RoleArn = role.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vaultName":  c.VaultName,
		"drVaultArn": c.DRVaultArn,
		"planId":     c.PlanId,
		"roleArn":    c.RoleArn,
	})
}

// builder carries what every part of the component needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
}

// protected are the resources the plan backs up, by ARN, with their restore
// testing suffix and AWS Backup resource type.
func (a *Args) protected() []protectedResource {
	var out []protectedResource
	if !a.ExcludeAurora {
		out = append(out, protectedResource{"aurora", "Aurora", a.AuroraClusterArn})
	}
	return append(out, protectedResource{"efs", "EFS", a.FileSystemArn})
}

// protectedResource is one resource the plan selects.
type protectedResource struct {
	suffix, resourceType string
	arn                  pulumi.StringInput
}
