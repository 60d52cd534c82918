package clientgroups_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/clientgroups"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func runGroups(t *testing.T) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, func(ctx *pulumi.Context) error {
		_, err := clientgroups.NewClientGroups(ctx, "clients", &clientgroups.Args{
			Namer:                   naming.Namer{Project: "morpheus-ha", Stack: "test"},
			VpcId:                   pulumi.String("vpc-1"),
			EndpointSecurityGroupId: pulumi.String("sg-endpoints"),
		})
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

// TestGroupsStartWithoutRules: the owners of the app and ops groups add every
// rule themselves, each described; here the groups carry none.
func TestGroupsStartWithoutRules(t *testing.T) {
	rec := runGroups(t)
	groups := rec.ByType("aws:ec2/securityGroup:SecurityGroup")
	require.Len(t, groups, 2)
	for _, g := range groups {
		assert.Equal(t, "vpc-1", g.String("vpcId"))
		assert.NotEmpty(t, g.String("description"))
		assert.Empty(t, g.Objects("ingress"), g.Name)
		assert.Empty(t, g.Objects("egress"), g.Name)
	}
}

// TestEndpointsAdmitExactlyTheClientGroups: the VPC endpoints' group admits the
// app and ops groups on 443, by reference, and nothing else.
func TestEndpointsAdmitExactlyTheClientGroups(t *testing.T) {
	rec := runGroups(t)
	var sources []string
	for _, r := range rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule") {
		assert.Equal(t, "ingress", r.String("type"), r.Name)
		assert.Equal(t, "sg-endpoints", r.String("securityGroupId"), r.Name)
		assert.Equal(t, "tcp", r.String("protocol"), r.Name)
		assert.EqualValues(t, 443, r.Number("fromPort"), r.Name)
		assert.EqualValues(t, 443, r.Number("toPort"), r.Name)
		assert.Empty(t, r.Strings("cidrBlocks"), r.Name)
		assert.NotEmpty(t, r.String("description"), r.Name)
		sources = append(sources, r.String("sourceSecurityGroupId"))
	}
	assert.ElementsMatch(t, []string{"clients-app-id", "clients-ops-id"}, sources)
}

func TestRequiredArgs(t *testing.T) {
	for name, a := range map[string]*clientgroups.Args{
		"no VPC":            {Namer: naming.Namer{Project: "p", Stack: "s"}, EndpointSecurityGroupId: pulumi.String("sg-e")},
		"no endpoint group": {Namer: naming.Namer{Project: "p", Stack: "s"}, VpcId: pulumi.String("vpc-1")},
	} {
		rec, err := testutil.Run(func(ctx *pulumi.Context) error {
			_, err := clientgroups.NewClientGroups(ctx, "clients", a)
			return err
		}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
		require.Error(t, err, name)
		assert.Empty(t, rec.Resources(), name)
	}
}
