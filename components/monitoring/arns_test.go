package monitoring_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestAlarmArns: every created alarm has an ARN in its own region (the
// health-check alarm's is us-east-1), keyed by the name AlarmName returns.
func TestAlarmArns(t *testing.T) {
	var m *monitoring.Monitoring
	var arns map[string]string
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		if err := program(nil, &m)(ctx); err != nil {
			return err
		}
		m.AlarmArns.ApplyT(func(v map[string]string) error { arns = v; return nil })
		return nil
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})

	alarms := rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm")
	require.Len(t, arns, len(alarms))
	for _, a := range alarms {
		name := a.String("name")
		// Catalog alarms may live in us-east-1; the others (the refresh
		// watch) are in the stack's region.
		region := "eu-west-1"
		if s, ok := specs()[name]; ok && s.Region != "" {
			region = s.Region
		}
		assert.Equal(t, "arn:aws:cloudwatch:"+region+":123456789012:alarm:"+name, arns[name])
	}
	for _, key := range []string{"albElb5xx", "albUnhealthyHosts"} {
		name, err := monitoring.AlarmName(plan(), key)
		require.NoError(t, err)
		assert.Contains(t, arns, name, "%s names a created alarm", key)
	}
}

// TestAlarmNameNeedsOneAlarm: a key that makes one alarm per instance or disk,
// or none, has no single name.
func TestAlarmNameNeedsOneAlarm(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want string
	}{
		{"albElb5xx", "morpheus-ha-prod-albElb5xx"},
		{"dbCpu", ""},
		{"appDisk", ""},
		{"noSuchAlarm", ""},
	} {
		t.Run(tc.key, func(t *testing.T) {
			got, err := monitoring.AlarmName(plan(), tc.key)
			if tc.want == "" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// plan is baseArgs' alarm plan.
func plan() monitoring.Plan {
	return monitoring.Plan{
		Namer: namer, Thresholds: map[string]float64{"appCpu": 70},
		Sizing:          alarmcatalog.Sizing{MinNodes: 3, DBMaxConnections: 1000},
		DBInstanceCount: len(instances), DiskPaths: diskPaths,
	}
}
