package stack_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func only(t *testing.T, rec *testutil.Recorder, token string) *testutil.Resource {
	t.Helper()
	rs := rec.ByType(token)
	require.Len(t, rs, 1, token)
	return rs[0]
}

// secretArnOf is the mock ARN of the data tier's secret of one purpose.
func secretArnOf(t *testing.T, rec *testutil.Recorder, purpose string) string {
	t.Helper()
	s := rec.Find("aws:secretsmanager/secret:Secret", "data-secrets-"+purpose)
	require.NotNil(t, s, purpose)
	return "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + s.String("name") + "-AbC123"
}

// TestOpsFunctionCarriesNoSecretValues: the function's environment and the
// bootstrap payload (kept in Pulumi state) name secrets, never hold one.
func TestOpsFunctionCarriesNoSecretValues(t *testing.T) {
	rec := runEnv(t, "prod")
	fn := only(t, rec, "aws:lambda/function:Function")
	inv := only(t, rec, "aws:lambda/invocation:Invocation")
	env := fn.String("environment", "variables", "OPS_TARGETS")
	input := inv.String("input")
	require.NotEmpty(t, env)
	require.NotEmpty(t, input)
	generated := rec.GeneratedSecrets()
	require.Len(t, generated, 5)
	for name, value := range generated {
		assert.NotContains(t, env, value, "%s in OPS_TARGETS", name)
		assert.NotContains(t, input, value, "%s in the bootstrap input", name)
		for _, o := range rec.Occurrences(value) {
			assert.NotContains(t, []string{fn.URN, inv.URN}, o.Resource.URN, "%s in %s.%s", name, o.Resource.Name, o.Path)
		}
	}
}

// TestOpsFunctionTargetsTheDataTier: OPS_TARGETS names this stack's cluster,
// broker, domain and secrets, including the RDS-managed master secret.
func TestOpsFunctionTargetsTheDataTier(t *testing.T) {
	rec := runEnv(t, "prod")
	fn := only(t, rec, "aws:lambda/function:Function")
	got, err := targets.Decode([]byte(fn.String("environment", "variables", "OPS_TARGETS")))
	require.NoError(t, err)
	cluster := only(t, rec, "aws:rds/cluster:Cluster")
	assert.Equal(t, cluster.String("clusterIdentifier")+".cluster-mock.eu-west-1.rds.amazonaws.com", got.MySQL.Host)
	assert.Equal(t, int(cluster.Number("port")), got.MySQL.Port)
	assert.Contains(t, got.MySQL.AdminSecretARN, ":secret:rds!cluster-", "the RDS-managed master secret")
	assert.Equal(t, secretArnOf(t, rec, "db-morpheus"), got.MySQL.AppSecretARN)
	assert.Equal(t, secretArnOf(t, rec, "mq-admin"), got.RabbitMQ.AdminSecretARN)
	assert.Equal(t, secretArnOf(t, rec, "mq-morpheus"), got.RabbitMQ.AppSecretARN)
	assert.True(t, strings.HasPrefix(got.RabbitMQ.ManagementURL, "https://b-"), got.RabbitMQ.ManagementURL)
	assert.Equal(t, secretArnOf(t, rec, "opensearch-master"), got.OpenSearch.AdminSecretARN)
	assert.Equal(t, secretArnOf(t, rec, "opensearch-morpheus"), got.OpenSearch.AppSecretARN)
	assert.True(t, strings.HasPrefix(got.OpenSearch.Endpoint, "https://vpc-"), got.OpenSearch.Endpoint)

	// GetSecretValue reaches exactly these six secrets.
	var doc struct {
		Statement []struct{ Action, Resource any }
	}
	require.NoError(t, json.Unmarshal([]byte(rec.Find("aws:iam/rolePolicy:RolePolicy", "ops-role-policy").String("policy")), &doc))
	var readable []string
	for _, s := range doc.Statement {
		if a, ok := s.Action.([]any); ok && slices.Contains(a, any("secretsmanager:GetSecretValue")) || s.Action == "secretsmanager:GetSecretValue" {
			for _, r := range s.Resource.([]any) {
				readable = append(readable, r.(string))
			}
		}
	}
	assert.ElementsMatch(t, []string{
		got.MySQL.AdminSecretARN, got.MySQL.AppSecretARN, got.RabbitMQ.AdminSecretARN, got.RabbitMQ.AppSecretARN,
		got.OpenSearch.AdminSecretARN, got.OpenSearch.AppSecretARN,
	}, readable)
}

// TestOpsGroupEgressReachesTheDataServices: the ops group's only egress goes
// to the database group on the configured port, the broker and domain groups
// and the endpoints group on 443, each rule described.
func TestOpsGroupEgressReachesTheDataServices(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("prod"), "database", `{"port":3310}`)})
	ops := rec.Find("aws:ec2/securityGroup:SecurityGroup", "clients-ops")
	require.NotNil(t, ops)
	want := map[string]float64{
		"data-db-sg-id":           3310,
		"data-mq-sg-id":           443,
		"data-search-sg-id":       443,
		"network-endpoints-sg-id": 443,
		// S3 (the definitions exports) through the gateway endpoint's prefix list.
		"pl-eu-west-1.s3": 443,
	}
	got := map[string]float64{}
	for _, r := range rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule") {
		if r.String("securityGroupId") != "clients-ops-id" {
			continue
		}
		assert.Equal(t, "egress", r.String("type"), r.Name)
		assert.NotEmpty(t, r.String("description"), r.Name)
		dest := r.String("sourceSecurityGroupId")
		if dest == "" {
			dest = strings.Join(r.Strings("prefixListIds"), ",")
		}
		got[dest] = r.Number("fromPort")
	}
	assert.Equal(t, want, got)
}

// TestRotationSchedule: the three Morpheus secrets and the two service
// admins' rotate, every ops.rotationDays days, by the ops function; the node
// refresh follows only the three Morpheus secrets (nodes never hold an admin
// password).
func TestRotationSchedule(t *testing.T) {
	for _, tc := range []struct {
		env, ops string
		days     float64
	}{{"prod", "", 30}, {"dev", `{"rotationDays":7}`, 7}} {
		cfg := testutil.BaseConfig(tc.env)
		if tc.ops != "" {
			var o map[string]any
			require.NoError(t, json.Unmarshal([]byte(cfg["ops"]), &o))
			require.NoError(t, json.Unmarshal([]byte(tc.ops), &o))
			b, err := json.Marshal(o)
			require.NoError(t, err)
			cfg["ops"] = string(b)
		}
		rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: cfg})
		fn := only(t, rec, "aws:lambda/function:Function")
		var rotated []string
		for _, r := range rec.ByType("aws:secretsmanager/secretRotation:SecretRotation") {
			rotated = append(rotated, r.String("secretId"))
			assert.Equal(t, tc.days, r.Number("rotationRules", "automaticallyAfterDays"), tc.env)
			assert.Equal(t, "arn:aws:lambda:eu-west-1:123456789012:function:"+fn.String("name"), r.String("rotationLambdaArn"))
		}
		logins := []string{secretArnOf(t, rec, "db-morpheus"), secretArnOf(t, rec, "mq-morpheus"), secretArnOf(t, rec, "opensearch-morpheus")}
		admins := []string{secretArnOf(t, rec, "mq-admin"), secretArnOf(t, rec, "opensearch-master")}
		assert.ElementsMatch(t, append(slices.Clone(logins), admins...), rotated, tc.env)

		// The node refresh watches the three Morpheus secrets only.
		var p struct {
			Detail struct {
				AdditionalEventData struct {
					SecretID []string `json:"SecretId"`
				} `json:"additionalEventData"`
			} `json:"detail"`
		}
		rule := rec.Find("aws:cloudwatch/eventRule:EventRule", "refresh-rule")
		require.NotNil(t, rule)
		require.NoError(t, json.Unmarshal([]byte(rule.String("eventPattern")), &p))
		assert.ElementsMatch(t, logins, p.Detail.AdditionalEventData.SecretID, "%s: an admin rotation starts no node refresh", tc.env)
	}
}

// TestEverySecretRotates: every Secrets Manager secret of the dev and prod
// plans has a rotation (Security Hub SecretsManager.1), named by its ARN. The
// one exception is the appliance setup's morpheus-admin secret, which exists
// only with ops.applianceSetup.enabled: the function uses it once for
// Morpheus' setup, after which Morpheus owns the password and the function
// can no longer reach Morpheus (docs/security-exceptions.md).
func TestEverySecretRotates(t *testing.T) {
	rotatedIn := func(rec *testutil.Recorder) map[string]bool {
		out := map[string]bool{}
		for _, r := range rec.ByType("aws:secretsmanager/secretRotation:SecretRotation") {
			out[r.String("secretId")] = true
		}
		return out
	}
	for _, env := range []string{"prod", "dev"} {
		t.Run(env, func(t *testing.T) {
			rec := runEnv(t, env)
			secrets := rec.ByType("aws:secretsmanager/secret:Secret")
			require.NotEmpty(t, secrets)
			rotated := rotatedIn(rec)
			for _, s := range secrets {
				purpose := strings.TrimPrefix(s.Name, "data-secrets-")
				assert.True(t, rotated[secretArnOf(t, rec, purpose)], "%s: secret %s has no rotation", env, s.Name)
			}
			assert.Len(t, rotated, len(secrets), "%s: one rotation per secret, none for anything else", env)
		})
		t.Run(env+" with the appliance setup", func(t *testing.T) {
			rec := runSetup(t, env)
			rotated := rotatedIn(rec)
			for _, s := range rec.ByType("aws:secretsmanager/secret:Secret") {
				purpose := strings.TrimPrefix(s.Name, "data-secrets-")
				assert.Equal(t, purpose != "morpheus-admin", rotated[secretArnOf(t, rec, purpose)], "%s: secret %s", env, s.Name)
			}
		})
	}
}

// TestMissingOpsArtifactRegistersNothing: a fresh clone without `make opsfn`
// is told what to run before a single resource, the provider included, exists.
func TestMissingOpsArtifactRegistersNothing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "opsfn.zip")
	rec, err := testutil.Run(stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("prod"), "ops", `{"artifact":"`+missing+`"}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `run "make opsfn" first (missing `+missing+`)`)
	assert.Empty(t, rec.Resources())
}

// TestRelativeArtifactResolvesAgainstTheProject: the default path is relative
// to the project directory the engine names, not to the process's directory.
func TestRelativeArtifactResolvesAgainstTheProject(t *testing.T) {
	root := filepath.Dir(filepath.Dir(testutil.OpsArtifact))
	rec := testutil.MustRun(t, stack.Run, testutil.Options{
		Config:        testutil.With(testutil.BaseConfig("dev"), "ops", `{"artifact":"testdata/opsfn.zip"}`),
		RootDirectory: root,
	})
	code, ok := only(t, rec, "aws:lambda/function:Function").Prop("code")
	require.True(t, ok)
	assert.Equal(t, testutil.OpsArtifact, code.ArchiveValue().Path)
}
