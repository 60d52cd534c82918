package search

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// LogType is one OpenSearch log stream published to CloudWatch Logs.
type LogType struct {
	// Type is the API's logType value.
	Type string
	// Purpose ends the log group's name and the child's logical name.
	Purpose string
}

// LogTypes are every log the domain publishes. Application logs are
// Opensearch.4; audit logs are Opensearch.5 and need fine-grained access control,
// which the domain has. Slow logs stay empty until an index sets thresholds, but
// publishing them costs nothing until then.
var LogTypes = []LogType{
	{Type: "INDEX_SLOW_LOGS", Purpose: "index-slow"},
	{Type: "SEARCH_SLOW_LOGS", Purpose: "search-slow"},
	{Type: "ES_APPLICATION_LOGS", Purpose: "application"},
	{Type: AuditLogType, Purpose: "audit"},
}

// AuditLogType is the log type that is audit evidence (Opensearch.5).
const AuditLogType = "AUDIT_LOGS"

// publishedLogs are the log groups and the resource policy the domain must wait for.
type publishedLogs struct {
	options opensearch.DomainLogPublishingOptionArray
	policy  *cloudwatch.LogResourcePolicy
}

// logs creates one encrypted log group per log type and the one resource policy
// that lets OpenSearch Service write to them.
func (b *builder) logs() (*publishedLogs, error) {
	out := &publishedLogs{}
	groupArns := make([]string, 0, len(LogTypes))
	for _, lt := range LogTypes {
		groupName := b.args.Namer.LogGroup("opensearch/" + lt.Purpose)
		opts := []pulumi.ResourceOption{b.parent}
		if lt.Type == AuditLogType {
			// Audit logs are evidence: protected and kept as Args say.
			opts = append(opts, pulumi.Protect(b.args.Protect), pulumi.RetainOnDelete(b.args.RetainAuditLogs))
		}
		group, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-"+lt.Purpose+"-logs", &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(groupName),
			RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
			KmsKeyId:        b.args.LogsKeyArn,
		}, opts...)
		if err != nil {
			return nil, err
		}
		out.options = append(out.options, &opensearch.DomainLogPublishingOptionArgs{
			LogType:               pulumi.String(lt.Type),
			Enabled:               pulumi.Bool(true),
			CloudwatchLogGroupArn: group.Arn,
		})
		// The policy names groups by ARNs computed from their names, so it is a
		// plain document known at preview and needs no apply.
		groupArns = append(groupArns, b.args.Env.ARN("logs", "log-group:"+groupName))
	}
	policy, err := cloudwatch.NewLogResourcePolicy(b.ctx, b.name+"-log-delivery", &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(b.args.Namer.Name(naming.Generic, "opensearch-logs")),
		PolicyDocument: pulumi.String(LogDeliveryPolicy(b.args.Env, b.domainName, groupArns).JSON()),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	out.policy = policy
	return out, nil
}
