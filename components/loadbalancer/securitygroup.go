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

// securityGroup creates the ALB's group: 443 and 80 from the allowed CIDRs once
// Morpheus' setup is done (only the setup sources before), and one egress rule,
// HTTPS to the app nodes' group (traffic and health checks).
//
// The group declares no egress block at all. An inline `egress` list, even an
// empty one, would make the group own its egress rules and delete the separate
// rule on every update; left unset, the provider only removes AWS's default
// allow-all rule at creation. The egress rule is separate because it references
// a group created elsewhere.
func (b *builder) securityGroup() (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(b.ctx, b.name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       b.args.VpcId,
		Description: pulumi.String("Morpheus ALB: HTTPS and HTTP from allowed CIDRs, HTTPS to the app nodes only"),
		Ingress:     b.ingress(),
		Tags:        b.nameTag("alb"),
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

// ingress is the group's inline rules. Once setup is done: 443 and 80 from the
// allowed CIDRs. Before: Morpheus answers POST /api/setup/init, unauthenticated,
// to whoever calls it first, so only the setup CIDRs, the NAT gateways'
// addresses (the ops function's path to an internet-facing ALB) and the ops
// group (its path to an internal one) get in.
func (b *builder) ingress() ec2.SecurityGroupIngressArray {
	a := b.args
	rule := func(description string, port int, cidrs pulumi.StringArrayInput) *ec2.SecurityGroupIngressArgs {
		return &ec2.SecurityGroupIngressArgs{
			Description: pulumi.String(description),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(port),
			ToPort:      pulumi.Int(port),
			CidrBlocks:  cidrs,
		}
	}
	if a.SetupComplete {
		cidrs := pulumi.ToStringArray(a.AllowedCidrs)
		return ec2.SecurityGroupIngressArray{
			rule("HTTPS from users and agents (allowed CIDRs)", httpsPort, cidrs),
			rule("HTTP from allowed CIDRs, redirected to HTTPS", httpPort, cidrs),
		}
	}
	var out ec2.SecurityGroupIngressArray
	if len(a.SetupCidrs) > 0 || a.SetupPublicIps != nil {
		sources := "setup CIDRs"
		if a.SetupPublicIps != nil {
			sources += " and the ops function's NAT addresses"
		}
		cidrs := setupCidrs(a.SetupCidrs, a.SetupPublicIps)
		out = append(out,
			rule("HTTPS until Morpheus setup is done: "+sources, httpsPort, cidrs),
			rule("HTTP until Morpheus setup is done ("+sources+"), redirected to HTTPS", httpPort, cidrs))
	}
	if a.SetupSecurityGroupId != nil {
		out = append(out, &ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("HTTPS from the ops function until Morpheus setup is done (automated setup)"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(httpsPort),
			ToPort:         pulumi.Int(httpsPort),
			SecurityGroups: pulumi.StringArray{a.SetupSecurityGroupId},
		})
	}
	return out
}

// setupCidrs is the setup CIDRs followed by each public address as a /32.
func setupCidrs(cidrs []string, publicIps pulumi.StringArrayInput) pulumi.StringArrayInput {
	if publicIps == nil {
		return pulumi.ToStringArray(cidrs)
	}
	return publicIps.ToStringArrayOutput().ApplyT(func(ips []string) []string {
		out := append([]string(nil), cidrs...)
		for _, ip := range ips {
			out = append(out, ip+"/32")
		}
		return out
	}).(pulumi.StringArrayOutput)
}
