package configdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Markers around the generated table in README.md.
const (
	TableBegin = "<!-- config-table:begin (generated from internal/config by `make docs`) -->"
	TableEnd   = "<!-- config-table:end -->"
)

// SpliceTable replaces what lies between the markers in readme with table.
func SpliceTable(readme, table string) (string, error) {
	start, end, err := markers(readme)
	if err != nil {
		return "", err
	}
	return readme[:start+len(TableBegin)] + "\n" + table + readme[end:], nil
}

// CurrentTable returns what lies between the markers in readme.
func CurrentTable(readme string) (string, error) {
	start, end, err := markers(readme)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(readme[start+len(TableBegin):end], "\n"), nil
}

func markers(readme string) (start, end int, err error) {
	start, end = strings.Index(readme, TableBegin), strings.Index(readme, TableEnd)
	if start < 0 || end < start {
		return 0, 0, fmt.Errorf("README.md must hold the configuration table between %q and %q", TableBegin, TableEnd)
	}
	return start, end, nil
}

var (
	// configKeyRE is a key of Pulumi.yaml's config block (two-space indent).
	configKeyRE = regexp.MustCompile(`^  ([A-Za-z][A-Za-z0-9]*):\s*$`)
	// descriptionRE is a key's one-line description (four-space indent).
	descriptionRE = regexp.MustCompile(`^    description:\s`)
)

// RewriteDescriptions sets the description of every key in descs in the
// config block of a Pulumi.yaml, line by line, so that everything else (the
// comments, the order, the other fields) stays byte-for-byte as it was. Each
// key must already have a one-line `description:`; a key that lacks one, or a
// key in descs the file does not declare, is an error rather than a guess.
func RewriteDescriptions(src string, descs map[string]string) (string, error) {
	lines := strings.SplitAfter(src, "\n")
	inConfig, key := false, ""
	done := map[string]bool{}
	for i, line := range lines {
		trimmed := strings.TrimRight(line, "\r\n")
		switch {
		case trimmed == "config:":
			inConfig = true
			continue
		case !inConfig:
			continue
		case trimmed != "" && !strings.HasPrefix(trimmed, " "):
			inConfig = false
			continue
		}
		if m := configKeyRE.FindStringSubmatch(trimmed); m != nil {
			key = m[1]
			continue
		}
		desc, ok := descs[key]
		if !ok || !descriptionRE.MatchString(trimmed) {
			continue
		}
		if done[key] {
			return "", fmt.Errorf("Pulumi.yaml: %s has two descriptions", key)
		}
		comment, err := lineComment(trimmed)
		if err != nil {
			return "", fmt.Errorf("Pulumi.yaml: description of %s: %w", key, err)
		}
		quoted, err := quote(desc)
		if err != nil {
			return "", err
		}
		lines[i] = "    description: " + quoted + comment + "\n"
		done[key] = true
	}
	for key := range descs {
		if !done[key] {
			return "", fmt.Errorf("Pulumi.yaml: config key %s has no one-line description to rewrite; add `description: \"\"` under it", key)
		}
	}
	return strings.Join(lines, ""), nil
}

// lineComment returns the comment trailing a one-line `description:` (with its
// leading space), so a rewrite keeps it, and refuses a block scalar, whose
// text continues on the lines below.
func lineComment(line string) (string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(strings.TrimSpace(line)), &doc); err != nil {
		return "", err
	}
	if len(doc.Content) != 1 || len(doc.Content[0].Content) != 2 {
		return "", fmt.Errorf("not a one-line `description: <text>`")
	}
	value := doc.Content[0].Content[1]
	if value.Kind != yaml.ScalarNode || value.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return "", fmt.Errorf("must be a one-line scalar, not a block, to be rewritten in place")
	}
	if value.LineComment == "" {
		return "", nil
	}
	return " " + value.LineComment, nil
}

// quote renders s as a YAML double-quoted scalar (JSON's string syntax is a
// subset of it); non-ASCII text stays as it is.
func quote(s string) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
