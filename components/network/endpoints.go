package network

import (
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// InterfaceEndpointServices are the AWS APIs the nodes and the ops function reach
// privately: Session Manager (ssm, ssmmessages, ec2messages), secrets and keys at
// boot (secretsmanager, kms) and the CloudWatch agent (logs, monitoring).
var InterfaceEndpointServices = []string{"ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "logs", "monitoring"}

// endpoints creates the endpoints' security group, one interface endpoint per
// service in every private-app subnet, and the S3 gateway endpoint on the app
// route tables. It returns the security group.
func (b *builder) endpoints(appCidrs []netip.Prefix, appSubnets []*ec2.Subnet, appRTs []*ec2.RouteTable) (*ec2.SecurityGroup, error) {
	cidrs := pulumi.StringArray{}
	for _, p := range appCidrs {
		cidrs = append(cidrs, pulumi.String(p.String()))
	}
	// No egress rules: endpoint network interfaces only answer, never call out.
	sg, err := ec2.NewSecurityGroup(b.ctx, b.name+"-endpoints-sg", &ec2.SecurityGroupArgs{
		VpcId:       b.vpc.ID(),
		Description: pulumi.String("VPC interface endpoints: HTTPS from the private-app subnets only"),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTPS from private-app subnets (nodes, ops function)"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  cidrs,
		}},
		Tags: b.nameTag("endpoints"),
	}, b.parent)
	if err != nil {
		return nil, err
	}

	subnetIDs := pulumi.StringArray{}
	for _, s := range appSubnets {
		subnetIDs = append(subnetIDs, s.ID())
	}
	for _, svc := range InterfaceEndpointServices {
		if _, err := ec2.NewVpcEndpoint(b.ctx, b.name+"-"+svc+"-endpoint", &ec2.VpcEndpointArgs{
			VpcId:             b.vpc.ID(),
			ServiceName:       pulumi.String(b.serviceName(svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         subnetIDs,
			SecurityGroupIds:  pulumi.StringArray{sg.ID()},
			Tags:              b.nameTag(svc),
		}, b.parent); err != nil {
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

// serviceName is the endpoint service name, "com.amazonaws.<region>.<service>".
func (b *builder) serviceName(svc string) string {
	return "com.amazonaws." + b.args.Env.Region + "." + svc
}
