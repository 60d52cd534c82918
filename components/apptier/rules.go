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
	cidr                      string
}

// securityRules gives the nodes' group exactly the traffic Morpheus needs: HTTPS
// in from the load balancer only, and out to each data service, the VPC
// endpoints, and the internet on 443 and 80 (Morpheus downloads packages and
// images during reconfigure and talks to the APIs of the clouds it manages, which
// have no fixed addresses).
func (b *builder) securityRules() error {
	a := b.args
	rules := []rule{
		{suffix: "in-https-alb", kind: "ingress", port: 443, peerGroup: a.LoadBalancerSecurityGroupId,
			description: "HTTPS from the load balancer (Morpheus UI, API and agent websockets)"},
		{suffix: "out-https-endpoints", kind: "egress", port: 443, peerGroup: a.EndpointSecurityGroupId,
			description: "HTTPS to VPC endpoints (SSM, Secrets Manager, KMS, CloudWatch)"},
		{suffix: "out-https-internet", kind: "egress", port: 443, cidr: "0.0.0.0/0",
			description: "HTTPS to the internet: Morpheus downloads and managed-cloud APIs"},
		{suffix: "out-http-internet", kind: "egress", port: 80, cidr: "0.0.0.0/0",
			description: "HTTP to the internet: OS package mirrors"},
	}
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
		} else {
			ruleArgs.CidrBlocks = pulumi.StringArray{pulumi.String(r.cidr)}
		}
		if _, err := ec2.NewSecurityGroupRule(b.ctx, b.name+"-"+r.suffix, ruleArgs, b.parent); err != nil {
			return err
		}
	}
	return nil
}
