package mockengine

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Occurrence is one place a value appears in a resource's inputs.
type Occurrence struct {
	Resource *Resource
	// Path is the input's path, e.g. "users[0].password".
	Path string
	// Secret reports whether the value sits inside a secret.
	Secret bool
}

// GeneratedSecrets maps each RandomPassword's logical name to the value the
// mocks gave it.
func (r *Recorder) GeneratedSecrets() map[string]string {
	out := map[string]string{}
	for _, res := range r.ByType("random:index/randomPassword:RandomPassword") {
		out[res.Name] = MockPassword(res)
	}
	return out
}

// Occurrences finds every input of every resource that contains value, also
// inside longer strings such as JSON documents.
func (r *Recorder) Occurrences(value string) []Occurrence {
	var out []Occurrence
	for _, res := range r.Resources() {
		for k, v := range res.Inputs {
			walk(v, string(k), false, func(path string, s string, secret bool) {
				if strings.Contains(s, value) {
					out = append(out, Occurrence{Resource: res, Path: path, Secret: secret})
				}
			})
		}
	}
	return out
}

func walk(v resource.PropertyValue, path string, secret bool, visit func(path, s string, secret bool)) {
	switch {
	case v.IsSecret():
		walk(v.SecretValue().Element, path, true, visit)
	case v.IsString():
		visit(path, v.StringValue(), secret)
	case v.IsArray():
		for i, e := range v.ArrayValue() {
			walk(e, fmt.Sprintf("%s[%d]", path, i), secret, visit)
		}
	case v.IsObject():
		for k, e := range v.ObjectValue() {
			walk(e, path+"."+string(k), secret, visit)
		}
	}
}
