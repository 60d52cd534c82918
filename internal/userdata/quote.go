package userdata

import (
	"fmt"
	"strings"
)

// shellQuote returns s as one POSIX shell word: single-quoted, each embedded
// single quote written as quote, backslash, quote, quote (close, escaped quote,
// reopen). Nothing inside single quotes is special to the shell, so the result
// is safe for any string without a NUL byte (which no shell variable can hold).
func shellQuote(s string) (string, error) {
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("userdata: cannot quote a value containing NUL for the shell")
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'", nil
}

// shellWord is the templates' "sh" function: shellQuote over the value types the
// templates pass (strings, OSFamily and integers).
func shellWord(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return shellQuote(v)
	case OSFamily:
		return shellQuote(string(v))
	case int:
		return shellQuote(fmt.Sprint(v))
	default:
		return "", fmt.Errorf("userdata: cannot shell-quote a %T", v)
	}
}

// rubyQuote returns s as a Ruby single-quoted string literal, in which only \\
// and \' are escapes. The render script's jq program applies the same rule to
// values read on the node (see scripts/morpheus-rb.jq).
func rubyQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s + "'"
}
