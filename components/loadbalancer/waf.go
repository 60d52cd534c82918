package loadbalancer

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// The web ACL and its association are registered by type token rather than
// through the SDK's wafv2 package: compiling that package alone peaks at over
// 4 GB of memory, more than any other package of the program, and the build
// would pay it even with the WAF switched off (docs/decisions). The provider
// checks these inputs against its schema at preview, exactly as for a typed
// resource; tests pin every property name.
const (
	webACLToken            = "aws:wafv2/webAcl:WebAcl"
	webACLAssociationToken = "aws:wafv2/webAclAssociation:WebAclAssociation"
	// awsPluginVersion is the aws provider the SDK's typed constructors ask for
	// (go.mod's pulumi-aws); a test keeps the two equal.
	awsPluginVersion = "6.83.4"
)

// ManagedRuleGroup is one AWS managed rule group of the web ACL.
type ManagedRuleGroup struct {
	// Name is the rule group's name (vendor AWS).
	Name string
	// CountOnly lists rules of the group that only count instead of blocking.
	CountOnly []string
}

// ManagedRuleGroups are evaluated in order and block what they match. The IP
// reputation list and known bad inputs (Log4Shell and the like) hardly ever
// match legitimate traffic. The common rule set's SizeRestrictions_BODY blocks
// bodies over 8 KB, which the Morpheus API and UI post routinely (workflow
// scripts, templates, cloud-init, plugin and image uploads), so it only counts.
var ManagedRuleGroups = []ManagedRuleGroup{
	{Name: "AWSManagedRulesAmazonIpReputationList"},
	{Name: "AWSManagedRulesKnownBadInputsRuleSet"},
	{Name: "AWSManagedRulesCommonRuleSet", CountOnly: []string{"SizeRestrictions_BODY"}},
}

// webACL is the registered web ACL; only its ARN is read.
type webACL struct {
	pulumi.CustomResourceState

	Arn pulumi.StringOutput `pulumi:"arn"`
}

// webACLAssociation is the registered association; nothing is read from it.
type webACLAssociation struct {
	pulumi.CustomResourceState
}

// webACL creates a regional web ACL that allows by default and runs the managed
// rule groups, and associates it with the ALB.
func (b *builder) webACL(alb *lb.LoadBalancer) error {
	name := b.args.Namer.Name(naming.Generic, "alb")
	rules := pulumi.Array{}
	for i, g := range ManagedRuleGroups {
		overrides := pulumi.Array{}
		for _, r := range g.CountOnly {
			overrides = append(overrides, pulumi.Map{
				"name":        pulumi.String(r),
				"actionToUse": pulumi.Map{"count": pulumi.Map{}},
			})
		}
		rules = append(rules, pulumi.Map{
			"name":     pulumi.String(g.Name),
			"priority": pulumi.Int(i),
			// "none" keeps the group's own actions (block), bar the overrides.
			"overrideAction": pulumi.Map{"none": pulumi.Map{}},
			"statement": pulumi.Map{
				"managedRuleGroupStatement": pulumi.Map{
					"vendorName":          pulumi.String("AWS"),
					"name":                pulumi.String(g.Name),
					"ruleActionOverrides": overrides,
				},
			},
			"visibilityConfig": visibility(g.Name),
		})
	}
	var acl webACL
	if err := b.ctx.RegisterResource(webACLToken, b.name+"-waf", pulumi.Map{
		"name":             pulumi.String(name),
		"description":      pulumi.String("Morpheus ALB: AWS managed rule groups"),
		"scope":            pulumi.String("REGIONAL"),
		"defaultAction":    pulumi.Map{"allow": pulumi.Map{}},
		"rules":            rules,
		"visibilityConfig": visibility(name),
	}, &acl, b.parent, pulumi.Version(awsPluginVersion)); err != nil {
		return err
	}
	var assoc webACLAssociation
	return b.ctx.RegisterResource(webACLAssociationToken, b.name+"-waf-association", pulumi.Map{
		"resourceArn": alb.Arn,
		"webAclArn":   acl.Arn,
	}, &assoc, b.parent, pulumi.Version(awsPluginVersion))
}

// visibility publishes CloudWatch metrics and keeps sampled requests, so a
// false positive can be found and turned into a count-only override.
func visibility(metric string) pulumi.Map {
	return pulumi.Map{
		"cloudwatchMetricsEnabled": pulumi.Bool(true),
		"metricName":               pulumi.String(metric),
		"sampledRequestsEnabled":   pulumi.Bool(true),
	}
}
