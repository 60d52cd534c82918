package opsfunction

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// egressRule is one destination the function calls.
type egressRule struct {
	suffix, description string
	port                pulumi.IntInput
	peer                pulumi.StringInput
}

// egress gives the ops group exactly the traffic the function needs, each rule
// to a security group, never a CIDR: the database on its port, the broker's and
// the domain's HTTPS APIs, and the VPC endpoints (Secrets Manager). Lambda
// itself ships the logs, so no CloudWatch Logs traffic leaves the group. It
// returns the rules, which the bootstrap must wait for.
func egress(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	https := pulumi.Int(443)
	rules := []egressRule{
		{"out-db", "Aurora MySQL: create and rotate the Morpheus database users", a.DBPort, a.DBSecurityGroupId},
		{"out-mq-https", "Amazon MQ management API (HTTPS): vhost, users and permissions", https, a.MQSecurityGroupId},
		{"out-search-https", "OpenSearch REST API (HTTPS): role, users and role mapping", https, a.SearchSecurityGroupId},
		{"out-endpoints-https", "HTTPS to VPC endpoints (Secrets Manager)", https, a.EndpointSecurityGroupId},
	}
	var out []pulumi.Resource
	for _, r := range rules {
		rule, err := ec2.NewSecurityGroupRule(ctx, fmt.Sprintf("%s-%s", name, r.suffix), &ec2.SecurityGroupRuleArgs{
			Type:                  pulumi.String("egress"),
			SecurityGroupId:       a.OpsSecurityGroupId,
			Protocol:              pulumi.String("tcp"),
			FromPort:              r.port,
			ToPort:                r.port,
			SourceSecurityGroupId: r.peer,
			Description:           pulumi.String(r.description),
		}, parent)
		if err != nil {
			return nil, err
		}
		out = append(out, rule)
	}
	return out, nil
}
