// Package network creates the VPC: public, private-app and private-data subnets in
// every configured AZ, NAT egress for the app tier only, VPC endpoints so nodes
// reach AWS APIs privately, and flow logs.
package network

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/cidrplan"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:network:Network"

// Args configures the network.
type Args struct {
	// Namer names the flow-log group and role.
	Namer naming.Namer
	// Env is the account and region (endpoint service names, policy ARNs).
	Env awsenv.Env
	// CIDR is the VPC block.
	CIDR string
	// SubnetPrefixLength is the length of every subnet.
	SubnetPrefixLength int
	// AZNames are the AZs to span, in slot order (2 or 3, distinct).
	AZNames []string
	// NATGatewayCount is 1 or len(AZNames).
	NATGatewayCount int
	// FlowLogRetentionDays is the flow-log group's retention.
	FlowLogRetentionDays int
	// LogsKeyArn encrypts the flow-log group.
	LogsKeyArn pulumi.StringInput
	// Protect guards the flow-log group against deletion by Pulumi (prod): the
	// flow logs are audit evidence.
	Protect bool
	// RetainAuditLogs keeps the flow-log group in AWS when Pulumi deletes it
	// (prod, whatever allowDestroy says): a deliberate teardown keeps the
	// evidence until its retention ends.
	RetainAuditLogs bool
}

// Network is the component.
type Network struct {
	pulumi.ResourceState

	// VpcId is the VPC's id.
	VpcId pulumi.StringOutput `pulumi:"vpcId"`
	// VpcCidr is the VPC's CIDR block.
	VpcCidr pulumi.StringOutput `pulumi:"vpcCidr"`
	// PublicSubnetIds hold the load balancer and NAT gateways, one per AZ.
	PublicSubnetIds pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	// AppSubnetIds hold app nodes, functions and endpoints, one per AZ.
	AppSubnetIds pulumi.StringArrayOutput `pulumi:"appSubnetIds"`
	// DataSubnetIds hold the data services, one per AZ; no internet route.
	DataSubnetIds pulumi.StringArrayOutput `pulumi:"dataSubnetIds"`
	// AppSubnetCidrs are the private-app CIDRs, in AZ order.
	AppSubnetCidrs pulumi.StringArrayOutput `pulumi:"appSubnetCidrs"`
	// AzNames are the AZs the VPC spans, in subnet order.
	AzNames pulumi.StringArrayOutput `pulumi:"azNames"`
	// EndpointSecurityGroupId guards the interface endpoints. It has no rules:
	// the client groups admit themselves (see clientgroups).
	EndpointSecurityGroupId pulumi.StringOutput `pulumi:"endpointSecurityGroupId"`
	// NatPublicIps are the NAT gateways' Elastic IPs, in AZ order: the source
	// address of everything the private-app subnets send to the internet,
	// including the ops function's calls to an internet-facing ALB.
	NatPublicIps pulumi.StringArrayOutput `pulumi:"natPublicIps"`
	// FlowLogGroupName is the log group the flow logs land in.
	FlowLogGroupName pulumi.StringOutput `pulumi:"flowLogGroupName"`
	// NatGatewayIds are the NAT gateways, in AZ order (NATGatewayCount of
	// them): the app tier's only way out, which monitoring alarms on.
	NatGatewayIds pulumi.StringArrayOutput `pulumi:"natGatewayIds"`
}

func (a *Args) plan() ([]cidrplan.Subnet, error) {
	var errs []error
	vpc, err := netip.ParsePrefix(a.CIDR)
	if err != nil {
		return nil, fmt.Errorf("network: CIDR %q: %w", a.CIDR, err)
	}
	subnets, err := cidrplan.Plan(vpc, a.SubnetPrefixLength, len(a.AZNames))
	if err != nil {
		errs = append(errs, fmt.Errorf("network: %w", err))
	}
	if n := len(a.AZNames); n < 2 || n > 3 {
		errs = append(errs, fmt.Errorf("network: %d AZs given, need 2 or 3", n))
	}
	seen := map[string]bool{}
	for _, az := range a.AZNames {
		if seen[az] || az == "" {
			errs = append(errs, fmt.Errorf("network: AZ names must be distinct and non-empty, got %v", a.AZNames))
			break
		}
		seen[az] = true
	}
	if a.NATGatewayCount != 1 && a.NATGatewayCount != len(a.AZNames) {
		errs = append(errs, fmt.Errorf("network: NATGatewayCount %d must be 1 or one per AZ (%d)", a.NATGatewayCount, len(a.AZNames)))
	}
	if a.FlowLogRetentionDays <= 0 {
		errs = append(errs, fmt.Errorf("network: FlowLogRetentionDays %d must be positive", a.FlowLogRetentionDays))
	}
	if a.LogsKeyArn == nil {
		errs = append(errs, errors.New("network: LogsKeyArn is required (flow logs are encrypted)"))
	}
	if a.Namer.Project == "" || a.Env.Region == "" {
		errs = append(errs, errors.New("network: Namer and Env are required"))
	}
	return subnets, errors.Join(errs...)
}

// NewNetwork creates the VPC and everything in it.
func NewNetwork(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, errors.New("network: args are required")
	}
	plan, err := args.plan()
	if err != nil {
		return nil, err
	}
	c := &Network{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}

	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock: pulumi.String(args.CIDR),
		// Both DNS settings are required for private DNS on interface endpoints and
		// for Morpheus, whose nodes must resolve their own host names.
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               pulumi.StringMap{"Name": pulumi.String(args.Namer.Prefix())},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	b.vpc = vpc

	// Adopting the default security group with no rules leaves nothing that a
	// resource launched without an explicit group could use (EC2.2).
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  pulumi.StringMap{"Name": pulumi.String(args.Namer.Prefix() + "-default-unused")},
	}, b.parent); err != nil {
		return nil, err
	}

	tiers, err := b.subnets(plan)
	if err != nil {
		return nil, err
	}
	appRouteTables, natIps, err := b.routes(tiers)
	if err != nil {
		return nil, err
	}
	endpointSG, err := b.endpoints(tiers[cidrplan.PrivateApp], appRouteTables)
	if err != nil {
		return nil, err
	}
	flowLogGroup, err := b.flowLogs()
	if err != nil {
		return nil, err
	}

	var appCidrs []string
	for _, p := range cidrplan.ByTier(plan, cidrplan.PrivateApp) {
		appCidrs = append(appCidrs, p.String())
	}
	// Plain values are tied to the VPC so they resolve, and are awaited, with it.
	withVpc := func(v []string) pulumi.StringArrayOutput {
		return vpc.ID().ApplyT(func(pulumi.ID) []string { return v }).(pulumi.StringArrayOutput)
	}
	c.VpcId = vpc.ID().ToStringOutput()
	c.VpcCidr = vpc.CidrBlock
	c.PublicSubnetIds = ids(tiers[cidrplan.Public])
	c.AppSubnetIds = ids(tiers[cidrplan.PrivateApp])
	c.DataSubnetIds = ids(tiers[cidrplan.PrivateData])
	c.AppSubnetCidrs = withVpc(appCidrs)
	c.AzNames = withVpc(args.AZNames)
	c.EndpointSecurityGroupId = endpointSG.ID().ToStringOutput()
	c.NatPublicIps = natIps
	c.FlowLogGroupName = flowLogGroup
	natIds := pulumi.StringArray{}
	for _, n := range b.nats {
		natIds = append(natIds, n.ID().ToStringOutput())
	}
	c.NatGatewayIds = natIds.ToStringArrayOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vpcId":                   c.VpcId,
		"vpcCidr":                 c.VpcCidr,
		"publicSubnetIds":         c.PublicSubnetIds,
		"appSubnetIds":            c.AppSubnetIds,
		"dataSubnetIds":           c.DataSubnetIds,
		"appSubnetCidrs":          c.AppSubnetCidrs,
		"azNames":                 c.AzNames,
		"endpointSecurityGroupId": c.EndpointSecurityGroupId,
		"natPublicIps":            c.NatPublicIps,
		"flowLogGroupName":        c.FlowLogGroupName,
		"natGatewayIds":           c.NatGatewayIds,
	})
}

// builder carries what every part of the network needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
	vpc    *ec2.Vpc
	nats   []*ec2.NatGateway
}

func ids(subnets []*ec2.Subnet) pulumi.StringArrayOutput {
	out := pulumi.StringArray{}
	for _, s := range subnets {
		out = append(out, s.ID().ToStringOutput())
	}
	return out.ToStringArrayOutput()
}
