package config

import (
	"fmt"
	"strings"
)

// FieldError is one rejected configuration value. Its message names the full
// config key (as `pulumi config set --path` takes it), the value and the rule.
type FieldError struct {
	// Key is the fully qualified key, e.g. "morpheus-ha:network.cidr".
	Key string
	// Value is the rejected value as the user wrote it (empty when unset).
	Value string
	// Rule says what is allowed.
	Rule string
}

// Error renders "key = value: rule", or "key: rule" when there is no value to show.
func (e FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Key, e.Rule)
	}
	return fmt.Sprintf("%s = %q: %s", e.Key, e.Value, e.Rule)
}

// Errors collects every rejected value so that one run reports them all.
type Errors []FieldError

// Error renders one line per rejected value under a heading.
func (es Errors) Error() string {
	lines := make([]string, 0, len(es)+1)
	lines = append(lines, fmt.Sprintf("invalid configuration (%d problem(s)):", len(es)))
	for _, e := range es {
		lines = append(lines, "  - "+e.Error())
	}
	return strings.Join(lines, "\n")
}

// collector accumulates field errors under the project's namespace.
type collector struct {
	namespace string
	errs      Errors
}

// addf records a rejected value of a project key (key without namespace).
func (c *collector) addf(key string, value any, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Key: c.qualify(key), Value: fmt.Sprint(value), Rule: fmt.Sprintf(format, args...)})
}

// addForeign records a rejected value of a key in another namespace (aws:region).
func (c *collector) addForeign(key string, value any, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Key: key, Value: fmt.Sprint(value), Rule: fmt.Sprintf(format, args...)})
}

func (c *collector) qualify(key string) string {
	return c.namespace + ":" + key
}

// has reports whether a problem under key (or one of its fields) is recorded.
func (c *collector) has(key string) bool {
	q := c.qualify(key)
	for _, e := range c.errs {
		if e.Key == q || strings.HasPrefix(e.Key, q+".") {
			return true
		}
	}
	return false
}

// err returns the collected errors, or nil when there are none.
func (c *collector) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}
