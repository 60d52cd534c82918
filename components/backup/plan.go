package backup

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// ManagedPolicies are AWS's policies for the backup role: backing up (and
// copying) the selected resources, and restoring them for the restore tests.
var ManagedPolicies = map[string]string{
	"backup":  "service-role/AWSBackupServiceRolePolicyForBackup",
	"restore": "service-role/AWSBackupServiceRolePolicyForRestores",
}

// startWindowMinutes lets a job start within an hour of its schedule (AWS's
// minimum); completionWindowMinutes gives it a week, AWS's default.
const (
	startWindowMinutes      = 60
	completionWindowMinutes = 10080
)

// role is the role AWS Backup assumes for this stack's jobs.
func (b *builder) role() (*iam.Role, error) {
	a := b.args
	trust := iampolicy.New(iampolicy.Allow("BackupAssume", []string{"sts:AssumeRole"}, nil).
		WithPrincipal("Service", "backup.amazonaws.com"))
	role, err := iam.NewRole(b.ctx, b.name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(a.Namer.Name(naming.IAMRole, "backup")),
		Description:      pulumi.String("AWS Backup: back up, copy and test-restore this stack's Aurora cluster and EFS file system"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	for _, suffix := range []string{"backup", "restore"} {
		if _, err := iam.NewRolePolicyAttachment(b.ctx, b.name+"-role-"+suffix, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/%s", a.Env.Partition, ManagedPolicies[suffix]),
		}, b.parent); err != nil {
			return nil, err
		}
	}
	return role, nil
}

// plan creates the plan: one rule per Args.Rules entry, each copied to the DR
// vault (when there is one) with its own retention.
func (b *builder) plan(vaultName pulumi.StringInput, drVaultArn pulumi.StringOutput) (*backup.Plan, error) {
	a := b.args
	rules := backup.PlanRuleArray{}
	for _, r := range a.Rules {
		lifecycle := &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(r.RetentionDays)}
		if r.ColdStorageAfterDays > 0 {
			lifecycle.ColdStorageAfter = pulumi.Int(r.ColdStorageAfterDays)
		}
		rule := backup.PlanRuleArgs{
			RuleName:               pulumi.String(r.Name),
			TargetVaultName:        vaultName,
			Schedule:               pulumi.String(r.Schedule),
			StartWindow:            pulumi.Int(startWindowMinutes),
			CompletionWindow:       pulumi.Int(completionWindowMinutes),
			EnableContinuousBackup: pulumi.Bool(r.Continuous),
			Lifecycle:              lifecycle,
			RecoveryPointTags:      pulumi.StringMap{"BackupRule": pulumi.String(r.Name)},
		}
		if a.DR != nil {
			// Copies are never in cold storage: AWS copies a point across
			// regions only while it is warm.
			rule.CopyActions = backup.PlanRuleCopyActionArray{backup.PlanRuleCopyActionArgs{
				DestinationVaultArn: drVaultArn,
				Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: pulumi.Int(r.CopyRetentionDays)},
			}}
		}
		rules = append(rules, rule)
	}
	return backup.NewPlan(b.ctx, b.name+"-plan", &backup.PlanArgs{
		Name:  pulumi.String(a.Namer.Name(planName, "backup")),
		Rules: rules,
	}, b.parent)
}

// selection puts the Aurora cluster and the EFS file system in the plan, by
// ARN: a tag-based selection would silently back up nothing after a tag edit.
func (b *builder) selection(planID, roleArn pulumi.StringInput) error {
	arns := pulumi.StringArray{}
	for _, r := range b.args.protected() {
		arns = append(arns, r.arn)
	}
	_, err := backup.NewSelection(b.ctx, b.name+"-selection", &backup.SelectionArgs{
		Name:       pulumi.String(b.args.Namer.Name(planName, "stateful")),
		PlanId:     planID,
		IamRoleArn: roleArn,
		Resources:  arns,
	}, b.parent)
	return err
}
