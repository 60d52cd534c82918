package loadbalancer

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Ports the ALB listens on and forwards to.
const (
	httpsPort = 443
	httpPort  = 80
)

// securityGroup creates the ALB's group: 443 and 80 from the allowed CIDRs, and
// one egress rule, HTTPS to the app nodes' group (traffic and health checks).
//
// The group declares no egress block at all. An inline `egress` list, even an
// empty one, would make the group own its egress rules and delete the separate
// rule on every update; left unset, the provider only removes AWS's default
// allow-all rule at creation. The egress rule is separate because it references
// a group created elsewhere.
func (b *builder) securityGroup() (*ec2.SecurityGroup, error) {
	cidrs := pulumi.ToStringArray(b.args.AllowedCidrs)
	sg, err := ec2.NewSecurityGroup(b.ctx, b.name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       b.args.VpcId,
		Description: pulumi.String("Morpheus ALB: HTTPS and HTTP from allowed CIDRs, HTTPS to the app nodes only"),
		Ingress: ec2.SecurityGroupIngressArray{
			&ec2.SecurityGroupIngressArgs{
				Description: pulumi.String("HTTPS from users and agents (allowed CIDRs)"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(httpsPort),
				ToPort:      pulumi.Int(httpsPort),
				CidrBlocks:  cidrs,
			},
			&ec2.SecurityGroupIngressArgs{
				Description: pulumi.String("HTTP from allowed CIDRs, redirected to HTTPS"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(httpPort),
				ToPort:      pulumi.Int(httpPort),
				CidrBlocks:  cidrs,
			},
		},
		Tags: b.nameTag("alb"),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewSecurityGroupRule(b.ctx, b.name+"-sg-egress-app", &ec2.SecurityGroupRuleArgs{
		Type:                  pulumi.String("egress"),
		Description:           pulumi.String("HTTPS to the Morpheus app nodes (requests and health checks)"),
		SecurityGroupId:       sg.ID(),
		Protocol:              pulumi.String("tcp"),
		FromPort:              pulumi.Int(httpsPort),
		ToPort:                pulumi.Int(httpsPort),
		SourceSecurityGroupId: b.args.AppSecurityGroupId,
	}, b.parent); err != nil {
		return nil, err
	}
	return sg, nil
}
