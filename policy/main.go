// Command policy is morpheus-ha's Pulumi policy pack (runtime: go): every rule
// of package rules as a policy, run with `pulumi preview --policy-pack policy`.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// PackName is the pack's name as `pulumi preview` reports it.
const PackName = "morpheus-ha"

// Version is the pack's version; bump it when a rule changes.
var Version = semver.MustParse("0.1.0")

// defaultEnvironment mirrors Pulumi.yaml's default for morpheus-ha:environment,
// so a stack that does not set it is judged as the program runs it.
const defaultEnvironment = "dev"

func main() {
	if err := policyx.Main(func(ctx *pulumi.Context) (policyx.PolicyPack, error) {
		return newPack(stackContext(ctx))
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// stackContext reads what the rules need from the stack's configuration.
func stackContext(ctx *pulumi.Context) rules.Context {
	cfg := config.New(ctx, "morpheus-ha")
	env := cfg.Get("environment")
	if env == "" {
		env = defaultEnvironment
	}
	return rules.Context{Environment: env, AllowDestroy: cfg.GetBool("allowDestroy")}
}

// newPack builds one policy per rule, each with the rule's own level: the
// pack-level level is ignored by policyx.
func newPack(sc rules.Context) (policyx.PolicyPack, error) {
	var policies []policyx.Policy
	for _, r := range rules.All() {
		policies = append(policies, policyFor(sc, r))
	}
	return policyx.NewPolicyPack(PackName, Version, policyx.EnforcementLevelMandatory, policies)
}

// level maps a rule's level to the engine's.
func level(l rules.Level) policyx.EnforcementLevel {
	if l == rules.Mandatory {
		return policyx.EnforcementLevelMandatory
	}
	return policyx.EnforcementLevelAdvisory
}

// policyFor wraps a rule: a single-resource rule as a resource validation
// policy, a stack rule as a stack validation policy.
func policyFor(sc rules.Context, r rules.Rule) policyx.Policy {
	desc := fmt.Sprintf("%s [%s]", r.Description, r.Control)
	if r.CheckStack != nil {
		return policyx.NewStackValidationPolicy(r.Name, policyx.StackValidationPolicyArgs{
			Description:      desc,
			EnforcementLevel: level(r.Level),
			ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
				rs := make([]rules.Resource, 0, len(args.Resources))
				for _, ar := range args.Resources {
					rs = append(rs, toResource(ar))
				}
				for _, v := range r.CheckStack(sc, rs) {
					args.Manager.ReportViolation(v.Message, v.URN)
				}
				return nil
			},
		})
	}
	return policyx.NewResourceValidationPolicy(r.Name, policyx.ResourceValidationPolicyArgs{
		Description:      desc,
		EnforcementLevel: level(r.Level),
		ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
			res := toResource(args.Resource)
			for _, msg := range r.Check(sc, res) {
				args.Manager.ReportViolation(msg, res.URN)
			}
			return nil
		},
	})
}
