package opsfunction

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Scheduled actions (internal/ops/handler's ActionSnapshot and
// ActionExportDefinitions; a test keeps them equal without linking the
// function's dependencies into the program).
const (
	SnapshotAction          = "snapshot"
	ExportDefinitionsAction = "exportDefinitions"
)

// scheduleExpression is an EventBridge rule schedule.
var scheduleExpression = regexp.MustCompile(`^(cron\((\S+ ){5}\S+\)|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\))$`)

// Snapshots gives the function its snapshot bucket (components/snapshots) and
// schedules the daily OpenSearch snapshot and broker definitions export.
type Snapshots struct {
	// BucketName and BucketArn are the snapshot bucket.
	BucketName pulumi.StringInput
	BucketArn  pulumi.StringInput
	// RoleArn is the role OpenSearch assumes for the repository: the only
	// role the function may pass.
	RoleArn pulumi.StringInput
	// DataKeyArn encrypts the bucket; the export writes with it.
	DataKeyArn pulumi.StringInput
	// SearchDomainName is the domain whose snapshot API the function calls
	// (search.DomainName): a plain name, so the role's policy does not wait
	// for the domain.
	SearchDomainName string
	// S3PrefixListId is the S3 gateway endpoint's prefix list: the function
	// reaches S3 through the endpoint, so its group's egress names the list.
	S3PrefixListId pulumi.StringInput
	// SnapshotSchedule and ExportSchedule are EventBridge schedule expressions.
	SnapshotSchedule, ExportSchedule string
}

func (s *Snapshots) validate() error {
	var errs []error
	if s.BucketName == nil || s.BucketArn == nil || s.RoleArn == nil || s.DataKeyArn == nil || s.SearchDomainName == "" || s.S3PrefixListId == nil {
		errs = append(errs, errors.New("opsfunction: Snapshots needs the bucket's name and ARN, the snapshot role, the data key, the domain and the S3 prefix list"))
	}
	for name, expr := range map[string]string{"SnapshotSchedule": s.SnapshotSchedule, "ExportSchedule": s.ExportSchedule} {
		if !scheduleExpression.MatchString(expr) {
			errs = append(errs, fmt.Errorf("opsfunction: Snapshots.%s %q is not a cron(...) or rate(...) expression", name, expr))
		}
	}
	return errors.Join(errs...)
}

// schedules invokes fn with each scheduled action. Each rule may invoke the
// function only through its own permission (aws:SourceArn), so no other
// rule, and no other account's, can start a snapshot or an export.
func (b *builder) schedules(fn *lambda.Function, deps []pulumi.Resource) error {
	s := b.args.Snapshots
	for _, sc := range []struct {
		action, purpose, schedule, description string
	}{
		{SnapshotAction, "search-snapshot", s.SnapshotSchedule, "Daily OpenSearch snapshot to the snapshot bucket (ops function)"},
		{ExportDefinitionsAction, "mq-definitions-export", s.ExportSchedule, "Daily RabbitMQ definitions export to the snapshot bucket (ops function)"},
	} {
		logical := b.name + "-" + sc.purpose
		rule, err := cloudwatch.NewEventRule(b.ctx, logical, &cloudwatch.EventRuleArgs{
			Name:               pulumi.String(b.args.Namer.Name(naming.EventRule, sc.purpose)),
			Description:        pulumi.String(sc.description),
			ScheduleExpression: pulumi.String(sc.schedule),
		}, b.parent)
		if err != nil {
			return err
		}
		permission, err := lambda.NewPermission(b.ctx, logical+"-permission", &lambda.PermissionArgs{
			Action:        pulumi.String("lambda:InvokeFunction"),
			Function:      fn.Name,
			Principal:     pulumi.String("events.amazonaws.com"),
			SourceAccount: pulumi.String(b.args.Env.AccountID),
			SourceArn:     rule.Arn,
		}, b.parent)
		if err != nil {
			return err
		}
		// The target waits for the permission, the role's policy and the
		// network path: a first run before them would only fail.
		if _, err := cloudwatch.NewEventTarget(b.ctx, logical+"-target", &cloudwatch.EventTargetArgs{
			Rule:     rule.Name,
			TargetId: pulumi.String("ops-function"),
			Arn:      fn.Arn,
			Input:    pulumi.String(fmt.Sprintf(`{"action":%q}`, sc.action)),
		}, b.parent, pulumi.DependsOn(append([]pulumi.Resource{permission}, deps...))); err != nil {
			return err
		}
	}
	return nil
}
