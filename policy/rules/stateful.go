package rules

import "fmt"

const typeBackupVault = "aws:backup/vault:Vault"

// statefulTypes are the resources whose loss loses data (DEVELOPERS.md,
// Stateful resources): protected in prod.
var statefulTypes = []string{
	typeRDSCluster, typeRDSClusterInstance, typeEFS, typeOpenSearch, typeMQBroker, typeKMSKey, typeBackupVault,
}

// statefulRules protect the data tier in prod and cover the backup vault
// AWS Foundational Security Best Practices control
func statefulRules() []Rule {
	return []Rule{
		{
			Name: "stateful-protected-in-prod", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "In prod, Aurora clusters and instances, EFS, OpenSearch, MQ, KMS keys and backup vaults carry pulumi protect (unless allowDestroy).",
			Why:         "A stray `pulumi destroy` or a replacement must not delete data; EFS, MQ and OpenSearch have no provider-side deletion protection, so protect is their only guard.",
			Check:       only(checkProtected, statefulTypes...),
		},
		{
			Name: "backup-vault-customer-key", Control: "Backup.1", Level: Mandatory,
			Description: "Backup vaults encrypt recovery points with a customer managed key (kmsKeyArn set).",
			Why:         "FSBP control; backups hold everything Aurora and EFS hold.",
			Check:       only(customerKey("kmsKeyArn", "alias/aws/backup"), typeBackupVault),
		},
		{
			Name: "backup-vault-no-force-destroy", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "In prod, backup vaults do not set forceDestroy (unless allowDestroy).",
			Why:         "forceDestroy deletes every recovery point with the vault: the last copy of the data.",
			Check:       only(checkVaultForceDestroy, typeBackupVault),
		},
	}
}

func checkProtected(ctx Context, r Resource) []string {
	if !ctx.protectionApplies() || r.Protect {
		return nil
	}
	return []string{fmt.Sprintf("%s is not protected in prod; pass pulumi.Protect(true)", r.Type)}
}

func checkVaultForceDestroy(ctx Context, r Resource) []string {
	if !ctx.protectionApplies() {
		return nil
	}
	if on, _ := r.flag("forceDestroy"); on {
		return []string{"forceDestroy is true in prod"}
	}
	return nil
}
