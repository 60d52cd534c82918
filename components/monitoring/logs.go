package monitoring

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Metric names of the morpheus-ui metric filters.
const (
	// ErrorLinesMetric counts lines matching the error pattern.
	ErrorLinesMetric = "ErrorLines"
	// FailedLoginsMetric counts lines matching the failed-login pattern.
	FailedLoginsMetric = "FailedLogins"
)

// metricFilters counts error lines and failed logins in the app tier's
// morpheus-ui log group.
func (b *builder) metricFilters() error {
	for _, f := range []struct{ suffix, metric, pattern string }{
		{"errors", ErrorLinesMetric, b.args.ErrorLogPattern},
		{"failed-logins", FailedLoginsMetric, b.args.FailedLoginPattern},
	} {
		if _, err := cloudwatch.NewLogMetricFilter(b.ctx, b.name+"-filter-"+f.suffix, &cloudwatch.LogMetricFilterArgs{
			Name:         pulumi.String(b.args.Namer.Name(naming.Generic, "morpheus-"+f.suffix)),
			LogGroupName: b.args.MorpheusLogGroupName,
			Pattern:      pulumi.String(f.pattern),
			MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
				Namespace: pulumi.String(b.args.LogMetricsNamespace),
				Name:      pulumi.String(f.metric),
				Value:     pulumi.String("1"),
				// Zero for log events that do not match keeps the graph continuous.
				DefaultValue: pulumi.String("0"),
				Unit:         pulumi.String("Count"),
			},
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}
