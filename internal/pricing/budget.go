package pricing

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// BudgetAdvice compares the stack's budget (cost.monthlyBudgetUsd, set or
// default) with this plan's estimate. The program cannot price itself at run
// time, so this is where a stack learns its own figure: the estimate plus 20%,
// with the exact command that sets it.
type BudgetAdvice struct {
	// BudgetUSD is the budget the stack will get.
	BudgetUSD float64 `json:"budgetUsd"`
	// Set is whether cost.monthlyBudgetUsd is in the stack file (else default).
	Set bool `json:"set"`
	// SuggestedUSD is this plan's estimate plus 20%, rounded up.
	SuggestedUSD float64 `json:"suggestedUsd"`
	// BelowEstimate is true when the budget is under the estimate: it would
	// alert every month.
	BelowEstimate bool `json:"belowEstimate"`
}

// Budget derives the advice for inv from est: the budget is the stack file's
// cost.monthlyBudgetUsd, or the default of its environment. It fails only
// when the cost object is not JSON, which a plan that ran never has.
func Budget(inv plan.Inventory, est Estimate) (BudgetAdvice, error) {
	env := config.Environment(inv.Values[inv.Project+":environment"])
	if env == "" {
		env = config.DefaultEnvironment
	}
	var raw struct {
		MonthlyBudgetUSD *float64 `json:"monthlyBudgetUsd"`
	}
	if v := inv.Values[inv.Project+":cost"]; v != "" {
		if err := json.Unmarshal([]byte(v), &raw); err != nil {
			return BudgetAdvice{}, fmt.Errorf("%s:cost: %w", inv.Project, err)
		}
	}
	b := config.DefaultCost(env).MonthlyBudgetUSD
	if raw.MonthlyBudgetUSD != nil {
		b = *raw.MonthlyBudgetUSD
	}
	return BudgetAdvice{
		BudgetUSD:     b,
		Set:           raw.MonthlyBudgetUSD != nil,
		SuggestedUSD:  config.BudgetFor(est.TotalUSD),
		BelowEstimate: b < est.TotalUSD,
	}, nil
}

// RenderBudget is the advice as the lines under the estimate.
func RenderBudget(stack string, est Estimate, a BudgetAdvice) string {
	var b strings.Builder
	source := "set in the stack file"
	if !a.Set {
		source = "default: the environment's reference estimate plus 20%"
	}
	fmt.Fprintf(&b, "\nBudget: cost.monthlyBudgetUsd is %s USD (%s).\n", num(a.BudgetUSD), source)
	fmt.Fprintf(&b, "This plan's estimate plus 20%% is %s USD; to budget exactly that:\n", num(a.SuggestedUSD))
	fmt.Fprintf(&b, "  pulumi config set --path cost.monthlyBudgetUsd %s --stack %s\n", num(a.SuggestedUSD), stack)
	if a.BelowEstimate {
		fmt.Fprintf(&b, "WARNING: the budget is below this plan's estimate of %s USD: its 80%% alert will fire every month.\n", usd(est.TotalUSD))
	}
	return b.String()
}
