package monitoring_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEventRules: each rule's pattern is valid JSON with the documented source
// and detail type, scoped to our group and cluster, and targets the topic.
func TestEventRules(t *testing.T) {
	rec := run(t, nil)
	type pattern struct {
		Source     []string       `json:"source"`
		DetailType []string       `json:"detail-type"`
		Detail     map[string]any `json:"detail"`
	}
	rules := map[string]pattern{}
	for _, r := range rec.ByType(ruleType) {
		raw := r.String("eventPattern")
		require.True(t, json.Valid([]byte(raw)), "%s: invalid pattern %s", r.Name, raw)
		var p pattern
		require.NoError(t, json.Unmarshal([]byte(raw), &p))
		rules[r.Name] = p
		assert.LessOrEqual(t, len(r.String("name")), 64, r.Name)
	}
	require.Len(t, rules, 6)

	backup := rules["monitoring-rule-backup-failed"]
	assert.Equal(t, []string{"aws.backup"}, backup.Source)
	assert.Contains(t, backup.DetailType, "Backup Job State Change")
	assert.ElementsMatch(t, []any{"FAILED", "ABORTED", "EXPIRED", "PARTIAL"}, backup.Detail["state"])

	restore := rules["monitoring-rule-restore-failed"]
	assert.Equal(t, []string{"aws.backup"}, restore.Source)
	assert.Equal(t, []string{"Restore Job State Change"}, restore.DetailType)
	assert.ElementsMatch(t, []any{"FAILED", "ABORTED"}, restore.Detail["status"], "restore jobs report status, not state")

	rotation := rules["monitoring-rule-rotation-failed"]
	assert.Equal(t, []string{"aws.secretsmanager"}, rotation.Source)
	assert.Equal(t, []string{"AWS Service Event via CloudTrail"}, rotation.DetailType)
	assert.Contains(t, rotation.Detail["eventName"], "RotationFailed")

	scaling := rules["monitoring-rule-scaling-failed"]
	assert.Equal(t, []string{"aws.autoscaling"}, scaling.Source)
	assert.ElementsMatch(t, []string{"EC2 Instance Launch Unsuccessful", "EC2 Instance Terminate Unsuccessful"}, scaling.DetailType)
	assert.Equal(t, []any{asgName}, scaling.Detail["AutoScalingGroupName"])

	failover := rules["monitoring-rule-db-failover"]
	assert.Equal(t, []string{"aws.rds"}, failover.Source)
	assert.Equal(t, []string{"RDS DB Cluster Event"}, failover.DetailType)
	assert.Contains(t, failover.Detail["EventCategories"], "failover")
	assert.Equal(t, []any{clusterID}, failover.Detail["SourceIdentifier"])

	refresh := rules["monitoring-rule-node-refresh-failed"]
	assert.Equal(t, []string{"aws.ssm"}, refresh.Source, "Systems Manager sends it directly, no CloudTrail")
	assert.Equal(t, []string{"EC2 Automation Execution Status-change Notification"}, refresh.DetailType)
	assert.Equal(t, []any{refreshRunbook}, refresh.Detail["Definition"], "this stack's refresh runbook only")
	assert.ElementsMatch(t, []any{"Failed", "TimedOut", "Cancelled", "CompletedWithFailure"}, refresh.Detail["Status"])
	assert.NotContains(t, refresh.Detail["Status"], "Success")

	targets := rec.ByType(targetType)
	require.Len(t, targets, 6)
	for _, tg := range targets {
		assert.Equal(t, mainTopicArn, tg.String("arn"), tg.Name)
		assert.Empty(t, tg.String("roleArn"), "%s: a role breaks delivery to an encrypted topic", tg.Name)
	}
}
