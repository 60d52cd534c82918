package config

import (
	"encoding/json"
	"reflect"
	"strings"
)

// unknownField finds where an unknown field name sits in raw, a JSON object
// decoded into a value of type t, and returns its dotted path below the object,
// its value and the fields allowed at that level. encoding/json names only the
// field, so without this a typo inside a nested object (messaging.
// maintenanceWindow) would be reported against the top-level object.
func unknownField(raw string, t reflect.Type, name string) (path, value string, allowed []string, ok bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "", "", nil, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &obj) != nil {
		return "", "", nil, false
	}
	for key, val := range obj {
		f, known := structField(t, key)
		switch {
		case !known && key == name:
			return key, strings.Trim(string(val), `"`), jsonFields(reflect.New(t).Interface()), true
		case known:
			if p, v, a, found := unknownField(string(val), f.Type, name); found {
				return key + "." + p, v, a, true
			}
		}
	}
	return "", "", nil, false
}

// structField returns the field of t that a JSON key decodes into, matching
// names case-insensitively as encoding/json does.
func structField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if name != "-" && strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// miscasedField finds a key in raw that matches a field of t only when case is
// ignored (encoding/json accepts "sslpolicy" for "sslPolicy"). Pulumi config keys
// are case-sensitive everywhere else, so such a key is refused like a typo. It
// returns the key's dotted path and the field's real name.
func miscasedField(raw string, t reflect.Type) (path, want string, found bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "", "", false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &obj) != nil {
		return "", "", false
	}
	for key, val := range obj {
		f, known := structField(t, key)
		if !known {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != key {
			return key, name, true
		}
		if p, w, ok := miscasedField(string(val), f.Type); ok {
			return key + "." + p, w, true
		}
	}
	return "", "", false
}
