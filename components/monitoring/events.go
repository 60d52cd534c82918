package monitoring

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// EventPattern is an EventBridge event pattern. Patterns are built from these
// structs and json.Marshal, never written as JSON strings.
type EventPattern struct {
	Source     []string `json:"source"`
	DetailType []string `json:"detail-type"`
	Detail     any      `json:"detail,omitempty"`
}

// JSON renders the pattern; plain strings and lists cannot fail to marshal.
func (p EventPattern) JSON() string {
	b, err := json.Marshal(p)
	if err != nil {
		panic("monitoring: event pattern: " + err.Error())
	}
	return string(b)
}

// backupDetail matches AWS Backup job states.
type backupDetail struct {
	State []string `json:"state"`
}

// cloudTrailDetail matches service events CloudTrail forwards.
type cloudTrailDetail struct {
	EventSource []string `json:"eventSource"`
	EventName   []string `json:"eventName"`
}

// asgDetail matches one Auto Scaling group.
type asgDetail struct {
	AutoScalingGroupName []string `json:"AutoScalingGroupName"`
}

// rdsDetail matches RDS events of one source by category.
type rdsDetail struct {
	EventCategories  []string `json:"EventCategories"`
	SourceIdentifier []string `json:"SourceIdentifier"`
}

// BackupFailurePattern matches the backup and copy jobs of the stack's plan
// that failed, were aborted, expired unrun or completed only in part: a missing
// restore point (or DR copy) is the failure that surfaces only on the day it
// is needed. The account's jobs are all ours to watch.
func BackupFailurePattern() EventPattern {
	return EventPattern{
		Source:     []string{"aws.backup"},
		DetailType: []string{"Backup Job State Change", "Copy Job State Change"},
		Detail:     backupDetail{State: []string{"FAILED", "ABORTED", "EXPIRED", "PARTIAL"}},
	}
}

// restoreDetail matches AWS Backup restore job states (restore jobs report
// `status`, not `state`).
type restoreDetail struct {
	Status []string `json:"status"`
}

// RestoreFailurePattern matches restore jobs that failed or were aborted: the
// monthly restore tests report through them, so a point that does not restore
// is known before it is needed.
func RestoreFailurePattern() EventPattern {
	return EventPattern{
		Source:     []string{"aws.backup"},
		DetailType: []string{"Restore Job State Change"},
		Detail:     restoreDetail{Status: []string{"FAILED", "ABORTED"}},
	}
}

// RotationFailurePattern matches Secrets Manager rotations that failed or were
// abandoned (service events delivered via CloudTrail, no trail needed). Morpheus
// reads rotated passwords from morpheus.rb, so a half-done rotation breaks it.
func RotationFailurePattern() EventPattern {
	return EventPattern{
		Source:     []string{"aws.secretsmanager"},
		DetailType: []string{"AWS Service Event via CloudTrail"},
		Detail: cloudTrailDetail{
			EventSource: []string{"secretsmanager.amazonaws.com"},
			EventName:   []string{"RotationFailed", "RotationAbandoned", "TestRotationFailed"},
		},
	}
}

// ScalingFailurePattern matches the app group's failed launches and terminations.
func ScalingFailurePattern(asgName string) EventPattern {
	return EventPattern{
		Source:     []string{"aws.autoscaling"},
		DetailType: []string{"EC2 Instance Launch Unsuccessful", "EC2 Instance Terminate Unsuccessful"},
		Detail:     asgDetail{AutoScalingGroupName: []string{asgName}},
	}
}

// FailoverPattern matches failover and failure events of the Aurora cluster:
// Morpheus reconnects, but an operator must know the writer moved.
func FailoverPattern(clusterID string) EventPattern {
	return EventPattern{
		Source:     []string{"aws.rds"},
		DetailType: []string{"RDS DB Cluster Event"},
		Detail:     rdsDetail{EventCategories: []string{"failover", "failure"}, SourceIdentifier: []string{clusterID}},
	}
}

// eventRules routes each pattern to the alerts topic.
func (b *builder) eventRules() error {
	pattern := func(in pulumi.StringInput, f func(string) EventPattern) pulumi.StringOutput {
		return in.ToStringOutput().ApplyT(func(v string) string { return f(v).JSON() }).(pulumi.StringOutput)
	}
	for _, r := range []AlertRule{
		{"backup-failed", "AWS Backup or copy job failed, aborted, expired or partial", pulumi.String(BackupFailurePattern().JSON())},
		{"restore-failed", "AWS Backup restore (test) job failed or aborted", pulumi.String(RestoreFailurePattern().JSON())},
		{"rotation-failed", "Secrets Manager rotation failed", pulumi.String(RotationFailurePattern().JSON())},
		{"scaling-failed", "App node launch or termination failed", pattern(b.args.AsgName, ScalingFailurePattern)},
		{"db-failover", "Aurora cluster failover or failure", pattern(b.args.DbClusterIdentifier, FailoverPattern)},
	} {
		if err := r.Route(b.ctx, b.name, b.args.Namer, b.topicArn, b.parent); err != nil {
			return err
		}
	}
	return nil
}

// AlertRule is an EventBridge rule whose events go to an alerts topic.
type AlertRule struct {
	// Purpose names the rule: "<project>-<stack>-<purpose>", and the
	// resources "<component>-rule-<purpose>" and "...-target".
	Purpose string
	// Description says what the matched events mean.
	Description string
	// Pattern is the rule's event pattern (EventPattern.JSON).
	Pattern pulumi.StringInput
}

// Route creates the rule and its target, topicArn, for the component named
// component. Targets take no role: a role breaks delivery to KMS-encrypted
// topics, whose resource policy admits EventBridge instead.
func (r AlertRule) Route(ctx *pulumi.Context, component string, namer naming.Namer, topicArn pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	rule, err := cloudwatch.NewEventRule(ctx, component+"-rule-"+r.Purpose, &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(namer.Name(naming.EventRule, r.Purpose)),
		Description:  pulumi.String(r.Description),
		EventPattern: r.Pattern,
	}, opts...)
	if err != nil {
		return err
	}
	_, err = cloudwatch.NewEventTarget(ctx, component+"-rule-"+r.Purpose+"-target", &cloudwatch.EventTargetArgs{
		Rule:     rule.Name,
		TargetId: pulumi.String("alerts-topic"),
		Arn:      topicArn,
	}, opts...)
	return err
}
