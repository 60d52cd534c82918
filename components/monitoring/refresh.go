package monitoring

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Values of the refresh signal metric (RefreshWatch.SignalMetric): a finished
// rotation writes RotationSignalValue, a completed refresh of the whole group
// RefreshSignalValue, so a period's Maximum says whether a rotation finished in
// it and its Minimum whether a refresh completed in it. One metric carries both
// so that both series exist whenever either has data (metric math on a metric
// without any data point yields nothing, and nothing is never an alarm).
const (
	RotationSignalValue = 1
	RefreshSignalValue  = 0
)

// RefreshOverduePeriodSeconds is the overdue alarm's period; the deadline is
// a whole number of them.
const RefreshOverduePeriodSeconds = 300

// maxRefreshDeadlineMinutes is a day: CloudWatch evaluates an alarm over at
// most one day.
const maxRefreshDeadlineMinutes = 1440

// RefreshOverdueAlarm ends the overdue alarm's name.
const RefreshOverdueAlarm = "nodeRefreshOverdue"

// Names of the refresh watch's event rule.
const refreshFailedRule = "node-refresh-failed"

// FailedAutomationStatuses are the final states of an automation execution
// that leave nodes unrefreshed: failed, timed out, cancelled (by a person or
// a stop), or a rate-controlled run that completed with failures.
var FailedAutomationStatuses = []string{"Failed", "TimedOut", "Cancelled", "CompletedWithFailure"}

// RefreshWatch is what monitoring needs to watch the node refresh.
type RefreshWatch struct {
	// AutomationName is the refresh runbook (noderefresh's
	// AutomationDocumentName): its failed executions raise an alert.
	AutomationName pulumi.StringInput
	// OpsLogGroupName is the ops function's log group; a metric filter counts
	// its finished rotations (RotationLogTerm) as the signal metric.
	OpsLogGroupName pulumi.StringInput
	// RotationLogTerm is the line the function logs once a rotation moved
	// AWSCURRENT (the contract's RotationFinishedLogTerm).
	RotationLogTerm string
	// SignalMetric is the metric, in Args.LogMetricsNamespace, that rotations
	// and completed refreshes write (the contract's RefreshSignal).
	SignalMetric string
	// DeadlineMinutes is how long after a finished rotation a completed
	// refresh must be recorded (ops.refreshDeadlineMinutes), a multiple of 5.
	DeadlineMinutes int
}

func (w *RefreshWatch) validate() error {
	var errs []error
	if w.AutomationName == nil || w.OpsLogGroupName == nil {
		errs = append(errs, errors.New("monitoring: RefreshWatch needs AutomationName and OpsLogGroupName"))
	}
	if w.RotationLogTerm == "" || w.SignalMetric == "" {
		errs = append(errs, errors.New("monitoring: RefreshWatch needs RotationLogTerm and SignalMetric"))
	}
	step := RefreshOverduePeriodSeconds / 60
	if w.DeadlineMinutes < step || w.DeadlineMinutes > maxRefreshDeadlineMinutes || w.DeadlineMinutes%step != 0 {
		errs = append(errs, fmt.Errorf("monitoring: RefreshWatch.DeadlineMinutes %d must be a multiple of %d up to %d", w.DeadlineMinutes, step, maxRefreshDeadlineMinutes))
	}
	return errors.Join(errs...)
}

// automationDetail matches one runbook's executions by final status.
type automationDetail struct {
	Definition []string `json:"Definition"`
	Status     []string `json:"Status"`
}

// RefreshFailurePattern matches executions of the refresh runbook that ended
// without refreshing every node. Systems Manager sends these directly to
// EventBridge (no CloudTrail), with the runbook's name as Definition.
func RefreshFailurePattern(automation string) EventPattern {
	return EventPattern{
		Source:     []string{"aws.ssm"},
		DetailType: []string{"EC2 Automation Execution Status-change Notification"},
		Detail:     automationDetail{Definition: []string{automation}, Status: FailedAutomationStatuses},
	}
}

// RefreshOverdueExpression is the overdue alarm's metric math over the signal
// metric's Maximum (rot) and Minimum (done) per period: 1 for a period when a
// rotation finished at or before it within the evaluated range and no refresh
// completed since the range began. The alarm needs every period of the
// deadline to be 1, which holds exactly when a rotation finished in its first
// period and no refresh completed in all the deadline after.
const RefreshOverdueExpression = "IF(RUNNING_SUM(FILL(rot, 0)) > 0 AND RUNNING_SUM(1 - FILL(done, 1)) == 0, 1, 0)"

// refreshWatch creates the failed-refresh rule, the rotation metric filter and
// the overdue alarm, and returns the alarm's name.
func (b *builder) refreshWatch() (pulumi.StringOutput, error) {
	w := b.args.Refresh
	failed := AlertRule{
		Purpose:     refreshFailedRule,
		Description: "Node refresh automation failed, timed out or was cancelled: some nodes still use the previous login",
		Pattern: w.AutomationName.ToStringOutput().ApplyT(func(name string) string {
			return RefreshFailurePattern(name).JSON()
		}).(pulumi.StringOutput),
	}
	if err := failed.Route(b.ctx, b.name, b.args.Namer, b.topicArn, b.parent); err != nil {
		return pulumi.StringOutput{}, err
	}

	// A finished rotation, counted from the function's own log: independent
	// of the CloudTrail event that starts the refresh, which is what may fail.
	filter, err := cloudwatch.NewLogMetricFilter(b.ctx, b.name+"-filter-rotations", &cloudwatch.LogMetricFilterArgs{
		Name:         pulumi.String(b.args.Namer.Name(naming.Generic, "finished-rotations")),
		LogGroupName: w.OpsLogGroupName,
		Pattern:      pulumi.String(strconv.Quote(w.RotationLogTerm)),
		MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
			Namespace: pulumi.String(b.args.LogMetricsNamespace),
			Name:      pulumi.String(w.SignalMetric),
			Value:     pulumi.String(strconv.Itoa(RotationSignalValue)),
		},
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}

	periods := w.DeadlineMinutes * 60 / RefreshOverduePeriodSeconds
	signal := func(id, stat string) cloudwatch.MetricAlarmMetricQueryInput {
		return cloudwatch.MetricAlarmMetricQueryArgs{
			Id: pulumi.String(id),
			Metric: cloudwatch.MetricAlarmMetricQueryMetricArgs{
				Namespace:  pulumi.String(b.args.LogMetricsNamespace),
				MetricName: pulumi.String(w.SignalMetric),
				Stat:       pulumi.String(stat),
				Period:     pulumi.Int(RefreshOverduePeriodSeconds),
			},
			ReturnData: pulumi.Bool(false),
		}
	}
	alarm, err := cloudwatch.NewMetricAlarm(b.ctx, b.name+"-alarm-"+RefreshOverdueAlarm, &cloudwatch.MetricAlarmArgs{
		Name: pulumi.String(b.args.Namer.Name(naming.Generic, RefreshOverdueAlarm)),
		AlarmDescription: pulumi.String(fmt.Sprintf("A Morpheus secret rotated %d minutes ago and no node refresh has completed since "+
			"(ops.refreshDeadlineMinutes): nodes still use the previous login, which stops working at the next rotation. "+
			"Run the refresh automation (docs/runbooks/secret-rotation.md). The alarm fires once per rotation and clears "+
			"%d minutes later whatever happened, so no OK is sent.", w.DeadlineMinutes, RefreshOverduePeriodSeconds/60)),
		ActionsEnabled: pulumi.Bool(true),
		// ALARM only: the alarm clears by itself once the rotation leaves its
		// window, which says nothing about the nodes.
		AlarmActions:       pulumi.Array{b.topicArn},
		ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
		Threshold:          pulumi.Float64(1),
		EvaluationPeriods:  pulumi.Int(periods),
		DatapointsToAlarm:  pulumi.Int(periods),
		// No data at all in the window: no rotation and no refresh.
		TreatMissingData: pulumi.String("notBreaching"),
		MetricQueries: cloudwatch.MetricAlarmMetricQueryArray{
			signal("rot", "Maximum"),
			signal("done", "Minimum"),
			cloudwatch.MetricAlarmMetricQueryArgs{
				Id:         pulumi.String("e1"),
				Expression: pulumi.String(RefreshOverdueExpression),
				Label:      pulumi.String("rotation without a completed refresh"),
				ReturnData: pulumi.Bool(true),
			},
		},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{filter}))
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return alarm.Name, nil
}
