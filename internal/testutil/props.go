package testutil

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Prop walks a path of object keys into the resource's inputs and returns the
// value with any secret wrapper removed; ok is false when a key is missing.
func (r *Resource) Prop(path ...string) (resource.PropertyValue, bool) {
	v := resource.NewObjectProperty(r.Inputs)
	for _, key := range path {
		v = unwrap(v)
		if !v.IsObject() {
			return resource.PropertyValue{}, false
		}
		next, ok := v.ObjectValue()[resource.PropertyKey(key)]
		if !ok {
			return resource.PropertyValue{}, false
		}
		v = next
	}
	return unwrap(v), true
}

// String returns a string input (secrets unwrapped), or "".
func (r *Resource) String(path ...string) string {
	v, ok := r.Prop(path...)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// Bool returns a boolean input, or false.
func (r *Resource) Bool(path ...string) bool {
	v, ok := r.Prop(path...)
	return ok && v.IsBool() && v.BoolValue()
}

// Number returns a numeric input, or 0.
func (r *Resource) Number(path ...string) float64 {
	v, ok := r.Prop(path...)
	if !ok || !v.IsNumber() {
		return 0
	}
	return v.NumberValue()
}

// Strings returns a list-of-strings input, or nil.
func (r *Resource) Strings(path ...string) []string {
	v, ok := r.Prop(path...)
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

// Objects returns a list-of-objects input as property maps, or nil.
func (r *Resource) Objects(path ...string) []resource.PropertyMap {
	v, ok := r.Prop(path...)
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

// IsSecret reports whether the input at path is marked secret.
func (r *Resource) IsSecret(path ...string) bool {
	if len(path) == 0 {
		return false
	}
	parent, ok := r.Prop(path[:len(path)-1]...)
	if !ok || !parent.IsObject() {
		return false
	}
	v, ok := parent.ObjectValue()[resource.PropertyKey(path[len(path)-1])]
	return ok && v.IsSecret()
}

func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}
