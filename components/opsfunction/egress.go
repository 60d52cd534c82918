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
	// peer is a security group, or nil when prefixList names the destination.
	peer       pulumi.StringInput
	prefixList pulumi.StringInput
}

// egress gives the ops group exactly the traffic the function needs, each rule
// to a security group or the S3 prefix list, never a CIDR: the database on its
// port, the broker's and the domain's HTTPS APIs, the VPC endpoints (Secrets
// Manager) and, with a snapshot bucket, S3 through its gateway endpoint. Lambda
// itself ships the logs, so no CloudWatch Logs traffic leaves the group. It
// returns the rules the bootstrap must wait for and, apart, the S3 rule (nil
// without a bucket), which only the scheduled export needs: the bootstrap,
// and so the nodes' first boot, does not wait for the S3 endpoint.
func egress(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOption) ([]pulumi.Resource, pulumi.Resource, error) {
	https := pulumi.Int(443)
	rules := []egressRule{
		{"out-db", "Aurora MySQL: create and rotate the Morpheus database users", a.DBPort, a.DBSecurityGroupId, nil},
		{"out-mq-https", "Amazon MQ management API (HTTPS): vhost, users and permissions", https, a.MQSecurityGroupId, nil},
		{"out-search-https", "OpenSearch REST API (HTTPS): role, users and role mapping", https, a.SearchSecurityGroupId, nil},
		{"out-endpoints-https", "HTTPS to VPC endpoints (Secrets Manager)", https, a.EndpointSecurityGroupId, nil},
	}
	if a.Snapshots != nil {
		// S3 has no security group: the gateway endpoint's prefix list is
		// the narrowest destination that still reaches the bucket.
		rules = append(rules, egressRule{"out-s3-https", "S3 through the gateway endpoint (HTTPS): RabbitMQ definitions exports", https, nil, a.Snapshots.S3PrefixListId})
	}
	var out []pulumi.Resource
	var s3Rule pulumi.Resource
	for _, r := range rules {
		args := &ec2.SecurityGroupRuleArgs{
			Type:                  pulumi.String("egress"),
			SecurityGroupId:       a.OpsSecurityGroupId,
			Protocol:              pulumi.String("tcp"),
			FromPort:              r.port,
			ToPort:                r.port,
			SourceSecurityGroupId: r.peer,
			Description:           pulumi.String(r.description),
		}
		if r.prefixList != nil {
			args.PrefixListIds = pulumi.StringArray{r.prefixList}
		}
		rule, err := ec2.NewSecurityGroupRule(ctx, fmt.Sprintf("%s-%s", name, r.suffix), args, parent)
		if err != nil {
			return nil, nil, err
		}
		if r.prefixList != nil {
			s3Rule = rule
			continue
		}
		out = append(out, rule)
	}
	return out, s3Rule, nil
}
