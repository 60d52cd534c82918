// Package clientgroups creates the security groups that identify the clients of
// the data tier (the Morpheus app nodes and the ops function) before the data
// tier exists. Data services admit these groups by reference; the tiers that own
// them add their own rules later, so data keeps flowing one way. The VPC
// endpoints, whose group the network created before these groups could exist,
// are the one exception: this component admits both groups there.
package clientgroups

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:clientgroups:ClientGroups"

// Args configures the groups.
type Args struct {
	// Namer names the groups.
	Namer naming.Namer
	// VpcId is the VPC the groups belong to.
	VpcId pulumi.StringInput
	// EndpointSecurityGroupId is the VPC interface endpoints' group
	// (network.EndpointSecurityGroupId), which admits both groups on 443.
	EndpointSecurityGroupId pulumi.StringInput
}

// endpointPort is HTTPS, the only port an interface endpoint serves.
const endpointPort = 443

// ClientGroups is the component.
type ClientGroups struct {
	pulumi.ResourceState

	// AppSecurityGroupId is attached to every Morpheus app node.
	AppSecurityGroupId pulumi.StringOutput `pulumi:"appSecurityGroupId"`
	// OpsSecurityGroupId is attached to the ops function.
	OpsSecurityGroupId pulumi.StringOutput `pulumi:"opsSecurityGroupId"`
}

// NewClientGroups creates the app and ops groups, with no rules: each rule is
// added, described, by the component that needs it. It also admits both groups
// to the VPC endpoints on 443.
func NewClientGroups(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*ClientGroups, error) {
	if args == nil || args.VpcId == nil || args.EndpointSecurityGroupId == nil || args.Namer.Project == "" {
		return nil, errors.New("clientgroups: Namer, VpcId and EndpointSecurityGroupId are required")
	}
	c := &ClientGroups{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	// Groups are auto-named (logical name plus a random suffix) so a replacement,
	// which a description change forces, never collides with the old group.
	group := func(suffix, description string) (pulumi.StringOutput, error) {
		sg, err := ec2.NewSecurityGroup(ctx, name+"-"+suffix, &ec2.SecurityGroupArgs{
			VpcId:       args.VpcId,
			Description: pulumi.String(description),
			Tags:        pulumi.StringMap{"Name": pulumi.String(args.Namer.Name(naming.SecurityGroup, suffix))},
		}, pulumi.Parent(c))
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		return sg.ID().ToStringOutput(), nil
	}
	var err error
	if c.AppSecurityGroupId, err = group("app", "Morpheus app nodes"); err != nil {
		return nil, err
	}
	if c.OpsSecurityGroupId, err = group("ops", "Morpheus ops function (bootstrap and secret rotation)"); err != nil {
		return nil, err
	}
	for _, r := range []struct {
		suffix, description string
		source              pulumi.StringOutput
	}{
		{"endpoints-from-app", "HTTPS from the Morpheus app nodes (SSM, Secrets Manager, KMS, CloudWatch, Auto Scaling)", c.AppSecurityGroupId},
		{"endpoints-from-ops", "HTTPS from the ops function (Secrets Manager, CloudWatch Logs)", c.OpsSecurityGroupId},
	} {
		if _, err := ec2.NewSecurityGroupRule(ctx, name+"-"+r.suffix, &ec2.SecurityGroupRuleArgs{
			Type:                  pulumi.String("ingress"),
			Description:           pulumi.String(r.description),
			SecurityGroupId:       args.EndpointSecurityGroupId,
			Protocol:              pulumi.String("tcp"),
			FromPort:              pulumi.Int(endpointPort),
			ToPort:                pulumi.Int(endpointPort),
			SourceSecurityGroupId: r.source,
		}, pulumi.Parent(c)); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"appSecurityGroupId": c.AppSecurityGroupId,
		"opsSecurityGroupId": c.OpsSecurityGroupId,
	})
}
