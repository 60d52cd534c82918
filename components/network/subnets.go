package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/cidrplan"
)

// subnets creates every planned subnet and returns them per tier in AZ order.
func (b *builder) subnets(plan []cidrplan.Subnet) (map[cidrplan.Tier][]*ec2.Subnet, error) {
	out := map[cidrplan.Tier][]*ec2.Subnet{}
	for _, s := range plan {
		az := b.args.AZNames[s.AZIndex]
		sn, err := ec2.NewSubnet(b.ctx, fmt.Sprintf("%s-%s-%s", b.name, s.Tier, az), &ec2.SubnetArgs{
			VpcId:            b.vpc.ID(),
			CidrBlock:        pulumi.String(s.CIDR.String()),
			AvailabilityZone: pulumi.String(az),
			// Even public subnets never hand out public IPs: only the ALB and NAT
			// gateways live there, and they get theirs explicitly (EC2.15).
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags: pulumi.StringMap{
				"Name": pulumi.Sprintf("%s-%s-%s", b.args.Namer.Prefix(), s.Tier, az),
				"Tier": pulumi.String(s.Tier.String()),
			},
		}, b.parent)
		if err != nil {
			return nil, err
		}
		out[s.Tier] = append(out[s.Tier], sn)
	}
	return out, nil
}

// routes wires the tiers: public to the internet gateway, each private-app subnet
// to a NAT gateway (its own AZ's where there is one per AZ), and private-data to
// nothing but the VPC itself. It returns the app route tables, one per AZ, and
// the NAT gateways' public addresses.
func (b *builder) routes(tiers map[cidrplan.Tier][]*ec2.Subnet) ([]*ec2.RouteTable, pulumi.StringArrayOutput, error) {
	igw, err := ec2.NewInternetGateway(b.ctx, b.name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: b.vpc.ID(),
		Tags:  b.nameTag("igw"),
	}, b.parent)
	if err != nil {
		return nil, pulumi.StringArrayOutput{}, err
	}
	publicRT, err := b.routeTable("public")
	if err != nil {
		return nil, pulumi.StringArrayOutput{}, err
	}
	if _, err := ec2.NewRoute(b.ctx, b.name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, b.parent); err != nil {
		return nil, pulumi.StringArrayOutput{}, err
	}
	if err := b.associate("public", publicRT, tiers[cidrplan.Public]); err != nil {
		return nil, pulumi.StringArrayOutput{}, err
	}

	nats := make([]*ec2.NatGateway, 0, b.args.NATGatewayCount)
	natIps := pulumi.StringArray{}
	for i := 0; i < b.args.NATGatewayCount; i++ {
		az := b.args.AZNames[i]
		eip, err := ec2.NewEip(b.ctx, fmt.Sprintf("%s-nat-%s-eip", b.name, az), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   b.nameTag("nat-" + az),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, pulumi.StringArrayOutput{}, err
		}
		nat, err := ec2.NewNatGateway(b.ctx, fmt.Sprintf("%s-nat-%s", b.name, az), &ec2.NatGatewayArgs{
			AllocationId:     eip.AllocationId,
			SubnetId:         tiers[cidrplan.Public][i].ID(),
			ConnectivityType: pulumi.String("public"),
			Tags:             b.nameTag("nat-" + az),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, pulumi.StringArrayOutput{}, err
		}
		nats = append(nats, nat)
		natIps = append(natIps, eip.PublicIp)
	}
	b.nats = nats

	appRTs := make([]*ec2.RouteTable, 0, len(b.args.AZNames))
	for i, az := range b.args.AZNames {
		rt, err := b.routeTable("app-" + az)
		if err != nil {
			return nil, pulumi.StringArrayOutput{}, err
		}
		if _, err := ec2.NewRoute(b.ctx, fmt.Sprintf("%s-app-%s-default", b.name, az), &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nats[i%len(nats)].ID(),
		}, b.parent); err != nil {
			return nil, pulumi.StringArrayOutput{}, err
		}
		if err := b.associate("app-"+az, rt, tiers[cidrplan.PrivateApp][i:i+1]); err != nil {
			return nil, pulumi.StringArrayOutput{}, err
		}
		appRTs = append(appRTs, rt)
	}

	// The data tier's table gets no route at all beyond the implicit local one:
	// databases, brokers and search nodes never talk to the internet.
	dataRT, err := b.routeTable("data")
	if err != nil {
		return nil, pulumi.StringArrayOutput{}, err
	}
	if err := b.associate("data", dataRT, tiers[cidrplan.PrivateData]); err != nil {
		return nil, pulumi.StringArrayOutput{}, err
	}
	return appRTs, natIps.ToStringArrayOutput(), nil
}

func (b *builder) routeTable(suffix string) (*ec2.RouteTable, error) {
	return ec2.NewRouteTable(b.ctx, b.name+"-"+suffix+"-rt", &ec2.RouteTableArgs{
		VpcId: b.vpc.ID(),
		Tags:  b.nameTag(suffix),
	}, b.parent)
}

func (b *builder) associate(suffix string, rt *ec2.RouteTable, subnets []*ec2.Subnet) error {
	for i, sn := range subnets {
		name := fmt.Sprintf("%s-%s-rta", b.name, suffix)
		if len(subnets) > 1 {
			name = fmt.Sprintf("%s-%s-%s-rta", b.name, suffix, b.args.AZNames[i])
		}
		if _, err := ec2.NewRouteTableAssociation(b.ctx, name, &ec2.RouteTableAssociationArgs{
			RouteTableId: rt.ID(),
			SubnetId:     sn.ID(),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) nameTag(suffix string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(b.args.Namer.Prefix() + "-" + suffix)}
}
