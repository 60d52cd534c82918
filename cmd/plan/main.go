// Command plan is the offline synthesis behind `make plan STACK=<stack>`: it runs
// the real program under mocks with the stack file's values and prints what
// `pulumi up` would create. It needs no AWS credentials and no Pulumi CLI.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
)

func main() {
	stackName := flag.String("stack", "dev", "stack whose Pulumi.<stack>.yaml to plan")
	projectDir := flag.String("project", ".", "directory holding Pulumi.yaml")
	outDir := flag.String("out", "build/plan", "directory for the plan's artifacts")
	flag.Parse()
	if _, err := plan.Run(stack.Run, *projectDir, *outDir, *stackName, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "plan %s: %v\n", *stackName, err)
		os.Exit(1)
	}
}
