// Package parameters publishes plain configuration values (endpoints, ports,
// names) to SSM Parameter Store under the stack's path, where app nodes and the
// ops function read them at boot instead of having them baked into user data.
package parameters

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:parameters:Parameters"

// maxDepth is Parameter Store's hierarchy limit; the stack path takes two levels.
const maxDepth = 15

// keyRE allows the characters Parameter Store accepts in a name, in
// "/"-separated segments.
var keyRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$`)

// Args configures the parameters.
type Args struct {
	// Namer puts every parameter under /<project>/<stack>/.
	Namer naming.Namer
	// KeyArn is the secrets key; every parameter is a SecureString encrypted with it.
	KeyArn pulumi.StringInput
	// Values maps keys relative to the stack path ("db/endpoint") to values.
	Values map[string]pulumi.StringInput
}

// Parameters is the component.
type Parameters struct {
	pulumi.ResourceState

	// Names maps each key to its parameter's full name.
	Names pulumi.StringMapOutput `pulumi:"names"`
	// Prefix is "/<project>/<stack>/", the prefix every name starts with; plain,
	// since it is known at plan time and IAM policies need it.
	Prefix string
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		errs = append(errs, errors.New("parameters: Namer needs a project and a stack"))
	}
	if a.KeyArn == nil {
		errs = append(errs, errors.New("parameters: KeyArn is required (parameters are SecureStrings under the secrets key)"))
	}
	if len(a.Values) == 0 {
		errs = append(errs, errors.New("parameters: Values needs at least one entry"))
	}
	for _, k := range sortedKeys(a.Values) {
		if err := checkKey(k); err != nil {
			errs = append(errs, fmt.Errorf("parameters: key %q %w", k, err))
		}
		if a.Values[k] == nil {
			errs = append(errs, fmt.Errorf("parameters: key %q has no value", k))
		}
	}
	return errors.Join(errs...)
}

func checkKey(k string) error {
	switch {
	case k == "":
		return errors.New("is empty")
	case strings.HasPrefix(k, "/"):
		return errors.New("starts with /; keys are relative to the stack path")
	case strings.Contains(k, ".."):
		return errors.New("contains ..")
	case !keyRE.MatchString(k):
		return errors.New("must be segments of letters, digits, _ . - separated by single /")
	case strings.Count(k, "/")+1 > maxDepth-2:
		return fmt.Errorf("is nested deeper than %d levels (Parameter Store allows %d including /<project>/<stack>)", maxDepth-2, maxDepth)
	}
	return nil
}

// NewParameters creates one SecureString parameter per value.
func NewParameters(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Parameters, error) {
	if args == nil {
		return nil, errors.New("parameters: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Parameters{Prefix: args.Namer.Path() + "/"}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	names := pulumi.StringMap{}
	for _, k := range sortedKeys(args.Values) {
		full := args.Namer.Path(k)
		p, err := ssm.NewParameter(ctx, name+"-"+k, &ssm.ParameterArgs{
			Name: pulumi.String(full),
			// SecureString under the secrets key even for plain values: one rule
			// for every parameter, and nothing sensitive can slip in
			// later as a String.
			Type:     pulumi.String("SecureString"),
			KeyId:    args.KeyArn,
			Value:    args.Values[k],
			Tier:     pulumi.String("Standard"),
			DataType: pulumi.String("text"),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		names[k] = p.Name
	}
	c.Names = names.ToStringMapOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"names":      c.Names,
		"pathPrefix": pulumi.String(c.Prefix),
	})
}

func sortedKeys(m map[string]pulumi.StringInput) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
