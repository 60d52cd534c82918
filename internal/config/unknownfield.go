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
