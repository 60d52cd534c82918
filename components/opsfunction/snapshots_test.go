package opsfunction_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	snapBucket = "morpheus-ha-prod-snapshots-123456789012-eu-west-1"
	snapRole   = "arn:aws:iam::123456789012:role/morpheus-ha-prod-search-snapshots"
	dataKey    = "arn:aws:kms:eu-west-1:123456789012:key/data"
)

func withSnapshots() *opsfunction.Args {
	a := args()
	a.Snapshots = &opsfunction.Snapshots{
		BucketName:       pulumi.String(snapBucket),
		BucketArn:        pulumi.String("arn:aws:s3:::" + snapBucket),
		RoleArn:          pulumi.String(snapRole),
		DataKeyArn:       pulumi.String(dataKey),
		SearchDomainName: "morpheus-ha-prod",
		S3PrefixListId:   pulumi.String("pl-s3"),
		SnapshotSchedule: "cron(0 2 * * ? *)",
		ExportSchedule:   "cron(30 2 * * ? *)",
	}
	return a
}

// TestScheduledActionsMatchHandler keeps the component's action names equal
// to the handler's.
func TestScheduledActionsMatchHandler(t *testing.T) {
	assert.Equal(t, handler.ActionSnapshot, opsfunction.SnapshotAction)
	assert.Equal(t, handler.ActionExportDefinitions, opsfunction.ExportDefinitionsAction)
}

// TestSchedulesInvokeTheFunction: one rule per action on its schedule, its
// target the function with {"action": ...}, and a permission for that rule only.
func TestSchedulesInvokeTheFunction(t *testing.T) {
	rec := run(t, withSnapshots())
	fnArn := one(t, rec, "aws:lambda/function:Function").String("name")
	for _, tc := range []struct{ logical, schedule, input string }{
		{"ops-search-snapshot", "cron(0 2 * * ? *)", `{"action":"snapshot"}`},
		{"ops-mq-definitions-export", "cron(30 2 * * ? *)", `{"action":"exportDefinitions"}`},
	} {
		rule := rec.Find("aws:cloudwatch/eventRule:EventRule", tc.logical)
		require.NotNil(t, rule, tc.logical)
		assert.Equal(t, tc.schedule, rule.String("scheduleExpression"))
		target := rec.Find("aws:cloudwatch/eventTarget:EventTarget", tc.logical+"-target")
		require.NotNil(t, target, tc.logical)
		assert.Equal(t, tc.input, target.String("input"))
		assert.Contains(t, target.String("arn"), ":function:"+fnArn)
		perm := rec.Find("aws:lambda/permission:Permission", tc.logical+"-permission")
		require.NotNil(t, perm, tc.logical)
		assert.Equal(t, "events.amazonaws.com", perm.String("principal"))
		assert.Equal(t, testutil.AccountID, perm.String("sourceAccount"))
		// The mock gives a rule the ARN ".../eventrule/<logical name>-id".
		assert.True(t, strings.HasSuffix(perm.String("sourceArn"), "eventrule/"+tc.logical+"-id"), "the permission admits its own rule only: %s", perm.String("sourceArn"))
	}
}

// TestSnapshotPolicyIsScoped: PassRole on the snapshot role to OpenSearch
// only, the domain's HTTP API, PutObject under rabbitmq/ only, and the data
// key through S3 only.
func TestSnapshotPolicyIsScoped(t *testing.T) {
	rec := run(t, withSnapshots())
	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(one(t, rec, "aws:iam/rolePolicy:RolePolicy").String("policy")), &doc))
	got := map[string]iampolicy.Statement{}
	for _, s := range doc.Statement {
		got[s.Sid] = s
	}
	for _, tc := range []struct {
		sid       string
		actions   []string
		resources []string
		condition map[string]map[string]any
	}{
		{"PassSnapshotRoleToOpenSearch", []string{"iam:PassRole"}, []string{snapRole},
			map[string]map[string]any{"StringEquals": {"iam:PassedToService": "es.amazonaws.com"}}},
		{"CallSnapshotAPI", []string{"es:ESHttpGet", "es:ESHttpPut"}, []string{"arn:aws:es:eu-west-1:123456789012:domain/morpheus-ha-prod/*"}, nil},
		{"WriteDefinitionsExports", []string{"s3:PutObject"}, []string{"arn:aws:s3:::" + snapBucket + "/rabbitmq/*"}, nil},
		{"UseDataKeyViaS3", []string{"kms:GenerateDataKey"}, []string{dataKey},
			map[string]map[string]any{"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}},
	} {
		s, ok := got[tc.sid]
		require.True(t, ok, tc.sid)
		assert.Equal(t, "Allow", s.Effect, tc.sid)
		assert.Equal(t, tc.actions, s.Action, tc.sid)
		assert.Equal(t, tc.resources, s.Resource, tc.sid)
		assert.Equal(t, tc.condition, s.Condition, tc.sid)
	}
	for _, s := range doc.Statement {
		if s.Sid != "PassSnapshotRoleToOpenSearch" {
			assert.NotContains(t, s.Action, "iam:PassRole", "%s must not pass a role", s.Sid)
		}
	}

	// Without the bucket, none of it.
	rec = run(t, args())
	require.NoError(t, json.Unmarshal([]byte(one(t, rec, "aws:iam/rolePolicy:RolePolicy").String("policy")), &doc))
	for _, s := range doc.Statement {
		assert.NotContains(t, []string{"PassSnapshotRoleToOpenSearch", "CallSnapshotAPI", "WriteDefinitionsExports", "UseDataKeyViaS3"}, s.Sid)
	}
	assert.Empty(t, rec.ByType("aws:cloudwatch/eventRule:EventRule"))
}

// TestS3EgressThroughPrefixList: the function reaches S3 through the gateway
// endpoint's prefix list on 443, not a CIDR.
func TestS3EgressThroughPrefixList(t *testing.T) {
	rule := run(t, withSnapshots()).Find("aws:ec2/securityGroupRule:SecurityGroupRule", "ops-out-s3-https")
	require.NotNil(t, rule)
	assert.Equal(t, "egress", rule.String("type"))
	assert.Equal(t, []string{"pl-s3"}, rule.Strings("prefixListIds"))
	assert.EqualValues(t, 443, rule.Number("fromPort"))
	assert.EqualValues(t, 443, rule.Number("toPort"))
	assert.Empty(t, rule.Strings("cidrBlocks"))
}

// TestDeployedSnapshotTargetsAreAccepted: the function decodes the targets
// the component deploys, snapshots section included, with the function's own
// role as the backend role and the bucket's prefixes.
func TestDeployedSnapshotTargetsAreAccepted(t *testing.T) {
	rec := run(t, withSnapshots())
	env := one(t, rec, "aws:lambda/function:Function").String("environment", "variables", handler.EnvTargets)
	h, err := handler.FromEnv(secretstest.New(), nil, nil, nil, func(k string) string {
		return map[string]string{handler.EnvTargets: env, handler.EnvMySQLCAFile: filepath.Join(t.TempDir(), "absent.pem")}[k]
	})
	require.NoError(t, err)
	// The snapshot action gets as far as the missing credentials: the
	// targets it needs decoded and validated.
	_, err = h.Handle(context.Background(), json.RawMessage(`{"action":"snapshot"}`))
	assert.ErrorContains(t, err, "no AWS credentials")
	var tg struct {
		Snapshots map[string]string `json:"snapshots"`
	}
	require.NoError(t, json.Unmarshal([]byte(env), &tg))
	assert.Equal(t, map[string]string{
		"bucket": snapBucket, "region": "eu-west-1", "repository": "morpheus-snapshots", "searchPrefix": "opensearch",
		"definitionsPrefix": "rabbitmq", "roleArn": snapRole, "kmsKeyArn": dataKey,
		"functionRoleArn": "arn:aws:iam::123456789012:role/morpheus-ha-prod-ops-function",
	}, tg.Snapshots)
}

// TestBadSnapshotArgsRegisterNothing: a bad schedule or a missing input fails
// before any resource.
func TestBadSnapshotArgsRegisterNothing(t *testing.T) {
	for name, mutate := range map[string]func(*opsfunction.Snapshots){
		"bad schedule":   func(s *opsfunction.Snapshots) { s.SnapshotSchedule = "daily" },
		"no prefix list": func(s *opsfunction.Snapshots) { s.S3PrefixListId = nil },
	} {
		t.Run(name, func(t *testing.T) {
			a := withSnapshots()
			mutate(a.Snapshots)
			rec, err := testutil.Run(program(a, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Empty(t, rec.Resources())
		})
	}
}
