package apptier_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestTargetTracking pins what the README documents: one target-tracking
// policy holds average CPU at CPUTargetPercent, the other holds ALB requests
// per node at RequestsPerTarget on this group's target group; both may scale
// in (the group's minimum is the floor), and new nodes are left out of the
// metrics for the group's warm-up.
func TestTargetTracking(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cpu, req float64
	}{
		{"defaults", 60, 1000},
		{"tuned", 45, 250},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			a.CPUTargetPercent, a.RequestsPerTarget = tc.cpu, tc.req
			rec := run(t, a)
			byMetric := map[string]*testutil.Resource{}
			for _, p := range rec.ByType("aws:autoscaling/policy:Policy") {
				byMetric[p.String("targetTrackingConfiguration", "predefinedMetricSpecification", "predefinedMetricType")] = p
			}
			require.Len(t, byMetric, 2)
			cpu, req := byMetric["ASGAverageCPUUtilization"], byMetric["ALBRequestCountPerTarget"]
			require.NotNil(t, cpu)
			require.NotNil(t, req)
			assert.Equal(t, tc.cpu, cpu.Number("targetTrackingConfiguration", "targetValue"))
			assert.Equal(t, tc.req, req.Number("targetTrackingConfiguration", "targetValue"))
			assert.Equal(t, "app/alb/1/targetgroup/tg/1", req.String("targetTrackingConfiguration", "predefinedMetricSpecification", "resourceLabel"))
			for _, p := range []*testutil.Resource{cpu, req} {
				assert.False(t, p.Bool("targetTrackingConfiguration", "disableScaleIn"), "scale-in on low load is what saves money")
				assert.Equal(t, "morpheus-ha-prod-app", p.String("autoscalingGroupName"))
			}
			group := rec.ByType("aws:autoscaling/group:Group")[0]
			assert.EqualValues(t, 900, group.Number("defaultInstanceWarmup"), "a booting node's CPU does not trigger more scale-out")
			_, set := group.Prop("desiredCapacity")
			assert.False(t, set, "desired capacity belongs to the policies and schedules, not to pulumi up")
		})
	}
}

func schedule() *apptier.ScaleSchedule {
	return &apptier.ScaleSchedule{Timezone: "Europe/Dublin", ScaleInCron: "0 19 * * 1-5", ScaleOutCron: "0 7 * * 1-5", MinOutsideHours: 0}
}

// TestScheduledScaleIn: no schedule, no actions; with one, scale-in drops the
// minimum and desired size to MinOutsideHours and scale-out restores MinSize,
// both in the configured zone, leaving the maximum alone.
func TestScheduledScaleIn(t *testing.T) {
	a := args()
	a.Protect = false
	assert.Empty(t, run(t, a).ByType("aws:autoscaling/schedule:Schedule"), "off unless configured")

	a.Schedule = schedule()
	a.Schedule.MinOutsideHours = 1
	rec := run(t, a)
	actions := map[string]*testutil.Resource{}
	for _, s := range rec.ByType("aws:autoscaling/schedule:Schedule") {
		actions[s.String("scheduledActionName")] = s
	}
	require.Len(t, actions, 2)
	in, out := actions["morpheus-ha-prod-app-scale-in"], actions["morpheus-ha-prod-app-scale-out"]
	require.NotNil(t, in)
	require.NotNil(t, out)
	for _, tc := range []struct {
		action    *testutil.Resource
		cron      string
		size      float64
		condition string
	}{
		{in, "0 19 * * 1-5", 1, "outside hours"},
		{out, "0 7 * * 1-5", 3, "working hours: back to MinSize"},
	} {
		assert.Equal(t, tc.cron, tc.action.String("recurrence"), tc.condition)
		assert.Equal(t, "Europe/Dublin", tc.action.String("timeZone"), tc.condition)
		assert.Equal(t, tc.size, tc.action.Number("minSize"), tc.condition)
		assert.Equal(t, tc.size, tc.action.Number("desiredCapacity"), tc.condition)
		assert.EqualValues(t, -1, tc.action.Number("maxSize"), "%s: the maximum is left alone", tc.condition)
		assert.Equal(t, "morpheus-ha-prod-app", tc.action.String("autoscalingGroupName"))
	}
	testutil.AssertChildrenOf(t, rec, apptier.TypeToken, "app")
}

// TestScheduledScaleInRefused: a production group, or a schedule that would
// not shrink the group, fails before anything is registered.
func TestScheduledScaleInRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*apptier.Args)
		want   string
	}{
		{"prod", func(a *apptier.Args) { a.Protect = true }, "production group"},
		{"no shrink", func(a *apptier.Args) { a.Protect = false; a.Schedule.MinOutsideHours = 3 }, "MinOutsideHours 3"},
		{"bad cron", func(a *apptier.Args) { a.Protect = false; a.Schedule.ScaleInCron = "19:00" }, "five-field cron"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			a.Schedule = schedule()
			tc.mutate(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}}, func(ctx *pulumi.Context) error {
				_, err := apptier.NewAppTier(ctx, "app", a)
				return err
			}, tc.want)
		})
	}
}
