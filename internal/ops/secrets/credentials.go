package secrets

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// Credentials is the {"username","password"} document each service secret holds.
// Other keys in the document (an RDS-managed secret may grow some) are kept
// verbatim when a rotation writes a new version.
//
// Its String, GoString and LogValue methods never print the password, so a
// Credentials value passed to fmt or slog by mistake does not leak it.
type Credentials struct {
	// Username is the login name.
	Username string
	// Password is the login password.
	Password string
	// extra holds the document's other keys.
	extra map[string]json.RawMessage
}

// ParseCredentials decodes a secret string. Errors never quote the input.
func ParseCredentials(s string) (Credentials, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return Credentials{}, errorf("secret value is not a JSON object")
	}
	var c Credentials
	for key, dst := range map[string]*string{"username": &c.Username, "password": &c.Password} {
		raw, ok := doc[key]
		if !ok {
			return Credentials{}, errorf("secret value has no %q", key)
		}
		if err := json.Unmarshal(raw, dst); err != nil || *dst == "" {
			return Credentials{}, errorf("secret value's %q is not a non-empty string", key)
		}
		delete(doc, key)
	}
	if len(doc) > 0 {
		c.extra = doc
	}
	return c, nil
}

// WithLogin returns a copy of c with another username and password and the same
// other keys.
func (c Credentials) WithLogin(username, password string) Credentials {
	c.Username, c.Password = username, password
	return c
}

// JSON encodes c as a secret string.
func (c Credentials) JSON() (string, error) {
	doc := make(map[string]any, len(c.extra)+2)
	for k, v := range c.extra {
		doc[k] = v
	}
	doc["username"] = c.Username
	doc["password"] = c.Password
	b, err := json.Marshal(doc)
	if err != nil {
		return "", errorf("encoding secret value: %w", err)
	}
	return string(b), nil
}

// String prints the username only.
func (c Credentials) String() string {
	return fmt.Sprintf("{username:%s password:<redacted>}", c.Username)
}

// GoString prints the username only, also for %#v.
func (c Credentials) GoString() string { return c.String() }

// LogValue makes slog print the username only.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", c.Username))
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
