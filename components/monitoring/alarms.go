package monitoring

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
)

// alarms creates one CloudWatch alarm per spec of Describe. Every alarm
// notifies the alerts topic of its region on both ALARM and OK, so the
// recovery is reported as well as the problem.
func (b *builder) alarms() (pulumi.StringArrayOutput, error) {
	var names pulumi.StringArray
	for _, s := range Describe(b.args.plan()) {
		build, ok := metricBuilders[s.Key]
		if !ok {
			return pulumi.StringArrayOutput{}, fmt.Errorf("monitoring: no metric for alarm %s", s.Key)
		}
		m := build(b, s)

		topic, opts := b.topicArn, []pulumi.ResourceOption{b.parent}
		if s.Region == HealthCheckRegion {
			topic, opts = b.usEast1TopicArn, b.usEast1()
		}
		actions := pulumi.Array{topic}
		args := &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(s.Name),
			AlarmDescription:   description(s, m.subject),
			ActionsEnabled:     pulumi.Bool(true),
			AlarmActions:       actions,
			OkActions:          actions,
			ComparisonOperator: pulumi.String(s.Comparison),
			Threshold:          pulumi.Float64(s.Threshold),
			EvaluationPeriods:  pulumi.Int(s.Evaluations),
			DatapointsToAlarm:  pulumi.Int(s.DatapointsToAlarm),
			TreatMissingData:   pulumi.String(s.TreatMissingData),
		}
		if m.queries != nil {
			args.MetricQueries = m.queries
		} else {
			args.Namespace = pulumi.String(m.namespace)
			args.MetricName = pulumi.String(m.metric)
			args.Dimensions = m.dims
			args.Period = pulumi.Int(s.Period)
			if strings.HasPrefix(m.stat, "p") {
				args.ExtendedStatistic = pulumi.String(m.stat)
			} else {
				args.Statistic = pulumi.String(m.stat)
			}
		}
		logical := b.name + "-alarm-" + strings.TrimPrefix(s.Name, b.args.Namer.Prefix()+"-")
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, logical, args, opts...)
		if err != nil {
			return pulumi.StringArrayOutput{}, err
		}
		names = append(names, alarm.Name)
	}
	return names.ToStringArrayOutput(), nil
}

// description tells the person paged what crossed which line and why the line
// is there; subject names the instance of a per-instance alarm.
func description(s AlarmSpec, subject pulumi.StringInput) pulumi.StringInput {
	text := fmt.Sprintf("%s %s %s (%s %s). %s", s.Metric, alarmcatalogSymbol(s.Comparison),
		alarmcatalog.FormatNumber(s.Threshold), alarmcatalog.FormatNumber(s.Value), s.Unit, s.Reason)
	if s.DiskPath != "" {
		text = "Mount point " + s.DiskPath + ": " + text
	}
	if subject == nil {
		return pulumi.String(text)
	}
	return pulumi.Sprintf("%s: %s", subject, text)
}
