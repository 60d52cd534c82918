package monitoring

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Log group purposes; each becomes Namer.LogGroup(purpose).
const (
	// MorpheusUILog holds the Morpheus application log.
	MorpheusUILog = "morpheus-ui"
	// NginxLog holds Morpheus' embedded nginx log.
	NginxLog = "nginx"
	// CloudInitLog holds the nodes' boot logs.
	CloudInitLog = "cloud-init"
)

// LogPurposes lists the app log groups the component creates.
var LogPurposes = []string{MorpheusUILog, NginxLog, CloudInitLog}

// Metric names of the morpheus-ui metric filters.
const (
	// ErrorLinesMetric counts lines matching the error pattern.
	ErrorLinesMetric = "ErrorLines"
	// FailedLoginsMetric counts lines matching the failed-login pattern.
	FailedLoginsMetric = "FailedLogins"
)

// LogGroupNames returns each purpose's log group name. They are plain strings
// known before deployment, so the app tier's user data can name them without
// waiting for this component.
func LogGroupNames(n naming.Namer) map[string]string {
	out := make(map[string]string, len(LogPurposes))
	for _, p := range LogPurposes {
		out[p] = n.LogGroup(p)
	}
	return out
}

// AgentLogGroups returns the groups the nodes' agent ships to, for
// agentconfig.New: the groups this component creates, named before deployment
// so the app tier's user data need not wait for it.
func AgentLogGroups(n naming.Namer) agentconfig.LogGroups {
	return agentconfig.LogGroups{
		MorpheusUI: n.LogGroup(MorpheusUILog),
		Nginx:      n.LogGroup(NginxLog),
		CloudInit:  n.LogGroup(CloudInitLog),
	}
}

// LogMetricsNamespace is the namespace of the metric filters' metrics: one per
// stack, because metric filters on unstructured logs cannot add dimensions.
func LogMetricsNamespace(n naming.Namer) string {
	return "Morpheus/" + n.Prefix()
}

// logGroups creates the app log groups (retention, logs key) and the metric
// filters on morpheus-ui. It returns each purpose's group name.
func (b *builder) logGroups() (map[string]pulumi.StringOutput, error) {
	names := map[string]pulumi.StringOutput{}
	for _, purpose := range LogPurposes {
		g, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-log-"+purpose, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(b.args.Namer.LogGroup(purpose)),
			RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
			KmsKeyId:        b.args.LogsKeyArn,
		}, b.parent)
		if err != nil {
			return nil, err
		}
		names[purpose] = g.Name
	}
	for _, f := range []struct{ suffix, metric, pattern string }{
		{"errors", ErrorLinesMetric, b.args.ErrorLogPattern},
		{"failed-logins", FailedLoginsMetric, b.args.FailedLoginPattern},
	} {
		if _, err := cloudwatch.NewLogMetricFilter(b.ctx, b.name+"-filter-"+f.suffix, &cloudwatch.LogMetricFilterArgs{
			Name:         pulumi.String(b.args.Namer.Name(naming.Generic, "morpheus-"+f.suffix)),
			LogGroupName: names[MorpheusUILog],
			Pattern:      pulumi.String(f.pattern),
			MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
				Namespace: pulumi.String(LogMetricsNamespace(b.args.Namer)),
				Name:      pulumi.String(f.metric),
				Value:     pulumi.String("1"),
				// Zero for log events that do not match keeps the graph continuous.
				DefaultValue: pulumi.String("0"),
				Unit:         pulumi.String("Count"),
			},
		}, b.parent); err != nil {
			return nil, err
		}
	}
	return names, nil
}
