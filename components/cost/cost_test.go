package cost_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/cost"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	topicArn        = "arn:aws:sns:eu-west-1:123456789012:morpheus-ha-staging-alerts"
	budgetType      = "aws:budgets/budget:Budget"
	monitorType     = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
	subscriptionTyp = "aws:costexplorer/anomalySubscription:AnomalySubscription"
	tagType         = "aws:costexplorer/costAllocationTag:CostAllocationTag"
)

func baseArgs() *cost.Args {
	return &cost.Args{
		Namer:               naming.Namer{Project: "morpheus-ha", Stack: "staging"},
		AlertsTopicArn:      pulumi.String(topicArn),
		MonthlyBudgetUSD:    3240,
		AnomalyThresholdUSD: 100,
		TagKey:              "Stack",
		TagValue:            "staging",
	}
}

// program creates the component with a us-east-1 provider for Cost Explorer,
// as the stack does outside us-east-1.
func program(mutate func(*cost.Args)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := baseArgs()
		east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		a.CostExplorerProvider = east
		if mutate != nil {
			mutate(a)
		}
		_, err = cost.NewCost(ctx, "cost", a)
		return err
	}
}

func run(t *testing.T, mutate func(*cost.Args)) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, program(mutate), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

// TestBudgetFiltersOnTheStackTagAndNotifiesTheTopic: the budget watches only
// the stack's tagged costs, and both notifications (80% actual, 100%
// forecast) go to the alerts topic.
func TestBudgetFiltersOnTheStackTagAndNotifiesTheTopic(t *testing.T) {
	rec := run(t, nil)
	budgets := rec.ByType(budgetType)
	require.Len(t, budgets, 1)
	b := budgets[0]
	assert.Equal(t, "morpheus-ha-staging-monthly", b.String("name"))
	assert.Equal(t, "COST", b.String("budgetType"))
	assert.Equal(t, "MONTHLY", b.String("timeUnit"))
	assert.Equal(t, "3240.00", b.String("limitAmount"))
	assert.Equal(t, "USD", b.String("limitUnit"))

	filters := b.Objects("costFilters")
	require.Len(t, filters, 1, "one filter: the stack's tag")
	assert.Equal(t, "TagKeyValue", testutil.Str(filters[0], "name"))
	assert.Equal(t, []string{"user:Stack$staging"}, testutil.Strs(filters[0], "values"))

	type note struct {
		kind, op, thresholdType string
		threshold               float64
		topics                  []string
	}
	var got []note
	for _, n := range b.Objects("notifications") {
		got = append(got, note{testutil.Str(n, "notificationType"), testutil.Str(n, "comparisonOperator"), testutil.Str(n, "thresholdType"),
			testutil.Num(n, "threshold"), testutil.Strs(n, "subscriberSnsTopicArns")})
		assert.Empty(t, testutil.Strs(n, "subscriberEmailAddresses"), "alerts go through the topic, whose subscribers are configured once")
	}
	assert.ElementsMatch(t, []note{
		{"ACTUAL", "GREATER_THAN", "PERCENTAGE", 80, []string{topicArn}},
		{"FORECASTED", "GREATER_THAN", "PERCENTAGE", 100, []string{topicArn}},
	}, got)
	assert.Empty(t, b.Provider, "budgets are global: the stack's own provider")
}

// TestAnomalyMonitorAndSubscription: a custom monitor on the stack tag, an
// immediate SNS subscription (the only frequency SNS takes) to the topic with
// the configured threshold, all through the us-east-1 provider.
func TestAnomalyMonitorAndSubscription(t *testing.T) {
	rec := run(t, nil)
	monitors := rec.ByType(monitorType)
	require.Len(t, monitors, 1)
	m := monitors[0]
	assert.Equal(t, "CUSTOM", m.String("monitorType"))
	var spec struct {
		Tags struct {
			Key    string
			Values []string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(m.String("monitorSpecification")), &spec))
	assert.Equal(t, "Stack", spec.Tags.Key)
	assert.Equal(t, []string{"staging"}, spec.Tags.Values)
	assert.Contains(t, m.Provider, "aws-us-east-1", "Cost Explorer answers in us-east-1")

	subs := rec.ByType(subscriptionTyp)
	require.Len(t, subs, 1)
	s := subs[0]
	assert.Equal(t, "IMMEDIATE", s.String("frequency"))
	subscribers := s.Objects("subscribers")
	require.Len(t, subscribers, 1)
	assert.Equal(t, "SNS", testutil.Str(subscribers[0], "type"))
	assert.Equal(t, topicArn, testutil.Str(subscribers[0], "address"))
	assert.Equal(t, "ANOMALY_TOTAL_IMPACT_ABSOLUTE", s.String("thresholdExpression", "dimension", "key"))
	assert.Equal(t, []string{"GREATER_THAN_OR_EQUAL"}, s.Strings("thresholdExpression", "dimension", "matchOptions"))
	assert.Equal(t, []string{"100"}, s.Strings("thresholdExpression", "dimension", "values"))
	assert.Equal(t, []string{"arn:aws:costexplorer:eu-west-1:123456789012:anomalymonitor/cost-anomaly-monitor-id"}, s.Strings("monitorArnLists"),
		"the subscription watches this stack's monitor")
	assert.Contains(t, s.Provider, "aws-us-east-1")
}

// TestTagActivationIsOptIn: account-wide activation happens only when asked,
// for exactly the keys asked.
func TestTagActivationIsOptIn(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"off", nil},
		{"on", []string{"Project", "Stack", "CostCenter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := run(t, func(a *cost.Args) { a.ActivateTagKeys = tc.keys })
			var got []string
			for _, r := range rec.ByType(tagType) {
				assert.Equal(t, "Active", r.String("status"))
				assert.Contains(t, r.Provider, "aws-us-east-1")
				got = append(got, r.String("tagKey"))
			}
			assert.ElementsMatch(t, tc.keys, got)
		})
	}
}

func TestEveryChildIsParented(t *testing.T) {
	rec := run(t, func(a *cost.Args) { a.ActivateTagKeys = []string{"Stack"} })
	testutil.AssertChildrenOf(t, rec, cost.TypeToken, "cost")
}

// TestInvalidArgs: bad arguments fail before the component registers anything.
func TestInvalidArgs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*cost.Args)
		want   string
	}{
		{"zero budget", func(a *cost.Args) { a.MonthlyBudgetUSD = 0 }, "MonthlyBudgetUSD"},
		{"negative budget", func(a *cost.Args) { a.MonthlyBudgetUSD = -5 }, "MonthlyBudgetUSD"},
		{"tiny anomaly threshold", func(a *cost.Args) { a.AnomalyThresholdUSD = 0.5 }, "AnomalyThresholdUSD"},
		{"no topic", func(a *cost.Args) { a.AlertsTopicArn = nil }, "AlertsTopicArn"},
		{"no tag", func(a *cost.Args) { a.TagValue = "" }, "whole account"},
		{"empty tag key to activate", func(a *cost.Args) { a.ActivateTagKeys = []string{""} }, "empty key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(program(tc.mutate), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			for _, r := range rec.Resources() {
				assert.Equal(t, "pulumi:providers:aws", r.Type, "nothing but the test's provider is registered")
			}
		})
	}
}

func TestMonitorSpecificationIsValidJSON(t *testing.T) {
	for _, v := range []string{"prod", `we"ird`, "a b/c"} {
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(cost.MonitorSpecification("Stack", v)), &got), v)
		assert.Equal(t, []any{v}, got["Tags"].(map[string]any)["Values"])
	}
}
