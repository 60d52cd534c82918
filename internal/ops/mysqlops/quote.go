package mysqlops

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MySQL takes no placeholders in CREATE USER, ALTER USER or GRANT, so names and
// passwords are spliced into the statement text. These helpers make that safe
// whatever the session's sql_mode: they refuse every character whose meaning
// depends on it (backslash, under NO_BACKSLASH_ESCAPES) or that a client could
// mangle (NUL, control characters, invalid UTF-8), and double the one quote
// character each literal kind uses.

// QuoteString returns s as a single-quoted string literal.
func QuoteString(s string) (string, error) {
	if err := plain(s, `\`); err != nil {
		return "", fmt.Errorf("string literal: %w", err)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// QuoteIdentifier returns s as a backtick-quoted identifier (a database name).
func QuoteIdentifier(s string) (string, error) {
	if s == "" || len(s) > 64 || strings.HasSuffix(s, " ") {
		return "", fmt.Errorf("identifier %q: want 1-64 characters, no trailing space", s)
	}
	if err := plain(s, `\`); err != nil {
		return "", fmt.Errorf("identifier %q: %w", s, err)
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`", nil
}

// Account returns 'user'@'host'.
func Account(user, host string) (string, error) {
	if user == "" || len(user) > 32 {
		return "", fmt.Errorf("user name %q: want 1-32 characters", user)
	}
	u, err := QuoteString(user)
	if err != nil {
		return "", fmt.Errorf("user name: %w", err)
	}
	h, err := QuoteString(host)
	if err != nil {
		return "", fmt.Errorf("host: %w", err)
	}
	return u + "@" + h, nil
}

// plain rejects invalid UTF-8, control characters and the characters in deny.
// Errors give positions, never the text, because the text may be a password.
func plain(s, deny string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("not valid UTF-8")
	}
	for i, r := range []rune(s) {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("control character at position %d", i+1)
		}
		if strings.ContainsRune(deny, r) {
			return fmt.Errorf("character %q at position %d is not allowed", r, i+1)
		}
	}
	return nil
}
