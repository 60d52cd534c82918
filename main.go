// Command morpheus-ha is the Pulumi program that stands up HPE Morpheus Enterprise
// in a high-availability layout on AWS. All the work happens in internal/stack.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
)

func main() {
	pulumi.Run(stack.Run)
}
