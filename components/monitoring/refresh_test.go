package monitoring_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestRotationsAreCountedFromTheFunctionLog: a finished rotation is counted
// from the ops function's own log line, not from the CloudTrail event whose
// loss the overdue alarm must catch, into the signal metric the refresh
// automation also writes.
func TestRotationsAreCountedFromTheFunctionLog(t *testing.T) {
	rec := run(t, nil)
	var filter *testutil.Resource
	for _, f := range rec.ByType(filterType) {
		if f.String("logGroupName") == opsLogGroup {
			require.Nil(t, filter, "one filter on the function's log")
			filter = f
		}
	}
	require.NotNil(t, filter)
	assert.Equal(t, `"AWSCURRENT moved"`, filter.String("pattern"))
	assert.Equal(t, "Morpheus/morpheus-ha-prod", filter.String("metricTransformation", "namespace"))
	assert.Equal(t, "NodeRefreshSignal", filter.String("metricTransformation", "name"))
	assert.Equal(t, "1", filter.String("metricTransformation", "value"))
	assert.Greater(t, monitoring.RotationSignalValue, monitoring.RefreshSignalValue,
		"Maximum tells a rotation, Minimum a completed refresh")
}

// TestRefreshOverdueAlarm: the alarm spans exactly the configured deadline in
// 5-minute periods, all of which must breach (a rotation in the first, no
// completed refresh in any), pages on ALARM only, and reads the signal metric
// as Maximum (rotations) and Minimum (refreshes).
func TestRefreshOverdueAlarm(t *testing.T) {
	for _, tc := range []struct{ deadline, periods int }{{30, 6}, {240, 48}, {1440, 288}} {
		rec := run(t, func(a *monitoring.Args) { a.Refresh.DeadlineMinutes = tc.deadline })
		var alarm *testutil.Resource
		for _, a := range rec.ByType(alarmType) {
			if a.String("name") == overdueAlarm {
				alarm = a
			}
		}
		require.NotNil(t, alarm, "deadline %d", tc.deadline)
		assert.EqualValues(t, tc.periods, alarm.Number("evaluationPeriods"), "deadline %d", tc.deadline)
		assert.EqualValues(t, tc.periods, alarm.Number("datapointsToAlarm"), "every period of the deadline")
		assert.Equal(t, "GreaterThanOrEqualToThreshold", alarm.String("comparisonOperator"))
		assert.EqualValues(t, 1, alarm.Number("threshold"))
		assert.Equal(t, "notBreaching", alarm.String("treatMissingData"), "no data: no rotation at all")
		assert.Equal(t, []string{mainTopicArn}, alarm.Strings("alarmActions"))
		assert.Empty(t, alarm.Strings("okActions"), "it clears by itself; an OK would say nothing about the nodes")
		assert.True(t, alarm.Bool("actionsEnabled"))
		assert.Contains(t, alarm.String("alarmDescription"), "docs/runbooks/secret-rotation.md")

		stats := map[string]string{}
		for _, q := range alarm.Objects("metricQueries") {
			if m, ok := q["metric"]; ok {
				metric := m.ObjectValue()
				assert.Equal(t, "Morpheus/morpheus-ha-prod", metric["namespace"].StringValue())
				assert.Equal(t, "NodeRefreshSignal", metric["metricName"].StringValue())
				assert.EqualValues(t, monitoring.RefreshOverduePeriodSeconds, metric["period"].NumberValue())
				assert.False(t, q["returnData"].BoolValue())
				stats[q["id"].StringValue()] = metric["stat"].StringValue()
				continue
			}
			assert.True(t, q["returnData"].BoolValue())
			assert.Equal(t, monitoring.RefreshOverdueExpression, q["expression"].StringValue())
		}
		assert.Equal(t, map[string]string{"rot": "Maximum", "done": "Minimum"}, stats)
	}
}
