package deploytime

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// ReportTitle and ReportFile name the section `make plan` prints and the JSON it
// writes next to resources.json.
const (
	ReportTitle = "Estimated first deploy"
	ReportFile  = "deploy-time.json"
)

// Reporter is the plan.Reporter behind `make plan`'s deploy time estimate: the
// total, the critical chain and what could not be estimated, with the Estimate
// as the report's data.
func Reporter(inv plan.Inventory) (plan.Report, error) {
	est, err := Compute(inv)
	if err != nil {
		return plan.Report{}, err
	}
	text, err := Render(est)
	if err != nil {
		return plan.Report{}, err
	}
	return plan.Report{Title: ReportTitle, Text: text, File: ReportFile, Data: est}, nil
}

// Render prints an estimate for a terminal: the figures first, then the chain
// that produces them, the node boot model and the types the table lacks.
func Render(est Estimate) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Total: %.1f min along a chain of %d resources (typical create times, not a worst case)\n",
		est.TotalMinutes, len(est.CriticalChain))
	if est.Slowest.URN != "" {
		fmt.Fprintf(&b, "Slowest single resource: %s %s, %.1f min (node groups excluded: their figure holds the boot)\n",
			est.Slowest.Type, est.Slowest.Name, est.Slowest.Minutes)
	}
	fmt.Fprintf(&b, "Critical path / (slowest + reconfigure and /ping %.1f min): %.2f\n",
		est.ReconfigureAndPingMinutes, est.Ratio)

	b.WriteString("\nCritical chain:\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  minutes\tcumulative\tresource\ttype\twaits via")
	for _, s := range est.CriticalChain {
		fmt.Fprintf(tw, "  %.1f\t%.1f\t%s\t%s\t%s\n", s.Minutes, s.Cumulative, s.Name, s.Type, s.Via)
	}
	if err := tw.Flush(); err != nil {
		return "", err
	}

	for _, g := range est.NodeGroups {
		parts := make([]string, len(g.Phases))
		for i, p := range g.Phases {
			parts[i] = fmt.Sprintf("%s %.1f", p.Name, p.Minutes)
		}
		wait := ""
		if !g.WaitsForCapacity {
			wait = " (waitForCapacityTimeout is \"0\": the deploy does not wait for it)"
		}
		fmt.Fprintf(&b, "\nNode boot (%s, %s): %s = %.1f min%s\n",
			urnName(g.URN), g.Inputs.InstanceType, strings.Join(parts, " + "), BootMinutes(g.Phases), wait)
		// What the group waits for shows whether the nodes could start earlier.
		w := make([]string, len(g.Waits))
		for i, s := range g.Waits {
			w[i] = fmt.Sprintf("%s at %.1f (%s)", s.Name, s.Cumulative, s.Via)
		}
		fmt.Fprintf(&b, "%s waits for: %s\n", urnName(g.URN), strings.Join(w, ", "))
	}

	if len(est.NotEstimated) == 0 {
		b.WriteString("\nNot estimated: none\n")
	} else {
		fmt.Fprintf(&b, "\nNot estimated (no row in the create-time table, counted as 0 min): %d\n", len(est.NotEstimated))
		for _, r := range est.NotEstimated {
			fmt.Fprintf(&b, "  %s\n", r.URN)
		}
	}
	return b.String(), nil
}

// urnName is the resource name at the end of a URN.
func urnName(urn string) string {
	return urn[strings.LastIndex(urn, "::")+2:]
}
