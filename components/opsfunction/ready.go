package opsfunction

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ReadySignal is the parameter the function's bootstrap leaves for booting app
// nodes: they install everything they can while the data tier is created, then
// wait for this parameter before they read the service parameters and render
// morpheus.rb.
type ReadySignal struct {
	// Name is the parameter's full name (the contract's Parameters.Ready).
	Name string
	// After resolves once every service parameter the nodes read exists (the
	// data tier's parameter names), so the signal never precedes them.
	After pulumi.StringMapInput
	// KeyArn encrypts the SecureString, like every parameter of the stack.
	KeyArn pulumi.StringInput
}

// readySignal writes the parameter once the bootstrap succeeded. Its value is
// the bootstrap invocation's id: it changes when the bootstrap re-runs, and
// holds no secret.
func (b *builder) readySignal(bootstrapID pulumi.StringOutput) error {
	r := b.args.ReadySignal
	value := pulumi.All(bootstrapID, r.After).ApplyT(func(v []any) string {
		return "bootstrap " + v[0].(string)
	}).(pulumi.StringOutput)
	_, err := ssm.NewParameter(b.ctx, b.name+"-ready", &ssm.ParameterArgs{
		Name:     pulumi.String(r.Name),
		Type:     pulumi.String("SecureString"),
		KeyId:    r.KeyArn,
		Value:    value,
		Tier:     pulumi.String("Standard"),
		DataType: pulumi.String("text"),
	}, b.parent)
	return err
}
