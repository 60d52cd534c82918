// Package upgrade carries out a Morpheus upgrade that must not roll: it stops
// morpheus-ui on every node that runs the old version before the instance
// refresh starts, so that two versions that disagree on their message formats
// never serve together. The old nodes are then replaced by the refresh.
package upgrade

import (
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:upgrade:StopAll"

// StopCommand is what runs on every old node.
const StopCommand = "morpheus-ctl stop morpheus-ui"

// waitSeconds bounds the wait for every node to have stopped morpheus-ui; the
// refresh starts only after it.
const waitSeconds = 900

// associationName: SSM association names take letters, digits, . _ - (3-128).
var associationName = naming.Kind{Service: "ssm association", MaxLen: 128}

var versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)?$`)

// Args configures the stop.
type Args struct {
	// Namer names the association.
	Namer naming.Namer
	// From and To are the running and the new Morpheus version.
	From, To string
	// InstanceIds are the nodes running now, looked up when the upgrade is
	// planned. The association targets them by id, never by tag, so that the
	// new nodes the refresh launches are never stopped.
	InstanceIds []string
}

// StopAll is the component. Resources is what the refresh must wait for.
type StopAll struct {
	pulumi.ResourceState

	// Resources are the stop's resources; pass them as the Auto Scaling
	// group's dependencies.
	Resources []pulumi.Resource
}

func (a *Args) validate() error {
	switch {
	case a.Namer.Project == "" || a.Namer.Stack == "":
		return errors.New("upgrade: Namer is required")
	case !versionPattern.MatchString(a.From) || !versionPattern.MatchString(a.To) || a.From == a.To:
		return fmt.Errorf("upgrade: From %q and To %q must be two different Morpheus versions", a.From, a.To)
	case len(a.InstanceIds) == 0:
		return errors.New("upgrade: no running node to stop")
	}
	return nil
}

// NewStopAll creates an SSM association that runs StopCommand once on each
// running node and waits until all of them succeeded. Its name holds both
// versions, so each upgrade runs it anew, and a later run without an upgrade
// removes it.
func NewStopAll(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*StopAll, error) {
	if args == nil {
		return nil, errors.New("upgrade: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &StopAll{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	ids := append([]string(nil), args.InstanceIds...)
	sort.Strings(ids)
	assoc, err := ssm.NewAssociation(ctx, name+"-stop-morpheus-ui", &ssm.AssociationArgs{
		AssociationName: pulumi.String(args.Namer.Name(associationName, fmt.Sprintf("stop-morpheus-ui-%s-to-%s", args.From, args.To))),
		Name:            pulumi.String("AWS-RunShellScript"),
		Parameters:      pulumi.StringMap{"commands": pulumi.String(StopCommand)},
		Targets: ssm.AssociationTargetArray{ssm.AssociationTargetArgs{
			Key: pulumi.String("InstanceIds"), Values: pulumi.ToStringArray(ids),
		}},
		MaxConcurrency:               pulumi.String("100%"),
		MaxErrors:                    pulumi.String("0"),
		WaitForSuccessTimeoutSeconds: pulumi.Int(waitSeconds),
	}, pulumi.Parent(c), pulumi.DeleteBeforeReplace(true))
	if err != nil {
		return nil, err
	}
	c.Resources = []pulumi.Resource{assoc}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"association": assoc.AssociationId})
}
