package deploytime

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/nodeparams"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// stackType is the root resource's type. The plan does not record the root, so a
// parent of this type is the top of the tree, not a missing resource.
const stackType = "pulumi:pulumi:Stack"

// Via values for edges that no input carries.
const (
	// ViaDependsOn marks an edge from the dependsOn option only.
	ViaDependsOn = "dependsOn"
	// ViaChild marks a component waiting for one of its children.
	ViaChild = "child of component"
	// ViaReadiness marks a node group's nodes waiting, at boot and not in the
	// graph, for the data tier's readiness parameter: they launch and install
	// first, so only the rest of the boot (PostReadinessMinutes) follows it.
	ViaReadiness = "nodes wait at boot for the readiness signal (installed meanwhile)"
)

// Estimate is the first-deploy estimate of one stack.
type Estimate struct {
	// Project and Stack name the planned stack.
	Project string `json:"project"`
	Stack   string `json:"stack"`
	// TotalMinutes is the length of the critical chain: the deploy's duration if
	// every resource took its typical time and the engine ran everything else in
	// parallel (Pulumi's default parallelism is unbounded).
	TotalMinutes float64 `json:"totalMinutes"`
	// CriticalChain is the longest path, first resource first.
	CriticalChain []Step `json:"criticalChain"`
	// Slowest is the slowest single resource other than a node group, whose own
	// figure already contains the reconfigure-and-ping tail.
	Slowest Step `json:"slowest"`
	// ReconfigureAndPingMinutes is the node boot tail that needs the data services.
	ReconfigureAndPingMinutes float64 `json:"reconfigureAndPingMinutes"`
	// Ratio is TotalMinutes / (Slowest + ReconfigureAndPingMinutes): 1 means the
	// deploy is as short as its slowest service plus the nodes' unavoidable tail;
	// above 1 is time lost to serialization.
	Ratio float64 `json:"ratio"`
	// NodeGroups are the Auto Scaling groups with their boot phases.
	NodeGroups []NodeGroup `json:"nodeGroups,omitempty"`
	// NotEstimated lists resources whose type has no row in the table; they count
	// as 0 minutes on any path through them.
	NotEstimated []Resource `json:"notEstimated"`
	// Update is set when the estimate is of an update (AsUpdateOf), not a
	// first deploy: which resources the update creates or changes.
	Update *Update `json:"update,omitempty"`
}

// Change values: what an update does to a resource (Step.Change).
const (
	// ChangeNew is a resource the updated stack does not have yet: it takes its
	// create time.
	ChangeNew = "new"
	// ChangeChanged is a resource whose inputs differ: it takes its create time,
	// an upper bound for an update or replacement; a node group takes its boot
	// (it grows from no node to its minimum).
	ChangeChanged = "changed"
	// ChangeUnchanged is a resource with the same inputs: already there, 0 min.
	ChangeUnchanged = "unchanged"
)

// Update is what an update estimate compared: the resources the update creates
// or changes, each with its minutes and when it finishes, and how many it
// leaves alone or deletes.
type Update struct {
	New     []Step `json:"new"`
	Changed []Step `json:"changed"`
	// Unchanged counts the resources with identical inputs (0 min).
	Unchanged int `json:"unchanged"`
	// Removed are the resources the update deletes. They are not counted: the
	// engine deletes after every create and update, and nothing waits for them.
	Removed []Resource `json:"removed"`
}

// Option changes what Compute estimates.
type Option func(*options)

type options struct {
	// before maps the updated stack's resources by URN; nil for a first deploy.
	before map[string]plan.Entry
}

// AsUpdateOf estimates the inventory as an update of the stack that before
// planned, instead of a first deploy: a resource of before with the same type
// and identical inputs takes 0 minutes (it is already there), a new one its
// create time, and a changed one its create time too, a conservative upper
// bound for its update (a node group: its nodes' boot). Components and reads
// take no time, as in a first deploy.
func AsUpdateOf(before plan.Inventory) Option {
	return func(o *options) {
		o.before = make(map[string]plan.Entry, len(before.Entries))
		for _, e := range before.Entries {
			o.before[e.URN] = e
		}
	}
}

// change classifies e against the stack it updates.
func (o options) change(e plan.Entry) string {
	old, ok := o.before[e.URN]
	switch {
	case !ok || old.Read:
		return ChangeNew
	case old.Type == e.Type && reflect.DeepEqual(old.Inputs, e.Inputs):
		return ChangeUnchanged
	}
	return ChangeChanged
}

// Step is one resource on the critical chain.
type Step struct {
	// URN, Name and Type identify the resource.
	URN  string `json:"urn"`
	Name string `json:"name"`
	Type string `json:"type"`
	// Minutes is the resource's own create time (0 for components).
	Minutes float64 `json:"minutes"`
	// Cumulative is when the resource finishes, counted from the deploy's start.
	Cumulative float64 `json:"cumulative"`
	// Via names the edge from the previous step: the inputs that carry its
	// outputs, ViaDependsOn, or ViaChild.
	Via string `json:"via,omitempty"`
	// Change is what an update does to the resource (ChangeNew, ...); empty in
	// a first deploy's estimate and for components.
	Change string `json:"change,omitempty"`
}

// Resource names a resource by URN and type.
type Resource struct {
	// URN and Type identify the resource.
	URN  string `json:"urn"`
	Type string `json:"type"`
}

// NodeGroup is an Auto Scaling group and the boot model behind its create time.
type NodeGroup struct {
	// URN is the aws:autoscaling/group:Group's.
	URN string `json:"urn"`
	// Inputs are what the plan shows of the nodes (instance type, health check).
	Inputs NodeInputs `json:"inputs"`
	// Phases is NodePhases(Inputs).
	Phases []Phase `json:"phases"`
	// WaitsForCapacity is false when waitForCapacityTimeout is "0": the provider
	// then returns at once and the boot happens after the deploy.
	WaitsForCapacity bool `json:"waitsForCapacity"`
	// Empty is true for a group held at zero nodes (a standby DR stack):
	// nothing boots.
	Empty bool `json:"empty,omitempty"`
	// Minutes is the group's create time: the boot, or FastMinutes without the wait.
	Minutes float64 `json:"minutes"`
	// Waits are the group's direct dependencies, latest first, each with when it
	// finishes and the edge: what holds the nodes back from launching.
	Waits []Step `json:"waits"`
}

// node is a resource in the dependency graph.
type node struct {
	entry   plan.Entry
	minutes float64
	change  string            // update estimates only: ChangeNew, ...
	preds   map[string]string // predecessor URN -> via
	finish  float64
	state   int // 0 unvisited, 1 on the DFS stack, 2 done
	// ready, pre and post model a node group whose nodes wait at boot for the
	// readiness signal: pre (launch and install) runs from the group's graph
	// start, post (the rest) after both pre and the signal.
	ready      *node
	pre, post  float64
	graphStart float64
}

// readySuffix ends the name of the data tier's readiness parameter.
const readySuffix = "/" + nodeparams.Ready

// readinessSignal finds the parameter the nodes wait for, or nil.
func readinessSignal(nodes map[string]*node) *node {
	for _, n := range nodes {
		name, _ := n.entry.Inputs["name"].(string)
		if n.entry.Type == "aws:ssm/parameter:Parameter" && strings.HasSuffix(name, readySuffix) {
			return n
		}
	}
	return nil
}

// Compute builds the dependency graph of a plan's inventory (dependencies,
// property dependencies, and a component's children) and returns its longest path
// weighted by the create-time table: a first deploy's, or with AsUpdateOf an
// update's. A dependency or parent missing from the inventory, or a cycle, is
// an error naming the URNs.
func Compute(inv plan.Inventory, opts ...Option) (Estimate, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	est := Estimate{Project: inv.Project, Stack: inv.Stack, NotEstimated: []Resource{}}
	nodes := make(map[string]*node, len(inv.Entries))
	for _, e := range inv.Entries {
		if _, dup := nodes[e.URN]; dup {
			return est, fmt.Errorf("deploy time: %s is in the plan twice", e.URN)
		}
		nodes[e.URN] = &node{entry: e, preds: map[string]string{}}
	}
	var missing []string
	for _, n := range nodes {
		e := n.entry
		if e.Parent != "" {
			switch p, ok := nodes[e.Parent]; {
			case ok && !p.entry.Custom:
				// A component finishes when its last child does: a resource that
				// depends on it waits for the whole subtree.
				p.preds[e.URN] = ViaChild
			case !ok && urnType(e.Parent) != stackType:
				missing = append(missing, fmt.Sprintf("%s has parent %s, which is not in the plan", e.URN, e.Parent))
			}
		}
		props := map[string][]string{}
		for prop, urns := range e.PropertyDependencies {
			for _, u := range urns {
				props[u] = append(props[u], prop)
			}
		}
		deps := append([]string{}, e.Dependencies...)
		for u := range props {
			deps = append(deps, u)
		}
		for _, u := range deps {
			if _, ok := nodes[u]; !ok {
				missing = append(missing, fmt.Sprintf("%s depends on %s, which is not in the plan", e.URN, u))
				continue
			}
			if via, ok := props[u]; ok {
				sort.Strings(via)
				n.preds[u] = strings.Join(slices.Compact(via), ", ")
			} else {
				n.preds[u] = ViaDependsOn
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		missing = slices.Compact(missing)
		return est, fmt.Errorf("deploy time: %s", strings.Join(missing, "; "))
	}

	urns := make([]string, 0, len(nodes))
	for u := range nodes {
		urns = append(urns, u)
	}
	sort.Strings(urns)
	for _, u := range urns {
		n := nodes[u]
		if !n.entry.Custom || n.entry.Read {
			continue // components take no time of their own, nor do reads
		}
		if o.before != nil {
			if n.change = o.change(n.entry); n.change == ChangeUnchanged {
				continue // already there
			}
		}
		row, ok := Lookup(n.entry.Type)
		switch {
		case !ok:
			est.NotEstimated = append(est.NotEstimated, Resource{URN: u, Type: n.entry.Type})
		case row.NodeBoot:
			g := nodeGroup(n.entry, nodes)
			est.NodeGroups = append(est.NodeGroups, g)
			n.minutes = g.Minutes
		default:
			n.minutes = row.Minutes
		}
	}

	if ready := readinessSignal(nodes); ready != nil {
		for _, g := range est.NodeGroups {
			n := nodes[g.URN]
			if !g.WaitsForCapacity {
				continue
			}
			n.ready, n.pre = ready, PreReadinessMinutes(g.Phases)
			n.post = n.minutes - n.pre
			n.preds[ready.entry.URN] = ViaReadiness
		}
	}

	var end *node
	for _, u := range urns {
		n := nodes[u]
		if err := visit(n, nodes, nil); err != nil {
			return est, err
		}
		if end == nil || better(n, end) {
			end = n
		}
	}
	if end == nil {
		return est, nil
	}
	est.CriticalChain = chain(end, nodes)
	if o.before != nil {
		est.CriticalChain = trimExisting(est.CriticalChain)
		est.Update = o.update(urns, nodes)
	}
	for i := range est.NodeGroups {
		est.NodeGroups[i].Waits = waits(nodes[est.NodeGroups[i].URN], nodes)
	}
	est.TotalMinutes = round1(end.finish)

	for _, u := range urns {
		n := nodes[u]
		row, ok := Lookup(n.entry.Type)
		if !n.entry.Custom || !ok || row.NodeBoot {
			continue
		}
		if n.minutes > est.Slowest.Minutes {
			est.Slowest = Step{URN: u, Name: n.entry.Name, Type: n.entry.Type, Minutes: n.minutes, Change: n.change}
		}
	}
	for _, g := range est.NodeGroups {
		if g.WaitsForCapacity {
			est.ReconfigureAndPingMinutes = math.Max(est.ReconfigureAndPingMinutes, ReconfigureAndPingMinutes(g.Phases))
		}
	}
	if d := est.Slowest.Minutes + est.ReconfigureAndPingMinutes; d > 0 {
		est.Ratio = math.Round(est.TotalMinutes/d*100) / 100
	}
	return est, nil
}

// visit computes n's finish time depth-first; stack holds the URNs being visited,
// so a cycle can be reported in order.
func visit(n *node, nodes map[string]*node, stack []string) error {
	switch n.state {
	case 2:
		return nil
	case 1:
		i := 0
		for stack[i] != n.entry.URN {
			i++
		}
		cycle := append(append([]string{}, stack[i:]...), n.entry.URN)
		return fmt.Errorf("deploy time: dependency cycle: %s", strings.Join(cycle, " -> "))
	}
	n.state = 1
	stack = append(stack, n.entry.URN)
	start := 0.0
	for _, u := range slices.Sorted(maps.Keys(n.preds)) {
		p := nodes[u]
		if err := visit(p, nodes, stack); err != nil {
			return err
		}
		if p != n.ready {
			start = math.Max(start, p.finish)
		}
	}
	n.graphStart = start
	n.finish = start + n.minutes
	if n.ready != nil {
		n.finish = math.Max(start+n.pre, n.ready.finish) + n.post
	}
	n.state = 2
	return nil
}

// better orders candidates for the chain: later finish first; on a tie a custom
// resource before a component (which only mirrors its child), then by URN so
// that two runs pick the same chain.
func better(a, b *node) bool {
	if a.finish != b.finish {
		return a.finish > b.finish
	}
	if a.entry.Custom != b.entry.Custom {
		return a.entry.Custom
	}
	return a.entry.URN < b.entry.URN
}

// chain walks back from end through the predecessor that finishes last. Each
// step's Via is the edge by which it waits for the step before it.
func chain(end *node, nodes map[string]*node) []Step {
	var rev []Step
	for n := end; n != nil; {
		step := n.step()
		var next *node
		for _, u := range slices.Sorted(maps.Keys(n.preds)) {
			if p := nodes[u]; p != n.ready && (next == nil || better(p, next)) {
				next = p
			}
		}
		// A group whose nodes waited for the readiness signal longer than
		// they took to launch and install continues the chain through it.
		if n.ready != nil && n.ready.finish > n.graphStart+n.pre {
			next = n.ready
			step.Minutes = round1(n.post)
		}
		if next != nil {
			step.Via = n.preds[next.entry.URN]
		}
		rev = append(rev, step)
		n = next
	}
	slices.Reverse(rev)
	return rev
}

// step is n as a step of a chain, without the edge that leads to it.
func (n *node) step() Step {
	return Step{URN: n.entry.URN, Name: n.entry.Name, Type: n.entry.Type,
		Minutes: round1(n.minutes), Cumulative: round1(n.finish), Change: n.change}
}

// trimExisting cuts an update chain to the resources the update creates or
// changes and what lies between them: a head of resources that finish at 0 is
// already there (the first step's edge to them is not shown), and a tail of
// unchanged resources and components only waits for the last change.
func trimExisting(steps []Step) []Step {
	i := 0
	for i < len(steps)-1 && steps[i].Cumulative == 0 {
		i++
	}
	if i > 0 {
		steps[i].Via = ""
	}
	j := len(steps)
	for j > i+1 && (steps[j-1].Change == ChangeUnchanged || steps[j-1].Change == "") {
		j--
	}
	return steps[i:j]
}

// update lists what an update creates, changes and deletes, by URN.
func (o options) update(urns []string, nodes map[string]*node) *Update {
	u := &Update{New: []Step{}, Changed: []Step{}, Removed: []Resource{}}
	for _, urn := range urns {
		n := nodes[urn]
		switch n.change {
		case ChangeNew:
			u.New = append(u.New, n.step())
		case ChangeChanged:
			u.Changed = append(u.Changed, n.step())
		case ChangeUnchanged:
			u.Unchanged++
		}
	}
	for _, urn := range slices.Sorted(maps.Keys(o.before)) {
		if e := o.before[urn]; e.Custom && !e.Read && nodes[urn] == nil {
			u.Removed = append(u.Removed, Resource{URN: urn, Type: e.Type})
		}
	}
	return u
}

// waits lists n's direct dependencies, latest finish first.
func waits(n *node, nodes map[string]*node) []Step {
	var preds []*node
	for u := range n.preds {
		preds = append(preds, nodes[u])
	}
	sort.Slice(preds, func(i, j int) bool { return better(preds[i], preds[j]) })
	out := make([]Step, len(preds))
	for i, p := range preds {
		out[i] = p.step()
		out[i].Via = n.preds[p.entry.URN]
	}
	return out
}

// nodeGroup reads a group's boot inputs from the resources it references: the
// launch template's instance type and the target group's health check.
func nodeGroup(asg plan.Entry, nodes map[string]*node) NodeGroup {
	var in NodeInputs
	for _, u := range asg.PropertyDependencies["launchTemplate"] {
		if t, ok := nodes[u].entry.Inputs["instanceType"].(string); ok {
			in.InstanceType = t
		}
	}
	for _, u := range asg.PropertyDependencies["targetGroupArns"] {
		if hc, ok := nodes[u].entry.Inputs["healthCheck"].(map[string]any); ok {
			in.HealthyThreshold = intInput(hc["healthyThreshold"])
			in.IntervalSeconds = intInput(hc["interval"])
		}
	}
	g := NodeGroup{URN: asg.URN, Inputs: in, Phases: NodePhases(in), WaitsForCapacity: true}
	g.Minutes = BootMinutes(g.Phases)
	minSize, sized := asg.Inputs["minSize"]
	g.Empty = sized && intInput(minSize) == 0
	if t, _ := asg.Inputs["waitForCapacityTimeout"].(string); t == "0" || g.Empty {
		// No wait, or nothing to wait for: a group held at zero nodes is
		// created without booting any.
		g.WaitsForCapacity, g.Minutes = false, FastMinutes
	}
	return g
}

func intInput(v any) int {
	if f, ok := v.(float64); ok {
		return int(f)
	}
	return 0
}

// urnType is the last type in a URN's type chain
// (urn:pulumi:stack::project::parent$type::name).
func urnType(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return ""
	}
	types := strings.Split(parts[2], "$")
	return types[len(types)-1]
}
