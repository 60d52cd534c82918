package parameters_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/parameters"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	secretsKey = "arn:aws:kms:eu-west-1:123456789012:key/secrets-key"
	tParameter = "aws:ssm/parameter:Parameter"
)

func TestParameters(t *testing.T) {
	var names map[string]string
	var prefix string
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		c, err := parameters.NewParameters(ctx, "params", &parameters.Args{
			Namer:  naming.Namer{Project: ctx.Project(), Stack: ctx.Stack()},
			KeyArn: pulumi.String(secretsKey),
			Values: map[string]pulumi.StringInput{
				"db/endpoint": pulumi.String("db.cluster-x.eu-west-1.rds.amazonaws.com"),
				"db/port":     pulumi.String("3307"),
				"mq/host":     pulumi.ToSecret(pulumi.String("b-1.mq.eu-west-1.amazonaws.com")).(pulumi.StringOutput),
			},
		})
		if err != nil {
			return err
		}
		c.Names.ApplyT(func(m map[string]string) map[string]string { names = m; return m })
		prefix = c.Prefix
		return nil
	}, testutil.Options{Config: testutil.BaseConfig("prod")})

	comp := rec.ByType(parameters.TypeToken)
	require.Len(t, comp, 1)
	params := rec.ByType(tParameter)
	require.Len(t, params, 3)
	want := map[string]string{
		"db/endpoint": "db.cluster-x.eu-west-1.rds.amazonaws.com",
		"db/port":     "3307",
		"mq/host":     "b-1.mq.eu-west-1.amazonaws.com",
	}
	for key, value := range want {
		p := rec.Find(tParameter, "params-"+key)
		require.NotNil(t, p, key)
		assert.Equal(t, "/morpheus-ha/prod/"+key, testutil.Str(p.Inputs, "name"), key)
		assert.Equal(t, "SecureString", testutil.Str(p.Inputs, "type"), key)
		assert.Equal(t, secretsKey, testutil.Str(p.Inputs, "keyId"), "%s is encrypted with the secrets key", key)
		assert.Equal(t, value, testutil.Str(p.Inputs, "value"), key)
		assert.Equal(t, comp[0].URN, p.Parent, key)
		assert.Equal(t, "/morpheus-ha/prod/"+key, names[key], key)
	}
	assert.True(t, rec.Find(tParameter, "params-mq/host").Inputs["value"].IsSecret(), "a secret value stays secret")
	assert.Equal(t, "/morpheus-ha/prod/", prefix)
}

func TestParametersValidation(t *testing.T) {
	ok := pulumi.String("v")
	for _, tc := range []struct {
		name   string
		values map[string]pulumi.StringInput
		key    pulumi.StringInput
		want   string
	}{
		{"no values", map[string]pulumi.StringInput{}, pulumi.String(secretsKey), "at least one"},
		{"empty key", map[string]pulumi.StringInput{"": ok}, pulumi.String(secretsKey), "is empty"},
		{"leading slash", map[string]pulumi.StringInput{"/db/endpoint": ok}, pulumi.String(secretsKey), "starts with /"},
		{"dot dot", map[string]pulumi.StringInput{"db/../prod": ok}, pulumi.String(secretsKey), "contains .."},
		{"double slash", map[string]pulumi.StringInput{"db//endpoint": ok}, pulumi.String(secretsKey), "single /"},
		{"bad character", map[string]pulumi.StringInput{"db endpoint": ok}, pulumi.String(secretsKey), "letters, digits"},
		{"too deep", map[string]pulumi.StringInput{"a/b/c/d/e/f/g/h/i/j/k/l/m/n": ok}, pulumi.String(secretsKey), "deeper than 13"},
		{"nil value", map[string]pulumi.StringInput{"db/port": nil}, pulumi.String(secretsKey), "has no value"},
		{"no key", map[string]pulumi.StringInput{"db/port": ok}, nil, "KeyArn is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(func(ctx *pulumi.Context) error {
				_, err := parameters.NewParameters(ctx, "params", &parameters.Args{
					Namer:  naming.Namer{Project: ctx.Project(), Stack: ctx.Stack()},
					KeyArn: tc.key,
					Values: tc.values,
				})
				return err
			}, testutil.Options{Config: testutil.BaseConfig("dev")})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.ByType(parameters.TypeToken), "nothing is registered before validation passes")
		})
	}
}
