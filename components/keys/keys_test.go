package keys_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/keys"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

var env = testutil.Env()

func run(t *testing.T, protect bool) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, func(ctx *pulumi.Context) error {
		_, err := keys.NewKeys(ctx, "keys", &keys.Args{
			Namer:              testutil.ProdNamer(),
			Env:                env,
			DeletionWindowDays: 30,
			RotationPeriodDays: 365,
			Protect:            protect,
		})
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

func TestEveryKeyRotatesWithPolicy(t *testing.T) {
	for _, protect := range []bool{true, false} {
		rec := run(t, protect)
		ks := rec.ByType("aws:kms/key:Key")
		require.Len(t, ks, len(keys.Purposes))
		for _, k := range ks {
			assert.True(t, k.Bool("enableKeyRotation"), k.Name)
			assert.EqualValues(t, 365, k.Number("rotationPeriodInDays"), k.Name)
			assert.EqualValues(t, 30, k.Number("deletionWindowInDays"), k.Name)
			assert.Equal(t, protect, k.Protect, "%s protect", k.Name)
			var doc iampolicy.Document
			require.NoError(t, json.Unmarshal([]byte(k.String("policy")), &doc), k.Name)
			require.NotEmpty(t, doc.Statement, k.Name)
			assert.Equal(t, "arn:aws:iam::123456789012:root", doc.Statement[0].Principal["AWS"], k.Name)
			for _, s := range doc.Statement {
				if s.Principal["AWS"] == "*" {
					assert.NotEmpty(t, s.Condition, "%s: statement %s has an unconditioned * principal", k.Name, s.Sid)
				}
			}
		}
	}
}

func TestAliases(t *testing.T) {
	rec := run(t, true)
	var names []string
	for _, a := range rec.ByType("aws:kms/alias:Alias") {
		names = append(names, a.String("name"))
	}
	assert.ElementsMatch(t, []string{
		"alias/morpheus-ha-prod-data", "alias/morpheus-ha-prod-secrets",
		"alias/morpheus-ha-prod-logs", "alias/morpheus-ha-prod-notifications",
	}, names)
}

func TestServicePrincipals(t *testing.T) {
	principals := func(p keys.Purpose) []any {
		var out []any
		for _, s := range keys.Policy(p, env).Statement {
			if svc, ok := s.Principal["Service"]; ok {
				out = append(out, svc)
			}
		}
		return out
	}
	assert.Equal(t, []any{"logs.eu-west-1.amazonaws.com"}, principals(keys.Logs))
	assert.Equal(t, []any{"cloudwatch.amazonaws.com", "events.amazonaws.com", []string{"budgets.amazonaws.com", "costalerts.amazonaws.com"}},
		principals(keys.Notifications), "alarms, event rules, budgets and cost anomaly alerts publish to the encrypted alerts topic")
	assert.Empty(t, principals(keys.Secrets))

	logs := keys.Policy(keys.Logs, env).Statement[1]
	assert.Equal(t, "arn:aws:logs:eu-west-1:123456789012:log-group:*",
		logs.Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"], "logs may use the key only for this account's groups")
}

// TestNotificationsKeyServiceConditions: the alarm and event publishers may use
// the notifications key only for this account's topics in the key's region,
// and CloudWatch only for this account's alarms there (confused deputy).
func TestNotificationsKeyServiceConditions(t *testing.T) {
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		e := env
		e.Region = region
		topics := "arn:aws:sns:" + region + ":123456789012:*"
		bySid := map[string]iampolicy.Statement{}
		for _, s := range keys.Policy(keys.Notifications, e).Statement {
			bySid[s.Sid] = s
		}
		alarms, events := bySid["AlarmPublishers"], bySid["EventPublishers"]
		assert.Equal(t, "cloudwatch.amazonaws.com", alarms.Principal["Service"], region)
		assert.Equal(t, "123456789012", alarms.Condition["StringEquals"]["aws:SourceAccount"], region)
		assert.Equal(t, "arn:aws:cloudwatch:"+region+":123456789012:alarm:*", alarms.Condition["ArnLike"]["aws:SourceArn"], region)
		assert.Equal(t, topics, alarms.Condition["ArnLike"]["kms:EncryptionContext:aws:sns:topicArn"], region)
		assert.Equal(t, "events.amazonaws.com", events.Principal["Service"], region)
		assert.Equal(t, map[string]map[string]any{"ArnLike": {"kms:EncryptionContext:aws:sns:topicArn": topics}}, events.Condition,
			"%s: EventBridge sends no source keys to KMS; the topic scopes it", region)
	}
}

func TestInvalidArgs(t *testing.T) {
	rec, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := keys.NewKeys(ctx, "keys", &keys.Args{
			Namer: naming.Namer{Project: "p", Stack: "s"}, Env: env, DeletionWindowDays: 3, RotationPeriodDays: 365,
		})
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DeletionWindowDays")
	assert.Empty(t, rec.Resources())
}

// TestUsEast1NotificationsKey: outside us-east-1 the component adds a
// notifications key there (the health-check topic's), with the stack's rotation,
// window and protection, a policy for that region's publishers, and the former
// URNs as aliases so that moving it here did not replace it.
func TestUsEast1NotificationsKey(t *testing.T) {
	for _, protect := range []bool{true, false} {
		var arn string
		rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
			east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
			if err != nil {
				return err
			}
			k, err := keys.NewKeys(ctx, "keys", &keys.Args{
				Namer: testutil.ProdNamer(), Env: env,
				DeletionWindowDays: 30, RotationPeriodDays: 365, Protect: protect, UsEast1Provider: east,
			})
			if err != nil {
				return err
			}
			k.UsEast1NotificationsKeyArn.ApplyT(func(s string) string { arn = s; return s })
			return nil
		}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
		k := rec.Find("aws:kms/key:Key", "keys-notifications-us-east-1")
		require.NotNil(t, k)
		assert.Equal(t, protect, k.Protect)
		assert.True(t, k.Bool("enableKeyRotation"))
		assert.EqualValues(t, 365, k.Number("rotationPeriodInDays"))
		assert.EqualValues(t, 30, k.Number("deletionWindowInDays"))
		assert.True(t, strings.HasPrefix(k.Provider, rec.Find("pulumi:providers:aws", "aws-us-east-1").URN+"::"), "the key lives in us-east-1")
		assert.Contains(t, k.String("policy"), "cloudwatch.amazonaws.com", "the health-check alarm may publish")
		assert.Contains(t, arn, ":us-east-1:", "the output is the us-east-1 key")
		alias := rec.Find("aws:kms/alias:Alias", "keys-notifications-us-east-1-alias")
		require.NotNil(t, alias)
		assert.Equal(t, "alias/morpheus-ha-prod-notifications", alias.String("name"))
	}
}
