package pricing

import (
	"strconv"
	"strings"
)

// The recorded inputs are plain JSON-like values; the provider accepts some
// booleans and numbers as strings ("true", "100"), so the readers accept both.

// field walks nested objects of inputs by key.
func field(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// numberOf reads a number, reporting whether one was set.
func numberOf(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int:
		return float64(t), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}

// stringOf reads a string, "" when unset.
func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

// boolOf reads a boolean, false when unset.
func boolOf(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		b, _ := strconv.ParseBool(t)
		return b
	}
	return false
}

// listOf reads a list, nil when unset.
func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// objectOf reads an object, nil when unset.
func objectOf(v any) map[string]any {
	o, _ := v.(map[string]any)
	return o
}
