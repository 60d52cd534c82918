package pricing

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// ReportFile is where the plan writes the estimate, relative to the stack's
// plan directory.
const ReportFile = "cost.json"

// ForInventory estimates inv with the price table of the stack's region and
// DefaultAssumptions. A region without a table is an error naming it and the
// supported regions, so a caller deriving a budget never gets a zero.
func ForInventory(inv plan.Inventory) (Estimate, error) {
	region := inv.Values[config.RegionKey]
	if region == "" {
		return Estimate{}, fmt.Errorf("%s is not set: no region to price", config.RegionKey)
	}
	t, err := LoadTable(region)
	if err != nil {
		return Estimate{}, err
	}
	return Compute(inv, t, DefaultAssumptions), nil
}

// Reporter is the plan's cost estimate section: a per-service table with the
// total, the assumptions and anything not priced, the budget against the
// estimate (with the command that sets estimate + 20%), and cost.json with
// the estimate. A region without a price table does not fail the plan (the plan
// still checks the configuration and shows the resources); the section says
// which regions have tables instead, and writes no file.
func Reporter(inv plan.Inventory) (plan.Report, error) {
	est, err := ForInventory(inv)
	if err != nil {
		return plan.Report{
			Title: "Monthly cost estimate",
			Text:  fmt.Sprintf("No estimate: %v.\n", err),
		}, nil
	}
	advice, err := Budget(inv, est)
	if err != nil {
		return plan.Report{}, err
	}
	return plan.Report{
		Title: fmt.Sprintf("Monthly cost estimate (%s, on-demand, prices of %s)", est.Region, est.PriceDate),
		Text:  Render(est) + RenderBudget(inv.Stack, est, advice),
		File:  ReportFile,
		Data:  est,
	}, nil
}

// Render is the estimate as text: the rows by service, the subtotals and total,
// the assumptions, what is not priced and what is free.
func Render(est Estimate) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Service\tResource\tQuantity\tUnit price\tBasis\tMonthly USD\tAssumption")
	for _, r := range est.Rows {
		fmt.Fprintf(w, "%s\t%s\t%s %s\t%s\t%s\t%s\t%s\n", r.Service, r.Resource, num(r.Quantity), r.Unit, num(r.UnitUSD), r.PriceBasis, usd(r.MonthlyUSD), r.Assumption)
	}
	w.Flush()

	b.WriteString("\nBy service:\n")
	w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, s := range est.Services {
		fmt.Fprintf(w, "  %s\t%10s\n", s.Service, usd(s.MonthlyUSD))
	}
	fmt.Fprintf(w, "  Total\t%10s\n", usd(est.TotalUSD))
	w.Flush()

	fmt.Fprintf(&b, "\nTotal: %s USD a month", usd(est.TotalUSD))
	if len(est.NotPriced) > 0 {
		fmt.Fprintf(&b, " plus %d item(s) not priced (below)", len(est.NotPriced))
	}
	b.WriteString(".\n")
	fmt.Fprintf(&b, "Prices: %s table of %s. %s\n", est.Region, est.PriceDate, est.PriceSource)
	b.WriteString("Basis: S = two or more public price tables agree; R = recalled, unconfirmed; A = assumption, no published figure checked.\n")
	fmt.Fprintf(&b, "Assumptions: %s h a month; usage figures are on each row (%s).\n", num(est.Assumptions.HoursPerMonth), assumptionSummary(est.Assumptions))
	fmt.Fprintf(&b, "Not estimated: %s.\n", strings.Join(est.NotEstimated, "; "))

	if len(est.NotPriced) == 0 {
		b.WriteString("Not priced: none.\n")
	} else {
		b.WriteString("Not priced (missing from the total):\n")
		for _, n := range est.NotPriced {
			fmt.Fprintf(&b, "  %s %s: %s\n", n.Type, n.Name, n.Reason)
		}
	}
	b.WriteString("Free (no charge of their own):\n")
	for _, g := range freeByReason(est.Free) {
		fmt.Fprintf(&b, "  %s: %s\n", g.reason, strings.Join(g.types, ", "))
	}
	return b.String()
}

type freeGroup struct {
	reason string
	types  []string
}

// freeByReason groups free types under their reason, in order of first
// appearance, so the list reads as a few lines instead of one per type.
func freeByReason(free []Free) []freeGroup {
	var out []freeGroup
	index := map[string]int{}
	for _, f := range free {
		i, ok := index[f.Reason]
		if !ok {
			i = len(out)
			index[f.Reason] = i
			out = append(out, freeGroup{reason: f.Reason})
		}
		out[i].types = append(out[i].types, fmt.Sprintf("%s ×%d", f.Type, f.Count))
	}
	return out
}

// assumptionSummary lists the headline usage figures in one line.
func assumptionSummary(a Assumptions) string {
	return fmt.Sprintf("Aurora %s GB and %s M I/O, EFS %s GB, MQ %s GB a node, NAT %s GB a gateway, ALB %s LCU, logs %s GB a group, backups %s GB",
		num(a.AuroraStorageGB), num(a.AuroraIOMillions), num(a.EFSStorageGB), num(a.MQStorageGBPerNode),
		num(a.NATGBPerGateway), num(a.ALBLCUs), num(a.LogGBPerGroup), num(a.BackupGB))
}

// usd renders an amount with cents.
func usd(v float64) string { return fmt.Sprintf("%.2f", v) }
