package stack_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/contract"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rotation"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestRotationLogTermIsTheFunctionsLine: the overdue alarm counts rotations by
// the line the ops function logs; the program cannot link the function's
// packages, so the contract repeats it and this holds the two equal, and
// apart from the admin rotations' line.
func TestRotationLogTermIsTheFunctionsLine(t *testing.T) {
	assert.Equal(t, rotation.FinishedMessage, contract.RotationFinishedLogTerm)
	// The filter matches the term anywhere in a line: an admin rotation,
	// which no node refresh follows, must not contain it.
	assert.NotContains(t, rotation.AdminFinishedMessage, contract.RotationFinishedLogTerm)
}

// TestProdPlanWatchesTheRefresh: in the prod plan a failed, timed-out or
// cancelled refresh pages, a rotation not followed by a completed refresh
// within ops.refreshDeadlineMinutes pages, and the refresh also runs on
// ops.refreshSchedule; the rotation signal (a filter on the function's log)
// and the completed-refresh signal (the runbook's last step) are one metric.
func TestProdPlanWatchesTheRefresh(t *testing.T) {
	for _, tc := range []struct {
		name, ops string
		periods   int
		schedule  string
	}{
		{"defaults", "", 48, "cron(0 3 ? * SUN *)"},
		{"configured", `{"refreshDeadlineMinutes":60,"refreshSchedule":"rate(1 day)"}`, 12, "rate(1 day)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testutil.BaseConfig("prod")
			if tc.ops != "" {
				var ops map[string]any
				require.NoError(t, json.Unmarshal([]byte(cfg["ops"]), &ops))
				require.NoError(t, json.Unmarshal([]byte(tc.ops), &ops))
				b, err := json.Marshal(ops)
				require.NoError(t, err)
				cfg = testutil.With(cfg, "ops", string(b))
			}
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: cfg})

			failed := rec.Find("aws:cloudwatch/eventRule:EventRule", "monitoring-rule-node-refresh-failed")
			require.NotNil(t, failed)
			var pattern struct {
				Source []string
				Detail struct{ Definition, Status []string }
			}
			require.NoError(t, json.Unmarshal([]byte(failed.String("eventPattern")), &pattern))
			assert.Equal(t, []string{"aws.ssm"}, pattern.Source)
			assert.Equal(t, []string{"morpheus-ha-prod-node-refresh-automation"}, pattern.Detail.Definition)
			assert.Subset(t, pattern.Detail.Status, []string{"Failed", "TimedOut"})

			scheduled := rec.Find("aws:cloudwatch/eventRule:EventRule", "refresh-schedule")
			require.NotNil(t, scheduled)
			assert.Equal(t, tc.schedule, scheduled.String("scheduleExpression"))

			var overdue *testutil.Resource
			for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
				if a.String("name") == "morpheus-ha-prod-nodeRefreshOverdue" {
					overdue = a
				}
			}
			require.NotNil(t, overdue)
			assert.EqualValues(t, tc.periods, overdue.Number("evaluationPeriods"))

			filter := rec.Find("aws:cloudwatch/logMetricFilter:LogMetricFilter", "monitoring-filter-rotations")
			require.NotNil(t, filter)
			assert.Equal(t, "/morpheus-ha/prod/ops-function", filter.String("logGroupName"))

			var automation *testutil.Resource
			for _, d := range rec.ByType("aws:ssm/document:Document") {
				if d.String("documentType") == "Automation" {
					automation = d
				}
			}
			require.NotNil(t, automation)
			var doc struct {
				MainSteps []struct {
					Action string
					Inputs struct {
						Namespace  string
						MetricData []struct{ MetricName string }
					}
				}
			}
			require.NoError(t, json.Unmarshal([]byte(automation.String("content")), &doc))
			last := doc.MainSteps[len(doc.MainSteps)-1]
			assert.Equal(t, "aws:executeAwsApi", last.Action)
			assert.Equal(t, filter.String("metricTransformation", "namespace"), last.Inputs.Namespace, "one metric for both signals")
			require.Len(t, last.Inputs.MetricData, 1)
			assert.Equal(t, filter.String("metricTransformation", "name"), last.Inputs.MetricData[0].MetricName)
		})
	}
}

// TestProdPlanAlarmsOnEveryNATGateway: one port-allocation and one dropped-
// packets alarm per NAT gateway of the prod plan, on that gateway's id.
func TestProdPlanAlarmsOnEveryNATGateway(t *testing.T) {
	rec := runEnv(t, "prod")
	nats := rec.ByType("aws:ec2/natGateway:NatGateway")
	require.Len(t, nats, 3)
	watched := map[string][]string{}
	for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if a.String("namespace") == "AWS/NATGateway" {
			watched[a.String("metricName")] = append(watched[a.String("metricName")], a.String("dimensions", "NatGatewayId"))
		}
	}
	var ids []string
	for _, n := range nats {
		ids = append(ids, n.Name+"-id")
	}
	assert.ElementsMatch(t, ids, watched["ErrorPortAllocation"])
	assert.ElementsMatch(t, ids, watched["PacketsDropCount"])
}

// TestProdPlanRotationPermissionsNameEachSecret: Secrets Manager may invoke the
// ops function only for the five rotated secrets (aws:SourceArn each).
func TestProdPlanRotationPermissionsNameEachSecret(t *testing.T) {
	rec := runEnv(t, "prod")
	var rotated, permitted []string
	for _, r := range rec.ByType("aws:secretsmanager/secretRotation:SecretRotation") {
		rotated = append(rotated, r.String("secretId"))
	}
	for _, p := range rec.ByType("aws:lambda/permission:Permission") {
		if p.String("principal") == "events.amazonaws.com" {
			continue // the snapshot schedules (TestProdPlanSnapshots)
		}
		assert.Equal(t, "secretsmanager.amazonaws.com", p.String("principal"))
		assert.Equal(t, testutil.AccountID, p.String("sourceAccount"))
		permitted = append(permitted, p.String("sourceArn"))
	}
	require.Len(t, rotated, 5)
	assert.ElementsMatch(t, rotated, permitted)
}
