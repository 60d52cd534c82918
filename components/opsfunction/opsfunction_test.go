package opsfunction_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	secretsKey = "arn:aws:kms:eu-west-1:123456789012:key/secrets"
	logsKey    = "arn:aws:kms:eu-west-1:123456789012:key/logs"
	masterArn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc-XyZ789"
	dbHost     = "morpheus-ha-prod-db.cluster-mock.eu-west-1.rds.amazonaws.com"
	mqURL      = "https://b-1234.mq.eu-west-1.amazonaws.com"
	searchHost = "vpc-morpheus-ha-prod-mockhash.eu-west-1.es.amazonaws.com"
	brokerID   = "b-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
)

// secretArn is the ARN the secrets component gives a purpose.
func secretArn(purpose string) string {
	return "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/" + purpose + "-AbC123"
}

var (
	appArns   = []string{secretArn("db-morpheus"), secretArn("mq-morpheus"), secretArn("opensearch-morpheus")}
	adminArns = []string{secretArn("mq-admin"), secretArn("opensearch-master"), masterArn}
	// rotatedArns are the secrets the function rotates: the app secrets and
	// the two service admins', never the RDS master secret.
	rotatedArns = append(slices.Clone(appArns), secretArn("mq-admin"), secretArn("opensearch-master"))
)

func args() *opsfunction.Args {
	arns := pulumi.StringMap{}
	for _, p := range []string{"mq-admin", "mq-morpheus", "db-morpheus", "opensearch-master", "opensearch-morpheus"} {
		arns[p] = pulumi.String(secretArn(p))
	}
	return &opsfunction.Args{
		Namer:                   testutil.ProdNamer(),
		Env:                     testutil.Env(),
		Artifact:                testutil.OpsArtifact,
		AppSubnetIds:            pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		OpsSecurityGroupId:      pulumi.String("sg-ops"),
		DBSecurityGroupId:       pulumi.String("sg-db"),
		MQSecurityGroupId:       pulumi.String("sg-mq"),
		SearchSecurityGroupId:   pulumi.String("sg-search"),
		EndpointSecurityGroupId: pulumi.String("sg-endpoints"),
		DBEndpoint:              pulumi.String(dbHost),
		DBPort:                  pulumi.Int(3307),
		DBMasterSecretArn:       pulumi.String(masterArn),
		MQManagementURL:         pulumi.String(mqURL),
		MQBrokerId:              pulumi.String(brokerID),
		SearchEndpoint:          pulumi.String(searchHost),
		ReadySignal: opsfunction.ReadySignal{
			Name:   "/morpheus-ha/prod/ready/bootstrap",
			After:  pulumi.StringMap{"db/endpoint": pulumi.String("/morpheus-ha/prod/db/endpoint")},
			KeyArn: pulumi.String(secretsKey),
		},
		DatabaseName:     "morpheus",
		Vhost:            "morpheus",
		SecretArns:       arns,
		SecretsKeyArn:    pulumi.String(secretsKey),
		LogsKeyArn:       pulumi.String(logsKey),
		LogRetentionDays: 90,
		RotationDays:     30,
		Protect:          true,
	}
}

func program(a *opsfunction.Args, out **opsfunction.OpsFunction) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		c, err := opsfunction.NewOpsFunction(ctx, "ops", a)
		if out != nil {
			*out = c
		}
		return err
	}
}

func run(t *testing.T, a *opsfunction.Args) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, program(a, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

func one(t *testing.T, rec *testutil.Recorder, token string) *testutil.Resource {
	t.Helper()
	rs := rec.ByType(token)
	require.Len(t, rs, 1, token)
	return rs[0]
}

// TestDeployedBootstrapIsAccepted: the handler refuses a bootstrap whose
// targets differ from OPS_TARGETS, so the pair the component deploys (the
// function's environment and the invocation's payload) must be equal to it.
// The handler then goes on to build the services, and without a CA bundle
// fails on MySQL, after the comparison and before any network call.
func TestDeployedBootstrapIsAccepted(t *testing.T) {
	rec := run(t, args())
	env := one(t, rec, "aws:lambda/function:Function").String("environment", "variables", handler.EnvTargets)
	input := one(t, rec, "aws:lambda/invocation:Invocation").String("input")
	require.NotEmpty(t, env)
	h, err := handler.FromEnv(secretstest.New(), nil, nil, nil, func(k string) string {
		return map[string]string{handler.EnvTargets: env, handler.EnvMySQLCAFile: filepath.Join(t.TempDir(), "absent.pem")}[k]
	})
	require.NoError(t, err)
	_, err = h.Handle(context.Background(), json.RawMessage(input))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "differ from", "the deployed event matches the deployed targets")
	assert.Contains(t, err.Error(), "CA bundle", "the handler went past the comparison")
}

func TestFunctionSettings(t *testing.T) {
	rec := run(t, args())
	fn := one(t, rec, "aws:lambda/function:Function")
	assert.Equal(t, "morpheus-ha-prod-ops-function", fn.String("name"))
	assert.Equal(t, "provided.al2023", fn.String("runtime"))
	assert.Equal(t, []string{"arm64"}, fn.Strings("architectures"))
	assert.Equal(t, "bootstrap", fn.String("handler"))
	assert.EqualValues(t, 120, fn.Number("timeout"))
	assert.EqualValues(t, 256, fn.Number("memorySize"))
	assert.Equal(t, "Active", fn.String("tracingConfig", "mode"), "X-Ray active tracing")
	assert.EqualValues(t, 5, fn.Number("reservedConcurrentExecutions"))
	assert.Equal(t, secretsKey, fn.String("kmsKeyArn"), "the environment is encrypted with the secrets key")
	assert.Equal(t, []string{"subnet-a", "subnet-b", "subnet-c"}, fn.Strings("vpcConfig", "subnetIds"))
	assert.Equal(t, []string{"sg-ops"}, fn.Strings("vpcConfig", "securityGroupIds"))
	assert.Equal(t, "/morpheus-ha/prod/ops-function", fn.String("loggingConfig", "logGroup"))
	code, ok := fn.Prop("code")
	require.True(t, ok)
	require.True(t, code.IsArchive())
	assert.Equal(t, testutil.OpsArtifact, code.ArchiveValue().Path)

	role := one(t, rec, "aws:iam/role:Role")
	assert.Equal(t, fn.PropertyDependencies["role"], []string{role.URN})
	policy := one(t, rec, "aws:iam/rolePolicy:RolePolicy")
	assert.Contains(t, fn.DependsOn, policy.URN, "Lambda checks the ENI permissions at creation")
}

// TestHandlerContract: the names the component writes are the ones the
// function reads.
func TestHandlerContract(t *testing.T) {
	assert.Equal(t, handler.ActionBootstrap, opsfunction.BootstrapAction)
	assert.Equal(t, handler.EnvTargets, opsfunction.EnvTargets)
	assert.Equal(t, handler.DefaultCAFile, opsfunction.CABundleName)
}

// writeZip writes a zip holding the named (empty) entries.
func writeZip(t *testing.T, names ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "opsfn.zip")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := zip.NewWriter(f)
	for _, n := range names {
		_, err := w.Create(n)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
	return path
}

func TestArtifactChecks(t *testing.T) {
	withCA := writeZip(t, "bootstrap", "rds-ca.pem")
	require.NoError(t, opsfunction.CheckArtifact(withCA))
	has, err := opsfunction.HasCABundle(withCA)
	require.NoError(t, err)
	assert.True(t, has)

	has, err = opsfunction.HasCABundle(testutil.OpsArtifact)
	require.NoError(t, err)
	assert.False(t, has, "the fixture has no CA bundle, like a package built without OPSFN_CA")

	notZip := filepath.Join(t.TempDir(), "opsfn.zip")
	require.NoError(t, os.WriteFile(notZip, []byte("not a zip"), 0o644))
	assert.ErrorContains(t, opsfunction.CheckArtifact(notZip), `run "make opsfn" first`)
	assert.ErrorContains(t, opsfunction.CheckArtifact(writeZip(t, "main")), "no bootstrap entry")

	assert.Equal(t, "/repo/build/opsfn/opsfn.zip", opsfunction.ResolveArtifact("/repo", "build/opsfn/opsfn.zip"))
	assert.Equal(t, "/abs/opsfn.zip", opsfunction.ResolveArtifact("/repo", "/abs/opsfn.zip"))
	assert.Equal(t, "build/opsfn/opsfn.zip", opsfunction.ResolveArtifact("", "build/opsfn/opsfn.zip"))
}

func TestEnvironmentHoldsTheTargets(t *testing.T) {
	rec := run(t, args())
	fn := one(t, rec, "aws:lambda/function:Function")
	raw := fn.String("environment", "variables", opsfunction.EnvTargets)
	require.NotEmpty(t, raw)
	got, err := targets.Decode([]byte(raw))
	require.NoError(t, err, "the function decodes OPS_TARGETS strictly")
	assert.Equal(t, targets.MySQL{Host: dbHost, Port: 3307, Database: "morpheus", AdminSecretARN: masterArn, AppSecretARN: secretArn("db-morpheus")}, *got.MySQL)
	assert.Equal(t, targets.RabbitMQ{ManagementURL: mqURL, VHost: "morpheus", AdminSecretARN: secretArn("mq-admin"), AppSecretARN: secretArn("mq-morpheus")}, *got.RabbitMQ)
	require.NotNil(t, got.OpenSearch)
	assert.Equal(t, "https://"+searchHost, got.OpenSearch.Endpoint)
	assert.Equal(t, secretArn("opensearch-master"), got.OpenSearch.AdminSecretARN)
	assert.Equal(t, secretArn("opensearch-morpheus"), got.OpenSearch.AppSecretARN)
	assert.NotContains(t, strings.ToLower(raw), "password", "identifiers only")
	assert.Equal(t, &targets.Logs{Groups: []string{"/aws/amazonmq/broker/" + brokerID + "/general"}, RetentionDays: 90, KMSKeyARN: logsKey}, got.Logs,
		"the broker's own log group gets the stack's retention and logs key")
}

func TestBootstrapInvocation(t *testing.T) {
	rec := run(t, args())
	inv := one(t, rec, "aws:lambda/invocation:Invocation")
	fn := one(t, rec, "aws:lambda/function:Function")
	assert.Equal(t, fn.String("name"), inv.String("functionName"))
	assert.Equal(t, "CREATE_ONLY", inv.String("lifecycleScope"))

	// The handler decodes the event strictly: action plus the targets, nothing else.
	var ev struct {
		Action string `json:"action"`
		targets.Targets
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(inv.String("input"))))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&ev))
	assert.Equal(t, "bootstrap", ev.Action)
	env := fn.String("environment", "variables", opsfunction.EnvTargets)
	fromEnv, err := targets.Decode([]byte(env))
	require.NoError(t, err)
	require.NoError(t, ev.Targets.Normalize())
	assert.Equal(t, fromEnv, ev.Targets, "the bootstrap event and OPS_TARGETS agree")
	assert.NotContains(t, strings.ToLower(inv.String("input")), "password")

	assert.Equal(t, opsfunction.Hash(env), inv.String("triggers", "targets"), "a change of targets re-runs the bootstrap")
	wantHash, err := opsfunction.ArtifactHash(testutil.OpsArtifact)
	require.NoError(t, err)
	assert.Equal(t, wantHash, inv.String("triggers", "code"), "new code re-runs the bootstrap")
	assert.Equal(t, wantHash, fn.String("sourceCodeHash"), "Lambda is told which package it runs")

	var deps []string
	for _, r := range rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule") {
		deps = append(deps, r.URN)
	}
	deps = append(deps, one(t, rec, "aws:iam/rolePolicy:RolePolicy").URN)
	for _, d := range deps {
		assert.Contains(t, inv.DependsOn, d, "the bootstrap needs its network path and permissions")
	}
}

func TestRotationSchedules(t *testing.T) {
	for _, days := range []int{1, 30, 90} {
		a := args()
		a.RotationDays = days
		rec := run(t, a)
		fn := one(t, rec, "aws:lambda/function:Function")
		inv := one(t, rec, "aws:lambda/invocation:Invocation")
		perms := map[string]string{}
		for _, p := range rec.ByType("aws:lambda/permission:Permission") {
			perms[p.String("sourceArn")] = p.URN
		}
		rots := rec.ByType("aws:secretsmanager/secretRotation:SecretRotation")
		require.Len(t, rots, len(rotatedArns))
		var rotated []string
		for _, r := range rots {
			rotated = append(rotated, r.String("secretId"))
			assert.Equal(t, "arn:aws:lambda:eu-west-1:123456789012:function:"+fn.String("name"), r.String("rotationLambdaArn"))
			assert.EqualValues(t, days, r.Number("rotationRules", "automaticallyAfterDays"))
			immediately, set := testutil.Flag(r.Inputs, "rotateImmediately")
			assert.True(t, set)
			assert.False(t, immediately, "the first rotation comes one period after the bootstrap")
			assert.Contains(t, r.DependsOn, inv.URN, "rotation starts after the bootstrap")
			assert.Contains(t, r.DependsOn, perms[r.String("secretId")], "each rotation waits for its own secret's permission")
		}
		assert.ElementsMatch(t, rotatedArns, rotated, "the three Morpheus secrets and the two service admins' rotate, on one schedule")
	}
}

// TestRotationPermissions: Secrets Manager may invoke the function for the
// rotated secrets of this account only (aws:SourceArn per secret), so no
// other secret (the RDS master secret included) can be pointed at it.
func TestRotationPermissions(t *testing.T) {
	rec := run(t, args())
	perms := rec.ByType("aws:lambda/permission:Permission")
	require.Len(t, perms, len(rotatedArns), "one permission per rotated secret")
	var sources []string
	for _, perm := range perms {
		assert.Equal(t, "lambda:InvokeFunction", perm.String("action"))
		assert.Equal(t, "secretsmanager.amazonaws.com", perm.String("principal"))
		assert.Equal(t, testutil.AccountID, perm.String("sourceAccount"))
		assert.Equal(t, one(t, rec, "aws:lambda/function:Function").String("name"), perm.String("function"))
		sources = append(sources, perm.String("sourceArn"))
	}
	assert.ElementsMatch(t, rotatedArns, sources, "the rotated secrets and nothing else")
}

func policyOf(t *testing.T, raw string) iampolicy.Document {
	t.Helper()
	var doc struct {
		Version   string
		Statement []struct {
			Sid       string
			Effect    string
			Principal map[string]any
			Action    any
			Resource  any
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &doc), "policy is valid JSON")
	require.Equal(t, iampolicy.Version, doc.Version)
	out := iampolicy.Document{Version: doc.Version}
	list := func(v any) []string {
		switch x := v.(type) {
		case string:
			return []string{x}
		case []any:
			var s []string
			for _, e := range x {
				s = append(s, e.(string))
			}
			return s
		}
		return nil
	}
	for _, s := range doc.Statement {
		out.Statement = append(out.Statement, iampolicy.Statement{Sid: s.Sid, Effect: s.Effect, Principal: s.Principal,
			Action: list(s.Action), Resource: list(s.Resource), Condition: s.Condition})
	}
	return out
}

func TestRolePolicyIsLeastPrivilege(t *testing.T) {
	rec := run(t, args())
	doc := policyOf(t, one(t, rec, "aws:iam/rolePolicy:RolePolicy").String("policy"))
	actions := map[string][]string{}
	for _, s := range doc.Statement {
		require.Equal(t, "Allow", s.Effect)
		for _, a := range s.Action {
			if strings.HasPrefix(a, "secretsmanager:") || strings.HasPrefix(a, "kms:") {
				assert.NotContains(t, s.Resource, "*", "%s must name its resources", a)
				assert.False(t, strings.Contains(a, "*"), "no wildcard action %s", a)
			}
			actions[a] = append(actions[a], s.Resource...)
		}
		if slices.Contains(s.Action, "kms:Decrypt") {
			assert.Equal(t, []string{secretsKey}, s.Resource)
			assert.Equal(t, "secretsmanager.eu-west-1.amazonaws.com", s.Condition["StringEquals"]["kms:ViaService"])
			assert.ElementsMatch(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, s.Action)
		}
	}
	assert.ElementsMatch(t, append(slices.Clone(appArns), adminArns...), actions["secretsmanager:GetSecretValue"],
		"reads this stack's service secrets and the RDS master secret, nothing else")
	for _, a := range []string{"secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"} {
		assert.ElementsMatch(t, rotatedArns, actions[a], "%s only on the rotated secrets, never the RDS master secret", a)
	}
	var sm []string
	for a := range actions {
		if strings.HasPrefix(a, "secretsmanager:") {
			sm = append(sm, a)
		}
	}
	assert.ElementsMatch(t, []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}, sm)
	assert.Equal(t, []string{"arn:aws:logs:eu-west-1:123456789012:log-group:/morpheus-ha/prod/ops-function:*"}, actions["logs:PutLogEvents"])
	assert.Equal(t, []string{"*"}, actions["ec2:CreateNetworkInterface"])
	brokerGroups := []string{"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/amazonmq/broker/*"}
	for _, a := range []string{"logs:CreateLogGroup", "logs:AssociateKmsKey", "logs:PutRetentionPolicy"} {
		assert.Equal(t, brokerGroups, actions[a], "%s on Amazon MQ's broker log groups of this account and region only", a)
	}
	var logs []string
	for a := range actions {
		if strings.HasPrefix(a, "logs:") {
			logs = append(logs, a)
		}
	}
	assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup", "logs:AssociateKmsKey", "logs:PutRetentionPolicy"}, logs)

	trust := policyOf(t, one(t, rec, "aws:iam/role:Role").String("assumeRolePolicy"))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, "lambda.amazonaws.com", trust.Statement[0].Principal["Service"])
	assert.Equal(t, testutil.AccountID, trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
}

func TestEgressRules(t *testing.T) {
	rec := run(t, args())
	rules := rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule")
	want := map[string]float64{"sg-db": 3307, "sg-mq": 443, "sg-search": 443, "sg-endpoints": 443}
	got := map[string]float64{}
	for _, r := range rules {
		assert.Equal(t, "egress", r.String("type"), r.Name)
		assert.Equal(t, "sg-ops", r.String("securityGroupId"), r.Name)
		assert.Equal(t, "tcp", r.String("protocol"), r.Name)
		assert.NotEmpty(t, r.String("description"), r.Name)
		assert.Empty(t, r.Strings("cidrBlocks"), "%s: destinations are security groups only", r.Name)
		assert.Equal(t, r.Number("fromPort"), r.Number("toPort"), r.Name)
		got[r.String("sourceSecurityGroupId")] = r.Number("fromPort")
	}
	assert.Len(t, rules, 4)
	assert.Equal(t, want, got)
}

func TestLogGroup(t *testing.T) {
	for _, protect := range []bool{true, false} {
		a := args()
		a.Protect = protect
		rec := run(t, a)
		g := one(t, rec, "aws:cloudwatch/logGroup:LogGroup")
		assert.Equal(t, "/morpheus-ha/prod/ops-function", g.String("name"))
		assert.EqualValues(t, 90, g.Number("retentionInDays"))
		assert.Equal(t, logsKey, g.String("kmsKeyId"))
		assert.Equal(t, protect, g.Protect)
	}
}

// TestMissingArtifactRegistersNothing: a fresh clone without `make opsfn` gets
// the command to run and no half-created component.
func TestMissingArtifactRegistersNothing(t *testing.T) {
	a := args()
	a.Artifact = filepath.Join(t.TempDir(), "build", "opsfn", "opsfn.zip")
	rec, err := testutil.Run(program(a, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `run "make opsfn" first (missing `+a.Artifact+`)`)
	assert.Empty(t, rec.Resources())
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	for name, mutate := range map[string]func(*opsfunction.Args){
		"no rotation":      func(a *opsfunction.Args) { a.RotationDays = 0 },
		"rotation too far": func(a *opsfunction.Args) { a.RotationDays = 366 },
		"no subnets":       func(a *opsfunction.Args) { a.AppSubnetIds = nil },
		"no secrets":       func(a *opsfunction.Args) { a.SecretArns = nil },
		"no retention":     func(a *opsfunction.Args) { a.LogRetentionDays = 0 },
		"no env":           func(a *opsfunction.Args) { a.Env = awsenv.Env{} },
		"no broker id":     func(a *opsfunction.Args) { a.MQBrokerId = nil },
	} {
		t.Run(name, func(t *testing.T) {
			a := args()
			mutate(a)
			rec, err := testutil.Run(program(a, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Empty(t, rec.Resources())
		})
	}
}

// TestMissingSecretFailsTheRun: the targets and the policy need all five
// secrets; a map without one fails instead of deploying a half-scoped function.
func TestMissingSecretFailsTheRun(t *testing.T) {
	a := args()
	a.SecretArns = pulumi.StringMap{"db-morpheus": pulumi.String(secretArn("db-morpheus"))}
	_, err := testutil.Run(program(a, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SecretArns has no")
}

// TestReadySignalFollowsTheBootstrap: the readiness parameter the nodes wait
// for is written only after the bootstrap invocation and the service
// parameters, as a SecureString under the secrets key, and holds no secret.
func TestReadySignalFollowsTheBootstrap(t *testing.T) {
	rec := run(t, args())
	inv := one(t, rec, "aws:lambda/invocation:Invocation")
	ready := rec.Find("aws:ssm/parameter:Parameter", "ops-ready")
	require.NotNil(t, ready)
	assert.Equal(t, "/morpheus-ha/prod/ready/bootstrap", ready.String("name"))
	assert.Equal(t, "SecureString", ready.String("type"))
	assert.Equal(t, secretsKey, ready.String("keyId"))
	assert.Contains(t, ready.PropertyDependencies["value"], inv.URN, "written after the bootstrap")
	assert.True(t, strings.HasPrefix(ready.String("value"), "bootstrap "), ready.String("value"))
}

func TestEveryChildParentedAndNamed(t *testing.T) {
	rec := run(t, args())
	comp := one(t, rec, opsfunction.TypeToken)
	for _, r := range rec.Resources() {
		if r.Type == opsfunction.TypeToken {
			continue
		}
		assert.Equal(t, comp.URN, r.Parent, "%s %s", r.Type, r.Name)
		assert.True(t, strings.HasPrefix(r.Name, "ops-"), r.Name)
	}
}
