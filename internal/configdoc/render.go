package configdoc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Columns heads the configuration table in the README.
var Columns = []string{"Key", "Type", "Default", "Description"}

// Table renders every leaf key as one row of a Markdown table.
func Table(keys []Key) string {
	var b strings.Builder
	row := func(cells ...string) {
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	row(Columns...)
	row("---", "---", "---", "---")
	for _, top := range keys {
		for _, k := range top.Leaves() {
			row("`"+k.Name+"`", k.Type, k.Default, k.Doc)
		}
	}
	return b.String()
}

// Descriptions returns the Pulumi.yaml description of every project key (not
// the foreign ones, which Pulumi.yaml does not describe): the key's text and,
// for an object, each field with its default, since the description is the
// only place `pulumi config` shows an object's fields.
func Descriptions(keys []Key) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if k.Foreign() {
			continue
		}
		d := k.Doc
		switch {
		case k.Fields != nil:
			d = sentence(d) + " Fields: " + fieldList(k.Fields) + "."
		case k.Default == "required":
			// Pulumi.yaml's default of a required string is "", so the
			// description is where `pulumi config` says it must be set.
			d = sentence(d) + " Required."
		}
		out[k.Name] = d
	}
	return out
}

// fieldList renders "cidr (the VPC's block; default `10.40.0.0/16`), ...",
// nesting an object's fields in braces.
func fieldList(fields []Key) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		name := f.Name[strings.LastIndex(f.Name, ".")+1:]
		text := lowerFirst(strings.TrimSuffix(f.Doc, "."))
		switch {
		case f.Fields != nil:
			parts[i] = name + " (" + text + ") {" + fieldList(f.Fields) + "}"
		case f.Default == "required":
			parts[i] = name + " (" + text + "; required)"
		default:
			parts[i] = name + " (" + text + "; default " + f.Default + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// sentence makes s end with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// lowerFirst lower-cases a leading capital unless it starts an acronym
// ("AWS CLI" stays, "The" becomes "the").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[size:])
	if !unicode.IsUpper(r) || unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
