// Package rules holds morpheus-ha's policy rules as plain Go over a JSON-like
// view of each resource. It imports nothing but the standard library, so the
// Pulumi policy pack (policy/main.go) and the main program's offline plan
// (internal/policyreport) run exactly the same checks.
package rules

import (
	"sort"
	"strings"
)

// Secret is what a secret value looks like in Resource.Inputs: both the plan's
// resources.json and the pack's conversion redact secrets to this string.
const Secret = "[secret]"

// Unknown is what a value that is not known yet (a preview's computed output)
// looks like in Resource.Inputs. Rules treat it as "set, value unknown": they
// never report a value they cannot see.
const Unknown = "[unknown]"

// Resource is the view every rule reads: one resource with its inputs as
// JSON-like values (map[string]any, []any, string, float64, bool, nil), keyed by
// pulumi-aws v6 camelCase input names.
type Resource struct {
	URN, Type, Name string
	// Protect is the resource's pulumi protect option.
	Protect bool
	// Inputs are the resource's inputs; secrets are Secret, unknowns Unknown.
	Inputs map[string]any
	// PropertyDependencies maps an input name to the URNs its value was computed
	// from. Stack rules use it to link resources whose ids are not known offline
	// or in a first preview (a flow log to its VPC, a policy to its bucket).
	PropertyDependencies map[string][]string
}

// Context is what rules know about the stack beyond its resources.
type Context struct {
	// Environment is the stack's `morpheus-ha:environment` (dev, staging, prod).
	Environment string
	// AllowDestroy is `morpheus-ha:allowDestroy`: the documented way to lift
	// protection for a deliberate teardown, so protection rules stand down.
	AllowDestroy bool
}

// Prod reports whether the stack is production, where stateful resources must
// be protected and the HA controls apply.
func (c Context) Prod() bool { return c.Environment == "prod" }

// protectionApplies reports whether the prod-only protection rules apply.
func (c Context) protectionApplies() bool { return c.Prod() && !c.AllowDestroy }

// Level is how a violation is enforced.
type Level string

const (
	// Mandatory violations fail `pulumi preview`/`up` under the pack.
	Mandatory Level = "mandatory"
	// Advisory violations are printed but do not fail the run.
	Advisory Level = "advisory"
)

// Violation is one finding of a stack rule: the resource it is about and why.
type Violation struct {
	URN, Message string
}

// Rule is one check. Exactly one of Check (judges one resource on its own) and
// CheckStack (needs the whole stack, e.g. "every VPC has a flow log") is set.
type Rule struct {
	// Name is the policy name, unique in the pack.
	Name string
	// Control is the AWS control id (FSBP/NIST) or the project source the rule
	// comes from, e.g. "EC2.8" or "Morpheus requirement".
	Control string
	// Description says what the rule requires.
	Description string
	// Level is the enforcement level; Why says why it is that level.
	Level Level
	Why   string
	// Check returns one message per violation of r; nil when r passes or the
	// rule does not apply to r's type.
	Check func(ctx Context, r Resource) []string
	// CheckStack returns the violations over all resources of a stack.
	CheckStack func(ctx Context, rs []Resource) []Violation
}

// Finding is one violation of one rule, as the plan report prints it.
type Finding struct {
	Rule    string `json:"rule"`
	Level   Level  `json:"level"`
	URN     string `json:"urn"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Evaluate runs rules over a stack's resources and returns the findings sorted
// by level (mandatory first), rule and URN, so two runs print the same report.
func Evaluate(ctx Context, rules []Rule, rs []Resource) []Finding {
	byURN := make(map[string]Resource, len(rs))
	for _, r := range rs {
		byURN[r.URN] = r
	}
	var out []Finding
	for _, rule := range rules {
		add := func(urn, msg string) {
			r := byURN[urn]
			out = append(out, Finding{Rule: rule.Name, Level: rule.Level, URN: urn, Type: r.Type, Name: r.Name, Message: msg})
		}
		if rule.Check != nil {
			for _, r := range rs {
				for _, msg := range rule.Check(ctx, r) {
					add(r.URN, msg)
				}
			}
		}
		if rule.CheckStack != nil {
			for _, v := range rule.CheckStack(ctx, rs) {
				add(v.URN, v.Message)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Level != b.Level {
			return a.Level == Mandatory
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Message < b.Message
	})
	return out
}

// lbModules are the module names pulumi-aws accepts for the same ELBv2
// resources: the alias tokens must not slip past a rule.
var lbModules = []string{"aws:alb/", "aws:applicationloadbalancing/", "aws:elasticloadbalancingv2/"}

// canonicalType maps an alias type token to the one rules compare against.
func canonicalType(t string) string {
	for _, m := range lbModules {
		if strings.HasPrefix(t, m) {
			return "aws:lb/" + strings.TrimPrefix(t, m)
		}
	}
	return t
}

// is reports whether r has one of the given (canonical) type tokens.
func (r Resource) is(types ...string) bool {
	t := canonicalType(r.Type)
	for _, want := range types {
		if t == want {
			return true
		}
	}
	return false
}

// get returns the value at a dotted path of r's inputs.
func (r Resource) get(path string) (any, bool) { return lookup(r.Inputs, path) }

// lookup walks a dotted path through nested maps.
func lookup(v any, path string) (any, bool) {
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[key]; !ok {
			return nil, false
		}
	}
	return v, v != nil
}

// isUnknown reports whether v is a value not known yet.
func isUnknown(v any) bool { return v == Unknown }

// isSet reports whether path holds a value: unknown counts as set (a computed
// ARN will be one), the empty string and null do not.
func (r Resource) isSet(path string) bool {
	v, ok := r.get(path)
	if !ok {
		return false
	}
	if s, isStr := v.(string); isStr {
		return s != ""
	}
	return true
}

// str returns the string at path; ok is false when it is unset, unknown or
// not a string.
func (r Resource) str(path string) (string, bool) {
	v, ok := r.get(path)
	s, isStr := v.(string)
	if !ok || !isStr || isUnknown(s) {
		return "", false
	}
	return s, true
}

// boolean returns the boolean at path. pulumi-aws launch templates take some
// booleans as strings ("true"/"false"), so those count too.
func boolean(v any) (value, ok bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// flag returns the boolean at path of r; ok is false when unset or unknown.
func (r Resource) flag(path string) (value, ok bool) {
	v, _ := r.get(path)
	return boolean(v)
}

// number returns v as a float64 when it is a number.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// num returns the number at path of r.
func (r Resource) num(path string) (float64, bool) {
	v, _ := r.get(path)
	return number(v)
}

// list returns the array at path of r (nil when unset or not an array).
func (r Resource) list(path string) []any {
	v, _ := r.get(path)
	l, _ := v.([]any)
	return l
}

// maps returns the elements of an array that are objects.
func maps(l []any) []map[string]any {
	var out []map[string]any
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// strs returns the known string elements of an array.
func strs(l []any) []string {
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok && !isUnknown(s) {
			out = append(out, s)
		}
	}
	return out
}

// dependsOn reports whether r's input prop was computed from the resource urn.
func (r Resource) dependsOn(prop, urn string) bool {
	for _, u := range r.PropertyDependencies[prop] {
		if u == urn {
			return true
		}
	}
	return false
}

// ofType returns the resources of a stack with one of the given types.
func ofType(rs []Resource, types ...string) []Resource {
	var out []Resource
	for _, r := range rs {
		if r.is(types...) {
			out = append(out, r)
		}
	}
	return out
}

// only wraps a check so that it runs on resources of the given types only.
func only(check func(Context, Resource) []string, types ...string) func(Context, Resource) []string {
	return func(ctx Context, r Resource) []string {
		if !r.is(types...) {
			return nil
		}
		return check(ctx, r)
	}
}

// msgs collects the messages whose condition failed.
type msgs []string

// need appends msg when ok is false.
func (m *msgs) need(ok bool, msg string) {
	if !ok {
		*m = append(*m, msg)
	}
}
