package plan

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/mockengine"
)

// Result is what one offline plan produced.
type Result struct {
	Config    *StackConfig
	Resources []*mockengine.Resource
	// Dir is where the artifacts were written.
	Dir string
}

// Artifact is a text the program derives from its configuration for a human to
// read next to the plan (rendered user data, the alarm list).
type Artifact struct {
	File, Title, Body string
}

// ArtifactFunc renders a stack's artifacts from its configuration values.
type ArtifactFunc func(project, stack string, values map[string]string) ([]Artifact, error)

// Run plans stack from the project in projectDir, prints the tree to out and
// writes resources.json, the artifacts and the reporters' data under
// outDir/<stack>/. A configuration error returns before anything is printed or
// written.
func Run(program pulumi.RunFunc, artifacts ArtifactFunc, projectDir, outDir, stack string, out io.Writer, reporters ...Reporter) (*Result, error) {
	sc, err := LoadStack(projectDir, stack)
	if err != nil {
		return nil, err
	}
	resources, err := record(program, projectDir, sc, sc.Values)
	if err != nil {
		return nil, err
	}
	var extra []Artifact
	if artifacts != nil {
		if extra, err = artifacts(sc.Project, sc.Stack, sc.Values); err != nil {
			return nil, err
		}
	}
	res := &Result{Config: sc, Resources: resources, Dir: filepath.Join(outDir, stack)}
	if err := os.MkdirAll(res.Dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(res.Dir, "resources.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries := Entries(res.Resources)
	if err := WriteJSON(f, entries); err != nil {
		return nil, err
	}
	if err := WriteTree(out, sc.Project, sc.Stack, res.Resources); err != nil {
		return nil, err
	}
	if err := WriteHighlights(out, res.Resources); err != nil {
		return nil, err
	}
	written := []string{filepath.Join(res.Dir, "resources.json")}
	for _, a := range extra {
		path := filepath.Join(res.Dir, a.File)
		if err := os.WriteFile(path, []byte(a.Body), 0o644); err != nil {
			return nil, err
		}
		written = append(written, path)
		if a.Title != "" {
			fmt.Fprintf(out, "\n%s:\n%s", a.Title, indent(a.Body))
		}
	}
	inv := Inventory{Project: sc.Project, Stack: sc.Stack, Values: sc.Values, Entries: entries,
		Replan: func(values map[string]string) (Inventory, error) {
			resources, err := record(program, projectDir, sc, values)
			if err != nil {
				return Inventory{}, err
			}
			return Inventory{Project: sc.Project, Stack: sc.Stack, Values: values, Entries: Entries(resources)}, nil
		}}
	for _, report := range reporters {
		r, err := report(inv)
		if err != nil {
			return nil, err
		}
		if r.Text != "" {
			fmt.Fprintf(out, "\n%s:\n%s", r.Title, indent(r.Text))
		}
		path, err := writeReport(res.Dir, r)
		if err != nil {
			return nil, err
		}
		if path != "" {
			written = append(written, path)
		}
	}
	fmt.Fprintf(out, "\nWrote %s\n", strings.Join(written, ", "))
	return res, f.Close()
}

// record runs program under mocks as stack sc with the given configuration
// values (sc.Values, or a variant of them) and returns what it registered.
func record(program pulumi.RunFunc, projectDir string, sc *StackConfig, values map[string]string) ([]*mockengine.Resource, error) {
	rec, err := mockengine.Run(program, mockengine.Options{
		Project:    sc.Project,
		Stack:      sc.Stack,
		Config:     values,
		SecretKeys: sc.SecretKeys,
		// As the engine does: relative paths in config (ops.artifact) are
		// relative to the project, wherever the plan runs from.
		RootDirectory: projectDir,
	})
	if err != nil {
		return nil, err
	}
	return rec.Resources(), nil
}

func indent(body string) string {
	lines := strings.SplitAfter(body, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "")
}
