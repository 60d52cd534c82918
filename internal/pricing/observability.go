package pricing

import (
	"fmt"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// secretAssumption is shared by secrets of the stack and the secret RDS
// creates for a managed master password, so both land on one row.
const secretAssumption = "1 per secret, replicas included (RDS-managed master password counted on its cluster)"

// priceKey prices a KMS key by the month.
func priceKey(c *calc, e plan.Entry) {
	c.add(e, "KMS", "customer managed keys", "kms.key", 1, "1 per key")
}

// priceSecret prices a secret and each of its replicas (a replica bills as a
// secret).
func priceSecret(c *calc, e plan.Entry) {
	c.add(e, "Secrets Manager", "secrets", "secretsmanager.secret", float64(1+len(listOf(e.Inputs["replicas"]))), secretAssumption)
}

// priceParameter prices an SSM parameter: the Standard tier is free, the
// Advanced tier bills by the month.
func priceParameter(c *calc, e plan.Entry) {
	switch tier := stringOf(e.Inputs["tier"]); tier {
	case "", "Standard":
		c.free(e, "Standard-tier parameters are free")
	case "Advanced":
		c.add(e, "SSM", "Advanced parameters", "ssm.parameter.advanced", 1, "1 per parameter")
	default:
		c.notPriced(e, fmt.Sprintf("parameter tier %q: the tier AWS picks is not known offline", tier))
	}
}

// priceAlarm prices a metric alarm per metric it evaluates: each metric of a
// metric-math alarm bills as one, a Metrics Insights query bills per series it
// analyzes (one per app node here: the queries span the Auto Scaling group),
// and a period under 60 s bills at the high-resolution rate.
func priceAlarm(c *calc, e plan.Entry) {
	queries := listOf(e.Inputs["metricQueries"])
	if len(queries) == 0 {
		period, _ := numberOf(e.Inputs["period"])
		c.alarmMetrics(e, 1, period, "1 per alarm metric")
		return
	}
	for _, q := range queries {
		query := objectOf(q)
		if m := objectOf(query["metric"]); m != nil {
			period, _ := numberOf(m["period"])
			c.alarmMetrics(e, 1, period, "1 per alarm metric")
			continue
		}
		expr := strings.TrimSpace(stringOf(query["expression"]))
		period, _ := numberOf(query["period"])
		switch {
		case strings.HasPrefix(strings.ToUpper(expr), "SELECT"):
			c.alarmMetrics(e, max(c.nodes, 1), period, "Metrics Insights query: 1 per app node (the query spans the Auto Scaling group)")
		case strings.Contains(strings.ToUpper(expr), "ANOMALY_DETECTION_BAND"):
			c.alarmMetrics(e, 3, period, "anomaly detection band: 3 alarm metrics")
		}
		// Other expressions combine metrics already counted and cost nothing.
	}
}

// alarmMetrics bills n alarm metrics at the standard or high-resolution rate.
func (c *calc) alarmMetrics(e plan.Entry, n, period float64, assumption string) {
	if period > 0 && period < 60 {
		c.add(e, "CloudWatch", "high-resolution alarm metrics", "cloudwatch.alarm.highres", n, assumption)
		return
	}
	c.add(e, "CloudWatch", "standard alarm metrics", "cloudwatch.alarm.standard", n, assumption)
}

// priceCompositeAlarm prices a composite alarm by the month.
func priceCompositeAlarm(c *calc, e plan.Entry) {
	c.add(e, "CloudWatch", "composite alarms", "cloudwatch.alarm.composite", 1, "1 per composite alarm")
}

// priceBudget bills a budget for every day of the month. The account's first
// two budgets are free, but which budgets those are is not the stack's to
// know, so the estimate assumes they are used elsewhere (an overestimate of
// cents).
func priceBudget(c *calc, e plan.Entry) {
	c.add(e, "Budgets", "budgets", "budgets.budget.day", c.a.HoursPerMonth/24,
		fmt.Sprintf("1 per budget, %s days a month; the account's 2 free budgets assumed used elsewhere", num(c.a.HoursPerMonth/24)))
}

// priceDashboard prices a dashboard by the month (the account's first three
// are free; the estimate does not count on that).
func priceDashboard(c *calc, e plan.Entry) {
	c.add(e, "CloudWatch", "dashboards", "cloudwatch.dashboard", 1, "1 per dashboard")
}

// priceLogGroup prices a log group's ingestion and the storage its retention
// holds in steady state (a month's ingestion per 30 days kept).
func priceLogGroup(c *calc, e plan.Entry) {
	if class := stringOf(e.Inputs["logGroupClass"]); class != "" && class != "STANDARD" {
		c.notPriced(e, fmt.Sprintf("log group class %q: the table prices the Standard class only", class))
		return
	}
	c.add(e, "CloudWatch", "log ingestion", "logs.ingest.gb", c.a.LogGBPerGroup, fmt.Sprintf("%s GB per log group", num(c.a.LogGBPerGroup)))
	months := c.a.LogNeverExpireMonths
	kept := fmt.Sprintf("never expires: %s months kept", num(months))
	if days, ok := numberOf(e.Inputs["retentionInDays"]); ok && days > 0 {
		months = days / 30
		kept = fmt.Sprintf("%s days kept", num(days))
	}
	c.add(e, "CloudWatch", "log storage", "logs.store.gb", c.a.LogGBPerGroup*months,
		fmt.Sprintf("%s GB a month per log group, %s", num(c.a.LogGBPerGroup), kept))
}

// priceMetricFilter prices the custom metric a log metric filter publishes.
// With dimensions it publishes one metric per dimension value, which the plan
// cannot know.
func priceMetricFilter(c *calc, e plan.Entry) {
	if len(objectOf(field(e.Inputs, "metricTransformation", "dimensions"))) > 0 {
		c.notPriced(e, "metric filter with dimensions: one metric per dimension value")
		return
	}
	c.add(e, "CloudWatch", "log metric filter metrics", "cloudwatch.metric.custom", 1, "1 metric per filter")
}

// healthCheckFeatures names Route 53's optional features each health check
// type or setting adds, each billed by the month.
func healthCheckFeatures(in map[string]any) []string {
	t := stringOf(in["type"])
	var out []string
	if strings.HasPrefix(t, "HTTPS") {
		out = append(out, "HTTPS")
	}
	if strings.HasSuffix(t, "_STR_MATCH") {
		out = append(out, "string matching")
	}
	if n, ok := numberOf(in["requestInterval"]); ok && n < 30 {
		out = append(out, "fast interval")
	}
	if boolOf(in["measureLatency"]) {
		out = append(out, "latency measurement")
	}
	return out
}

// priceHealthCheck prices a Route 53 health check. Its endpoint is taken to be
// an AWS endpoint (the stack's own load balancer); a check of a non-AWS
// endpoint costs more.
func priceHealthCheck(c *calc, e plan.Entry) {
	c.add(e, "Route 53", "health checks (AWS endpoint)", "route53.healthcheck.aws", 1, "1 per health check; the endpoint is the stack's ALB")
	features := healthCheckFeatures(e.Inputs)
	if len(features) > 0 {
		c.add(e, "Route 53", "health check optional features (AWS endpoint)", "route53.healthcheck.feature", float64(len(features)), "1 per feature: "+strings.Join(features, ", "))
	}
}
