package backup

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// GuardedActions are what the vault policy denies to everyone but the
// break-glass roles: deleting points, shortening their lifecycle, and changing,
// removing or sidestepping the policy and the lock.
var GuardedActions = []string{
	"backup:DeleteRecoveryPoint",
	"backup:UpdateRecoveryPointLifecycle",
	"backup:PutBackupVaultAccessPolicy",
	"backup:DeleteBackupVaultAccessPolicy",
	"backup:DeleteBackupVaultLockConfiguration",
	"backup:DeleteBackupVault",
}

// VaultPolicy denies GuardedActions to every principal whose ARN is not one of
// breakGlass. It covers only the Backup APIs: RDS snapshot APIs need an SCP.
func VaultPolicy(breakGlass []string) iampolicy.Document {
	return iampolicy.New(iampolicy.Deny("OnlyBreakGlassMayDeleteOrLoosen", GuardedActions, []string{"*"}).
		WithPrincipal("AWS", "*").
		When("ArnNotEquals", "aws:PrincipalArn", breakGlass...))
}

// vault creates one vault named for purpose, with its policy and lock. opts
// place it in another region.
func (b *builder) vault(suffix, purpose string, keyArn pulumi.StringInput, opts ...pulumi.ResourceOption) (*backup.Vault, error) {
	a := b.args
	opts = append([]pulumi.ResourceOption{b.parent}, opts...)
	v, err := backup.NewVault(b.ctx, b.name+"-"+suffix, &backup.VaultArgs{
		Name:      pulumi.String(a.Namer.Name(vaultName, purpose)),
		KmsKeyArn: keyArn,
		// Never delete recovery points with the vault: a teardown keeps the data.
		ForceDestroy: pulumi.Bool(false),
	}, append(opts, pulumi.Protect(a.Protect))...)
	if err != nil {
		return nil, err
	}
	if len(a.BreakGlassRoleArns) > 0 {
		if _, err := backup.NewVaultPolicy(b.ctx, b.name+"-"+suffix+"-policy", &backup.VaultPolicyArgs{
			BackupVaultName: v.Name,
			Policy:          pulumi.String(VaultPolicy(a.BreakGlassRoleArns).JSON()),
		}, opts...); err != nil {
			return nil, err
		}
	}
	if l := a.Lock; l.Mode == LockGovernance || l.Mode == LockCompliance {
		lock := &backup.VaultLockConfigurationArgs{
			BackupVaultName:  v.Name,
			MinRetentionDays: pulumi.Int(l.MinRetentionDays),
			MaxRetentionDays: pulumi.Int(l.MaxRetentionDays),
		}
		// A grace period is what makes a lock compliance mode; without it the
		// lock stays governance, removable by those allowed to.
		if l.Mode == LockCompliance {
			lock.ChangeableForDays = pulumi.Int(l.ChangeableForDays)
		}
		if _, err := backup.NewVaultLockConfiguration(b.ctx, b.name+"-"+suffix+"-lock", lock,
			append(opts, pulumi.Protect(a.Protect))...); err != nil {
			return nil, err
		}
	}
	return v, nil
}
