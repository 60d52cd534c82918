// Package policyreport runs the policy pack's rules (module policy, package
// rules) over an offline plan's inventory, so `make plan` shows what
// `pulumi preview --policy-pack policy` would report without AWS or the CLI.
package policyreport

import (
	"bytes"
	"fmt"
	"text/tabwriter"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// File is where the report's rows are written, next to resources.json.
const File = "policy.json"

// Reporter is a plan.Reporter: it evaluates every rule over the plan's
// resources and returns a table of the findings (mandatory first) with a
// summary line, and the findings as File.
func Reporter(inv plan.Inventory) (plan.Report, error) {
	ctx := Context(inv)
	rs := make([]rules.Resource, 0, len(inv.Entries))
	for _, e := range inv.Entries {
		if e.Read {
			// The engine runs resource policies on what the program registers;
			// a looked-up resource is not the stack's to configure.
			continue
		}
		rs = append(rs, rules.Resource{
			URN: e.URN, Type: e.Type, Name: e.Name, Protect: e.Protect,
			Inputs: e.Inputs, PropertyDependencies: e.PropertyDependencies,
		})
	}
	findings := rules.Evaluate(ctx, rules.All(), rs)
	if findings == nil {
		findings = []rules.Finding{} // written as [], not null
	}
	text, err := table(findings)
	if err != nil {
		return plan.Report{}, err
	}
	return plan.Report{Title: "Policy report", Text: text, File: File, Data: findings}, nil
}

// Context derives the rules' context from the plan's configuration values,
// as the pack derives it from the stack's configuration under the engine.
func Context(inv plan.Inventory) rules.Context {
	env := inv.Values[inv.Project+":environment"]
	if env == "" {
		env = "dev" // Pulumi.yaml's default, as the program sees it
	}
	return rules.Context{Environment: env, AllowDestroy: inv.Values[inv.Project+":allowDestroy"] == "true"}
}

// table renders the findings under a RULE/LEVEL/RESOURCE/MESSAGE header and
// ends with the "N mandatory, M advisory" summary.
func table(findings []rules.Finding) (string, error) {
	var buf bytes.Buffer
	counts := map[rules.Level]int{}
	if len(findings) > 0 {
		tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tLEVEL\tRESOURCE\tMESSAGE")
		for _, f := range findings {
			counts[f.Level]++
			fmt.Fprintf(tw, "%s\t%s\t%s (%s)\t%s\n", f.Rule, f.Level, f.Name, f.Type, f.Message)
		}
		if err := tw.Flush(); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(&buf, "%d mandatory, %d advisory\n", counts[rules.Mandatory], counts[rules.Advisory])
	return buf.String(), nil
}
