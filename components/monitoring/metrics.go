package monitoring

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
)

// Namespaces of the metrics the alarms watch.
const (
	albNamespace     = "AWS/ApplicationELB"
	ec2Namespace     = "AWS/EC2"
	rdsNamespace     = "AWS/RDS"
	mqNamespace      = "AWS/AmazonMQ"
	esNamespace      = "AWS/ES"
	efsNamespace     = "AWS/EFS"
	route53Namespace = "AWS/Route53"
	natNamespace     = "AWS/NATGateway"
)

// minRequestsForRate is the traffic below which the target 5xx rate counts as 0:
// at night one failed call out of three is not an incident.
const minRequestsForRate = 20

// alarmMetric is what one alarm watches: a single metric, or metric queries
// (metric math or Metrics Insights) of which exactly one returns data.
type alarmMetric struct {
	namespace, metric string
	// stat is a statistic (Sum, Maximum, ...) or a percentile (p99).
	stat    string
	dims    pulumi.StringMap
	queries cloudwatch.MetricAlarmMetricQueryArray
	// subject names the watched resource in the description, when per-resource.
	subject pulumi.StringInput
}

// metricBuilders map every catalog key to what its alarm watches. A test runs
// the component and requires an alarm for every catalog key.
var metricBuilders = map[string]func(b *builder, s AlarmSpec) alarmMetric{
	"albElb5xx": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(albNamespace, "HTTPCode_ELB_5XX_Count", "Sum", b.lbDims())
	},
	"albTarget5xxRate": (*builder).target5xxRate,
	"albTargetP99": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(albNamespace, "TargetResponseTime", "p99", b.targetDims())
	},
	"albUnhealthyHosts": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(albNamespace, "UnHealthyHostCount", "Maximum", b.targetDims())
	},
	"albHealthyHosts": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(albNamespace, "HealthyHostCount", "Minimum", b.targetDims())
	},

	"natPortAllocationErrors": natMetric("ErrorPortAllocation", "Sum"),
	"natPacketsDropped":       natMetric("PacketsDropCount", "Sum"),

	"appCpu": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(ec2Namespace, "CPUUtilization", "Maximum", b.asgDims())
	},
	"appStatusCheck": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(ec2Namespace, "StatusCheckFailed", "Maximum", b.asgDims())
	},
	"appMemory": func(b *builder, s AlarmSpec) alarmMetric {
		return insights(b.agentQuery("MAX", agentconfig.MemUsedMetric), s)
	},
	"appDisk": func(b *builder, s AlarmSpec) alarmMetric {
		return insights(b.agentQuery("MAX", agentconfig.DiskUsedMetric, agentconfig.PathDimension, s.DiskPath), s)
	},
	"appProcess": func(b *builder, s AlarmSpec) alarmMetric {
		return insights(b.agentQuery("MIN", agentconfig.ProcessCountMetric, agentconfig.PatternDimension, b.args.ProcessPattern), s)
	},

	"dbCpu":              dbInstanceMetric("CPUUtilization", "Average"),
	"dbFreeableMemory":   dbInstanceMetric("FreeableMemory", "Minimum"),
	"dbConnections":      dbInstanceMetric("DatabaseConnections", "Maximum"),
	"dbFreeLocalStorage": dbInstanceMetric("FreeLocalStorage", "Minimum"),
	"dbReplicaLag":       dbInstanceMetric("AuroraReplicaLag", "Maximum"),
	"dbDeadlocks":        dbInstanceMetric("Deadlocks", "Average"),

	"mqMemoryUsed": func(b *builder, s AlarmSpec) alarmMetric {
		return b.brokerRatio(s, "100 * used / limit", "memory used (% of limit)",
			query{"used", "RabbitMQMemUsed", "Average"}, query{"limit", "RabbitMQMemLimit", "Average"})
	},
	"mqDiskFree": func(b *builder, s AlarmSpec) alarmMetric {
		return b.brokerRatio(s, "free / freelimit", "free disk (× limit)",
			query{"free", "RabbitMQDiskFree", "Minimum"}, query{"freelimit", "RabbitMQDiskFreeLimit", "Maximum"})
	},
	"mqQueueDepth": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(mqNamespace, "MessageCount", "Maximum", b.brokerDims())
	},
	"mqConnections": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(mqNamespace, "ConnectionCount", "Minimum", b.brokerDims())
	},

	"osClusterRed":      searchMetric("ClusterStatus.red", "Maximum"),
	"osClusterYellow":   searchMetric("ClusterStatus.yellow", "Maximum"),
	"osFreeStorage":     searchMetric("FreeStorageSpace", "Minimum"),
	"osJvmPressure":     searchMetric("JVMMemoryPressure", "Maximum"),
	"osCpu":             searchMetric("CPUUtilization", "Maximum"),
	"osMasterReachable": searchMetric("MasterReachableFromNode", "Minimum"),
	"osSnapshotFailure": searchMetric("AutomatedSnapshotFailure", "Maximum"),
	"osWritesBlocked":   searchMetric("ClusterIndexWritesBlocked", "Maximum"),

	"efsIoLimit": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(efsNamespace, "PercentIOLimit", "Maximum", b.efsDims())
	},
	"efsClientConnections": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(efsNamespace, "ClientConnections", "Sum", b.efsDims())
	},

	"healthCheck": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(route53Namespace, "HealthCheckStatus", "Minimum", pulumi.StringMap{"HealthCheckId": b.healthCheckID})
	},

	"logErrors": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(b.args.LogMetricsNamespace, ErrorLinesMetric, "Sum", nil)
	},
	"logFailedLogins": func(b *builder, _ AlarmSpec) alarmMetric {
		return single(b.args.LogMetricsNamespace, FailedLoginsMetric, "Sum", nil)
	},
}

func single(namespace, metric, stat string, dims pulumi.StringMap) alarmMetric {
	return alarmMetric{namespace: namespace, metric: metric, stat: stat, dims: dims}
}

func dbInstanceMetric(metric, stat string) func(b *builder, s AlarmSpec) alarmMetric {
	return func(b *builder, s AlarmSpec) alarmMetric {
		id := b.args.DbInstanceIdentifiers.ToStringArrayOutput().Index(pulumi.Int(s.DBInstance))
		m := single(rdsNamespace, metric, stat, pulumi.StringMap{"DBInstanceIdentifier": id})
		m.subject = pulumi.Sprintf("DB instance %s", id)
		return m
	}
}

func natMetric(metric, stat string) func(b *builder, s AlarmSpec) alarmMetric {
	return func(b *builder, s AlarmSpec) alarmMetric {
		// The count that sized the alarms must match the gateways once known.
		id := b.args.NatGatewayIds.ToStringArrayOutput().ApplyT(func(ids []string) (string, error) {
			if len(ids) != b.args.NatGatewayCount {
				return "", fmt.Errorf("monitoring: NatGatewayCount is %d but %d NAT gateway ids were given", b.args.NatGatewayCount, len(ids))
			}
			return ids[s.NATGateway], nil
		}).(pulumi.StringOutput)
		m := single(natNamespace, metric, stat, pulumi.StringMap{"NatGatewayId": id})
		m.subject = pulumi.Sprintf("NAT gateway %s", id)
		return m
	}
}

func searchMetric(metric, stat string) func(b *builder, s AlarmSpec) alarmMetric {
	return func(b *builder, _ AlarmSpec) alarmMetric {
		return single(esNamespace, metric, stat, b.searchDims())
	}
}

// Dimension sets.

func (b *builder) lbDims() pulumi.StringMap {
	return pulumi.StringMap{"LoadBalancer": b.args.LoadBalancerArnSuffix}
}

func (b *builder) targetDims() pulumi.StringMap {
	return pulumi.StringMap{"LoadBalancer": b.args.LoadBalancerArnSuffix, "TargetGroup": b.args.TargetGroupArnSuffix}
}

func (b *builder) asgDims() pulumi.StringMap {
	return pulumi.StringMap{agentconfig.ASGDimension: b.args.AsgName}
}

// brokerDims: for RabbitMQ (single-instance and CLUSTER_MULTI_AZ alike) the
// broker-level metrics carry only Broker=<name>; cluster values are node sums.
func (b *builder) brokerDims() pulumi.StringMap {
	return pulumi.StringMap{"Broker": b.args.BrokerName}
}

// searchDims: OpenSearch domain metrics need the account id as ClientId.
func (b *builder) searchDims() pulumi.StringMap {
	return pulumi.StringMap{"DomainName": b.args.SearchDomainName, "ClientId": pulumi.String(b.args.Env.AccountID)}
}

func (b *builder) efsDims() pulumi.StringMap {
	return pulumi.StringMap{"FileSystemId": b.args.EfsFileSystemId}
}

// query is one metric inside metric math: its id, metric name and statistic.
type query struct{ id, metric, stat string }

func metricQuery(namespace string, q query, dims pulumi.StringMap, period int) cloudwatch.MetricAlarmMetricQueryInput {
	return cloudwatch.MetricAlarmMetricQueryArgs{
		Id: pulumi.String(q.id),
		Metric: cloudwatch.MetricAlarmMetricQueryMetricArgs{
			Namespace:  pulumi.String(namespace),
			MetricName: pulumi.String(q.metric),
			Stat:       pulumi.String(q.stat),
			Period:     pulumi.Int(period),
			Dimensions: dims,
		},
		ReturnData: pulumi.Bool(false),
	}
}

func expression(expr, label string) cloudwatch.MetricAlarmMetricQueryInput {
	return cloudwatch.MetricAlarmMetricQueryArgs{
		Id:         pulumi.String("e1"),
		Expression: pulumi.String(expr),
		Label:      pulumi.String(label),
		ReturnData: pulumi.Bool(true),
	}
}

// target5xxRate is the share of target responses that are 5xx, forced to 0
// below minRequestsForRate requests per period.
func (b *builder) target5xxRate(s AlarmSpec) alarmMetric {
	return alarmMetric{queries: cloudwatch.MetricAlarmMetricQueryArray{
		metricQuery(albNamespace, query{"errors", "HTTPCode_Target_5XX_Count", "Sum"}, b.targetDims(), s.Period),
		metricQuery(albNamespace, query{"requests", "RequestCount", "Sum"}, b.targetDims(), s.Period),
		expression(fmt.Sprintf("IF(requests >= %d, 100 * FILL(errors, 0) / requests, 0)", minRequestsForRate), "target 5xx (% of requests)"),
	}}
}

// brokerRatio divides two broker metrics with metric math.
func (b *builder) brokerRatio(s AlarmSpec, expr, label string, num, den query) alarmMetric {
	return alarmMetric{queries: cloudwatch.MetricAlarmMetricQueryArray{
		metricQuery(mqNamespace, num, b.brokerDims(), s.Period),
		metricQuery(mqNamespace, den, b.brokerDims(), s.Period),
		expression(expr, label),
	}}
}

// insights wraps a Metrics Insights query. SEARCH cannot back an alarm; a
// query aggregating to one series can, and matches whatever extra dimensions
// the agent adds.
func insights(q pulumi.StringOutput, s AlarmSpec) alarmMetric {
	return alarmMetric{queries: cloudwatch.MetricAlarmMetricQueryArray{
		cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String("q1"),
			Expression: q,
			Period:     pulumi.Int(s.Period),
			Label:      pulumi.String(s.Key),
			ReturnData: pulumi.Bool(true),
		},
	}}
}

// agentQuery renders AgentQuery once the group's name is known.
func (b *builder) agentQuery(fn, metric string, filter ...string) pulumi.StringOutput {
	return b.args.AsgName.ToStringOutput().ApplyT(func(asg string) (string, error) {
		return AgentQuery(fn, metric, asg, filter...)
	}).(pulumi.StringOutput)
}

// AgentQuery is the Metrics Insights query over the agent metric of every node
// in the Auto Scaling group asg: fn (MAX or MIN) of metric, optionally narrowed
// by dimension/value pairs in filter. Identifiers are double-quoted and values
// single-quoted, so values must not contain quotes.
func AgentQuery(fn, metric, asg string, filter ...string) (string, error) {
	if len(filter)%2 != 0 {
		return "", fmt.Errorf("monitoring: query filter needs dimension/value pairs, got %v", filter)
	}
	values := append([]string{asg}, filter...)
	for _, v := range values {
		if v == "" || strings.ContainsAny(v, `'"\`) {
			return "", fmt.Errorf("monitoring: %q cannot go into a Metrics Insights query", v)
		}
	}
	var q strings.Builder
	fmt.Fprintf(&q, `SELECT %s("%s") FROM "%s" WHERE "%s" = '%s'`, fn, metric, agentconfig.Namespace, agentconfig.ASGDimension, asg)
	for i := 0; i < len(filter); i += 2 {
		fmt.Fprintf(&q, ` AND "%s" = '%s'`, filter[i], filter[i+1])
	}
	return q.String(), nil
}
