package apptier

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// rule is one described security-group rule of the nodes' group.
type rule struct {
	suffix, kind, description string
	port                      int
	peerGroup                 pulumi.StringInput
	cidrs                     []string
	prefixLists               pulumi.StringArray
}

// securityRules gives the nodes' group exactly the traffic Morpheus needs: HTTPS
// in from the load balancer only, and out to each data service, the VPC
// endpoints, and the internet on 443 and 80 (Morpheus downloads packages and
// images during reconfigure and talks to the APIs of the clouds it manages, which
// have no fixed addresses), or only to an allow-list of networks.
func (b *builder) securityRules() error {
	a := b.args
	rules := []rule{
		{suffix: "in-https-alb", kind: "ingress", port: 443, peerGroup: a.LoadBalancerSecurityGroupId,
			description: "HTTPS from the load balancer (Morpheus UI, API and agent websockets)"},
		{suffix: "out-https-endpoints", kind: "egress", port: 443, peerGroup: a.EndpointSecurityGroupId,
			description: "HTTPS to VPC endpoints (SSM, Secrets Manager, KMS, CloudWatch)"},
	}
	rules = append(rules, internetRules(a.Egress, a.S3PrefixListId)...)
	for i, d := range a.DataPorts {
		rules = append(rules, rule{suffix: fmt.Sprintf("out-data-%d-%d", i, d.Port), kind: "egress", port: d.Port,
			peerGroup: d.SecurityGroupId, description: d.Description})
	}
	for _, r := range rules {
		ruleArgs := &ec2.SecurityGroupRuleArgs{
			Type:            pulumi.String(r.kind),
			SecurityGroupId: a.AppSecurityGroupId,
			Protocol:        pulumi.String("tcp"),
			FromPort:        pulumi.Int(r.port),
			ToPort:          pulumi.Int(r.port),
			Description:     pulumi.String(r.description),
		}
		if r.peerGroup != nil {
			ruleArgs.SourceSecurityGroupId = r.peerGroup
		}
		if len(r.cidrs) > 0 {
			ruleArgs.CidrBlocks = pulumi.ToStringArray(r.cidrs)
		}
		if len(r.prefixLists) > 0 {
			ruleArgs.PrefixListIds = r.prefixLists
		}
		if _, err := ec2.NewSecurityGroupRule(b.ctx, b.name+"-"+r.suffix, ruleArgs, b.parent); err != nil {
			return err
		}
	}
	return nil
}

// internetRules are the nodes' rules out of the VPC on 443 and 80. Open, they
// keep their "internet" names so that existing stacks see no change; an
// allow-list replaces them with rules to the listed networks, plus HTTPS to the
// S3 gateway endpoint, which the open rules covered.
func internetRules(e Egress, s3PrefixList pulumi.StringInput) []rule {
	if e.Open() {
		return []rule{
			{suffix: "out-https-internet", kind: "egress", port: 443, cidrs: []string{"0.0.0.0/0"},
				description: "HTTPS to the internet: Morpheus downloads and managed-cloud APIs"},
			{suffix: "out-http-internet", kind: "egress", port: 80, cidrs: []string{"0.0.0.0/0"},
				description: "HTTP to the internet: OS package mirrors"},
		}
	}
	lists := pulumi.ToStringArray(e.PrefixListIds)
	return []rule{
		{suffix: "out-https-allowed", kind: "egress", port: 443, cidrs: e.Cidrs, prefixLists: lists,
			description: "HTTPS to the allowed networks (app.egress): Morpheus downloads and managed-cloud APIs"},
		{suffix: "out-http-allowed", kind: "egress", port: 80, cidrs: e.Cidrs, prefixLists: lists,
			description: "HTTP to the allowed networks (app.egress): OS package mirrors"},
		{suffix: "out-https-s3", kind: "egress", port: 443, prefixLists: pulumi.StringArray{s3PrefixList},
			description: "HTTPS to S3 through the gateway endpoint: s3:// packages and SSM output"},
	}
}
