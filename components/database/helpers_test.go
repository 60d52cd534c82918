package database_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// prop walks object keys into inputs, dropping secret wrappers.
func prop(m resource.PropertyMap, path ...string) (resource.PropertyValue, bool) {
	v := resource.NewObjectProperty(m)
	for _, k := range path {
		v = unwrap(v)
		if !v.IsObject() {
			return resource.PropertyValue{}, false
		}
		next, ok := v.ObjectValue()[resource.PropertyKey(k)]
		if !ok {
			return resource.PropertyValue{}, false
		}
		v = next
	}
	return unwrap(v), true
}

func str(m resource.PropertyMap, path ...string) string {
	v, ok := prop(m, path...)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

func num(m resource.PropertyMap, path ...string) int {
	v, ok := prop(m, path...)
	if !ok || !v.IsNumber() {
		return -1
	}
	return int(v.NumberValue())
}

// flag returns a boolean input; absent is reported as such, not as false.
func flag(m resource.PropertyMap, path ...string) (value, set bool) {
	v, ok := prop(m, path...)
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

func strs(m resource.PropertyMap, path ...string) []string {
	v, ok := prop(m, path...)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

func objects(m resource.PropertyMap, path ...string) []resource.PropertyMap {
	v, ok := prop(m, path...)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsObject() {
			out = append(out, e.ObjectValue())
		}
	}
	return out
}

func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}
