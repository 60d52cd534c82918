package stack_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// userData decodes the launch template's user data as cloud-init reads it.
func userData(t *testing.T, rec *testutil.Recorder) string {
	t.Helper()
	lts := rec.ByType("aws:ec2/launchTemplate:LaunchTemplate")
	require.Len(t, lts, 1)
	raw, err := base64.StdEncoding.DecodeString(lts[0].String("userData"))
	require.NoError(t, err)
	if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
		raw, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	return string(raw)
}

// TestProdNodesSpreadAndGate: the group spans every AZ's private-app subnet,
// waits for the ops function's bootstrap, and its nodes take HTTPS only from the
// load balancer's group.
func TestProdNodesSpreadAndGate(t *testing.T) {
	rec := runEnv(t, "prod")
	asgs := rec.ByType("aws:autoscaling/group:Group")
	require.Len(t, asgs, 1)
	asg := asgs[0]
	zones := map[string]bool{}
	for _, id := range asg.Strings("vpcZoneIdentifiers") {
		require.Contains(t, id, "network-app-", "nodes only in private-app subnets")
		zones[strings.TrimSuffix(strings.TrimPrefix(id, "network-app-"), "-id")] = true
	}
	assert.Len(t, zones, 3, "prod nodes span 3 AZs")
	assert.GreaterOrEqual(t, asg.Number("minSize"), float64(3))

	inv := rec.ByType("aws:lambda/invocation:Invocation")
	require.Len(t, inv, 1)
	assert.Contains(t, asg.PropertyDependencies["vpcZoneIdentifiers"], inv[0].URN,
		"the group must wait for the bootstrap that creates Morpheus' users")

	albGroup := rec.Find("aws:ec2/securityGroup:SecurityGroup", "edge-sg")
	require.NotNil(t, albGroup)
	ingress := 0
	for _, r := range rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule") {
		if strings.HasPrefix(r.Name, "app-") && r.String("type") == "ingress" {
			ingress++
			assert.Equal(t, albGroup.Name+"-id", r.String("sourceSecurityGroupId"))
			assert.EqualValues(t, 443, r.Number("fromPort"))
		}
	}
	assert.Equal(t, 1, ingress, "one ingress rule: HTTPS from the load balancer")
}

// TestNodesWaitForLogGroupsAndGrants: the nodes ship logs from their first
// minute and read secrets at boot, so the launch template waits for every grant
// of the node role, and the role's policy names the app tier's log groups,
// which are exactly the groups the user data's agent ships to.
func TestNodesWaitForLogGroupsAndGrants(t *testing.T) {
	rec := runEnv(t, "prod")
	lt := rec.ByType("aws:ec2/launchTemplate:LaunchTemplate")[0]
	grants := append(rec.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), rec.Find("aws:iam/rolePolicy:RolePolicy", "app-role-policy"))
	for _, g := range grants {
		require.NotNil(t, g)
		if g.Parent == lt.Parent {
			assert.Contains(t, lt.DependsOn, g.URN, "launch template does not wait for %s", g.Name)
		}
	}
	policy := rec.Find("aws:iam/rolePolicy:RolePolicy", "app-role-policy")
	created := map[string]bool{}
	for _, g := range rec.ByType("aws:cloudwatch/logGroup:LogGroup") {
		if strings.HasPrefix(g.Name, "app-log-") {
			created[g.String("name")] = true
			assert.Contains(t, policy.PropertyDependencies["policy"], g.URN, "node policy does not wait for %s", g.Name)
		}
	}
	assert.Len(t, created, 3, "the morpheus-ui, nginx and cloud-init groups")
	ud := userData(t, rec)
	for _, g := range []string{"/morpheus-ha/prod/morpheus-ui", "/morpheus-ha/prod/nginx", "/morpheus-ha/prod/cloud-init"} {
		assert.True(t, created[g], "the app tier creates %s", g)
		assert.Contains(t, ud, g, "the agent ships to %s", g)
	}
}

// TestUserDataHoldsNoSecretAndIsStable: the user data of the whole prod stack
// contains none of the generated passwords and is byte-identical across runs,
// so a no-op `pulumi up` never rolls the fleet.
func TestUserDataHoldsNoSecretAndIsStable(t *testing.T) {
	first := runEnv(t, "prod")
	ud := userData(t, first)
	require.Contains(t, ud, "#cloud-config")
	for name, value := range first.GeneratedSecrets() {
		assert.NotContains(t, ud, value, "user data carries %s", name)
	}
	second := runEnv(t, "prod")
	assert.Equal(t, first.ByType("aws:ec2/launchTemplate:LaunchTemplate")[0].String("userData"),
		second.ByType("aws:ec2/launchTemplate:LaunchTemplate")[0].String("userData"))
}
