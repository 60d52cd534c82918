package network_test

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	vpcType     = "aws:ec2/vpc:Vpc"
	subnetType  = "aws:ec2/subnet:Subnet"
	routeType   = "aws:ec2/route:Route"
	rtaType     = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	natType     = "aws:ec2/natGateway:NatGateway"
	sgType      = "aws:ec2/securityGroup:SecurityGroup"
	epType      = "aws:ec2/vpcEndpoint:VpcEndpoint"
	logType     = "aws:cloudwatch/logGroup:LogGroup"
	flowLogType = "aws:ec2/flowLog:FlowLog"
)

var env = testutil.Env()

func args(azs []string, nats int) *network.Args {
	return &network.Args{
		Namer:                naming.Namer{Project: "morpheus-ha", Stack: "test"},
		Env:                  env,
		CIDR:                 "10.40.0.0/16",
		SubnetPrefixLength:   20,
		AZNames:              azs,
		NATGatewayCount:      nats,
		FlowLogRetentionDays: 90,
		LogsKeyArn:           pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/logs"),
	}
}

func run(t *testing.T, a *network.Args) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, func(ctx *pulumi.Context) error {
		_, err := network.NewNetwork(ctx, "network", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

var threeAZs = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}

func TestSubnetPlan(t *testing.T) {
	for _, tc := range []struct {
		name string
		azs  []string
		nats int
	}{
		{"prod-like", threeAZs, 3},
		{"dev-like", threeAZs[:2], 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := run(t, args(tc.azs, tc.nats))
			vpc := netip.MustParsePrefix(rec.ByType(vpcType)[0].String("cidrBlock"))
			subnets := rec.ByType(subnetType)
			require.Len(t, subnets, 3*len(tc.azs))

			var cidrs []netip.Prefix
			azsByTier := map[string]map[string]bool{}
			for _, s := range subnets {
				p := netip.MustParsePrefix(s.String("cidrBlock"))
				assert.True(t, vpc.Contains(p.Addr()) && p.Bits() >= vpc.Bits(), "%s lies outside the VPC", p)
				for _, other := range cidrs {
					assert.False(t, p.Overlaps(other), "%s overlaps %s", p, other)
				}
				cidrs = append(cidrs, p)
				assert.False(t, s.Bool("mapPublicIpOnLaunch"), "%s maps public IPs", s.Name)
				_, set := s.Prop("mapPublicIpOnLaunch")
				assert.True(t, set, "%s must set mapPublicIpOnLaunch explicitly", s.Name)
				tier := s.String("tags", "Tier")
				if azsByTier[tier] == nil {
					azsByTier[tier] = map[string]bool{}
				}
				azsByTier[tier][s.String("availabilityZone")] = true
			}
			for _, tier := range []string{"public", "app", "data"} {
				assert.Len(t, azsByTier[tier], len(tc.azs), "tier %s must span every AZ", tier)
			}
			assert.Len(t, rec.ByType(natType), tc.nats)
		})
	}
}

// TestDataTierHasNoInternetRoute proves the private-data route table carries no
// route at all (so no internet or NAT gateway), while app tables go through NAT.
func TestDataTierHasNoInternetRoute(t *testing.T) {
	rec := run(t, args(threeAZs, 3))
	routesByTable := map[string][]*testutil.Resource{}
	for _, r := range rec.ByType(routeType) {
		routesByTable[r.String("routeTableId")] = append(routesByTable[r.String("routeTableId")], r)
	}
	dataTables := map[string]bool{}
	for _, a := range rec.ByType(rtaType) {
		if strings.Contains(a.String("subnetId"), "-data-") {
			dataTables[a.String("routeTableId")] = true
		}
	}
	require.NotEmpty(t, dataTables)
	for rt := range dataTables {
		assert.Empty(t, routesByTable[rt], "data route table %s has routes", rt)
		for _, r := range rec.ByType(epType) {
			assert.NotContains(t, r.Strings("routeTableIds"), rt, "gateway endpoint %s routes from the data tier", r.Name)
		}
	}
	appRoutes := 0
	for _, r := range rec.ByType(routeType) {
		if strings.Contains(r.String("routeTableId"), "-app-") {
			appRoutes++
			assert.NotEmpty(t, r.String("natGatewayId"), "app route %s must use NAT", r.Name)
			assert.Empty(t, r.String("gatewayId"), "app route %s must not use the internet gateway", r.Name)
		}
	}
	assert.Equal(t, 3, appRoutes)
}

// TestNATPerAZ checks each app subnet's AZ keeps its own egress when NAT is per AZ.
func TestNATPerAZ(t *testing.T) {
	rec := run(t, args(threeAZs, 3))
	for _, az := range threeAZs {
		route := rec.Find(routeType, "network-app-"+az+"-default")
		require.NotNil(t, route)
		assert.Equal(t, "network-nat-"+az+"-id", route.String("natGatewayId"))
	}
	for i, nat := range rec.ByType(natType) {
		assert.Equal(t, "network-public-"+threeAZs[i]+"-id", nat.String("subnetId"))
	}
}

// TestNatGatewayIdsOutput: the component exposes every NAT gateway, in AZ
// order, so monitoring can alarm on each one.
func TestNatGatewayIdsOutput(t *testing.T) {
	for _, tc := range []struct {
		nats int
		want []string
	}{
		{1, []string{"network-nat-eu-west-1a-id"}},
		{3, []string{"network-nat-eu-west-1a-id", "network-nat-eu-west-1b-id", "network-nat-eu-west-1c-id"}},
	} {
		var got []string
		testutil.MustRun(t, func(ctx *pulumi.Context) error {
			n, err := network.NewNetwork(ctx, "network", args(threeAZs, tc.nats))
			if err != nil {
				return err
			}
			n.NatGatewayIds.ApplyT(func(ids []string) []string { got = ids; return ids })
			return nil
		}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
		assert.Equal(t, tc.want, got, "%d NAT gateways", tc.nats)
	}
}

func TestEndpoints(t *testing.T) {
	rec := run(t, args(threeAZs, 3))
	services := map[string]*testutil.Resource{}
	for _, ep := range rec.ByType(epType) {
		services[ep.String("serviceName")] = ep
	}
	scoped := map[string]bool{"secretsmanager": true, "kms": true, "logs": true}
	for _, svc := range []string{"ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "logs", "monitoring", "autoscaling", "ec2", "sts"} {
		ep := services["com.amazonaws.eu-west-1."+svc]
		require.NotNil(t, ep, "missing %s endpoint", svc)
		assert.Equal(t, "Interface", ep.String("vpcEndpointType"))
		assert.True(t, ep.Bool("privateDnsEnabled"), svc)
		assert.Equal(t, []string{"network-endpoints-sg-id"}, ep.Strings("securityGroupIds"))
		assert.Len(t, ep.Strings("subnetIds"), 3)
		for _, sn := range ep.Strings("subnetIds") {
			assert.Contains(t, sn, "-app-", "%s endpoint outside the app tier", svc)
		}
		if !scoped[svc] {
			assert.Empty(t, ep.String("policy"), "%s keeps the default policy", svc)
			continue
		}
		var doc iampolicy.Document
		require.NoError(t, json.Unmarshal([]byte(ep.String("policy")), &doc), svc)
		require.Len(t, doc.Statement, 1, svc)
		st := doc.Statement[0]
		assert.Equal(t, "Allow", st.Effect, svc)
		assert.Equal(t, map[string]any{
			"aws:PrincipalAccount": testutil.AccountID,
			"aws:ResourceAccount":  testutil.AccountID,
		}, st.Condition["StringEquals"], "%s admits only this account's principals and resources", svc)
	}
	s3 := services["com.amazonaws.eu-west-1.s3"]
	require.NotNil(t, s3)
	assert.Equal(t, "Gateway", s3.String("vpcEndpointType"))

	// The group admits nobody by itself: the client groups add rules naming
	// the app and ops groups, never a subnet CIDR.
	sg := rec.Find(sgType, "network-endpoints-sg")
	require.NotNil(t, sg)
	assert.Empty(t, sg.Objects("ingress"))
	assert.Empty(t, sg.Objects("egress"))
	assert.NotContains(t, sg.String("description"), "subnets")
}

// TestNatPublicIps: the network exposes one address per NAT gateway, each the
// gateway's own Elastic IP (the ALB admits them during the setup window).
func TestNatPublicIps(t *testing.T) {
	for _, nats := range []int{1, 3} {
		var got []string
		rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
			n, err := network.NewNetwork(ctx, "network", args(threeAZs, nats))
			if err != nil {
				return err
			}
			n.NatPublicIps.ApplyT(func(ips []string) error { got = ips; return nil })
			return nil
		}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
		eips := rec.ByType("aws:ec2/eip:Eip")
		require.Len(t, eips, nats)
		require.Len(t, got, nats)
		for i, eip := range eips {
			assert.Equal(t, "network-nat-"+threeAZs[i]+"-eip", eip.Name)
			assert.NotEmpty(t, got[i])
		}
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(got))), nats, "addresses differ")
	}
}

// TestFlowLogGroupProtection: the flow-log group is audit evidence, protected
// and retained exactly as the args say.
func TestFlowLogGroupProtection(t *testing.T) {
	for _, tc := range []struct{ protect, retain bool }{{true, true}, {false, true}, {false, false}} {
		a := args(threeAZs, 3)
		a.Protect, a.RetainAuditLogs = tc.protect, tc.retain
		lg := run(t, a).Find(logType, "network-flow-logs")
		require.NotNil(t, lg)
		assert.Equal(t, tc.protect, lg.Protect)
		assert.Equal(t, tc.retain, lg.Retain)
	}
}

func TestFlowLogsAndDefaultGroup(t *testing.T) {
	rec := run(t, args(threeAZs, 3))
	fl := rec.ByType(flowLogType)
	require.Len(t, fl, 1)
	assert.Equal(t, "ALL", fl[0].String("trafficType"))
	assert.Equal(t, "cloud-watch-logs", fl[0].String("logDestinationType"))
	assert.Equal(t, "network-vpc-id", fl[0].String("vpcId"))

	lg := rec.Find(logType, "network-flow-logs")
	require.NotNil(t, lg)
	assert.EqualValues(t, 90, lg.Number("retentionInDays"))
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/logs", lg.String("kmsKeyId"))
	assert.Equal(t, fl[0].String("logDestination"), "arn:aws:logs:eu-west-1:123456789012:log-group:"+lg.String("name"))

	def := rec.ByType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
	require.Len(t, def, 1)
	assert.Empty(t, def[0].Objects("ingress"))
	assert.Empty(t, def[0].Objects("egress"))
}

func TestEveryChildIsParented(t *testing.T) {
	rec := run(t, args(threeAZs, 3))
	testutil.AssertChildrenOf(t, rec, network.TypeToken, "network")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		mut  func(*network.Args)
		want string
	}{
		{"one AZ", func(a *network.Args) { a.AZNames = threeAZs[:1]; a.NATGatewayCount = 1 }, "need 2 or 3"},
		{"duplicate AZ", func(a *network.Args) { a.AZNames = []string{"eu-west-1a", "eu-west-1a"}; a.NATGatewayCount = 1 }, "distinct"},
		{"NAT count", func(a *network.Args) { a.NATGatewayCount = 2 }, "NATGatewayCount"},
		{"subnet too big", func(a *network.Args) { a.SubnetPrefixLength = 17 }, "leaves room"},
		{"no logs key", func(a *network.Args) { a.LogsKeyArn = nil }, "LogsKeyArn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args(threeAZs, 3)
			tc.mut(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}}, func(ctx *pulumi.Context) error {
				_, err := network.NewNetwork(ctx, "network", a)
				return err
			}, tc.want)
		})
	}
}
