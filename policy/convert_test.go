package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/urn"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// TestToResource: every kind of property value converts to the JSON-like
// form resources.json uses, secrets (also nested and computed ones) redacted.
func TestToResource(t *testing.T) {
	ref := property.NewResourceReference(urn.URN("urn:pulumi:prod::p::aws:kms/key:Key::k"), property.New("id"), "6.83.4")
	path := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := asset.FromPath(path)
	if err != nil {
		t.Fatal(err)
	}
	props := property.NewMap(map[string]property.Value{
		"str":            property.New("s"),
		"num":            property.New(3.0),
		"bool":           property.New(true),
		"null":           property.New(property.Null),
		"computed":       property.New(property.Computed),
		"secret":         property.New("hunter2").WithSecret(true),
		"secretComputed": property.New(property.Computed).WithSecret(true),
		"list":           property.New([]property.Value{property.New("a"), property.New("b").WithSecret(true)}),
		"map":            property.New(map[string]property.Value{"inner": property.New(false)}),
		"ref":            property.New(ref),
		"asset":          property.New(a),
	})
	got := toResource(policyx.AnalyzerResource{
		URN: "urn:pulumi:prod::p::aws:mq/broker:Broker::b", Type: "aws:mq/broker:Broker", Name: "b",
		Properties: props, Options: pulumi.ResourceOptions{Protect: true},
		PropertyDependencies: map[string][]string{"ref": {"urn:pulumi:prod::p::aws:kms/key:Key::k"}},
	})
	want := rules.Resource{
		URN: "urn:pulumi:prod::p::aws:mq/broker:Broker::b", Type: "aws:mq/broker:Broker", Name: "b", Protect: true,
		Inputs: map[string]any{
			"str": "s", "num": 3.0, "bool": true, "null": nil, "computed": rules.Unknown,
			"secret": rules.Secret, "secretComputed": rules.Secret,
			"list": []any{"a", rules.Secret}, "map": map[string]any{"inner": false},
			"ref": "urn:pulumi:prod::p::aws:kms/key:Key::k", "asset": map[string]any{"asset": path},
		},
		PropertyDependencies: map[string][]string{"ref": {"urn:pulumi:prod::p::aws:kms/key:Key::k"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

// TestConvertedResourceIsJudged: a converted resource reaches the rules with
// pulumi-aws property names intact, so a secret in user data is caught.
func TestConvertedResourceIsJudged(t *testing.T) {
	r := toResource(policyx.AnalyzerResource{
		URN: "urn:x::lt", Type: "aws:ec2/launchTemplate:LaunchTemplate", Name: "lt",
		Properties: property.NewMap(map[string]property.Value{"userData": property.New("x").WithSecret(true)}),
	})
	got := rules.Evaluate(rules.Context{Environment: "dev"}, rules.All(), []rules.Resource{r})
	found := false
	for _, f := range got {
		found = found || f.Rule == "no-secret-in-user-data"
	}
	if !found {
		t.Errorf("no-secret-in-user-data did not fire: %+v", got)
	}
}
