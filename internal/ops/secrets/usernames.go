package secrets

import (
	"fmt"
	"regexp"
	"strings"
)

// CloneSuffix marks the second of the two alternating users. Rotation switches
// a secret between <base> and <base>_clone, so the login the running nodes hold
// (the other one) stays valid until the rotation after next.
const CloneSuffix = "_clone"

// MaxUsernameLen is MySQL 8's user name limit, the tightest of the three
// services; the clone name must fit too.
const MaxUsernameLen = 32

var usernamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// BaseUsername strips the clone suffix.
func BaseUsername(u string) string { return strings.TrimSuffix(u, CloneSuffix) }

// AlternateUsername returns the other user of u's pair.
func AlternateUsername(u string) string {
	if strings.HasSuffix(u, CloneSuffix) {
		return BaseUsername(u)
	}
	return u + CloneSuffix
}

// UsernamePair returns both users of u's pair, base first.
func UsernamePair(u string) []string {
	b := BaseUsername(u)
	return []string{b, b + CloneSuffix}
}

// ValidateUsername checks that u and its alternate are names every service
// accepts without quoting surprises: a letter, then letters, digits and
// underscores, and the clone name at most MaxUsernameLen long.
func ValidateUsername(u string) error {
	if !usernamePattern.MatchString(u) {
		return fmt.Errorf("username %q must start with a letter and contain only letters, digits and underscores", u)
	}
	if n := len(BaseUsername(u)) + len(CloneSuffix); n > MaxUsernameLen {
		return fmt.Errorf("username %q is too long: its clone name would be %d characters (at most %d)", u, n, MaxUsernameLen)
	}
	return nil
}
