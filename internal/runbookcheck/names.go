package runbookcheck

import (
	"regexp"
	"strings"
)

// namePattern matches a physical name of the prod stack of project
// morpheus-ha: resource names, log groups and parameters, KMS aliases.
var namePattern = regexp.MustCompile(`(?:alias/)?morpheus-ha-prod-[A-Za-z0-9-]*|/morpheus-ha/prod/[A-Za-z0-9/_.-]*`)

// codeSpan matches Markdown inline code, which may wrap across lines.
var codeSpan = regexp.MustCompile("`([^`]+)`")

// Quoted returns the stack names quoted in a Markdown document's code: its
// inline code spans and the lines of its fenced code blocks.
func Quoted(markdown string) []string {
	var code, prose []string
	inFence := false
	for _, line := range strings.Split(markdown, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
			// A fence ends the prose run: no inline span crosses it.
			prose = append(prose, "\x00")
			continue
		}
		if inFence {
			code = append(code, line)
		} else {
			prose = append(prose, line)
		}
	}
	for _, run := range strings.Split(strings.Join(prose, "\n"), "\x00") {
		for _, m := range codeSpan.FindAllStringSubmatch(run, -1) {
			code = append(code, m[1])
		}
	}
	var out []string
	for _, c := range code {
		out = append(out, namePattern.FindAllString(c, -1)...)
	}
	return out
}

// Names collects every stack name that occurs in the plan's string inputs,
// whole values and names embedded in longer strings (ARNs, policies, alarm
// queries) alike, each cut at the same boundaries Quoted cuts at.
func Names(inputs any, into map[string]bool) {
	switch v := inputs.(type) {
	case string:
		for _, m := range namePattern.FindAllString(v, -1) {
			into[m] = true
		}
	case map[string]any:
		for _, e := range v {
			Names(e, into)
		}
	case []any:
		for _, e := range v {
			Names(e, into)
		}
	}
}

// Known reports whether a quoted name is a name of the plan. A name ending in
// "-" or "/" is a prefix (`/morpheus-ha/prod/<purpose>`,
// `morpheus-ha-prod-dbCpu-<n>`): some name must start with it.
func Known(quoted string, names map[string]bool) bool {
	if names[quoted] {
		return true
	}
	if strings.HasSuffix(quoted, "-") || strings.HasSuffix(quoted, "/") {
		for n := range names {
			if strings.HasPrefix(n, quoted) && n != quoted {
				return true
			}
		}
	}
	return false
}
