package deploytime

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// ReportTitle and ReportFile name the section `make plan` prints and the JSON it
// writes next to resources.json; FailoverTitle and FailoverFile, those of a
// standby DR stack's failover (FailoverReporter).
const (
	ReportTitle   = "Estimated first deploy"
	ReportFile    = "deploy-time.json"
	FailoverTitle = "Estimated failover (restore.standby: false)"
	FailoverFile  = "failover-time.json"
)

// Reporter is the plan.Reporter behind `make plan`'s deploy time estimate: the
// total, the critical chain and what could not be estimated, with the Estimate
// as the report's data.
func Reporter(inv plan.Inventory) (plan.Report, error) {
	return report(ReportTitle, ReportFile, inv)
}

// report computes inv's estimate with opts and renders it as a section titled
// title, whose data goes to file.
func report(title, file string, inv plan.Inventory, opts ...Option) (plan.Report, error) {
	est, err := Compute(inv, opts...)
	if err != nil {
		return plan.Report{}, err
	}
	text, err := Render(est)
	if err != nil {
		return plan.Report{}, err
	}
	return plan.Report{Title: title, Text: text, File: file, Data: est}, nil
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
	if est.Ratio > 0 {
		fmt.Fprintf(&b, "Critical path / (slowest + reconfigure and /ping %.1f min): %.2f\n",
			est.ReconfigureAndPingMinutes, est.Ratio)
	}
	if u := est.Update; u != nil {
		fmt.Fprintf(&b, "Update: %d new, %d changed (%s), %d unchanged (already there, 0 min), %d removed (deleted last, not counted)\n",
			len(u.New), len(u.Changed), changedNote, u.Unchanged, len(u.Removed))
	}

	b.WriteString("\nCritical chain:\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	if est.Update == nil {
		fmt.Fprintln(tw, "  minutes\tcumulative\tresource\ttype\twaits via")
		for _, s := range est.CriticalChain {
			fmt.Fprintf(tw, "  %.1f\t%.1f\t%s\t%s\t%s\n", s.Minutes, s.Cumulative, s.Name, s.Type, s.Via)
		}
	} else {
		fmt.Fprintln(tw, "  minutes\tcumulative\tresource\ttype\tchange\twaits via")
		for _, s := range est.CriticalChain {
			fmt.Fprintf(tw, "  %.1f\t%.1f\t%s\t%s\t%s\t%s\n", s.Minutes, s.Cumulative, s.Name, s.Type, stepChange(s), s.Via)
		}
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
		switch {
		case g.Empty:
			wait = " (the group is held at 0 nodes: none boots in this deploy)"
		case !g.WaitsForCapacity:
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

	if u := est.Update; u != nil {
		if err := writeSteps(&b, fmt.Sprintf("Changed (%d, %s)", len(u.Changed), changedNote), u.Changed); err != nil {
			return "", err
		}
		if err := writeSteps(&b, fmt.Sprintf("New (%d)", len(u.New)), u.New); err != nil {
			return "", err
		}
		if len(u.Removed) > 0 {
			fmt.Fprintf(&b, "\nRemoved (%d, not counted):\n", len(u.Removed))
			for _, r := range u.Removed {
				fmt.Fprintf(&b, "  %s\n", r.URN)
			}
		}
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

// changedNote says how the estimate counts a changed resource.
const changedNote = "counted at their create time, a node group at its nodes' boot"

// stepChange is a chain step's change column: a changed resource says how it
// is counted.
func stepChange(s Step) string {
	if s.Change != ChangeChanged {
		return s.Change
	}
	if row, _ := Lookup(s.Type); row.NodeBoot {
		return "changed: the nodes boot"
	}
	return "changed: counted at its create time"
}

// writeSteps lists an update's resources under a heading, with their minutes
// and when they finish.
func writeSteps(b *strings.Builder, heading string, steps []Step) error {
	fmt.Fprintf(b, "\n%s:\n", heading)
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  minutes\tcumulative\tresource\ttype")
	for _, s := range steps {
		fmt.Fprintf(tw, "  %.1f\t%.1f\t%s\t%s\n", s.Minutes, s.Cumulative, s.Name, s.Type)
	}
	return tw.Flush()
}

// urnName is the resource name at the end of a URN.
func urnName(urn string) string {
	return urn[strings.LastIndex(urn, "::")+2:]
}
