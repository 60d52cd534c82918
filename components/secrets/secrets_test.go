package secrets_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	secretsKey = "arn:aws:kms:eu-west-1:123456789012:key/secrets-key"
	tSecret    = "aws:secretsmanager/secret:Secret"
	tVersion   = "aws:secretsmanager/secretVersion:SecretVersion"
	tPassword  = "random:index/randomPassword:RandomPassword"
)

// captured holds what the program saw of the component after the run.
type captured struct {
	arns, names       map[string]string
	mqAdmin, osMaster pulumi.StringOutput
}

func run(t *testing.T, env string, protect, keepDeleted bool) (*testutil.Recorder, *captured) {
	t.Helper()
	got := &captured{}
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		c, err := secrets.NewSecrets(ctx, "secrets", &secrets.Args{
			Namer:         naming.Namer{Project: ctx.Project(), Stack: ctx.Stack()},
			SecretsKeyArn: pulumi.String(secretsKey),
			Protect:       protect,
			KeepDeleted:   keepDeleted,
		})
		if err != nil {
			return err
		}
		c.SecretArns.ApplyT(func(m map[string]string) map[string]string { got.arns = m; return m })
		got.names = map[string]string{}
		for p, n := range c.Names {
			got.names[string(p)] = n
		}
		got.mqAdmin, got.osMaster = c.MQAdminPassword(), c.OpenSearchMasterPassword()
		return nil
	}, testutil.Options{Config: testutil.BaseConfig(env)})
	return rec, got
}

func TestSecretsPerEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name        string
		env         string
		protect     bool
		keepDeleted bool
		recovery    int
	}{
		{"prod", "prod", true, true, 30},
		// allowDestroy lifts protection only: the recovery window stays 30 days.
		{"prod with allowDestroy", "prod", false, true, 30},
		{"dev", "dev", false, false, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, got := run(t, tc.env, tc.protect, tc.keepDeleted)
			comp := rec.ByType(secrets.TypeToken)
			require.Len(t, comp, 1)
			require.Len(t, rec.ByType(tSecret), len(secrets.Purposes))
			require.Len(t, rec.ByType(tVersion), len(secrets.Purposes))
			require.Len(t, rec.ByType(tPassword), len(secrets.Purposes))

			for _, p := range secrets.Purposes {
				name := "/morpheus-ha/" + tc.env + "/" + string(p)
				s := rec.Find(tSecret, "secrets-"+string(p))
				require.NotNil(t, s, p)
				assert.Equal(t, name, testutil.Str(s.Inputs, "name"), p)
				assert.Equal(t, secretsKey, testutil.Str(s.Inputs, "kmsKeyId"), "%s is encrypted with the secrets key", p)
				assert.Equal(t, float64(tc.recovery), testutil.Num(s.Inputs, "recoveryWindowInDays"), p)
				assert.Equal(t, tc.protect, s.Protect, "secret %s protect", p)
				assert.Equal(t, comp[0].URN, s.Parent, p)

				pw := rec.Find(tPassword, "secrets-"+string(p)+"-password")
				require.NotNil(t, pw, p)
				assert.Equal(t, tc.protect, pw.Protect, "password %s protect: a replacement would regenerate it", p)

				assert.Equal(t, name, got.names[string(p)], p)
				assert.True(t, strings.HasPrefix(got.arns[string(p)], "arn:aws:secretsmanager:eu-west-1:123456789012:secret:"+name), p)
			}
		})
	}
}

// TestSecretValueIsSecretJSON: the stored value is {"username","password"},
// marked secret so it never lands in state or logs in clear text.
func TestSecretValueIsSecretJSON(t *testing.T) {
	rec, _ := run(t, "prod", true, true)
	for _, p := range secrets.Purposes {
		v := rec.Find(tVersion, "secrets-"+string(p)+"-version")
		require.NotNil(t, v, p)
		raw := v.Inputs["secretString"]
		assert.True(t, raw.IsSecret(), "%s secretString must be secret", p)
		var creds struct {
			Username string `json:"username"`
			Password string `json:"password"`
		}
		require.NoError(t, json.Unmarshal([]byte(testutil.Str(v.Inputs, "secretString")), &creds), p)
		assert.Equal(t, secrets.Username(p), creds.Username, p)
		assert.Len(t, creds.Password, 32, p)
		assert.False(t, strings.ContainsAny(creds.Password, secrets.RuleFor(p).Forbidden), "%s password has a forbidden character", p)
		assert.NotEmpty(t, testutil.Str(v.Inputs, "secretId"), p)
	}
}

// TestPasswordRules: every RandomPassword asks for what its service demands.
func TestPasswordRules(t *testing.T) {
	rec, _ := run(t, "dev", false, false)
	forbidden := map[secrets.Purpose]string{
		secrets.MQAdmin:            ",:= ",
		secrets.MQMorpheus:         ",:= ",
		secrets.DBMorpheus:         `/'"@`,
		secrets.OpenSearchMaster:   "",
		secrets.OpenSearchMorpheus: "",
	}
	for _, p := range secrets.Purposes {
		r := rec.Find(tPassword, "secrets-"+string(p)+"-password")
		require.NotNil(t, r, p)
		length := testutil.Num(r.Inputs, "length")
		special := testutil.Str(r.Inputs, "overrideSpecial")
		assert.NotEmpty(t, special, "%s needs special characters", p)
		assert.False(t, strings.ContainsAny(special, forbidden[p]), "%s special set %q holds a forbidden character of %q", p, special, forbidden[p])
		// Characters that break morpheus.rb quoting, JSON or URLs are never used.
		assert.False(t, strings.ContainsAny(special, "'\"\\`$@/:?#[]%&=+, "), "%s special set %q", p, special)
		for _, k := range []string{"minUpper", "minLower", "minNumeric", "minSpecial"} {
			assert.GreaterOrEqual(t, testutil.Num(r.Inputs, k), float64(1), "%s %s", p, k)
		}
		switch p {
		case secrets.MQAdmin, secrets.MQMorpheus:
			// 12+ characters; four disjoint classes guarantee 4 distinct characters.
			assert.GreaterOrEqual(t, length, float64(12), p)
		case secrets.OpenSearchMaster, secrets.OpenSearchMorpheus:
			assert.GreaterOrEqual(t, length, float64(8), p)
			assert.LessOrEqual(t, length, float64(128), p)
		case secrets.DBMorpheus:
			assert.GreaterOrEqual(t, length, float64(16), p)
		}
	}
}

// TestOnlyAdminPasswordsLeave: the broker and the domain get their password as
// a secret output; the component's outputs carry no values at all.
func TestOnlyAdminPasswordsLeave(t *testing.T) {
	_, got := run(t, "prod", true, true)
	for name, out := range map[string]pulumi.StringOutput{"mq admin": got.mqAdmin, "opensearch master": got.osMaster} {
		assert.True(t, pulumi.IsSecret(out), "%s password must be a secret output", name)
	}

	var tags []string
	typ := reflect.TypeOf(secrets.Secrets{})
	for i := 0; i < typ.NumField(); i++ {
		if tag := typ.Field(i).Tag.Get("pulumi"); tag != "" {
			tags = append(tags, tag)
		}
	}
	assert.ElementsMatch(t, []string{"secretArns"}, tags)
}

func TestSecretsValidation(t *testing.T) {
	for name, args := range map[string]*secrets.Args{
		"no args":   nil,
		"no key":    {Namer: naming.Namer{Project: "p", Stack: "s"}},
		"no namer":  {SecretsKeyArn: pulumi.String(secretsKey)},
		"empty all": {},
	} {
		t.Run(name, func(t *testing.T) {
			rec, err := testutil.Run(func(ctx *pulumi.Context) error {
				_, err := secrets.NewSecrets(ctx, "secrets", args)
				return err
			}, testutil.Options{Config: testutil.BaseConfig("dev")})
			require.Error(t, err)
			assert.Empty(t, rec.ByType(secrets.TypeToken), "nothing is registered before validation passes")
		})
	}
}
