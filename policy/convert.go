package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// toResource converts what the engine hands a policy into the view the rules
// read, the same one the offline plan's resources.json gives them: secrets
// become rules.Secret, values not known yet rules.Unknown.
func toResource(r policyx.AnalyzerResource) rules.Resource {
	return rules.Resource{
		URN:                  r.URN,
		Type:                 r.Type,
		Name:                 r.Name,
		Protect:              r.Options.Protect,
		Inputs:               plainMap(r.Properties),
		PropertyDependencies: r.PropertyDependencies,
	}
}

// plainMap converts a property map to JSON-like values.
func plainMap(m property.Map) map[string]any {
	out := make(map[string]any, m.Len())
	for k, v := range m.All {
		out[k] = plainValue(v)
	}
	return out
}

// plainValue converts one property value. Secrecy is checked first, so a
// secret is redacted whatever it holds, as in the plan.
func plainValue(v property.Value) any {
	switch {
	case v.Secret():
		return rules.Secret
	case v.IsComputed():
		return rules.Unknown
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.AsBool()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsString():
		return v.AsString()
	case v.IsArray():
		arr := v.AsArray()
		out := make([]any, 0, arr.Len())
		for _, e := range arr.All {
			out = append(out, plainValue(e))
		}
		return out
	case v.IsMap():
		return plainMap(v.AsMap())
	case v.IsResourceReference():
		return string(v.AsResourceReference().URN)
	case v.IsAsset():
		return map[string]any{"asset": v.AsAsset().Path}
	case v.IsArchive():
		return map[string]any{"archive": v.AsArchive().Path}
	}
	return nil
}
