package deploytime_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/deploytime"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

const root = "urn:pulumi:test::p::pulumi:pulumi:Stack::p-test"

func urn(typ, name string) string { return "urn:pulumi:test::p::" + typ + "::" + name }

var (
	comp   = urn("morpheus:data:Data", "data")
	vpc    = urn("morpheus:data:Data$aws:ec2/vpc:Vpc", "vpc")
	broker = urn("morpheus:data:Data$aws:mq/broker:Broker", "broker")
	db     = urn("aws:rds/clusterInstance:ClusterInstance", "db")
	fn     = urn("aws:lambda/function:Function", "fn")
	invoke = urn("aws:lambda/invocation:Invocation", "invoke")
	odd    = urn("aws:foo/bar:Bar", "odd")
	lt     = urn("aws:ec2/launchTemplate:LaunchTemplate", "lt")
	tg     = urn("aws:lb/targetGroup:TargetGroup", "tg")
	asg    = urn("aws:autoscaling/group:Group", "asg")
)

// graph is a small stack with every kind of edge: a component's children, a
// property dependency, a dependsOn on a component, an unknown type and a node group.
func graph() plan.Inventory {
	return plan.Inventory{Project: "p", Stack: "test", Entries: []plan.Entry{
		{URN: comp, Type: "morpheus:data:Data", Name: "data", Parent: root},
		{URN: vpc, Type: "aws:ec2/vpc:Vpc", Name: "vpc", Parent: comp, Custom: true},
		{URN: broker, Type: "aws:mq/broker:Broker", Name: "broker", Parent: comp, Custom: true,
			Dependencies: []string{vpc}, PropertyDependencies: map[string][]string{"subnetIds": {vpc}}},
		{URN: db, Type: "aws:rds/clusterInstance:ClusterInstance", Name: "db", Parent: root, Custom: true},
		// dependsOn the component: waits for the broker, its slowest child.
		{URN: fn, Type: "aws:lambda/function:Function", Name: "fn", Parent: root, Custom: true,
			Dependencies: []string{comp}},
		{URN: invoke, Type: "aws:lambda/invocation:Invocation", Name: "invoke", Parent: root, Custom: true,
			Dependencies: []string{fn, db}, PropertyDependencies: map[string][]string{"functionName": {fn}}},
		{URN: odd, Type: "aws:foo/bar:Bar", Name: "odd", Parent: root, Custom: true, Dependencies: []string{db}},
		{URN: lt, Type: "aws:ec2/launchTemplate:LaunchTemplate", Name: "lt", Parent: root, Custom: true,
			Inputs: map[string]any{"instanceType": "m6i.xlarge"}},
		{URN: tg, Type: "aws:lb/targetGroup:TargetGroup", Name: "tg", Parent: root, Custom: true,
			Inputs: map[string]any{"healthCheck": map[string]any{"healthyThreshold": 2.0, "interval": 15.0}}},
		{URN: asg, Type: "aws:autoscaling/group:Group", Name: "asg", Parent: root, Custom: true,
			Dependencies: []string{lt, tg, invoke},
			PropertyDependencies: map[string][]string{
				"launchTemplate": {lt}, "targetGroupArns": {tg}, "vpcZoneIdentifiers": {invoke},
			},
			Inputs: map[string]any{"waitForCapacityTimeout": "90m"}},
	}}
}

func TestComputePinsSmallGraph(t *testing.T) {
	est, err := deploytime.Compute(graph())
	require.NoError(t, err)

	type step struct {
		name                string
		minutes, cumulative float64
		via                 string
	}
	var got []step
	for _, s := range est.CriticalChain {
		got = append(got, step{s.Name, s.Minutes, s.Cumulative, s.Via})
	}
	// The node group boots m6i.xlarge nodes: 1.5 + 3.1 + 2 + 15 + (3 + 2x15 s).
	assert.Equal(t, []step{
		{"vpc", 0.5, 0.5, ""},
		{"broker", 20, 20.5, "subnetIds"},
		{"data", 0, 20.5, deploytime.ViaChild},
		{"fn", 1.5, 22, deploytime.ViaDependsOn},
		{"invoke", 1, 23, "functionName"},
		{"asg", 25.1, 48.1, "vpcZoneIdentifiers"},
	}, got)
	assert.InDelta(t, 48.1, est.TotalMinutes, 1e-9)
	assert.Equal(t, broker, est.Slowest.URN, "the node group is not a candidate: its figure holds the boot")
	assert.InDelta(t, 18.5, est.ReconfigureAndPingMinutes, 1e-9)
	assert.InDelta(t, 1.25, est.Ratio, 1e-9) // 48.1 / (20 + 18.5)
	assert.Equal(t, []deploytime.Resource{{URN: odd, Type: "aws:foo/bar:Bar"}}, est.NotEstimated)
	require.Len(t, est.NodeGroups, 1)
	assert.Equal(t, deploytime.NodeInputs{InstanceType: "m6i.xlarge", HealthyThreshold: 2, IntervalSeconds: 15},
		est.NodeGroups[0].Inputs)
	var waits []string
	for _, w := range est.NodeGroups[0].Waits {
		waits = append(waits, fmt.Sprintf("%s %.1f %s", w.Name, w.Cumulative, w.Via))
	}
	assert.Equal(t, []string{"invoke 23.0 vpcZoneIdentifiers", "lt 0.5 launchTemplate", "tg 0.5 targetGroupArns"}, waits)
}

// A group the provider does not wait for costs an API call, not a boot.
func TestComputeGroupWithoutCapacityWait(t *testing.T) {
	inv := graph()
	for i := range inv.Entries {
		if inv.Entries[i].URN == asg {
			inv.Entries[i].Inputs["waitForCapacityTimeout"] = "0"
		}
	}
	est, err := deploytime.Compute(inv)
	require.NoError(t, err)
	assert.InDelta(t, 23.5, est.TotalMinutes, 1e-9)
	assert.False(t, est.NodeGroups[0].WaitsForCapacity)
	assert.Zero(t, est.ReconfigureAndPingMinutes)
}

func TestComputeRejectsBrokenGraphs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*plan.Inventory)
		wants []string
	}{
		{"missing dependency", func(inv *plan.Inventory) {
			inv.Entries[5].Dependencies = append(inv.Entries[5].Dependencies, urn("aws:kms/key:Key", "gone"))
		}, []string{invoke, urn("aws:kms/key:Key", "gone"), "not in the plan"}},
		{"missing property dependency", func(inv *plan.Inventory) {
			inv.Entries[3].PropertyDependencies = map[string][]string{"kmsKeyId": {urn("aws:kms/key:Key", "gone")}}
		}, []string{db, urn("aws:kms/key:Key", "gone")}},
		{"missing parent", func(inv *plan.Inventory) {
			inv.Entries[3].Parent = urn("morpheus:x:Gone", "gone")
		}, []string{db, urn("morpheus:x:Gone", "gone")}},
		{"cycle", func(inv *plan.Inventory) {
			inv.Entries[3].Dependencies = []string{invoke}
		}, []string{"cycle", db + " -> " + invoke}},
		{"child depends on its component", func(inv *plan.Inventory) {
			inv.Entries[1].Dependencies = []string{comp}
		}, []string{"cycle", vpc, comp}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := graph()
			tc.edit(&inv)
			_, err := deploytime.Compute(inv)
			require.Error(t, err)
			for _, w := range tc.wants {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestReporter(t *testing.T) {
	r, err := deploytime.Reporter(graph())
	require.NoError(t, err)
	assert.Equal(t, "Estimated first deploy", r.Title)
	assert.Equal(t, "deploy-time.json", r.File)
	est, ok := r.Data.(deploytime.Estimate)
	require.True(t, ok)
	assert.InDelta(t, 48.1, est.TotalMinutes, 1e-9)
	for _, want := range []string{
		"Total: 48.1 min along a chain of 6 resources",
		"Slowest single resource: aws:mq/broker:Broker broker, 20.0 min",
		"reconfigure and /ping 18.5 min): 1.25",
		"Node boot (asg, m6i.xlarge): launch 1.5 + download and install 3.1",
		"asg waits for: invoke at 23.0 (vpcZoneIdentifiers), lt at 0.5 (launchTemplate), tg at 0.5 (targetGroupArns)\n",
		"Not estimated (no row in the create-time table, counted as 0 min): 1\n  " + odd,
	} {
		assert.Contains(t, r.Text, want)
	}
	assert.Regexp(t, `\n +20\.0 +20\.5 +broker +aws:mq/broker:Broker +subnetIds\n`, r.Text)

	_, err = deploytime.Reporter(plan.Inventory{Entries: []plan.Entry{{URN: fn, Type: "aws:lambda/function:Function", Custom: true, Dependencies: []string{db}}}})
	assert.ErrorContains(t, err, db, "a broken graph fails the plan")
}

// TestReadinessSignalOverlapsTheBoot: a group whose nodes wait at boot for the
// readiness parameter (written after the bootstrap) launches with the network
// and installs meanwhile; only the rest of its boot follows the signal.
func TestReadinessSignalOverlapsTheBoot(t *testing.T) {
	ready := urn("aws:ssm/parameter:Parameter", "ready")
	inv := graph()
	for i, e := range inv.Entries {
		if e.URN == asg { // the group no longer depends on the invocation
			inv.Entries[i].Dependencies = []string{lt, tg}
			inv.Entries[i].PropertyDependencies = map[string][]string{"launchTemplate": {lt}, "targetGroupArns": {tg}}
		}
	}
	inv.Entries = append(inv.Entries, plan.Entry{URN: ready, Type: "aws:ssm/parameter:Parameter", Name: "ready", Parent: root, Custom: true,
		Dependencies: []string{invoke}, PropertyDependencies: map[string][]string{"value": {invoke}},
		Inputs: map[string]any{"name": "/p/test/ready/bootstrap"}})
	est, err := deploytime.Compute(inv)
	require.NoError(t, err)
	require.Len(t, est.NodeGroups, 1)
	phases := est.NodeGroups[0].Phases
	pre := deploytime.PreReadinessMinutes(phases)
	post := deploytime.BootMinutes(phases) - pre
	// broker 20 (after the 0.5 VPC), fn 1.5, invoke 1, ready 0.5: the signal is
	// at 23.5, long after the nodes installed (pre < 23.5), so the group ends
	// at 23.5 + post, and then the scaling step adds nothing (none here).
	assert.InDelta(t, 23.5+post, est.TotalMinutes, 0.11)
	var names, vias []string
	for _, s := range est.CriticalChain {
		names, vias = append(names, s.Name), append(vias, s.Via)
	}
	assert.Equal(t, []string{"vpc", "broker", "data", "fn", "invoke", "ready", "asg"}, names)
	assert.Equal(t, deploytime.ViaReadiness, vias[len(vias)-1])
	assert.InDelta(t, post, est.CriticalChain[len(names)-1].Minutes, 0.11, "the chain shows only the boot after the signal")
}

// TestStandbyGroupAndReadsTakeNoTime: a group held at zero nodes boots none,
// and a resource the program only reads is not created.
func TestStandbyGroupAndReadsTakeNoTime(t *testing.T) {
	inv := graph()
	for i := range inv.Entries {
		switch inv.Entries[i].URN {
		case asg:
			inv.Entries[i].Inputs["minSize"] = 0.0
		case broker:
			inv.Entries[i].Read = true
		}
	}
	est, err := deploytime.Compute(inv)
	require.NoError(t, err)
	require.Len(t, est.NodeGroups, 1)
	assert.False(t, est.NodeGroups[0].WaitsForCapacity, "no node to wait for")
	// The read broker adds nothing, so the database instance (10) decides
	// when the invocation (1) runs; the empty group adds only its own call.
	assert.InDelta(t, 10+1+deploytime.FastMinutes, est.TotalMinutes, 1e-9)
	for _, s := range est.CriticalChain {
		assert.NotEqual(t, broker, s.URN, "a read is on no chain")
	}
}

// standbyPair is a small standby stack and its failover: the failover adds the
// database instance (after the VPC), the invocation and an unknown type,
// changes the function's inputs and grows the node group from 0, and drops a
// topic only the standby had.
func standbyPair() (standby, failover plan.Inventory) {
	gone := urn("aws:sns/topic:Topic", "standby-only")
	failover = graph()
	for i, e := range failover.Entries {
		switch e.URN {
		case db:
			failover.Entries[i].Dependencies = []string{vpc}
		case fn:
			failover.Entries[i].Inputs = map[string]any{"environment": map[string]any{"STANDBY": "false"}}
		case asg:
			failover.Entries[i].Inputs["minSize"] = 2.0
		}
	}
	standby = graph()
	standby.Entries = slices.DeleteFunc(standby.Entries, func(e plan.Entry) bool {
		return e.URN == db || e.URN == invoke || e.URN == odd
	})
	for i, e := range standby.Entries {
		switch e.URN {
		case fn:
			standby.Entries[i].Inputs = map[string]any{"environment": map[string]any{"STANDBY": "true"}}
		case asg:
			standby.Entries[i].Dependencies = []string{lt, tg}
			standby.Entries[i].PropertyDependencies = map[string][]string{"launchTemplate": {lt}, "targetGroupArns": {tg}}
			standby.Entries[i].Inputs["minSize"] = 0.0
		}
	}
	standby.Entries = append(standby.Entries, plan.Entry{URN: gone, Type: "aws:sns/topic:Topic", Name: "standby-only", Parent: root, Custom: true})
	return standby, failover
}

// TestComputeUpdatePinsSmallFailover: as an update, what is already there takes
// no time, a new resource its create time, a changed one its create time too,
// and the node group that grows from no node the nodes' boot.
func TestComputeUpdatePinsSmallFailover(t *testing.T) {
	standby, failover := standbyPair()
	est, err := deploytime.Compute(failover, deploytime.AsUpdateOf(standby))
	require.NoError(t, err)

	type step struct {
		name                string
		minutes, cumulative float64
		change, via         string
	}
	var got []step
	for _, s := range est.CriticalChain {
		got = append(got, step{s.Name, s.Minutes, s.Cumulative, s.Change, s.Via})
	}
	// The VPC the instance waits for is already there: the chain starts at the
	// instance. The unchanged broker no longer delays the function (1.5).
	assert.Equal(t, []step{
		{"db", 10, 10, deploytime.ChangeNew, ""},
		{"invoke", 1, 11, deploytime.ChangeNew, deploytime.ViaDependsOn},
		{"asg", 25.1, 36.1, deploytime.ChangeChanged, "vpcZoneIdentifiers"},
	}, got)
	assert.InDelta(t, 36.1, est.TotalMinutes, 1e-9)
	assert.Equal(t, db, est.Slowest.URN)
	assert.InDelta(t, 18.5, est.ReconfigureAndPingMinutes, 1e-9)
	assert.InDelta(t, 1.27, est.Ratio, 1e-9) // 36.1 / (10 + 18.5)
	assert.Equal(t, []deploytime.Resource{{URN: odd, Type: "aws:foo/bar:Bar"}}, est.NotEstimated)
	require.Len(t, est.NodeGroups, 1)
	assert.True(t, est.NodeGroups[0].WaitsForCapacity, "the group grows from 0: its nodes boot")

	require.NotNil(t, est.Update)
	names := func(steps []deploytime.Step) (out []string) {
		for _, s := range steps {
			out = append(out, fmt.Sprintf("%s %.1f", s.Name, s.Minutes))
		}
		return out
	}
	assert.Equal(t, []string{"odd 0.0", "invoke 1.0", "db 10.0"}, names(est.Update.New))
	assert.Equal(t, []string{"asg 25.1", "fn 1.5"}, names(est.Update.Changed))
	assert.Equal(t, 4, est.Update.Unchanged, "vpc, broker, lt, tg")
	assert.Equal(t, []deploytime.Resource{{URN: urn("aws:sns/topic:Topic", "standby-only"), Type: "aws:sns/topic:Topic"}}, est.Update.Removed)

	text, err := deploytime.Render(est)
	require.NoError(t, err)
	for _, want := range []string{
		"Total: 36.1 min along a chain of 3 resources",
		"Update: 3 new, 2 changed (counted at their create time, a node group at its nodes' boot), 4 unchanged (already there, 0 min), 1 removed (deleted last, not counted)\n",
		"Changed (2, counted at their create time, a node group at its nodes' boot):\n",
		"New (3):\n",
		"Removed (1, not counted):\n  " + urn("aws:sns/topic:Topic", "standby-only"),
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `\n +25\.1 +36\.1 +asg +aws:autoscaling/group:Group +changed: the nodes boot +vpcZoneIdentifiers\n`, text)
	assert.Regexp(t, `\n +10\.0 +10\.0 +db +aws:rds/clusterInstance:ClusterInstance +new +\n`, text)

	// The same inventory as an update of itself takes no time.
	est, err = deploytime.Compute(failover, deploytime.AsUpdateOf(failover))
	require.NoError(t, err)
	assert.Zero(t, est.TotalMinutes)
	assert.Empty(t, est.NodeGroups)
	assert.Empty(t, est.NotEstimated, "an unknown type that is already there costs nothing")
	assert.Equal(t, len(failover.Entries)-1, est.Update.Unchanged, "every custom resource")
}

// TestComputeUpdateChangedResourceTakesItsCreateTime: a resource whose inputs
// changed is counted at its create time, and says so on the chain.
func TestComputeUpdateChangedResourceTakesItsCreateTime(t *testing.T) {
	before := graph()
	after := graph()
	for i, e := range after.Entries {
		if e.URN == broker {
			after.Entries[i].Inputs = map[string]any{"engineVersion": "3.13"}
		}
	}
	est, err := deploytime.Compute(after, deploytime.AsUpdateOf(before))
	require.NoError(t, err)
	assert.InDelta(t, 20, est.TotalMinutes, 1e-9, "the broker alone; its dependents are unchanged")
	require.Len(t, est.CriticalChain, 1)
	assert.Equal(t, deploytime.ChangeChanged, est.CriticalChain[0].Change)
	text, err := deploytime.Render(est)
	require.NoError(t, err)
	assert.Regexp(t, `\n +20\.0 +20\.0 +broker +aws:mq/broker:Broker +changed: counted at its create time +\n`, text)
}
