package testutil_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func TestPropertyMapAccessors(t *testing.T) {
	secret := func(v any) resource.PropertyValue { return resource.MakeSecret(resource.NewPropertyValue(v)) }
	m := resource.PropertyMap{
		"name": resource.NewStringProperty("db"),
		"port": secret(3307.0),
		"opts": secret(map[string]any{
			"on":  false,
			"pw":  "hunter2",
			"ids": []any{"a", 7.0, "c"},
		}),
		"rules": resource.NewArrayProperty([]resource.PropertyValue{
			secret(map[string]any{"protocol": "tcp"}),
			resource.NewStringProperty("not an object"),
		}),
	}
	m["opts"].SecretValue().Element.ObjectValue()["pw"] = secret("hunter2")

	v, ok := testutil.Get(m, "opts", "pw")
	assert.True(t, ok)
	assert.Equal(t, resource.NewStringProperty("hunter2"), v, "secrets are unwrapped at every level")
	_, ok = testutil.Get(m, "name", "deeper")
	assert.False(t, ok, "a string has no keys")
	_, ok = testutil.Get(m, "missing")
	assert.False(t, ok)

	assert.Equal(t, "db", testutil.Str(m, "name"))
	assert.Equal(t, "", testutil.Str(m, "port"), "a number is not a string")
	assert.Equal(t, 3307.0, testutil.Num(m, "port"))
	assert.Equal(t, 0.0, testutil.Num(m, "missing"))

	on, set := testutil.Flag(m, "opts", "on")
	assert.False(t, on)
	assert.True(t, set, "an explicit false is set")
	_, set = testutil.Flag(m, "opts", "missing")
	assert.False(t, set)

	assert.Equal(t, []string{"a", "", "c"}, testutil.Strs(m, "opts", "ids"), "a non-string element still counts")
	assert.Nil(t, testutil.Strs(m, "name"))
	rules := testutil.Objs(m, "rules")
	assert.Len(t, rules, 2, "a non-object element still counts")
	assert.Equal(t, "tcp", testutil.Str(rules[0], "protocol"))
	assert.Nil(t, rules[1])

	assert.True(t, testutil.IsSecret(m, "opts", "pw"))
	assert.True(t, testutil.IsSecret(m, "opts"))
	assert.False(t, testutil.IsSecret(m, "opts", "on"), "only the value itself counts, not its parents")
	assert.False(t, testutil.IsSecret(m, "name"))
	assert.False(t, testutil.IsSecret(m))

	r := &testutil.Resource{Inputs: m}
	assert.Equal(t, testutil.Str(m, "opts", "pw"), r.String("opts", "pw"))
	assert.Equal(t, testutil.Num(m, "port"), r.Number("port"))
	assert.Equal(t, testutil.Strs(m, "opts", "ids"), r.Strings("opts", "ids"))
	assert.Equal(t, testutil.Objs(m, "rules"), r.Objects("rules"))
	assert.False(t, r.Bool("opts", "on"))
	assert.True(t, r.IsSecret("opts", "pw"))
}
