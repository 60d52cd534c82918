package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/morpheus-ha/morpheus-ha/internal/mockengine"
)

// Redacted replaces every secret value in resources.json.
const Redacted = "[secret]"

// Entry is one resource in resources.json.
type Entry struct {
	URN                  string              `json:"urn"`
	Type                 string              `json:"type"`
	Name                 string              `json:"name"`
	Parent               string              `json:"parent,omitempty"`
	Custom               bool                `json:"custom"`
	Protect              bool                `json:"protect"`
	RetainOnDelete       bool                `json:"retainOnDelete"`
	Dependencies         []string            `json:"dependencies,omitempty"`
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	Inputs               map[string]any      `json:"inputs"`
	// Read marks a resource the program looks up (`Get*`), not one it creates.
	Read bool `json:"read,omitempty"`
}

// Entries converts recorded resources, secrets redacted, sorted by URN so that two
// plans of the same configuration are byte-identical.
func Entries(resources []*mockengine.Resource) []Entry {
	out := make([]Entry, 0, len(resources))
	for _, r := range resources {
		deps := map[string][]string{}
		for k, v := range r.PropertyDependencies {
			if len(v) > 0 {
				deps[k] = v
			}
		}
		out = append(out, Entry{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent, Custom: r.Custom,
			Protect: r.Protect, RetainOnDelete: r.Retain, Dependencies: r.DependsOn,
			PropertyDependencies: deps, Inputs: Plain(r.Inputs), Read: r.Read,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Plain turns a property map into JSON-ready values with secrets redacted.
func Plain(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return Redacted
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e)
		}
		return out
	case v.IsObject():
		return Plain(v.ObjectValue())
	case v.IsComputed(), v.IsOutput():
		return "[unknown]"
	case v.IsResourceReference():
		return v.ResourceReferenceValue().URN
	case v.IsArchive():
		return map[string]any{"archive": v.ArchiveValue().Path}
	case v.IsAsset():
		return map[string]any{"asset": v.AssetValue().Path}
	}
	return fmt.Sprint(v.V)
}

// WriteJSON writes entries as indented JSON.
func WriteJSON(w io.Writer, entries []Entry) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// WriteTree prints the resources as `pulumi preview` does: the component tree with
// each resource's type, name and flags, then the count of each type.
func WriteTree(w io.Writer, project, stack string, resources []*mockengine.Resource) error {
	children := map[string][]*mockengine.Resource{}
	known := map[string]bool{}
	for _, r := range resources {
		known[r.URN] = true
	}
	var roots []*mockengine.Resource
	for _, r := range resources {
		if r.Parent == "" || !known[r.Parent] {
			roots = append(roots, r)
			continue
		}
		children[r.Parent] = append(children[r.Parent], r)
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "     Type\tName\tPlan\n")
	fmt.Fprintf(tw, " +   pulumi:pulumi:Stack\t%s-%s\tcreate\n", project, stack)
	var walk func(rs []*mockengine.Resource, indent string)
	walk = func(rs []*mockengine.Resource, indent string) {
		for i, r := range rs {
			branch, next := "├─ ", "│  "
			if i == len(rs)-1 {
				branch, next = "└─ ", "   "
			}
			mark, op := "+", "create"
			if r.Read {
				mark, op = ">", "read"
			}
			fmt.Fprintf(tw, " %s   %s%s%s\t%s\t%s%s\n", mark, indent, branch, r.Type, r.Name, op, flags(r))
			walk(children[r.URN], indent+next)
		}
	}
	sortResources(roots)
	for _, rs := range children {
		sortResources(rs)
	}
	walk(roots, "")
	if err := tw.Flush(); err != nil {
		return err
	}

	counts := map[string]int{}
	for _, r := range resources {
		counts[r.Type]++
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	fmt.Fprintf(w, "\nResources:\n    + %d to create\n\nBy type:\n", len(resources)+1)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, t := range types {
		fmt.Fprintf(tw, "%d\t  %s\n", counts[t], t)
	}
	return tw.Flush()
}

// sortResources orders siblings by type, then name: registration order varies
// from run to run because components register concurrently.
func sortResources(rs []*mockengine.Resource) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Type != rs[j].Type {
			return rs[i].Type < rs[j].Type
		}
		return rs[i].Name < rs[j].Name
	})
}

func flags(r *mockengine.Resource) string {
	var f []string
	if r.Protect {
		f = append(f, "protected")
	}
	if r.Retain {
		f = append(f, "retain")
	}
	if len(f) == 0 {
		return ""
	}
	return " [" + strings.Join(f, ", ") + "]"
}
