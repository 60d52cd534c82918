package stack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// allowedConsumers are the only resources, besides a password's own secret
// version, that may receive a generated password: the service it is the
// administrator credential of, which cannot be created without it.
var allowedConsumers = map[string]string{
	"data-secrets-mq-admin-password":          "aws:mq/broker:Broker",
	"data-secrets-opensearch-master-password": "aws:opensearch/domain:Domain",
	// Only a global database member's: RDS cannot manage its master password.
	"data-secrets-db-master-password": "aws:rds/cluster:Cluster",
}

// TestNoGeneratedSecretLeaks scans every recorded input of the whole prod stack
// for every generated password: it may appear only in its own secret version and
// in its one allowed consumer, and always as a Pulumi secret.
func TestNoGeneratedSecretLeaks(t *testing.T) {
	assertNoLeaks(t, runEnv(t, "prod"), 5)
}

// TestNoGeneratedSecretLeaksWithApplianceSetup: the Morpheus admin password,
// too, appears only in its own secret version (the setup reads it at run time).
func TestNoGeneratedSecretLeaksWithApplianceSetup(t *testing.T) {
	assertNoLeaks(t, runSetup(t, "prod"), 6)
}

func assertNoLeaks(t *testing.T, rec *testutil.Recorder, count int) {
	t.Helper()
	generated := rec.GeneratedSecrets()
	require.Len(t, generated, count)
	for name, value := range generated {
		purpose := strings.TrimSuffix(strings.TrimPrefix(name, "data-secrets-"), "-password")
		found := rec.Occurrences(value)
		require.NotEmpty(t, found, "the scan must at least find %s in its own secret version", name)
		for _, o := range found {
			assert.True(t, o.Secret, "%s appears in %s %s.%s without being secret", name, o.Resource.Type, o.Resource.Name, o.Path)
			switch {
			case o.Resource.Type == "aws:secretsmanager/secretVersion:SecretVersion" && o.Resource.Name == "data-secrets-"+purpose+"-version" && o.Path == "secretString":
			case allowedConsumers[name] == o.Resource.Type:
			default:
				t.Errorf("%s leaks into %s %s.%s", name, o.Resource.Type, o.Resource.Name, o.Path)
			}
		}
	}
}

// TestStatefulResourcesProtectedInProd: every stateful resource is protected by
// Pulumi and, where the service offers it, by the provider; dev protects nothing.
func TestStatefulResourcesProtectedInProd(t *testing.T) {
	stateful := []string{
		"aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", "aws:efs/fileSystem:FileSystem",
		"aws:mq/broker:Broker", "aws:opensearch/domain:Domain", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret",
	}
	for _, env := range []string{"prod", "dev"} {
		rec := runEnv(t, env)
		for _, typ := range stateful {
			rs := rec.ByType(typ)
			require.NotEmpty(t, rs, typ)
			for _, r := range rs {
				assert.Equal(t, env == "prod", r.Protect, "%s %s protect in %s", typ, r.Name, env)
			}
		}
		cluster := rec.ByType("aws:rds/cluster:Cluster")[0]
		assert.Equal(t, env == "prod", cluster.Bool("deletionProtection"), "Aurora deletion protection in %s", env)
		assert.Equal(t, env != "prod", cluster.Bool("skipFinalSnapshot"), "Aurora final snapshot in %s", env)
	}
}

// TestDataServicesAdmitOnlyClientGroups: every data service's group takes traffic
// only from the app nodes' and ops function's groups, never from a CIDR.
func TestDataServicesAdmitOnlyClientGroups(t *testing.T) {
	rec := runEnv(t, "prod")
	clients := map[string]bool{}
	for _, g := range rec.ByType("aws:ec2/securityGroup:SecurityGroup") {
		if strings.HasPrefix(g.Name, "clients-") {
			clients[g.Name+"-id"] = true
		}
	}
	require.Len(t, clients, 2)
	checked := 0
	for _, g := range rec.ByType("aws:ec2/securityGroup:SecurityGroup") {
		if !strings.HasPrefix(g.Name, "data-") {
			continue
		}
		checked++
		rules := g.Objects("ingress")
		require.NotEmpty(t, rules, g.Name)
		for _, rule := range rules {
			assert.Empty(t, rule["cidrBlocks"].V, "%s admits a CIDR", g.Name)
			for _, src := range rule["securityGroups"].ArrayValue() {
				assert.True(t, clients[src.StringValue()], "%s admits %s", g.Name, src.StringValue())
			}
		}
	}
	assert.Equal(t, 4, checked, "Aurora, EFS, MQ and OpenSearch each have a group")
}
