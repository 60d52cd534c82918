package configdoc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Doc is the user-facing part of one doc comment.
type Doc struct {
	// User is the comment's first paragraph as one line, without the Go name
	// it starts with ("CIDR is the VPC's ..." becomes "The VPC's ..."). Later
	// paragraphs are notes for developers and stay out of the user docs.
	User string
}

// Docs maps "Type" and "Type.Field" to their doc comments.
type Docs map[string]Doc

// ParseDocs reads the doc comments of the struct types and fields declared in
// the non-test Go files of dir (internal/config). Comments are read from the
// source, not from a registry kept beside the struct, so the comment a Go
// reader sees is the text a user reads.
func ParseDocs(dir string) (Docs, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	docs := Docs{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				group := ts.Doc
				if group == nil && len(gen.Specs) == 1 {
					group = gen.Doc
				}
				docs[ts.Name.Name] = Doc{User: typeText(ts.Name.Name, group.Text())}
				for _, field := range st.Fields.List {
					for _, name := range field.Names {
						docs[ts.Name.Name+"."+name.Name] = Doc{User: fieldText(name.Name, field.Doc.Text())}
					}
				}
			}
		}
	}
	return docs, nil
}

// firstParagraph joins the first paragraph of a comment into one line.
func firstParagraph(text string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	return strings.Join(strings.Fields(para), " ")
}

// fieldText drops the Go name a field comment starts with, and a following
// "is" or "are".
func fieldText(name, text string) string {
	s := firstParagraph(text)
	rest, ok := strings.CutPrefix(s, name+" ")
	if !ok {
		return capitalize(s)
	}
	for _, verb := range []string{"is ", "are "} {
		if r, ok := strings.CutPrefix(rest, verb); ok {
			rest = r
			break
		}
	}
	return capitalize(rest)
}

// objectRE matches the opening of a config object's type comment: "Search is
// the `search` config object: ".
var objectRE = regexp.MustCompile("^[A-Za-z]+ is the `[A-Za-z.]+` config object[:,]? ?")

// typeText is a type comment without its Go opening.
func typeText(name, text string) string {
	s := firstParagraph(text)
	if loc := objectRE.FindStringIndex(s); loc != nil {
		return capitalize(s[loc[1]:])
	}
	return fieldText(name, s)
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
