package mockengine

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The functions below read a value out of a property map (a resource's inputs,
// or an object nested in them) by a path of object keys. Every level on the way,
// and the value found, has its secret wrapper removed, so a test asserts on what
// the engine would receive; use IsSecret to assert the secrecy itself. A missing
// key, or a value of another type, reads as the zero value of the result.

// Get walks a path of object keys into m and returns the value with any secret
// wrapper removed; ok is false when a key is missing or a level on the way is
// not an object. An empty path returns m itself as an object value.
func Get(m resource.PropertyMap, path ...string) (v resource.PropertyValue, ok bool) {
	v = resource.NewObjectProperty(m)
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

// Str returns the string at path in m (secrets unwrapped), or "" when it is
// missing or not a string.
func Str(m resource.PropertyMap, path ...string) string {
	return strOf(Get(m, path...))
}

// Num returns the number at path in m (secrets unwrapped), or 0 when it is
// missing or not a number.
func Num(m resource.PropertyMap, path ...string) float64 {
	v, ok := Get(m, path...)
	if !ok || !v.IsNumber() {
		return 0
	}
	return v.NumberValue()
}

// Flag returns the boolean at path in m (secrets unwrapped); set is false when
// it is missing or not a boolean, so an explicit false can be told from absent.
func Flag(m resource.PropertyMap, path ...string) (value, set bool) {
	v, ok := Get(m, path...)
	if !ok || !v.IsBool() {
		return false, false
	}
	return v.BoolValue(), true
}

// Strs returns the list of strings at path in m (the list and its elements
// with secrets unwrapped), or nil when it is missing or not a list. An element
// that is not a string reads as "", so it still counts toward length and
// emptiness checks instead of disappearing from them.
func Strs(m resource.PropertyMap, path ...string) []string {
	v, ok := Get(m, path...)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		out = append(out, strOf(unwrap(e), true))
	}
	return out
}

// Objs returns the list of objects at path in m as property maps (the list and
// its elements with secrets unwrapped), or nil when it is missing or not a
// list. An element that is not an object reads as a nil map, so it still
// counts toward length and emptiness checks instead of disappearing from them.
func Objs(m resource.PropertyMap, path ...string) []resource.PropertyMap {
	v, ok := Get(m, path...)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		var obj resource.PropertyMap
		if e = unwrap(e); e.IsObject() {
			obj = e.ObjectValue()
		}
		out = append(out, obj)
	}
	return out
}

// IsSecret reports whether the value at path in m is itself marked secret (the
// levels above it may or may not be); false for an empty path or a missing key.
func IsSecret(m resource.PropertyMap, path ...string) bool {
	if len(path) == 0 {
		return false
	}
	parent, ok := Get(m, path[:len(path)-1]...)
	if !ok || !parent.IsObject() {
		return false
	}
	v, ok := parent.ObjectValue()[resource.PropertyKey(path[len(path)-1])]
	return ok && v.IsSecret()
}

// Prop walks a path of object keys into the resource's inputs; see Get.
func (r *Resource) Prop(path ...string) (resource.PropertyValue, bool) {
	return Get(r.Inputs, path...)
}

// String returns a string input (secrets unwrapped), or ""; see Str.
func (r *Resource) String(path ...string) string {
	return Str(r.Inputs, path...)
}

// Bool returns a boolean input (secrets unwrapped), or false when it is false,
// missing or not a boolean; use Flag to tell false from absent.
func (r *Resource) Bool(path ...string) bool {
	v, _ := Flag(r.Inputs, path...)
	return v
}

// Number returns a numeric input (secrets unwrapped), or 0; see Num.
func (r *Resource) Number(path ...string) float64 {
	return Num(r.Inputs, path...)
}

// Strings returns a list-of-strings input, or nil; see Strs.
func (r *Resource) Strings(path ...string) []string {
	return Strs(r.Inputs, path...)
}

// Objects returns a list-of-objects input as property maps, or nil; see Objs.
func (r *Resource) Objects(path ...string) []resource.PropertyMap {
	return Objs(r.Inputs, path...)
}

// IsSecret reports whether the input at path is itself marked secret; see the
// package-level IsSecret.
func (r *Resource) IsSecret(path ...string) bool {
	return IsSecret(r.Inputs, path...)
}

// strOf returns v's string, or "" unless ok and v is a string.
func strOf(v resource.PropertyValue, ok bool) string {
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// unwrap removes any number of secret wrappers from v.
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}
