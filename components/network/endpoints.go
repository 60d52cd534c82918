package network

import (
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// InterfaceEndpointServices are the AWS APIs the nodes and the ops function reach
// privately: Session Manager (ssm, ssmmessages, ec2messages), secrets and keys at
// boot (secretsmanager, kms), the CloudWatch agent (logs, monitoring, and ec2
// for its tag lookups), a node's lifecycle hooks (autoscaling) and STS, so that
// a node boots and completes its hook even when its AZ's NAT gateway is down.
var InterfaceEndpointServices = []string{
	"ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "logs", "monitoring",
	"autoscaling", "ec2", "sts",
}

// AccountScopedEndpointServices get an endpoint policy that admits only this
// account's principals acting on this account's resources, so a stolen
// credential of another account cannot use the endpoint and nothing can be
// written through it to another account's secrets, keys or log groups. Every
// call the nodes and the ops function make to these services names a resource
// of this account.
//
// The others keep the default (full access) policy: Morpheus calls ec2, sts,
// monitoring and autoscaling with the credentials of the AWS clouds it manages,
// which live in other accounts, and ssm, ssmmessages and ec2messages carry
// Session Manager, whose agent channels document no endpoint policy support.
var AccountScopedEndpointServices = []string{"secretsmanager", "kms", "logs"}

// endpoints creates the endpoints' security group, one interface endpoint per
// service in every private-app subnet, and the S3 gateway endpoint on the app
// route tables. It returns the security group.
//
// The group has no rules of its own: it admits the app nodes' and the ops
// function's security groups, which are created after the network (they need
// its VPC), so the client groups component adds those two ingress rules. Rules
// by group rather than by subnet CIDR keep anything else that lands in the
// private-app subnets (an ENI of another service, a future workload) away
// from the endpoints.
func (b *builder) endpoints(appSubnets []*ec2.Subnet, appRTs []*ec2.RouteTable) (*ec2.SecurityGroup, error) {
	// No ingress or egress blocks: endpoint network interfaces only answer, never
	// call out, and the ingress rules are separate resources (an inline list
	// would delete them on every update). The description differs from the
	// CIDR-based group's, which replaces that group and so removes its CIDR rule.
	sg, err := ec2.NewSecurityGroup(b.ctx, b.name+"-endpoints-sg", &ec2.SecurityGroupArgs{
		VpcId:       b.vpc.ID(),
		Description: pulumi.String("VPC interface endpoints: HTTPS from the app and ops security groups only"),
		Tags:        b.nameTag("endpoints"),
	}, b.parent)
	if err != nil {
		return nil, err
	}

	subnetIDs := pulumi.StringArray{}
	for _, s := range appSubnets {
		subnetIDs = append(subnetIDs, s.ID())
	}
	for _, svc := range InterfaceEndpointServices {
		args := &ec2.VpcEndpointArgs{
			VpcId:             b.vpc.ID(),
			ServiceName:       pulumi.String(b.serviceName(svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         subnetIDs,
			SecurityGroupIds:  pulumi.StringArray{sg.ID()},
			Tags:              b.nameTag(svc),
		}
		if slices.Contains(AccountScopedEndpointServices, svc) {
			args.Policy = pulumi.String(EndpointPolicy(b.args.Env.AccountID).JSON())
		}
		if _, err := ec2.NewVpcEndpoint(b.ctx, b.name+"-"+svc+"-endpoint", args, b.parent); err != nil {
			return nil, err
		}
	}

	rtIDs := pulumi.StringArray{}
	for _, rt := range appRTs {
		rtIDs = append(rtIDs, rt.ID())
	}
	if _, err := ec2.NewVpcEndpoint(b.ctx, b.name+"-s3-endpoint", &ec2.VpcEndpointArgs{
		VpcId:           b.vpc.ID(),
		ServiceName:     pulumi.String(b.serviceName("s3")),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   rtIDs,
		Tags:            b.nameTag("s3"),
	}, b.parent); err != nil {
		return nil, err
	}
	return sg, nil
}

// EndpointPolicy admits any action by this account's principals on this
// account's resources. IAM still decides what each principal may do; the
// endpoint only refuses everyone else.
func EndpointPolicy(accountID string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("ThisAccountOnly", []string{"*"}, []string{"*"}).
			WithPrincipal("AWS", "*").
			When("StringEquals", "aws:PrincipalAccount", accountID).
			When("StringEquals", "aws:ResourceAccount", accountID),
	)
}

// serviceName is the endpoint service name, "com.amazonaws.<region>.<service>".
func (b *builder) serviceName(svc string) string {
	return "com.amazonaws." + b.args.Env.Region + "." + svc
}
