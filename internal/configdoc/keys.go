// Package configdoc generates the configuration reference (the README table and
// the description of every key in Pulumi.yaml) from the config struct itself:
// key names from its json tags, types from its Go types, text from the doc
// comments of its fields and defaults from what config.Parse fills in for each
// environment. `make docs` rewrites both files; a test fails when either is
// stale, so the documentation cannot drift from the code.
package configdoc

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// Key is one configuration key as a user sets it.
type Key struct {
	// Name is the key as `pulumi config set --path` takes it: "network.cidr",
	// "environment" or a foreign key such as "aws:region".
	Name string
	// Type is the YAML type: string, integer, number, boolean, array or object.
	Type string
	// Doc is the user-facing text of the field's doc comment.
	Doc string
	// Default renders the default per environment ("14 in dev, 90 in prod"),
	// "required" where a value must be set.
	Default string
	// Fields are an object's keys, in declaration order; nil for a leaf (a
	// scalar, a list, or a map of arbitrary keys).
	Fields []Key
}

// Foreign reports whether the key lives in another namespace (aws:region):
// Pulumi.yaml may not declare a type for it.
func (k Key) Foreign() bool { return strings.Contains(k.Name, ":") }

// Leaves returns k, or its fields' leaves, with full dotted names.
func (k Key) Leaves() []Key {
	if k.Fields == nil {
		return []Key{k}
	}
	var out []Key
	for _, f := range k.Fields {
		out = append(out, f.Leaves()...)
	}
	return out
}

// Keys describes every key of config.Config, top-level keys in struct order.
// docs are the field comments of internal/config (see ParseDocs); a field
// without a comment or without a json tag is an error, so a new key cannot go
// undocumented.
func Keys(docs Docs) ([]Key, error) {
	defaults, err := envDefaults()
	if err != nil {
		return nil, err
	}
	b := builder{docs: docs, defaults: defaults}
	keys := b.fields(reflect.TypeOf(config.Config{}), "", nil)
	if len(b.errs) > 0 {
		return nil, fmt.Errorf("configdoc: %s", strings.Join(b.errs, "; "))
	}
	return keys, nil
}

type builder struct {
	docs     Docs
	defaults *defaults
	errs     []string
}

// fields describes the tagged fields of struct type t, whose key is prefix and
// whose Go field path is index.
func (b *builder) fields(t reflect.Type, prefix string, index []int) []Key {
	var out []Key
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			b.errs = append(b.errs, fmt.Sprintf("%s.%s has no json tag", t.Name(), f.Name))
			continue
		}
		full := name
		if prefix != "" {
			full = prefix + "." + name
		}
		doc, ok := b.docs[t.Name()+"."+f.Name]
		if !ok || doc.User == "" {
			b.errs = append(b.errs, fmt.Sprintf("%s.%s (%s) has no doc comment", t.Name(), f.Name, full))
		}
		path := append(append([]int(nil), index...), i)
		k := Key{Name: full, Type: yamlType(f.Type), Doc: doc.User}
		if f.Type.Kind() == reflect.Struct {
			k.Fields = b.fields(f.Type, full, path)
			if td := b.docs[f.Type.Name()]; prefix == "" && td.User != "" {
				// A top-level object is described by its type's comment
				// ("Search is the `search` config object: the OpenSearch
				// domain."); a nested one by its field's.
				k.Doc = td.User
			}
		} else if text, ok := f.Tag.Lookup("docdefault"); ok {
			k.Default = text
		} else {
			k.Default = b.defaults.render(full, path)
		}
		out = append(out, k)
	}
	return out
}

// yamlType names a Go type the way Pulumi.yaml's typed config does.
func yamlType(t reflect.Type) string {
	// An optional value (a pointer, unset meaning "derive the default") has
	// its element's type.
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
