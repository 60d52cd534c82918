// Package loadcheck logs in to a deployed Morpheus appliance and drives its
// read-only API at a stated rate and concurrency, then reports latency
// percentiles, errors by class and whether the run stayed within thresholds.
// cmd/loadcheck is its command; docs/operations/load-testing.md says how to
// use it against a stack.
package loadcheck

// redacted is what a Secret prints as.
const redacted = "[redacted]"

// Secret holds the password or the access token. Every way fmt, encoding/json
// or a text encoder can render it yields a placeholder, so a secret that
// reaches a log line, an error or the JSON report by mistake discloses nothing;
// Reveal is the one way to the value, used only where it goes on the wire.
type Secret string

// String returns a placeholder, never the value.
func (Secret) String() string { return redacted }

// GoString returns a placeholder, so %#v is safe too.
func (Secret) GoString() string { return redacted }

// MarshalText returns a placeholder; encoding/json uses it for strings.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Reveal returns the value, for the login form and the Authorization header.
func (s Secret) Reveal() string { return string(s) }
