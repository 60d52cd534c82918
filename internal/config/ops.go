package config

import "strings"

// Ops is the `ops` config object: the ops Lambda function that bootstraps
// Morpheus' database, broker and search users and rotates their secrets (see
// docs/runbooks/secret-rotation.md).
type Ops struct {
	// Artifact is the path of the function's zip, built by `make opsfn`,
	// relative to the project directory (Pulumi.yaml's).
	Artifact string `json:"artifact"`
	// RotationDays is the number of days between rotations of the
	// db-morpheus, mq-morpheus and opensearch-morpheus secrets, 1 to 365; prod
	// at most 90 (Security Hub SecretsManager.4).
	RotationDays int `json:"rotationDays"`
	// ApplianceSetup is the optional one-time Morpheus appliance setup.
	ApplianceSetup ApplianceSetup `json:"applianceSetup"`
}

// Ops defaults. The rotation period is the same everywhere: dev should exercise
// the rotation prod depends on, not a rarer one.
const (
	DefaultOpsArtifact  = "build/opsfn/opsfn.zip"
	DefaultRotationDays = 30
	// MaxRotationDays is Secrets Manager's limit for AutomaticallyAfterDays.
	MaxRotationDays = 365
	// MaxProdRotationDays is Security Hub's SecretsManager.4 default: secrets
	// should be rotated within 90 days.
	MaxProdRotationDays = 90
)

func opsDefaults(Environment) Ops {
	return Ops{Artifact: DefaultOpsArtifact, RotationDays: DefaultRotationDays}
}

func validateOps(cfg *Config, c *collector) {
	o := cfg.Ops
	switch {
	case strings.TrimSpace(o.Artifact) == "":
		c.addf("ops.artifact", o.Artifact, "is empty; set the path of the ops function's zip (default %s, built by `make opsfn`)", DefaultOpsArtifact)
	case !strings.HasSuffix(o.Artifact, ".zip"):
		c.addf("ops.artifact", o.Artifact, "must be a .zip deployment package (built by `make opsfn`)")
	}
	switch {
	case o.RotationDays < 1 || o.RotationDays > MaxRotationDays:
		c.addf("ops.rotationDays", o.RotationDays, "must be between 1 and %d days (Secrets Manager's limit)", MaxRotationDays)
	case cfg.IsProd() && o.RotationDays > MaxProdRotationDays:
		c.addf("ops.rotationDays", o.RotationDays, "prod must rotate within %d days (Security Hub SecretsManager.4)", MaxProdRotationDays)
	}
	validateApplianceSetup(o.ApplianceSetup, c)
}
