package config

import (
	"fmt"
	"math"
)

// Cost is the `cost` config object: the stack's AWS Budget, its Cost Anomaly
// Detection monitor and the activation of its cost allocation tags. Budget and
// anomaly alerts go to the alerts topic.
type Cost struct {
	// MonthlyBudgetUSD is the stack's monthly AWS Budget in USD, filtered on
	// the stack's Stack tag; it notifies at 80% of actual and 100% of
	// forecast spend. The default is the environment's reference estimate
	// (the shipped stack file's `make plan` total) plus 20%, rounded up;
	// `make plan` prints this stack's own estimate plus 20% and the exact
	// `pulumi config set` line. A budget below the estimate warns.
	MonthlyBudgetUSD float64 `json:"monthlyBudgetUsd"`
	// AnomalyThresholdUSD is the total impact in USD from which a cost anomaly
	// on the stack's Stack tag is sent to the alerts topic.
	AnomalyThresholdUSD float64 `json:"anomalyThresholdUsd"`
	// ActivateAllocationTags activates the Project, Stack and CostCenter cost
	// allocation tags, which the budget and the anomaly monitor filter on.
	// Activation is account-wide (payer or standalone account only), so it is
	// opt-in: turn it on in one stack per account, or activate the tags in the
	// Billing console. AWS refuses the activation until the tags appear in
	// billing data, about a day after the first `pulumi up`.
	ActivateAllocationTags bool `json:"activateAllocationTags"`
}

// ReferenceEstimateUSD is the `make plan` monthly estimate of each
// environment's shipped stack file (Pulumi.<env>.yaml, eu-west-1). The
// program cannot price itself at run time (the estimate needs the plan's
// inventory), so the default budget and the run-time warning use these; a
// test keeps them within 10% of the shipped plans' estimates.
var ReferenceEstimateUSD = map[Environment]float64{
	Dev:     597,
	Staging: 2732,
	Prod:    3307,
}

// BudgetMarkup is the headroom of the default budget over the estimate.
const BudgetMarkup = 1.2

// BudgetFor is estimate plus BudgetMarkup, rounded up to a whole dollar: the
// default budget of a stack whose estimate is estimate.
func BudgetFor(estimate float64) float64 {
	return math.Ceil(math.Round(estimate*BudgetMarkup*100) / 100)
}

// anomalyThresholds are per environment: roughly a day and a half of the
// reference estimate, so one forgotten large instance is reported and the
// daily noise of a small stack is not.
var anomalyThresholds = map[Environment]float64{Dev: 25, Staging: 100, Prod: 150}

// DefaultCost is the cost object an environment gets when the stack file
// leaves it out.
func DefaultCost(env Environment) Cost { return costDefaults(env) }

func costDefaults(env Environment) Cost {
	return Cost{MonthlyBudgetUSD: BudgetFor(ReferenceEstimateUSD[env]), AnomalyThresholdUSD: anomalyThresholds[env]}
}

// AllocationTagKeys are the tags activated for cost allocation: the budget
// and the anomaly monitor filter on Stack; Project and CostCenter let the
// Billing console group the stack's spend.
var AllocationTagKeys = []string{"Project", "Stack", "CostCenter"}

// BudgetTagKey is the tag the budget and the anomaly monitor filter on; its
// value is the stack name (Config.Tags).
const BudgetTagKey = "Stack"

// BudgetWarning is a warning for a budget below the environment's reference
// estimate ("" when there is none): such a budget alerts every month. It is a
// warning, not an error, because a smaller stack (fewer nodes, smaller
// classes) legitimately costs less than the reference.
func (c *Config) BudgetWarning() string {
	est, ok := ReferenceEstimateUSD[c.Environment]
	if !ok || c.Cost.MonthlyBudgetUSD <= 0 || c.Cost.MonthlyBudgetUSD >= est {
		return ""
	}
	return fmt.Sprintf("%s:cost.monthlyBudgetUsd is %v USD, below the %s reference estimate of %v USD a month: the budget will alert every month; "+
		"run `make plan STACK=%s` for this stack's estimate and the value to set", c.Project, c.Cost.MonthlyBudgetUSD, c.Environment, est, c.Stack)
}

func validateCost(cfg *Config, c *collector) {
	if v := cfg.Cost.MonthlyBudgetUSD; v <= 0 || math.IsNaN(v) {
		c.addf("cost.monthlyBudgetUsd", v, "must be a positive amount in USD (the default is the estimate plus 20%%; `make plan` prints it)")
	}
	if v := cfg.Cost.AnomalyThresholdUSD; v < 1 || math.IsNaN(v) {
		c.addf("cost.anomalyThresholdUsd", v, "must be at least 1 USD (Cost Anomaly Detection compares whole-dollar impacts)")
	}
}
