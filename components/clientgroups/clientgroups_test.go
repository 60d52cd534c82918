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

// TestGroupsStartWithoutRules: the owners of the app and ops groups add every
// rule themselves, each described; here the groups carry none.
func TestGroupsStartWithoutRules(t *testing.T) {
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		_, err := clientgroups.NewClientGroups(ctx, "clients", &clientgroups.Args{
			Namer: naming.Namer{Project: "morpheus-ha", Stack: "test"},
			VpcId: pulumi.String("vpc-1"),
		})
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	groups := rec.ByType("aws:ec2/securityGroup:SecurityGroup")
	require.Len(t, groups, 2)
	for _, g := range groups {
		assert.Equal(t, "vpc-1", g.String("vpcId"))
		assert.NotEmpty(t, g.String("description"))
		assert.Empty(t, g.Objects("ingress"), g.Name)
		assert.Empty(t, g.Objects("egress"), g.Name)
	}
}

func TestRequiresVpc(t *testing.T) {
	rec, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := clientgroups.NewClientGroups(ctx, "clients", &clientgroups.Args{Namer: naming.Namer{Project: "p", Stack: "s"}})
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.Error(t, err)
	assert.Empty(t, rec.Resources())
}
