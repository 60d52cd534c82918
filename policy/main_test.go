package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// recorder is a policyx.PolicyManager that keeps what was reported.
type recorder struct{ got []string }

func (r *recorder) ReportViolation(message, urn string) { r.got = append(r.got, urn+": "+message) }

// TestPackMirrorsRules: one policy per rule, same name and level, stack rules
// as stack policies.
func TestPackMirrorsRules(t *testing.T) {
	pack, err := newPack(rules.Context{Environment: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	if pack.Name() != PackName || pack.Version().String() != "0.1.0" {
		t.Errorf("pack %s %s", pack.Name(), pack.Version())
	}
	all := rules.All()
	if len(pack.Policies()) != len(all) {
		t.Fatalf("%d policies for %d rules", len(pack.Policies()), len(all))
	}
	for i, p := range pack.Policies() {
		r := all[i]
		_, isStack := p.(policyx.StackValidationPolicy)
		if p.Name() != r.Name || p.EnforcementLevel() != level(r.Level) || isStack != (r.CheckStack != nil) {
			t.Errorf("policy %s (level %v, stack %v) does not mirror rule %+v", p.Name(), p.EnforcementLevel(), isStack, r.Name)
		}
		if !strings.Contains(p.Description(), r.Control) {
			t.Errorf("policy %s description %q does not cite %s", p.Name(), p.Description(), r.Control)
		}
	}
}

// policy returns the pack's policy named name.
func policy(t *testing.T, sc rules.Context, name string) policyx.Policy {
	t.Helper()
	pack, err := newPack(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pack.Policies() {
		if p.Name() == name {
			return p
		}
	}
	t.Fatalf("no policy %s", name)
	return nil
}

// TestResourcePolicyReports: a resource policy reports the rule's message on
// the resource, and reads the stack's environment and the protect option.
func TestResourcePolicyReports(t *testing.T) {
	broker := policyx.AnalyzerResource{
		URN: "urn:pulumi:prod::morpheus-ha::aws:mq/broker:Broker::mq", Type: "aws:mq/broker:Broker", Name: "mq",
		Properties: property.NewMap(map[string]property.Value{"engineType": property.New("RabbitMQ")}),
	}
	for _, tc := range []struct {
		env     string
		protect bool
		want    int
	}{{"prod", false, 1}, {"prod", true, 0}, {"dev", false, 0}} {
		p := policy(t, rules.Context{Environment: tc.env}, "stateful-protected-in-prod").(policyx.ResourceValidationPolicy)
		broker.Options.Protect = tc.protect
		rec := &recorder{}
		if err := p.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: rec, Resource: broker}); err != nil {
			t.Fatal(err)
		}
		if len(rec.got) != tc.want || tc.want == 1 && !strings.HasPrefix(rec.got[0], broker.URN+": ") {
			t.Errorf("%s protect=%v: got %q", tc.env, tc.protect, rec.got)
		}
	}
}

// TestStackPolicyReports: a stack policy sees every resource and reports on
// the one at fault, linking by property dependencies.
func TestStackPolicyReports(t *testing.T) {
	vpc := policyx.AnalyzerResource{URN: "urn:x::vpc", Type: "aws:ec2/vpc:Vpc", Name: "vpc",
		Properties: property.NewMap(map[string]property.Value{"cidrBlock": property.New("10.0.0.0/16")})}
	flow := policyx.AnalyzerResource{URN: "urn:x::flow", Type: "aws:ec2/flowLog:FlowLog", Name: "flow",
		Properties: property.NewMap(map[string]property.Value{
			"trafficType": property.New("ALL"), "vpcId": property.New(property.Computed),
		}),
		PropertyDependencies: map[string][]string{"vpcId": {vpc.URN}}}
	p := policy(t, rules.Context{Environment: "prod"}, "ec2-vpc-flow-logs").(policyx.StackValidationPolicy)
	for _, tc := range []struct {
		resources []policyx.AnalyzerResource
		want      int
	}{{[]policyx.AnalyzerResource{vpc, flow}, 0}, {[]policyx.AnalyzerResource{vpc}, 1}} {
		rec := &recorder{}
		if err := p.Validate(context.Background(), policyx.StackValidationArgs{Manager: rec, Resources: tc.resources}); err != nil {
			t.Fatal(err)
		}
		if len(rec.got) != tc.want || tc.want == 1 && !strings.HasPrefix(rec.got[0], vpc.URN+": ") {
			t.Errorf("%d resources: got %q", len(tc.resources), rec.got)
		}
	}
}

// TestStackContext: the environment and allowDestroy come from the stack's
// configuration, the environment defaulting as in Pulumi.yaml.
func TestStackContext(t *testing.T) {
	for _, tc := range []struct {
		config map[string]string
		want   rules.Context
	}{
		{map[string]string{"morpheus-ha:environment": "prod"}, rules.Context{Environment: "prod"}},
		{map[string]string{"morpheus-ha:environment": "prod", "morpheus-ha:allowDestroy": "true"}, rules.Context{Environment: "prod", AllowDestroy: true}},
		{map[string]string{}, rules.Context{Environment: "dev"}},
	} {
		ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Project: "morpheus-ha", Stack: "s", Config: tc.config})
		if err != nil {
			t.Fatal(err)
		}
		if got := stackContext(ctx); got != tc.want {
			t.Errorf("%v: got %+v, want %+v", tc.config, got, tc.want)
		}
	}
}
