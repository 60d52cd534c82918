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
// and its nodes take HTTPS only from the load balancer's group.
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

// dependsOnTransitively reports whether r depends on target through any chain
// of dependencies, property dependencies or parents' subtrees.
func dependsOnTransitively(rec *testutil.Recorder, r *testutil.Resource, target func(*testutil.Resource) bool) []string {
	byURN := map[string]*testutil.Resource{}
	for _, x := range rec.Resources() {
		byURN[x.URN] = x
	}
	seen := map[string]bool{}
	var hits []string
	var walk func(*testutil.Resource)
	walk = func(x *testutil.Resource) {
		deps := append([]string{}, x.DependsOn...)
		for _, urns := range x.PropertyDependencies {
			deps = append(deps, urns...)
		}
		for _, u := range deps {
			if seen[u] {
				continue
			}
			seen[u] = true
			d := byURN[u]
			if d == nil {
				continue
			}
			if target(d) {
				hits = append(hits, d.Type+" "+d.Name)
			}
			walk(d)
		}
	}
	walk(r)
	return hits
}

// TestNodesLaunchWithoutWaitingForTheDataTier: the launch template and the
// group (its lifecycle hooks are inline) depend on no Aurora, Amazon MQ or
// OpenSearch resource and not on the bootstrap invocation: the nodes install
// while the data tier is created and wait at boot for the readiness signal,
// which the ops function writes after its bootstrap and after every service
// parameter.
func TestNodesLaunchWithoutWaitingForTheDataTier(t *testing.T) {
	rec := runEnv(t, "prod")
	slow := func(r *testutil.Resource) bool {
		switch r.Type {
		case "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", "aws:mq/broker:Broker",
			"aws:opensearch/domain:Domain", "aws:lambda/invocation:Invocation":
			return true
		}
		return false
	}
	for _, typ := range []string{"aws:ec2/launchTemplate:LaunchTemplate", "aws:autoscaling/group:Group"} {
		for _, r := range rec.ByType(typ) {
			assert.Empty(t, dependsOnTransitively(rec, r, slow), "%s %s waits for the data tier", r.Type, r.Name)
		}
	}
	asg := rec.ByType("aws:autoscaling/group:Group")[0]
	assert.Equal(t, "120m", asg.String("waitForCapacityTimeout"), "install 30 + data tier wait 60 + /ping 30 minutes")

	ready := rec.Find("aws:ssm/parameter:Parameter", "ops-ready")
	require.NotNil(t, ready)
	inv := rec.ByType("aws:lambda/invocation:Invocation")[0]
	assert.Contains(t, ready.PropertyDependencies["value"], inv.URN, "the signal follows the bootstrap")
	for _, p := range rec.ByType("aws:ssm/parameter:Parameter") {
		if p.Name != "ops-ready" {
			assert.Contains(t, ready.PropertyDependencies["value"], p.URN, "the signal follows parameter %s", p.Name)
		}
	}
	assert.Contains(t, userData(t, rec), "/morpheus-ha/prod/ready/bootstrap", "the nodes wait for that parameter")
}

// TestInstanceRefreshCircuitBreaker: a refresh (a new image, package or
// Morpheus version) stops and rolls back when an alarm it names fires, and each
// alarm it names exists in the plan, in the stack's region.
func TestInstanceRefreshCircuitBreaker(t *testing.T) {
	rec := runEnv(t, "prod")
	asg := rec.ByType("aws:autoscaling/group:Group")[0]
	assert.True(t, asg.Bool("instanceRefresh", "preferences", "autoRollback"))
	names := asg.Strings("instanceRefresh", "preferences", "alarmSpecification", "alarms")
	require.Len(t, names, 2)
	alarms := map[string]*testutil.Resource{}
	for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		alarms[a.String("name")] = a
	}
	for _, n := range names {
		a := alarms[n]
		require.NotNil(t, a, "the refresh names alarm %s, which the plan does not create", n)
		assert.False(t, strings.Contains(a.Provider, "aws-us-east-1"), "%s must be in the stack's region", n)
	}
	assert.ElementsMatch(t, []string{"morpheus-ha-prod-albElb5xx", "morpheus-ha-prod-albUnhealthyHosts"}, names)
}
