package rules

import (
	"fmt"
	"net/netip"
	"strings"
)

const (
	typeSecurityGroup     = "aws:ec2/securityGroup:SecurityGroup"
	typeSecurityGroupRule = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeVpcIngressRule    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeVpcEgressRule     = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

// securityGroupRules are the project's rules for security group rules: they
// say why they exist, and name their peer by group when the peer is ours.
func securityGroupRules() []Rule {
	return []Rule{
		{
			Name: "sg-rule-description", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "Every security group rule (aws:ec2/securityGroupRule, aws:vpc/securityGroup{Ingress,Egress}Rule, inline ingress/egress) has a description.",
			Why:         "A rule nobody can explain is never removed; the description is the only place the reason survives next to the rule in the console.",
			Check:       checkRuleDescriptions,
		},
		{
			Name: "sg-rule-peer-by-group", Control: "DEVELOPERS.md", Level: Advisory,
			Description: "A rule whose peer is inside one of the stack's VPCs names the peer's security group rather than a CIDR.",
			Why:         "A heuristic: a CIDR inside the VPC usually means a peer in the stack that has a group, but subnet-wide rules (VPC endpoints) can be deliberate.",
			CheckStack:  checkPeerByGroup,
		},
	}
}

// sgRule is one rule wherever it is declared: a standalone resource or an
// element of a group's inline ingress/egress.
type sgRule struct {
	where string // "" for a standalone rule, "ingress[0]" for an inline one
	input map[string]any
	cidrs []string
}

// sgRulesOf returns the rules r declares, or nil when r is no group or rule.
func sgRulesOf(r Resource) []sgRule {
	switch {
	case r.is(typeSecurityGroupRule):
		return []sgRule{{input: r.Inputs, cidrs: append(strs(r.list("cidrBlocks")), strs(r.list("ipv6CidrBlocks"))...)}}
	case r.is(typeVpcIngressRule, typeVpcEgressRule):
		var cidrs []string
		for _, k := range []string{"cidrIpv4", "cidrIpv6"} {
			if s, ok := r.str(k); ok && s != "" {
				cidrs = append(cidrs, s)
			}
		}
		return []sgRule{{input: r.Inputs, cidrs: cidrs}}
	case r.is(typeSecurityGroup):
		var out []sgRule
		for _, dir := range []string{"ingress", "egress"} {
			for i, m := range maps(r.list(dir)) {
				l, _ := m["cidrBlocks"].([]any)
				l6, _ := m["ipv6CidrBlocks"].([]any)
				out = append(out, sgRule{where: fmt.Sprintf("%s[%d]", dir, i), input: m, cidrs: append(strs(l), strs(l6)...)})
			}
		}
		return out
	}
	return nil
}

// label names a rule in a message.
func (s sgRule) label() string {
	if s.where == "" {
		return "the rule"
	}
	return s.where
}

func checkRuleDescriptions(_ Context, r Resource) []string {
	var m msgs
	for _, rule := range sgRulesOf(r) {
		d, _ := rule.input["description"].(string)
		m.need(strings.TrimSpace(d) != "", rule.label()+" has no description; say which peer and why")
	}
	return m
}

func checkPeerByGroup(_ Context, rs []Resource) []Violation {
	var vpcs []netip.Prefix
	for _, vpc := range ofType(rs, typeVpc) {
		if s, ok := vpc.str("cidrBlock"); ok {
			if p, err := netip.ParsePrefix(s); err == nil {
				vpcs = append(vpcs, p.Masked())
			}
		}
	}
	var out []Violation
	for _, r := range rs {
		for _, rule := range sgRulesOf(r) {
			for _, c := range rule.cidrs {
				p, err := netip.ParsePrefix(c)
				if err != nil {
					continue
				}
				for _, vpc := range vpcs {
					if vpc.Bits() <= p.Bits() && vpc.Contains(p.Addr()) {
						out = append(out, Violation{r.URN, fmt.Sprintf("%s allows %s, inside VPC %s: name the peer's security group instead", rule.label(), c, vpc)})
					}
				}
			}
		}
	}
	return out
}
