// Package cost tells the platform team when a stack's spend runs over budget
// or looks abnormal: an AWS Budget filtered on the stack's cost allocation tag
// with actual and forecast notifications, a Cost Anomaly Detection monitor on
// the same tag with a subscription, both to the alerts topic, and optionally
// the activation of the stack's cost allocation tags.
//
// It is created after monitoring and takes the alerts topic's ARN; the topic's
// policy and the notifications key must already admit
// budgets.amazonaws.com and costalerts.amazonaws.com (Publishers).
package cost

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/budgets"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/costexplorer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:cost:Cost"

// CostExplorerRegion is where the Cost Explorer API (anomaly monitors and
// subscriptions, cost allocation tags) answers.
const CostExplorerRegion = "us-east-1"

// Publishers are the service principals that publish this component's alerts:
// the alerts topic's policy and its key must admit them.
var Publishers = []string{"budgets.amazonaws.com", "costalerts.amazonaws.com"}

// Budget notification thresholds, in percent of the budget: 80% of actual
// spend leaves a fifth of the month's money to react; a forecast of 100% warns
// before the money is spent.
const (
	// ActualThresholdPercent alerts on spend already incurred.
	ActualThresholdPercent = 80
	// ForecastThresholdPercent alerts on the month's forecast.
	ForecastThresholdPercent = 100
)

// Args configures the cost controls.
type Args struct {
	// Namer names the budget, the monitor and the subscription.
	Namer naming.Namer
	// AlertsTopicArn receives budget and anomaly alerts.
	AlertsTopicArn pulumi.StringInput
	// MonthlyBudgetUSD is the budget's monthly limit.
	MonthlyBudgetUSD float64
	// AnomalyThresholdUSD is the total impact from which an anomaly is sent.
	AnomalyThresholdUSD float64
	// TagKey and TagValue select the stack's costs (the provider's default
	// tags put them on every resource).
	TagKey, TagValue string
	// ActivateTagKeys are cost allocation tags to activate (account-wide);
	// empty activates none.
	ActivateTagKeys []string
	// CostExplorerProvider is an aws provider in us-east-1 for the Cost
	// Explorer resources; nil when the stack's own provider is there.
	CostExplorerProvider pulumi.ProviderResource
}

// Cost is the component.
type Cost struct {
	pulumi.ResourceState

	// BudgetName is the stack's budget.
	BudgetName pulumi.StringOutput `pulumi:"budgetName"`
	// AnomalyMonitorArn is the stack's cost anomaly monitor.
	AnomalyMonitorArn pulumi.StringOutput `pulumi:"anomalyMonitorArn"`
}

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("cost: "+format, v...)) }
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	}
	if a.AlertsTopicArn == nil {
		add("AlertsTopicArn is required")
	}
	if !(a.MonthlyBudgetUSD > 0) || math.IsInf(a.MonthlyBudgetUSD, 0) {
		add("MonthlyBudgetUSD %v must be positive", a.MonthlyBudgetUSD)
	}
	if !(a.AnomalyThresholdUSD >= 1) || math.IsInf(a.AnomalyThresholdUSD, 0) {
		add("AnomalyThresholdUSD %v must be at least 1", a.AnomalyThresholdUSD)
	}
	if a.TagKey == "" || a.TagValue == "" {
		add("TagKey and TagValue are required: an unfiltered budget would watch the whole account")
	}
	for _, k := range a.ActivateTagKeys {
		if k == "" {
			add("ActivateTagKeys has an empty key")
		}
	}
	return errors.Join(errs...)
}

// NewCost creates the budget, the anomaly monitor and subscription, and the
// tag activations.
func NewCost(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cost, error) {
	if args == nil {
		return nil, errors.New("cost: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Cost{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	ce := []pulumi.ResourceOption{parent}
	if args.CostExplorerProvider != nil {
		ce = append(ce, pulumi.Provider(args.CostExplorerProvider))
	}

	budget, err := budgets.NewBudget(ctx, name+"-budget", &budgets.BudgetArgs{
		Name:        pulumi.String(args.Namer.Name(naming.Generic, "monthly")),
		BudgetType:  pulumi.String("COST"),
		TimeUnit:    pulumi.String("MONTHLY"),
		LimitAmount: pulumi.String(strconv.FormatFloat(args.MonthlyBudgetUSD, 'f', 2, 64)),
		LimitUnit:   pulumi.String("USD"),
		CostFilters: budgets.BudgetCostFilterArray{&budgets.BudgetCostFilterArgs{
			Name:   pulumi.String("TagKeyValue"),
			Values: pulumi.StringArray{pulumi.String(TagFilterValue(args.TagKey, args.TagValue))},
		}},
		Notifications: budgets.BudgetNotificationArray{
			notification("ACTUAL", ActualThresholdPercent, args.AlertsTopicArn),
			notification("FORECASTED", ForecastThresholdPercent, args.AlertsTopicArn),
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	monitor, err := costexplorer.NewAnomalyMonitor(ctx, name+"-anomaly-monitor", &costexplorer.AnomalyMonitorArgs{
		Name:                 pulumi.String(args.Namer.Name(naming.Generic, "spend")),
		MonitorType:          pulumi.String("CUSTOM"),
		MonitorSpecification: pulumi.String(MonitorSpecification(args.TagKey, args.TagValue)),
	}, ce...)
	if err != nil {
		return nil, err
	}
	if _, err := costexplorer.NewAnomalySubscription(ctx, name+"-anomaly-subscription", &costexplorer.AnomalySubscriptionArgs{
		Name: pulumi.String(args.Namer.Name(naming.Generic, "spend-anomalies")),
		// SNS subscribers take IMMEDIATE only; DAILY and WEEKLY are e-mail digests.
		Frequency:       pulumi.String("IMMEDIATE"),
		MonitorArnLists: pulumi.StringArray{monitor.Arn},
		Subscribers: costexplorer.AnomalySubscriptionSubscriberArray{&costexplorer.AnomalySubscriptionSubscriberArgs{
			Type:    pulumi.String("SNS"),
			Address: args.AlertsTopicArn,
		}},
		ThresholdExpression: &costexplorer.AnomalySubscriptionThresholdExpressionArgs{
			Dimension: &costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs{
				Key:          pulumi.String("ANOMALY_TOTAL_IMPACT_ABSOLUTE"),
				MatchOptions: pulumi.StringArray{pulumi.String("GREATER_THAN_OR_EQUAL")},
				Values:       pulumi.StringArray{pulumi.String(strconv.FormatFloat(args.AnomalyThresholdUSD, 'f', -1, 64))},
			},
		},
	}, ce...); err != nil {
		return nil, err
	}

	for _, key := range args.ActivateTagKeys {
		// The tags are account-wide; removing this resource deactivates the
		// tag, which is why activation is opt-in and made by one stack only.
		if _, err := costexplorer.NewCostAllocationTag(ctx, name+"-tag-"+key, &costexplorer.CostAllocationTagArgs{
			TagKey: pulumi.String(key),
			Status: pulumi.String("Active"),
		}, ce...); err != nil {
			return nil, err
		}
	}

	c.BudgetName = budget.Name
	c.AnomalyMonitorArn = monitor.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"budgetName":        c.BudgetName,
		"anomalyMonitorArn": c.AnomalyMonitorArn,
	})
}

// notification alerts the topic when spend of kind (ACTUAL or FORECASTED)
// passes percent of the budget.
func notification(kind string, percent float64, topicArn pulumi.StringInput) *budgets.BudgetNotificationArgs {
	return &budgets.BudgetNotificationArgs{
		NotificationType:       pulumi.String(kind),
		ComparisonOperator:     pulumi.String("GREATER_THAN"),
		Threshold:              pulumi.Float64(percent),
		ThresholdType:          pulumi.String("PERCENTAGE"),
		SubscriberSnsTopicArns: pulumi.StringArray{topicArn},
	}
}

// TagFilterValue is a budget's TagKeyValue filter value for a user tag:
// "user:<key>$<value>".
func TagFilterValue(key, value string) string { return "user:" + key + "$" + value }

// MonitorSpecification is the anomaly monitor's Cost Explorer expression
// selecting costs tagged key=value.
// The null members are what Cost Explorer returns for the expression, so the
// provider sees no difference on refresh.
func MonitorSpecification(key, value string) string {
	k, _ := json.Marshal(key) // a string always marshals
	v, _ := json.Marshal(value)
	return fmt.Sprintf(`{"And":null,"CostCategories":null,"Dimensions":null,"Not":null,"Or":null,"Tags":{"Key":%s,"MatchOptions":null,"Values":[%s]}}`, k, v)
}
