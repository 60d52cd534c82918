package config

import (
	"regexp"
	"strings"
)

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
	// RefreshDeadlineMinutes is how long after a rotation a completed node
	// refresh must be recorded before the nodeRefreshOverdue alarm fires, 30
	// to 1440 (a day, the longest CloudWatch evaluates), a multiple of 5.
	RefreshDeadlineMinutes int `json:"refreshDeadlineMinutes"`
	// RefreshSchedule is the EventBridge schedule expression, cron(<6
	// fields>) or rate(<n> <minutes|hours|days>), that also runs the node
	// refresh: a safety net for a rotation event that never arrived. Every
	// run restarts morpheus-ui on every node, one at a time.
	RefreshSchedule string `json:"refreshSchedule"`
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
	// DefaultRefreshDeadlineMinutes covers a rolling refresh of a full group
	// (about 20 minutes per node: reconfigure, restart, /ping) at the default
	// app.maxNodes, plus the rotation event's delivery.
	DefaultRefreshDeadlineMinutes = 240
	// MinRefreshDeadlineMinutes is below what one node's refresh takes.
	MinRefreshDeadlineMinutes = 30
	// MaxRefreshDeadlineMinutes is a day: CloudWatch evaluates an alarm over
	// at most one day.
	MaxRefreshDeadlineMinutes = 1440
	// RefreshDeadlineStepMinutes is the overdue alarm's period.
	RefreshDeadlineStepMinutes = 5
	// DefaultRefreshSchedule runs the refresh weekly (Sunday 03:00 UTC): every
	// run restarts morpheus-ui on every node, and a login the nodes missed stays
	// valid for a whole rotation period, so a 30-day period gets four runs.
	DefaultRefreshSchedule = "cron(0 3 ? * SUN *)"
)

// scheduleExpression is an EventBridge rule schedule: cron(...) with six
// fields or rate(N unit).
var scheduleExpression = regexp.MustCompile(`^(cron\((\S+ ){5}\S+\)|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\))$`)

func opsDefaults(Environment) Ops {
	return Ops{
		Artifact: DefaultOpsArtifact, RotationDays: DefaultRotationDays,
		RefreshDeadlineMinutes: DefaultRefreshDeadlineMinutes, RefreshSchedule: DefaultRefreshSchedule,
	}
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
	switch d := o.RefreshDeadlineMinutes; {
	case d < MinRefreshDeadlineMinutes || d > MaxRefreshDeadlineMinutes:
		c.addf("ops.refreshDeadlineMinutes", d, "must be between %d and %d minutes (a day is the longest window CloudWatch evaluates)", MinRefreshDeadlineMinutes, MaxRefreshDeadlineMinutes)
	case d%RefreshDeadlineStepMinutes != 0:
		c.addf("ops.refreshDeadlineMinutes", d, "must be a multiple of %d (the overdue alarm's period)", RefreshDeadlineStepMinutes)
	}
	if !scheduleExpression.MatchString(o.RefreshSchedule) {
		c.addf("ops.refreshSchedule", o.RefreshSchedule, "must be an EventBridge schedule expression, cron(<6 fields>) or rate(<n> <minutes|hours|days>), e.g. %s", DefaultRefreshSchedule)
	}
	validateApplianceSetup(o.ApplianceSetup, c)
}
