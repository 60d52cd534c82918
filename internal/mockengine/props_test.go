package mockengine_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/morpheus-ha/morpheus-ha/internal/mockengine"
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

	v, ok := mockengine.Get(m, "opts", "pw")
	assert.True(t, ok)
	assert.Equal(t, resource.NewStringProperty("hunter2"), v, "secrets are unwrapped at every level")
	_, ok = mockengine.Get(m, "name", "deeper")
	assert.False(t, ok, "a string has no keys")
	_, ok = mockengine.Get(m, "missing")
	assert.False(t, ok)

	assert.Equal(t, "db", mockengine.Str(m, "name"))
	assert.Equal(t, "", mockengine.Str(m, "port"), "a number is not a string")
	assert.Equal(t, 3307.0, mockengine.Num(m, "port"))
	assert.Equal(t, 0.0, mockengine.Num(m, "missing"))

	on, set := mockengine.Flag(m, "opts", "on")
	assert.False(t, on)
	assert.True(t, set, "an explicit false is set")
	_, set = mockengine.Flag(m, "opts", "missing")
	assert.False(t, set)

	assert.Equal(t, []string{"a", "", "c"}, mockengine.Strs(m, "opts", "ids"), "a non-string element still counts")
	assert.Nil(t, mockengine.Strs(m, "name"))
	rules := mockengine.Objs(m, "rules")
	assert.Len(t, rules, 2, "a non-object element still counts")
	assert.Equal(t, "tcp", mockengine.Str(rules[0], "protocol"))
	assert.Nil(t, rules[1])

	assert.True(t, mockengine.IsSecret(m, "opts", "pw"))
	assert.True(t, mockengine.IsSecret(m, "opts"))
	assert.False(t, mockengine.IsSecret(m, "opts", "on"), "only the value itself counts, not its parents")
	assert.False(t, mockengine.IsSecret(m, "name"))
	assert.False(t, mockengine.IsSecret(m))

	r := &mockengine.Resource{Inputs: m}
	assert.Equal(t, mockengine.Str(m, "opts", "pw"), r.String("opts", "pw"))
	assert.Equal(t, mockengine.Num(m, "port"), r.Number("port"))
	assert.Equal(t, mockengine.Strs(m, "opts", "ids"), r.Strings("opts", "ids"))
	assert.Equal(t, mockengine.Objs(m, "rules"), r.Objects("rules"))
	assert.False(t, r.Bool("opts", "on"))
	assert.True(t, r.IsSecret("opts", "pw"))
}
