// Package mockengine runs the program, or one component, under Pulumi mocks and
// records every registered resource, so tests and the offline plan can inspect
// what `pulumi up` would create without an AWS account or the Pulumi CLI.
//
// It is linked into the plan binary (cmd/plan), so it must not import the
// `testing` package or testify: test-only helpers built on it live in
// internal/testutil.
package mockengine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Resource is one registered resource as the engine would see it.
type Resource struct {
	URN      string
	Type     string
	Name     string
	Parent   string
	Custom   bool
	Provider string
	Protect  bool
	Retain   bool
	// IgnoreChanges are the input paths the engine keeps from the old state
	// on update (pulumi.IgnoreChanges).
	IgnoreChanges []string
	// Version is the provider plugin version the resource asked for (typed SDK
	// constructors pin their own; a resource registered by token must match).
	Version string
	// DependsOn lists explicit dependencies (URNs).
	DependsOn []string
	// PropertyDependencies maps an input to the URNs it depends on.
	PropertyDependencies map[string][]string
	// Inputs are the resolved inputs; secrets stay wrapped as secret values.
	Inputs resource.PropertyMap
	// Read marks a resource that was looked up (`Get*`), not created.
	Read bool
}

// Invoke is one data-source call the program made.
type Invoke struct {
	Token string
	Args  resource.PropertyMap
}

// Recorder is a pulumi.MockResourceMonitor that records everything, rejects a
// second resource with the same URN (the real engine would) and answers only the
// data sources it knows, failing loudly on any other.
type Recorder struct {
	Project string
	Stack   string
	Region  string

	// Deployed are the stack outputs of the "last deployment" that a stack
	// reference to the stack itself reads; nil is a first deployment.
	Deployed map[string]any

	mu        sync.Mutex
	resources []*Resource
	byURN     map[string]*Resource
	invokes   []Invoke
}

// NewRecorder returns an empty recorder for project/stack in region.
func NewRecorder(project, stack, region string) *Recorder {
	return &Recorder{Project: project, Stack: stack, Region: region, byURN: map[string]*Resource{}}
}

// NewResource records a registration and returns its mock state: the inputs plus
// the computed outputs (ids, ARNs, endpoints) that programs read.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	res := &Resource{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Provider: args.Provider,
		Inputs:   args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Protect = rpc.GetProtect()
		res.Retain = rpc.GetRetainOnDelete()
		res.IgnoreChanges = rpc.GetIgnoreChanges()
		res.Version = rpc.GetVersion()
		res.DependsOn = rpc.GetDependencies()
		res.PropertyDependencies = map[string][]string{}
		for k, v := range rpc.GetPropertyDependencies() {
			res.PropertyDependencies[k] = v.GetUrns()
		}
	}
	if rpc := args.ReadRPC; rpc != nil {
		res.Parent = rpc.GetParent()
		res.Read = true
	}
	res.URN = r.urn(res.Parent, res.Type, res.Name)

	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, dup := r.byURN[res.URN]; dup && !res.Read {
		return "", nil, fmt.Errorf("duplicate resource URN %s (first registered with parent %q)", res.URN, prev.Parent)
	}
	r.byURN[res.URN] = res
	r.resources = append(r.resources, res)

	id := args.ID
	if id == "" {
		id = mockID(res)
	}
	if res.Read && res.Type == StackReferenceType {
		return id, stackReferenceState(r, res), nil
	}
	if !args.Custom {
		return "", resource.PropertyMap{}, nil
	}
	return id, computedState(r, res, id), nil
}

// Call answers a data-source invoke, or fails for one nobody expected.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.invokes = append(r.invokes, Invoke{Token: args.Token, Args: args.Args})
	r.mu.Unlock()
	answer, ok := invokeAnswers[args.Token]
	if !ok {
		return nil, fmt.Errorf("mockengine: unexpected invoke %s: add an answer to invokeAnswers if the program really needs it", args.Token)
	}
	return resource.NewPropertyMapFromMap(answer(r, args.Args)), nil
}

// Resources returns every recorded resource in registration order.
func (r *Recorder) Resources() []*Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Resource(nil), r.resources...)
}

// Invokes returns every data-source call in call order.
func (r *Recorder) Invokes() []Invoke {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Invoke(nil), r.invokes...)
}

// ByType returns the resources of one type token, sorted by name.
func (r *Recorder) ByType(token string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources() {
		if res.Type == token {
			out = append(out, res)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Find returns the resource of the given type and logical name, or nil.
func (r *Recorder) Find(token, name string) *Resource {
	for _, res := range r.Resources() {
		if res.Type == token && res.Name == name {
			return res
		}
	}
	return nil
}

// ByURN returns the resource with urn, or nil.
func (r *Recorder) ByURN(urn string) *Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byURN[urn]
}

// Children returns the resources whose parent is urn.
func (r *Recorder) Children(urn string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources() {
		if res.Parent == urn {
			out = append(out, res)
		}
	}
	return out
}

// urn builds the URN exactly as the engine does: the parent's type chain, then
// this resource's type and name.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), parentType, tokens.Type(typ), name))
}

// mockID is a stable fake physical id.
func mockID(res *Resource) string {
	return strings.ReplaceAll(res.Name, "/", "-") + "-id"
}

// StackReferenceType is the type token of a stack reference.
const StackReferenceType = "pulumi:pulumi:StackReference"

// stackReferenceState answers a stack reference as the engine's builtin
// provider does: the referenced stack's outputs. Only the running stack itself
// can be referenced here (its Deployed outputs); any other name is an error in
// the program under test, so it gets no outputs at all.
func stackReferenceState(r *Recorder, res *Resource) resource.PropertyMap {
	self := "organization/" + r.Project + "/" + r.Stack
	outputs := map[string]any{}
	if Str(res.Inputs, "name") == self {
		for k, v := range r.Deployed {
			outputs[k] = v
		}
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"name":              Str(res.Inputs, "name"),
		"outputs":           outputs,
		"secretOutputNames": []any{},
	})
}
