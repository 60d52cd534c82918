package userdata

import (
	"os"
	"os/exec"
	"testing"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// awkward values for both quoting helpers: quotes, backslashes, expansions,
// globs, newlines, non-ASCII.
var awkward = []string{
	"",
	"plain",
	"it's",
	"''",
	`back\slash\`,
	`\'`,
	`"double" $HOME $(id) ` + "`id`",
	"*?[a] ~ {a,b} ; & | < > #",
	"line\nbreak\ttab",
	"ünïcødé €",
	"-n",
}

func TestShellQuoteRoundTripsThroughBash(t *testing.T) {
	bash := testutil.RequireTool(t, "bash")
	for _, s := range awkward {
		q, err := shellQuote(s)
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bash, "-c", "printf '%s' "+q).Output()
		if err != nil {
			t.Fatalf("bash on %s: %v", q, err)
		}
		if string(out) != s {
			t.Errorf("shellQuote(%q) = %s reads back as %q", s, q, out)
		}
	}
	if _, err := shellQuote("a\x00b"); err == nil {
		t.Error("shellQuote accepted a NUL byte")
	}
}

func TestShellWordTypes(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{{"a'b", `'a'\''b'`}, {Ubuntu, "'ubuntu'"}, {899, "'899'"}} {
		got, err := shellWord(c.in)
		if err != nil || got != c.want {
			t.Errorf("shellWord(%v) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	if _, err := shellWord(1.5); err == nil {
		t.Error("shellWord accepted a float")
	}
}

func TestRubyQuoteRoundTripsThroughRuby(t *testing.T) {
	ruby := testutil.RequireTool(t, "ruby")
	for _, s := range awkward {
		q := rubyQuote(s)
		cmd := exec.Command(ruby, "-e", "print "+q)
		cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ruby on %s: %v", q, err)
		}
		if string(out) != s {
			t.Errorf("rubyQuote(%q) = %s reads back as %q", s, q, out)
		}
	}
}
