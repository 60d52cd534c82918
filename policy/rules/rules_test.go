package rules

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var prod = Context{Environment: "prod"}

// rule returns the rule named name.
func rule(t *testing.T, name string) Rule {
	t.Helper()
	for _, r := range All() {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no rule %q", name)
	return Rule{}
}

// urnsOf returns the sorted, distinct URNs of findings.
func urnsOf(fs []Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.URN] {
			seen[f.URN] = true
			out = append(out, f.URN)
		}
	}
	sort.Strings(out)
	return out
}

// TestBaselinePasses: the compliant fixture stack has no finding at all, so
// every failure below is caused by the case's own resources.
func TestBaselinePasses(t *testing.T) {
	for _, f := range Evaluate(prod, All(), baseline()) {
		t.Errorf("baseline: %s on %s: %s", f.Rule, f.Name, f.Message)
	}
}

// TestRules: per rule, the passing fixture (the baseline) passes and the
// failing one is reported, on exactly the violating resource.
func TestRules(t *testing.T) {
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			r := []Rule{rule(t, c.rule)}
			if got := Evaluate(prod, r, baseline()); len(got) != 0 {
				t.Fatalf("passing stack reported: %+v", got)
			}
			bad := c.bad()
			got := Evaluate(prod, r, append(baseline(), bad...))
			if want := []string{bad[0].URN}; strings.Join(urnsOf(got), " ") != want[0] {
				t.Fatalf("reported %v, want exactly %v", urnsOf(got), want)
			}
			for _, f := range got {
				if f.Message == "" || f.Level != r[0].Level {
					t.Errorf("finding %+v: empty message or wrong level", f)
				}
			}
		})
	}
}

// TestSeededStack seeds one violating resource per rule into one stack and
// checks each rule reports its own resource and no rule reports another's.
func TestSeededStack(t *testing.T) {
	rs := baseline()
	owner := map[string]string{} // seeded URN -> rule
	for _, c := range cases {
		bad := c.bad()
		if prev, dup := owner[bad[0].URN]; dup {
			t.Fatalf("cases %s and %s seed the same URN %s", prev, c.rule, bad[0].URN)
		}
		owner[bad[0].URN] = c.rule
		rs = append(rs, bad...)
	}
	byRule := map[string][]string{}
	for _, f := range Evaluate(prod, All(), rs) {
		byRule[f.Rule] = append(byRule[f.Rule], f.URN)
		if own, seeded := owner[f.URN]; seeded && own != f.Rule {
			t.Errorf("%s reports %s, seeded for %s: %s", f.Rule, f.URN, own, f.Message)
		}
		if _, seeded := owner[f.URN]; !seeded {
			t.Errorf("%s reports unseeded %s: %s", f.Rule, f.URN, f.Message)
		}
	}
	for urn, r := range owner {
		found := false
		for _, u := range byRule[r] {
			found = found || u == urn
		}
		if !found {
			t.Errorf("%s does not report its seeded %s", r, urn)
		}
	}
}

// TestEveryRuleHasACase keeps the case table complete and the names usable
// as Pulumi policy names.
func TestEveryRuleHasACase(t *testing.T) {
	have := map[string]bool{}
	for _, c := range cases {
		have[c.rule] = true
	}
	valid := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,99}$`)
	seen := map[string]bool{}
	for _, r := range All() {
		if !have[r.Name] {
			t.Errorf("rule %s has no case", r.Name)
		}
		if seen[r.Name] || !valid.MatchString(r.Name) || r.Name == "all" {
			t.Errorf("rule name %q is duplicated or not a valid policy name", r.Name)
		}
		seen[r.Name] = true
		if (r.Check == nil) == (r.CheckStack == nil) {
			t.Errorf("rule %s must set exactly one of Check and CheckStack", r.Name)
		}
		if r.Description == "" || r.Why == "" || r.Control == "" || (r.Level != Mandatory && r.Level != Advisory) {
			t.Errorf("rule %s lacks a description, why, control or level", r.Name)
		}
	}
	for name := range have {
		if !seen[name] {
			t.Errorf("case %s names no rule", name)
		}
	}
}

// TestReadmeListsEveryRule: policy/README.md's table has one row per rule
// with its level, so the documentation cannot drift from the code.
func TestReadmeListsEveryRule(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| ([^|]+) \\| (mandatory|advisory) \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		documented[m[1]] = m[3]
	}
	for _, r := range All() {
		if documented[r.Name] != string(r.Level) {
			t.Errorf("README: rule %s documented as %q, is %q", r.Name, documented[r.Name], r.Level)
		}
		delete(documented, r.Name)
	}
	for name := range documented {
		t.Errorf("README documents unknown rule %s", name)
	}
}

// TestServiceAdminSecretsMustRotate: the broker admin's and the OpenSearch
// master's secrets rotate like every other, so a missing rotation on them is
// a mandatory finding, not a waiver.
func TestServiceAdminSecretsMustRotate(t *testing.T) {
	for _, name := range []string{"mq-admin", "opensearch-master"} {
		bad := secretSet(name, false)
		got := Evaluate(prod, All(), append(baseline(), bad...))
		if len(got) != 1 || got[0].URN != bad[0].URN || got[0].Rule != "secretsmanager-rotation-enabled" || got[0].Level != Mandatory {
			t.Errorf("%s without a rotation: got %+v, want one mandatory secretsmanager-rotation-enabled finding", name, got)
		}
	}
}

// TestProdOnlyRules: protection and HA rules stand down outside prod and,
// for protection, under allowDestroy; the FSBP rules apply everywhere.
func TestProdOnlyRules(t *testing.T) {
	prodOnly := map[string]bool{
		"elb-deletion-protection": true, "rds-cluster-deletion-protection": true, "rds-cluster-final-snapshot": true,
		"stateful-protected-in-prod": true, "backup-vault-no-force-destroy": true, "mq-cluster-deployment": true,
		"opensearch-ha": true, "opensearch-dedicated-masters": true, "kms-key-deletion-window": true,
	}
	allowDestroyLifts := map[string]bool{
		"elb-deletion-protection": true, "rds-cluster-deletion-protection": true, "rds-cluster-final-snapshot": true,
		"stateful-protected-in-prod": true, "backup-vault-no-force-destroy": true,
	}
	for _, c := range cases {
		for _, tc := range []struct {
			ctx      Context
			standing bool
		}{
			{Context{Environment: "dev"}, prodOnly[c.rule]},
			{Context{Environment: "staging"}, prodOnly[c.rule]},
			{Context{Environment: "prod", AllowDestroy: true}, allowDestroyLifts[c.rule]},
		} {
			got := Evaluate(tc.ctx, []Rule{rule(t, c.rule)}, append(baseline(), c.bad()...))
			if tc.standing && len(got) != 0 {
				t.Errorf("%s in %+v: reported %v, want nothing", c.rule, tc.ctx, urnsOf(got))
			}
			if !tc.standing && len(got) == 0 {
				t.Errorf("%s in %+v: reported nothing", c.rule, tc.ctx)
			}
		}
	}
}

// TestEvaluateOrder: mandatory findings come first, then by rule and URN.
func TestEvaluateOrder(t *testing.T) {
	rs := append(baseline(), like(typeLogGroup, "short", func(in map[string]any) {
		in["retentionInDays"] = 90.0
		delete(in, "kmsKeyId")
	}))
	got := Evaluate(prod, All(), rs)
	if len(got) != 2 || got[0].Rule != "cloudwatch-log-group-kms" || got[1].Rule != "cloudwatch-log-retention-one-year" {
		t.Fatalf("got %+v", got)
	}
	if got[0].Type != typeLogGroup || got[0].Name != "short" {
		t.Errorf("finding does not carry the resource's type and name: %+v", got[0])
	}
}
