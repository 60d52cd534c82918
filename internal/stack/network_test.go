package stack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	sgType     = "aws:ec2/securityGroup:SecurityGroup"
	sgRuleType = "aws:ec2/securityGroupRule:SecurityGroupRule"
)

// TestEndpointsAdmitTheClientGroupsOnly: in the prod plan the VPC endpoints'
// group admits the app and ops groups on 443 and nothing else (no subnet
// CIDR), the lifecycle hooks' APIs have endpoints, and the endpoints that hold
// this stack's secrets, keys and logs are limited to this account.
func TestEndpointsAdmitTheClientGroupsOnly(t *testing.T) {
	rec := runEnv(t, "prod")
	sg := rec.Find(sgType, "network-endpoints-sg")
	require.NotNil(t, sg)
	assert.Empty(t, sg.Objects("ingress"), "no inline rule, no CIDR")

	sources := map[string]float64{}
	for _, r := range rec.ByType(sgRuleType) {
		if r.String("securityGroupId") != "network-endpoints-sg-id" {
			continue
		}
		assert.Equal(t, "ingress", r.String("type"), r.Name)
		assert.Empty(t, r.Strings("cidrBlocks"), r.Name)
		assert.EqualValues(t, r.Number("fromPort"), r.Number("toPort"), r.Name)
		sources[r.String("sourceSecurityGroupId")] = r.Number("fromPort")
	}
	assert.Equal(t, map[string]float64{"clients-app-id": 443, "clients-ops-id": 443}, sources)

	policies := map[string]string{}
	for _, ep := range rec.ByType("aws:ec2/vpcEndpoint:VpcEndpoint") {
		svc := strings.TrimPrefix(ep.String("serviceName"), "com.amazonaws.eu-west-1.")
		policies[svc] = ep.String("policy")
	}
	for _, svc := range []string{"autoscaling", "ec2", "sts"} {
		assert.Contains(t, policies, svc, "lifecycle-hook completion must not depend on one AZ's NAT gateway")
	}
	for _, svc := range []string{"secretsmanager", "kms", "logs"} {
		assert.Contains(t, policies[svc], `"aws:PrincipalAccount":"`+testutil.AccountID+`"`, svc)
		assert.Contains(t, policies[svc], `"aws:ResourceAccount":"`+testutil.AccountID+`"`, svc)
	}
}

// TestBrokerPortsByClient: app nodes reach Amazon MQ on AMQPS only; the
// management API, which manages every user and vhost, is the ops function's.
func TestBrokerPortsByClient(t *testing.T) {
	rec := runEnv(t, "prod")
	sg := rec.Find(sgType, "data-mq-sg")
	require.NotNil(t, sg)
	got := map[float64][]string{}
	for _, r := range sg.Objects("ingress") {
		got[r["fromPort"].NumberValue()] = append(got[r["fromPort"].NumberValue()], testutil.Strs(r, "securityGroups")...)
	}
	assert.Equal(t, map[float64][]string{5671: {"clients-app-id"}, 443: {"clients-ops-id"}}, got)
}

// TestAuditLogGroupsProtected: VPC flow logs and the Aurora and OpenSearch audit
// logs are evidence: protected in prod, and kept on deletion in prod even after
// allowDestroy, so a deliberate teardown still leaves them until their
// retention ends.
func TestAuditLogGroupsProtected(t *testing.T) {
	audit := []string{"network-flow-logs", "data-db-log-audit", "data-search-audit-logs"}
	for _, tc := range []struct {
		name            string
		config          map[string]string
		protect, retain bool
	}{
		{"prod", testutil.BaseConfig("prod"), true, true},
		{"prod with allowDestroy", testutil.With(testutil.BaseConfig("prod"), "allowDestroy", "true"), false, true},
		{"dev", testutil.BaseConfig("dev"), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: tc.config})
			for _, name := range audit {
				lg := rec.Find("aws:cloudwatch/logGroup:LogGroup", name)
				require.NotNil(t, lg, name)
				assert.Equal(t, tc.protect, lg.Protect, "%s protect", name)
				assert.Equal(t, tc.retain, lg.Retain, "%s retainOnDelete", name)
			}
			if tc.name == "prod" {
				for _, lg := range rec.ByType("aws:cloudwatch/logGroup:LogGroup") {
					assert.GreaterOrEqual(t, lg.Number("retentionInDays"), float64(365), "%s keeps a year in prod", lg.Name)
				}
			}
		})
	}
}
