package deploytime_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/deploytime"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

const standbyRestore = `{"enabled":true,"standby":true,"database":{"source":"globalSecondary","standbyInstances":0}}`

func TestFailoverValues(t *testing.T) {
	inv := plan.Inventory{Project: "p", Values: map[string]string{
		"p:restore": standbyRestore, "p:environment": "prod", "aws:region": "eu-central-1",
	}}
	values, standby, err := deploytime.FailoverValues(inv)
	require.NoError(t, err)
	assert.True(t, standby)
	assert.Equal(t, map[string]string{
		"p:restore":     `{"database":{"source":"globalSecondary","standbyInstances":0},"enabled":true,"standby":false}`,
		"p:environment": "prod", "aws:region": "eu-central-1",
	}, values, "only restore.standby changes")
	assert.Equal(t, standbyRestore, inv.Values["p:restore"], "the plan's own values stay as they were")

	for name, restore := range map[string]string{
		"not in standby":      `{"enabled":true,"standby":false}`,
		"restore mode off":    `{"enabled":false,"standby":true}`,
		"no standby key":      `{"enabled":true}`,
		"standby not boolean": `{"enabled":true,"standby":"true"}`,
	} {
		values, standby, err := deploytime.FailoverValues(plan.Inventory{Project: "p", Values: map[string]string{"p:restore": restore}})
		require.NoError(t, err, name)
		assert.False(t, standby, name)
		assert.Nil(t, values, name)
	}
	_, standby, err = deploytime.FailoverValues(plan.Inventory{Project: "p", Values: map[string]string{}})
	require.NoError(t, err)
	assert.False(t, standby, "no restore object")
	_, _, err = deploytime.FailoverValues(plan.Inventory{Project: "p", Values: map[string]string{"p:restore": "{"}})
	assert.ErrorContains(t, err, "p:restore")
}

// TestFailoverReporter: a standby stack is planned again with restore.standby
// false and estimated as an update of itself; any other stack gets no section.
func TestFailoverReporter(t *testing.T) {
	standby, failover := standbyPair()
	standby.Values = map[string]string{"p:restore": standbyRestore}
	var replanned map[string]string
	standby.Replan = func(values map[string]string) (plan.Inventory, error) {
		replanned = values
		return failover, nil
	}
	r, err := deploytime.FailoverReporter(standby)
	require.NoError(t, err)
	assert.Contains(t, replanned["p:restore"], `"standby":false`)
	assert.Equal(t, "Estimated failover (restore.standby: false)", r.Title)
	assert.Equal(t, "failover-time.json", r.File)
	est, ok := r.Data.(deploytime.Estimate)
	require.True(t, ok)
	assert.InDelta(t, 36.1, est.TotalMinutes, 1e-9, "TestComputeUpdatePinsSmallFailover's figure")
	assert.Contains(t, r.Text, "Total: 36.1 min along a chain of 3 resources")

	standby.Replan = nil
	_, err = deploytime.FailoverReporter(standby)
	assert.ErrorContains(t, err, "cannot be planned again")

	r, err = deploytime.FailoverReporter(graph())
	require.NoError(t, err)
	assert.Equal(t, plan.Report{}, r, "not a standby stack: no section, no file")
}
