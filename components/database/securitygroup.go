package database

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// securityGroup admits the database port from the client groups only; no
// egress rules, since the database never opens connections.
func (b *builder) securityGroup() (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(b.ctx, b.name+"-sg", &ec2.SecurityGroupArgs{
		Name:        pulumi.String(b.args.Namer.Name(naming.SecurityGroup, "aurora")),
		VpcId:       b.args.VpcId,
		Description: pulumi.String("Aurora MySQL: database port from the Morpheus app nodes and ops function only"),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Description:    pulumi.Sprintf("MySQL (TLS) on %d from client security groups", b.args.Port),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(b.args.Port),
			ToPort:         pulumi.Int(b.args.Port),
			SecurityGroups: b.args.ClientSecurityGroupIds,
		}},
		Tags: pulumi.StringMap{"Name": pulumi.String(b.args.Namer.Prefix() + "-aurora")},
	}, b.parent)
}
