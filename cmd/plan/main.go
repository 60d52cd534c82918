// Command plan is the offline synthesis behind `make plan STACK=<stack>`: it runs
// the real program under mocks with the stack file's values and prints what
// `pulumi up` would create. It needs no AWS credentials and no Pulumi CLI.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/deploytime"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/policyreport"
	"github.com/morpheus-ha/morpheus-ha/internal/pricing"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
)

func main() {
	stackName := flag.String("stack", "dev", "stack whose Pulumi.<stack>.yaml to plan")
	projectDir := flag.String("project", ".", "directory holding Pulumi.yaml")
	outDir := flag.String("out", "build/plan", "directory for the plan's artifacts")
	flag.Parse()
	if _, err := plan.Run(stack.Run, artifacts, *projectDir, *outDir, *stackName, os.Stdout, pricing.Reporter, deploytime.Reporter, deploytime.FailoverReporter, policyreport.Reporter); err != nil {
		// A configuration error is shown as the program reports it, without the
		// engine's "1 error occurred" wrapping.
		var invalid config.Errors
		if errors.As(err, &invalid) {
			err = invalid
		}
		fmt.Fprintf(os.Stderr, "plan %s: %v\n", *stackName, err)
		os.Exit(1)
	}
}

// artifacts renders the stack's human-readable artifacts from the same values
// the program was planned with.
func artifacts(project, stackName string, values map[string]string) ([]plan.Artifact, error) {
	cfg, err := config.Parse(project, stackName, func(key string) (string, bool) {
		v, ok := values[key]
		return v, ok
	})
	if err != nil {
		return nil, err
	}
	rendered, err := stack.Artifacts(cfg)
	if err != nil {
		return nil, err
	}
	var out []plan.Artifact
	for _, a := range rendered {
		out = append(out, plan.Artifact{File: a.File, Title: a.Title, Body: a.Body})
	}
	return out, nil
}
