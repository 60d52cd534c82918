package plan

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// Result is what one offline plan produced.
type Result struct {
	Config    *StackConfig
	Resources []*testutil.Resource
	// Dir is where the artifacts were written.
	Dir string
}

// Run plans stack from the project in projectDir, prints the tree to out and
// writes the artifacts under outDir/<stack>/. A configuration error returns before
// anything is printed or written.
func Run(program pulumi.RunFunc, projectDir, outDir, stack string, out io.Writer) (*Result, error) {
	sc, err := LoadStack(projectDir, stack)
	if err != nil {
		return nil, err
	}
	rec, err := testutil.Run(program, testutil.Options{
		Project:    sc.Project,
		Stack:      sc.Stack,
		Config:     sc.Values,
		SecretKeys: sc.SecretKeys,
		// As the engine does: relative paths in config (ops.artifact) are
		// relative to the project, wherever the plan runs from.
		RootDirectory: projectDir,
	})
	if err != nil {
		return nil, err
	}
	res := &Result{Config: sc, Resources: rec.Resources(), Dir: filepath.Join(outDir, stack)}
	if err := os.MkdirAll(res.Dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(res.Dir, "resources.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := WriteJSON(f, Entries(res.Resources)); err != nil {
		return nil, err
	}
	if err := WriteTree(out, sc.Project, sc.Stack, res.Resources); err != nil {
		return nil, err
	}
	if err := WriteHighlights(out, res.Resources); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "\nWrote %s\n", filepath.Join(res.Dir, "resources.json"))
	return res, f.Close()
}
