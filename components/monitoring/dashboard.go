package monitoring

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
)

// DashboardBody is a CloudWatch dashboard body, built from typed values and
// json.Marshal so it is valid by construction.
type DashboardBody struct {
	Widgets []Widget `json:"widgets"`
}

// Widget is one dashboard widget; Properties is TextProperties or MetricProperties.
type Widget struct {
	Type       string `json:"type"`
	X          int    `json:"x"`
	Y          int    `json:"y"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Properties any    `json:"properties"`
}

// TextProperties is a Markdown text widget.
type TextProperties struct {
	Markdown string `json:"markdown"`
}

// MetricProperties is a graph.
type MetricProperties struct {
	Title   string       `json:"title"`
	Region  string       `json:"region"`
	View    string       `json:"view"`
	Stacked bool         `json:"stacked"`
	Period  int          `json:"period"`
	Metrics []MetricLine `json:"metrics"`
}

// MetricLine is one entry of a graph's metrics array: a metric with its
// dimensions, or (Expression set) metric math or a Metrics Insights query.
type MetricLine struct {
	Namespace  string
	Metric     string
	Dimensions []Dimension
	Expression string
	Options    LineOptions
}

// Dimension is a metric dimension.
type Dimension struct {
	Name, Value string
}

// LineOptions are the rendering options that end a metrics array entry.
type LineOptions struct {
	Expression string `json:"expression,omitempty"`
	ID         string `json:"id,omitempty"`
	Label      string `json:"label,omitempty"`
	Stat       string `json:"stat,omitempty"`
	Visible    *bool  `json:"visible,omitempty"`
}

// MarshalJSON renders the array form CloudWatch expects:
// [namespace, metric, dim1, value1, ..., {options}] or [{expression...}].
func (l MetricLine) MarshalJSON() ([]byte, error) {
	if l.Expression != "" {
		opts := l.Options
		opts.Expression = l.Expression
		return json.Marshal([]any{opts})
	}
	arr := []any{l.Namespace, l.Metric}
	for _, d := range l.Dimensions {
		arr = append(arr, d.Name, d.Value)
	}
	return json.Marshal(append(arr, l.Options))
}

// dashboardRefs are the resolved names of everything the dashboard shows.
type dashboardRefs struct {
	Region         string
	AccountID      string
	LoadBalancer   string
	TargetGroup    string
	ASG            string
	DBInstances    []string
	Broker         string
	SearchDomain   string
	FileSystem     string
	HealthCheck    string
	LogNamespace   string
	ProcessPattern string
	DiskPaths      []string
}

// Layout: a 24-column grid, one header and up to widgetsPerLine graphs per line.
const (
	gridWidth      = 24
	widgetsPerLine = 4
	graphHeight    = 6
	headerHeight   = 1
	dashPeriod     = 300
)

// row is one tier of the dashboard.
type row struct {
	title  string
	graphs []MetricProperties
}

// renderDashboard lays out one row per tier, naming only refs.
func renderDashboard(r dashboardRefs) (string, error) {
	rows, err := dashboardRows(r)
	if err != nil {
		return "", err
	}
	var body DashboardBody
	y := 0
	for _, rw := range rows {
		body.Widgets = append(body.Widgets, Widget{
			Type: "text", X: 0, Y: y, Width: gridWidth, Height: headerHeight,
			Properties: TextProperties{Markdown: "## " + rw.title},
		})
		y += headerHeight
		for i, g := range rw.graphs {
			if i > 0 && i%widgetsPerLine == 0 {
				y += graphHeight
			}
			if g.Region == "" {
				g.Region = r.Region
			}
			g.View, g.Period = "timeSeries", dashPeriod
			body.Widgets = append(body.Widgets, Widget{
				Type: "metric", X: (i % widgetsPerLine) * (gridWidth / widgetsPerLine), Y: y,
				Width: gridWidth / widgetsPerLine, Height: graphHeight, Properties: g,
			})
		}
		y += graphHeight
	}
	b, err := json.Marshal(body)
	return string(b), err
}

func metric(ns, name, stat string, dims ...string) MetricLine {
	l := MetricLine{Namespace: ns, Metric: name, Options: LineOptions{Stat: stat}}
	for i := 0; i+1 < len(dims); i += 2 {
		l.Dimensions = append(l.Dimensions, Dimension{dims[i], dims[i+1]})
	}
	return l
}

func hidden(l MetricLine, id string) MetricLine {
	f := false
	l.Options.ID, l.Options.Visible = id, &f
	return l
}

func expr(e, id, label string) MetricLine {
	return MetricLine{Expression: e, Options: LineOptions{ID: id, Label: label}}
}

func dashboardRows(r dashboardRefs) ([]row, error) {
	lbTG := []string{"LoadBalancer", r.LoadBalancer, "TargetGroup", r.TargetGroup}
	asg := []string{agentconfig.ASGDimension, r.ASG}
	broker := []string{"Broker", r.Broker}
	search := []string{"DomainName", r.SearchDomain, "ClientId", r.AccountID}
	efs := []string{"FileSystemId", r.FileSystem}

	// Metrics Insights: one query per graph (one query per GetMetricData call).
	insightsGraph := func(title, fn, metricName string, filter ...string) (MetricProperties, error) {
		q, err := AgentQuery(fn, metricName, r.ASG, filter...)
		return MetricProperties{Title: title, Metrics: []MetricLine{expr(q, "q1", title)}}, err
	}
	mem, err := insightsGraph("Memory used % (busiest node)", "MAX", agentconfig.MemUsedMetric)
	if err != nil {
		return nil, err
	}
	proc, err := insightsGraph("morpheus-ui processes (emptiest node)", "MIN", agentconfig.ProcessCountMetric, agentconfig.PatternDimension, r.ProcessPattern)
	if err != nil {
		return nil, err
	}
	app := []MetricProperties{
		{Title: "CPU % (max, average) and status check failures", Metrics: []MetricLine{
			metric(ec2Namespace, "CPUUtilization", "Maximum", asg...),
			metric(ec2Namespace, "CPUUtilization", "Average", asg...),
			metric(ec2Namespace, "StatusCheckFailed", "Maximum", asg...),
		}},
		mem, proc,
	}
	for _, p := range r.DiskPaths {
		g, err := insightsGraph("Disk used % on "+p+" (fullest node)", "MAX", agentconfig.DiskUsedMetric, agentconfig.PathDimension, p)
		if err != nil {
			return nil, err
		}
		app = append(app, g)
	}
	app = append(app, MetricProperties{Title: "morpheus-ui errors and failed logins", Metrics: []MetricLine{
		metric(r.LogNamespace, ErrorLinesMetric, "Sum"),
		metric(r.LogNamespace, FailedLoginsMetric, "Sum"),
	}})

	perInstance := func(title, name, stat string) MetricProperties {
		g := MetricProperties{Title: title}
		for _, id := range r.DBInstances {
			g.Metrics = append(g.Metrics, metric(rdsNamespace, name, stat, "DBInstanceIdentifier", id))
		}
		return g
	}
	lag := perInstance("Replica lag (ms) and deadlocks/s", "AuroraReplicaLag", "Maximum")
	lag.Metrics = append(lag.Metrics, perInstance("", "Deadlocks", "Average").Metrics...)

	lb := []MetricProperties{
		{Title: "Requests and 5xx", Metrics: []MetricLine{
			metric(albNamespace, "RequestCount", "Sum", lbTG...),
			metric(albNamespace, "HTTPCode_Target_5XX_Count", "Sum", lbTG...),
			metric(albNamespace, "HTTPCode_ELB_5XX_Count", "Sum", "LoadBalancer", r.LoadBalancer),
		}},
		{Title: "Target response time (s)", Metrics: []MetricLine{
			metric(albNamespace, "TargetResponseTime", "p99", lbTG...),
			metric(albNamespace, "TargetResponseTime", "p50", lbTG...),
		}},
		{Title: "Healthy and unhealthy targets", Metrics: []MetricLine{
			metric(albNamespace, "HealthyHostCount", "Minimum", lbTG...),
			metric(albNamespace, "UnHealthyHostCount", "Maximum", lbTG...),
		}},
	}
	// No Route 53 health check (internal or restricted ALB): no graph of it.
	if r.HealthCheck != "" {
		lb = append(lb, MetricProperties{Title: "Endpoint health (Route 53, 1 = healthy)", Region: HealthCheckRegion, Metrics: []MetricLine{
			metric(route53Namespace, "HealthCheckStatus", "Minimum", "HealthCheckId", r.HealthCheck),
		}})
	}

	return []row{
		{"Load balancer", lb},
		{"App nodes", app},
		{"Aurora", []MetricProperties{
			perInstance("CPU % per instance", "CPUUtilization", "Average"),
			perInstance("Connections per instance", "DatabaseConnections", "Maximum"),
			perInstance("Freeable memory (bytes) per instance", "FreeableMemory", "Minimum"),
			lag,
		}},
		{"Amazon MQ", []MetricProperties{
			{Title: "Memory used (% of limit)", Metrics: []MetricLine{
				hidden(metric(mqNamespace, "RabbitMQMemUsed", "Average", broker...), "used"),
				hidden(metric(mqNamespace, "RabbitMQMemLimit", "Average", broker...), "limit"),
				expr("100 * used / limit", "e1", "memory used %"),
			}},
			{Title: "Free disk (× limit)", Metrics: []MetricLine{
				hidden(metric(mqNamespace, "RabbitMQDiskFree", "Minimum", broker...), "free"),
				hidden(metric(mqNamespace, "RabbitMQDiskFreeLimit", "Maximum", broker...), "freelimit"),
				expr("free / freelimit", "e1", "free disk × limit"),
			}},
			{Title: "Messages and connections", Metrics: []MetricLine{
				metric(mqNamespace, "MessageCount", "Maximum", broker...),
				metric(mqNamespace, "ConnectionCount", "Minimum", broker...),
			}},
		}},
		{"OpenSearch", []MetricProperties{
			{Title: "Cluster status", Metrics: []MetricLine{
				metric(esNamespace, "ClusterStatus.red", "Maximum", search...),
				metric(esNamespace, "ClusterStatus.yellow", "Maximum", search...),
				metric(esNamespace, "ClusterIndexWritesBlocked", "Maximum", search...),
			}},
			{Title: "Free storage (MB, fullest node)", Metrics: []MetricLine{
				metric(esNamespace, "FreeStorageSpace", "Minimum", search...),
			}},
			{Title: "JVM memory pressure and CPU %", Metrics: []MetricLine{
				metric(esNamespace, "JVMMemoryPressure", "Maximum", search...),
				metric(esNamespace, "CPUUtilization", "Maximum", search...),
			}},
			{Title: "Master reachable and snapshot failures", Metrics: []MetricLine{
				metric(esNamespace, "MasterReachableFromNode", "Minimum", search...),
				metric(esNamespace, "AutomatedSnapshotFailure", "Maximum", search...),
			}},
		}},
		{"EFS", []MetricProperties{
			{Title: "I/O limit %", Metrics: []MetricLine{metric(efsNamespace, "PercentIOLimit", "Maximum", efs...)}},
			{Title: "Client connections", Metrics: []MetricLine{metric(efsNamespace, "ClientConnections", "Sum", efs...)}},
			{Title: "I/O bytes", Metrics: []MetricLine{metric(efsNamespace, "TotalIOBytes", "Sum", efs...)}},
		}},
	}, nil
}

// dashboard renders the body once every watched name is known.
func (b *builder) dashboard() (pulumi.StringOutput, error) {
	a := b.args
	body := pulumi.All(a.LoadBalancerArnSuffix, a.TargetGroupArnSuffix, a.AsgName, a.DbInstanceIdentifiers,
		a.BrokerName, a.SearchDomainName, a.EfsFileSystemId, b.healthCheckID).ApplyT(func(v []any) (string, error) {
		instances, ok := v[3].([]string)
		if !ok {
			return "", fmt.Errorf("monitoring: DB instance identifiers resolved to %T", v[3])
		}
		if len(instances) != a.DbInstanceCount {
			return "", fmt.Errorf("monitoring: DbInstanceCount is %d but %d DB instance identifiers were given", a.DbInstanceCount, len(instances))
		}
		return renderDashboard(dashboardRefs{
			Region: a.Env.Region, AccountID: a.Env.AccountID,
			LoadBalancer: v[0].(string), TargetGroup: v[1].(string), ASG: v[2].(string),
			DBInstances: instances, Broker: v[4].(string), SearchDomain: v[5].(string),
			FileSystem: v[6].(string), HealthCheck: v[7].(string),
			LogNamespace: a.LogMetricsNamespace, ProcessPattern: a.ProcessPattern, DiskPaths: a.DiskPaths,
		})
	}).(pulumi.StringOutput)
	d, err := cloudwatch.NewDashboard(b.ctx, b.name+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(b.args.Namer.Prefix()),
		DashboardBody: body,
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return d.DashboardName, nil
}
