package backup

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Restore testing settings.
const (
	// RestoreTestSchedule runs on the second of each month at 09:00 UTC, once
	// the monthly backup of the first has completed.
	RestoreTestSchedule = "cron(0 9 2 * ? *)"
	// restoreTestWindowDays picks the newest point of the last week.
	restoreTestWindowDays = 7
	// validationWindowHours keeps the restored copy that long for a check
	// before AWS Backup deletes it.
	validationWindowHours = 2
)

// restoreTestName fits AWS's rule for restore testing names: letters, digits
// and underscores only.
func restoreTestName(parts ...string) string {
	s := strings.Join(parts, "_")
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// restoreTests restores the newest Aurora and EFS snapshots of the vault each
// month. A failed restore job reaches the alerts topic through the backup
// failure rule of monitoring.
func (b *builder) restoreTests(vaultArn, roleArn pulumi.StringInput) error {
	a := b.args
	planName := restoreTestName(a.Namer.Prefix(), "monthly")
	plan, err := backup.NewRestoreTestingPlan(b.ctx, b.name+"-restore-test", &backup.RestoreTestingPlanArgs{
		Name:               pulumi.String(planName),
		ScheduleExpression: pulumi.String(RestoreTestSchedule),
		RecoveryPointSelection: &backup.RestoreTestingPlanRecoveryPointSelectionArgs{
			Algorithm:           pulumi.String("LATEST_WITHIN_WINDOW"),
			IncludeVaults:       pulumi.StringArray{vaultArn},
			RecoveryPointTypes:  pulumi.StringArray{pulumi.String("SNAPSHOT")},
			SelectionWindowDays: pulumi.Int(restoreTestWindowDays),
		},
	}, b.parent)
	if err != nil {
		return err
	}
	for _, s := range a.protected() {
		if _, err := backup.NewRestoreTestingSelection(b.ctx, b.name+"-restore-test-"+s.suffix, &backup.RestoreTestingSelectionArgs{
			Name:                   pulumi.String(restoreTestName(s.suffix)),
			RestoreTestingPlanName: plan.Name,
			IamRoleArn:             roleArn,
			ProtectedResourceType:  pulumi.String(s.resourceType),
			ProtectedResourceArns:  pulumi.StringArray{s.arn},
			ValidationWindowHours:  pulumi.Int(validationWindowHours),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}
