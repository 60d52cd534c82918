package naming

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFitRespectsLimits(t *testing.T) {
	long := strings.Repeat("verylongpurpose", 10)
	cases := []struct {
		kind Kind
		in   string
		want string
	}{
		{LoadBalancer, "morpheus-ha-prod-alb", "morpheus-ha-prod-alb"},
		{OpenSearchDomain, "Morpheus-HA-prod-search", "morpheus-ha-prod-search"},
		{RDSIdentifier, "morpheus-ha--prod__db", "morpheus-ha-prod-db"},
		{Generic, "-a b-", "a-b"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Fit(tc.kind, tc.in), tc.in)
	}
	for _, k := range []Kind{LoadBalancer, TargetGroup, RDSIdentifier, MQBroker, OpenSearchDomain, IAMRole, LambdaFunction, S3Bucket, EventRule} {
		got := Fit(k, "morpheus-ha-"+long)
		assert.LessOrEqual(t, len(got), k.MaxLen, k.Service)
		assert.NotContains(t, got, "--", k.Service)
		assert.False(t, strings.HasSuffix(got, "-"), k.Service)
	}
}

func TestFitKeepsLongNamesDistinct(t *testing.T) {
	a := Fit(TargetGroup, "morpheus-ha-production-eu-west-1-app-https")
	b := Fit(TargetGroup, "morpheus-ha-production-eu-west-1-app-http")
	assert.NotEqual(t, a, b)
	assert.LessOrEqual(t, len(a), 32)
}

func TestNamerPathsAndAliases(t *testing.T) {
	n := Namer{Project: "morpheus-ha", Stack: "prod"}
	assert.Equal(t, "/morpheus-ha/prod/db/endpoint", n.Path("db", "endpoint"))
	assert.Equal(t, "alias/morpheus-ha-prod-data", n.KMSAlias("data"))
	assert.Equal(t, "morpheus-ha-prod-alb", n.Name(LoadBalancer, "alb"))
}
