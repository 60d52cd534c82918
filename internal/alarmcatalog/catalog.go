// Package alarmcatalog is the one table of every alarm the monitoring component
// creates: its threshold key (alerts.thresholds.<key>), metric, default, unit,
// comparison, evaluation window, missing-data treatment and the reason for the
// default. Config validation, the component, the offline plan and the alarm
// table in docs/monitoring.md all read it, so none of them can drift.
package alarmcatalog

import (
	"fmt"
	"math"
	"sort"
)

// Tier groups alarms by the part of the stack they watch.
type Tier string

// The tiers. Every tier has at least one alarm (a test holds the catalog to it).
const (
	LoadBalancer Tier = "load balancer"
	NAT          Tier = "nat gateways"
	AppNodes     Tier = "app nodes"
	Aurora       Tier = "aurora"
	MQ           Tier = "amazon mq"
	OpenSearch   Tier = "opensearch"
	EFS          Tier = "efs"
	Endpoint     Tier = "endpoint"
	AppLogs      Tier = "app logs"
)

// Tiers lists the tiers in dashboard and documentation order.
var Tiers = []Tier{LoadBalancer, NAT, AppNodes, Aurora, MQ, OpenSearch, EFS, Endpoint, AppLogs}

// Scale says how a configured number becomes the alarm's threshold.
type Scale string

const (
	// Absolute uses the number as it is.
	Absolute Scale = "absolute"
	// MiB multiplies by 1 MiB: the metric is in bytes, the config in MiB.
	MiB Scale = "MiB"
	// PerMinNode multiplies by the Auto Scaling group's minimum size.
	PerMinNode Scale = "perMinNode"
	// PercentOfMaxConnections takes the percentage of the DB's max_connections.
	PercentOfMaxConnections Scale = "percentOfMaxConnections"
)

// Expand says how many alarms one entry becomes.
type Expand string

const (
	// Once is one alarm.
	Once Expand = "once"
	// PerDBInstance is one alarm per Aurora instance.
	PerDBInstance Expand = "perDbInstance"
	// PerDiskPath is one alarm per path in alerts.diskPaths.
	PerDiskPath Expand = "perDiskPath"
	// PerNATGateway is one alarm per NAT gateway (one in dev, one per AZ in prod).
	PerNATGateway Expand = "perNatGateway"
)

// CloudWatch comparison operators and missing-data treatments the catalog uses.
const (
	Greater        = "GreaterThanThreshold"
	GreaterOrEqual = "GreaterThanOrEqualToThreshold"
	Less           = "LessThanThreshold"

	Breaching    = "breaching"
	NotBreaching = "notBreaching"
	Missing      = "missing"
)

// Entry is one alarm definition.
type Entry struct {
	// Key names the threshold: alerts.thresholds.<Key>; it also ends the alarm name.
	Key string
	// Tier is what the alarm watches.
	Tier Tier
	// Metric describes the metric or expression and its statistic.
	Metric string
	// Default is the threshold in Unit when the config leaves it out.
	Default float64
	// Unit says what the number means.
	Unit string
	// Min and Max bound the values config accepts.
	Min, Max float64
	// Scale turns the number into the alarm threshold.
	Scale Scale
	// Expand says how many alarms the entry becomes.
	Expand Expand
	// Comparison is the CloudWatch comparison operator.
	Comparison string
	// Period is the evaluation period in seconds.
	Period int
	// DatapointsToAlarm of Evaluations breaching periods raise the alarm.
	DatapointsToAlarm, Evaluations int
	// TreatMissingData is breaching, notBreaching or missing.
	TreatMissingData string
	// Reason explains the default and the missing-data choice.
	Reason string
}

// Entries is the catalog, in documentation order.
var Entries = []Entry{
	// Load balancer: AWS/ApplicationELB, dimensions LoadBalancer (+ TargetGroup).
	{
		Key: "albElb5xx", Tier: LoadBalancer,
		Metric:  "AWS/ApplicationELB HTTPCode_ELB_5XX_Count (Sum)",
		Default: 10, Unit: "responses per period", Min: 0, Max: 1e6, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "5xx made by the load balancer itself (no healthy target, target timeout or reset) reach users unfiltered. The metric is published only when non-zero, so no data means no errors.",
	},
	{
		Key: "albTarget5xxRate", Tier: LoadBalancer,
		Metric:  "100 × HTTPCode_Target_5XX_Count / RequestCount (Sum; 0 below 20 requests)",
		Default: 5, Unit: "percent of requests", Min: 0.1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: NotBreaching,
		Reason: "A rate follows Morpheus errors whatever the traffic; below 20 requests per period it is forced to 0 so one failed call at night does not page. No traffic is no evidence of failure.",
	},
	{
		Key: "albTargetP99", Tier: LoadBalancer,
		Metric:  "AWS/ApplicationELB TargetResponseTime (p99)",
		Default: 5, Unit: "seconds", Min: 0.1, Max: 300, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: NotBreaching,
		Reason: "A 99th percentile above 5 s for 15 min means saturated nodes or database (provisioning runs asynchronously, so long jobs do not count). Without requests there is no latency to judge.",
	},
	{
		Key: "albUnhealthyHosts", Tier: LoadBalancer,
		Metric:  "AWS/ApplicationELB UnHealthyHostCount (Maximum)",
		Default: 0, Unit: "targets", Min: 0, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: NotBreaching,
		Reason: "A node failing GET /ping for 15 min is broken, not restarting (a reconfigure takes 2-3 min). The target group reports while it exists; its loss is judged by albHealthyHosts.",
	},
	{
		Key: "albHealthyHosts", Tier: LoadBalancer,
		Metric:  "AWS/ApplicationELB HealthyHostCount (Minimum)",
		Default: 1, Unit: "× app.minNodes", Min: 0.1, Max: 1, Scale: PerMinNode, Expand: Once,
		Comparison: Less, Period: 60, DatapointsToAlarm: 5, Evaluations: 5, TreatMissingData: Breaching,
		Reason: "Fewer healthy nodes than the Auto Scaling minimum means a node or an AZ is lost and capacity is below its floor. No data means the target group reports nothing, which is no better.",
	},

	// NAT gateways: AWS/NATGateway by NatGatewayId, one alarm per gateway.
	{
		Key: "natPortAllocationErrors", Tier: NAT,
		Metric:  "AWS/NATGateway ErrorPortAllocation per NAT gateway (Sum)",
		Default: 0, Unit: "errors per period", Min: 0, Max: 1e6, Scale: Absolute, Expand: PerNATGateway,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "The gateway ran out of source ports to one destination: the nodes' connections there (package downloads, cloud APIs, lifecycle-hook calls without an endpoint) fail now. No data means no errors.",
	},
	{
		Key: "natPacketsDropped", Tier: NAT,
		Metric:  "AWS/NATGateway PacketsDropCount per NAT gateway (Sum)",
		Default: 100, Unit: "packets per period", Min: 0, Max: 1e9, Scale: Absolute, Expand: PerNATGateway,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: NotBreaching,
		Reason: "Drops for 15 min mean the gateway (or its AZ) is impaired and that AZ's nodes lose their way out; a few drops in bursts are normal. No data means no drops.",
	},

	// App nodes: AWS/EC2 by AutoScalingGroupName; CWAgent through Metrics Insights.
	{
		Key: "appCpu", Tier: AppNodes,
		Metric:  "AWS/EC2 CPUUtilization by AutoScalingGroupName (Maximum)",
		Default: 85, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "The busiest node above 85% for 15 min means the group is undersized; Maximum so idle nodes do not hide a hot one. Gaps keep the state: silence is judged by appProcess.",
	},
	{
		Key: "appStatusCheck", Tier: AppNodes,
		Metric:  "AWS/EC2 StatusCheckFailed by AutoScalingGroupName (Maximum)",
		Default: 1, Unit: "failed checks", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 60, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: NotBreaching,
		Reason: "An instance or system check failing for 3 min needs a replacement that the ELB check misses while /ping still answers. No data means no running instance, judged by albHealthyHosts.",
	},
	{
		Key: "appMemory", Tier: AppNodes,
		Metric:  "CWAgent mem_used_percent, MAX over the group (Metrics Insights)",
		Default: 90, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "Morpheus' JVM and embedded services need headroom; above 90% for 15 min a node swaps or meets the OOM killer. A silent agent is judged by appProcess.",
	},
	{
		Key: "appDisk", Tier: AppNodes,
		Metric:  "CWAgent disk_used_percent per path in alerts.diskPaths, MAX over the group (Metrics Insights)",
		Default: 85, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: PerDiskPath,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: Missing,
		Reason: "Nodes need local space for /var/opt/morpheus (bitcan working files, 3.5 GB of package repos per upgrade); 85% leaves time to act. A silent agent is judged by appProcess.",
	},
	{
		Key: "appProcess", Tier: AppNodes,
		Metric:  "CWAgent procstat_lookup_pid_count for alerts.processPattern, MIN over the group (Metrics Insights)",
		Default: 1, Unit: "processes", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Less, Period: 60, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Breaching,
		Reason: "A node without its morpheus-ui process for 3 min serves errors; no data means the agent or every node is gone, as bad. Nodes publish it only once Morpheus runs, so boots do not page.",
	},

	// Aurora: AWS/RDS by DBInstanceIdentifier, one alarm per instance.
	{
		Key: "dbCpu", Tier: Aurora,
		Metric:  "AWS/RDS CPUUtilization per DB instance (Average)",
		Default: 80, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: PerDBInstance,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "Above 80% for 15 min queries queue and Morpheus pages slow down; per instance because the writer and readers carry different load. Gaps keep the state (maintenance, failover).",
	},
	{
		Key: "dbFreeableMemory", Tier: Aurora,
		Metric:  "AWS/RDS FreeableMemory per DB instance (Minimum)",
		Default: 1024, Unit: "MiB", Min: 64, Max: 1048576, Scale: MiB, Expand: PerDBInstance,
		Comparison: Less, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "Below 1 GiB the buffer pool and connections compete for memory and Aurora may restart the instance. Absolute because the instance class is the data tier's choice.",
	},
	{
		Key: "dbConnections", Tier: Aurora,
		Metric:  "AWS/RDS DatabaseConnections per DB instance (Maximum)",
		Default: 80, Unit: "percent of max_connections", Min: 1, Max: 100, Scale: PercentOfMaxConnections, Expand: PerDBInstance,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: Missing,
		Reason: "Each Morpheus node pools up to 150 connections; at 80% of max_connections one more node or a reconnect storm after failover exhausts the limit.",
	},
	{
		Key: "dbFreeLocalStorage", Tier: Aurora,
		Metric:  "AWS/RDS FreeLocalStorage per DB instance (Minimum)",
		Default: 4096, Unit: "MiB", Min: 64, Max: 1048576, Scale: MiB, Expand: PerDBInstance,
		Comparison: Less, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: Missing,
		Reason: "Local storage holds temporary tables and logs; when it runs out large queries fail. 4 GiB is a fraction of any production class's local volume.",
	},
	{
		Key: "dbReplicaLag", Tier: Aurora,
		Metric:  "AWS/RDS AuroraReplicaLag per DB instance (Maximum)",
		Default: 1000, Unit: "milliseconds", Min: 10, Max: 600000, Scale: Absolute, Expand: PerDBInstance,
		Comparison: Greater, Period: 60, DatapointsToAlarm: 5, Evaluations: 5, TreatMissingData: NotBreaching,
		Reason: "A reader 1 s behind for 5 min would lose recent writes if promoted. The writer publishes no lag and a single-instance cluster none at all, so no data is healthy.",
	},
	{
		Key: "dbDeadlocks", Tier: Aurora,
		Metric:  "AWS/RDS Deadlocks per DB instance (Average)",
		Default: 0.05, Unit: "deadlocks per second", Min: 0, Max: 1000, Scale: Absolute, Expand: PerDBInstance,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: NotBreaching,
		Reason: "Morpheus retries an occasional deadlock; more than 0.05/s (15 per 5 min) for 10 min points at a job storm or a schema problem. No data means no deadlocks.",
	},

	// Amazon MQ: AWS/AmazonMQ by Broker (broker level; cluster values are node sums).
	{
		Key: "mqMemoryUsed", Tier: MQ,
		Metric:  "100 × RabbitMQMemUsed / RabbitMQMemLimit (Average)",
		Default: 80, Unit: "percent of the memory limit", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: Missing,
		Reason: "At 100% RabbitMQ raises its memory alarm and blocks every publisher, which stalls Morpheus. For a cluster both metrics are sums over the three nodes. Silence is judged by mqConnections.",
	},
	{
		Key: "mqDiskFree", Tier: MQ,
		Metric:  "RabbitMQDiskFree / RabbitMQDiskFreeLimit (Minimum)",
		Default: 5, Unit: "× the free-disk limit", Min: 1.1, Max: 1000, Scale: Absolute, Expand: Once,
		Comparison: Less, Period: 300, DatapointsToAlarm: 2, Evaluations: 2, TreatMissingData: Missing,
		Reason: "At the limit RabbitMQ blocks publishers; Amazon MQ sets the limit per instance size (values unpublished), so a ratio fits every size. Cluster values are node sums.",
	},
	{
		Key: "mqQueueDepth", Tier: MQ,
		Metric:  "AWS/AmazonMQ MessageCount (Maximum)",
		Default: 10000, Unit: "messages", Min: 1, Max: 1e9, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "Morpheus drains its queues continuously; a backlog above 10 000 ready and unacknowledged messages for 15 min means its consumers (the app nodes) are stuck or gone.",
	},
	{
		Key: "mqConnections", Tier: MQ,
		Metric:  "AWS/AmazonMQ ConnectionCount (Minimum)",
		Default: 1, Unit: "× app.minNodes", Min: 0.1, Max: 100, Scale: PerMinNode, Expand: Once,
		Comparison: Less, Period: 60, DatapointsToAlarm: 5, Evaluations: 5, TreatMissingData: Breaching,
		Reason: "Every running Morpheus node holds AMQP connections; fewer than one per minimum node means nodes lost the broker (credentials, TLS, security group). No data means the broker is gone.",
	},

	// OpenSearch: AWS/ES by DomainName and ClientId (the account id).
	{
		Key: "osClusterRed", Tier: OpenSearch,
		Metric:  "AWS/ES ClusterStatus.red (Maximum)",
		Default: 1, Unit: "status flag", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 60, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "Red means a primary shard is unassigned: part of Morpheus' logs and stats is unavailable now (AWS recommended alarm). Silence is judged by osMasterReachable.",
	},
	{
		Key: "osClusterYellow", Tier: OpenSearch,
		Metric:  "AWS/ES ClusterStatus.yellow (Maximum)",
		Default: 1, Unit: "status flag", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 60, DatapointsToAlarm: 5, Evaluations: 5, TreatMissingData: NotBreaching,
		Reason: "Unassigned replicas are normal for minutes while a node is replaced; lasting 5 min the domain runs without redundancy (AWS recommended alarm). Silence is judged by osMasterReachable.",
	},
	{
		Key: "osFreeStorage", Tier: OpenSearch,
		Metric:  "AWS/ES FreeStorageSpace (Minimum: the fullest node)",
		Default: 20480, Unit: "MB", Min: 512, Max: 1e8, Scale: Absolute, Expand: Once,
		Comparison: Less, Period: 300, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: Missing,
		Reason: "At the disk watermarks OpenSearch blocks writes. AWS recommends 25% of a node's storage; absolute here because the volume size is the search tier's choice: set it to a quarter of it.",
	},
	{
		Key: "osJvmPressure", Tier: OpenSearch,
		Metric:  "AWS/ES JVMMemoryPressure (Maximum)",
		Default: 95, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 60, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "At 95% for 3 min a data node risks out-of-memory errors and the cluster turning red (AWS recommended alarm).",
	},
	{
		Key: "osCpu", Tier: OpenSearch,
		Metric:  "AWS/ES CPUUtilization (Maximum)",
		Default: 80, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "A data node above 80% for 15 min cannot keep up with Morpheus' log and stats indexing (AWS recommended alarm).",
	},
	{
		Key: "osMasterReachable", Tier: OpenSearch,
		Metric:  "AWS/ES MasterReachableFromNode (Minimum)",
		Default: 1, Unit: "status flag", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: Less, Period: 60, DatapointsToAlarm: 5, Evaluations: 5, TreatMissingData: Breaching,
		Reason: "0 means the master is down or unreachable. This is the tier's one alarm that treats silence as failure: a domain publishing no metrics at all is not healthy.",
	},
	{
		Key: "osSnapshotFailure", Tier: OpenSearch,
		Metric:  "AWS/ES AutomatedSnapshotFailure (Maximum)",
		Default: 1, Unit: "failed snapshots", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 60, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "A failed automated snapshot leaves the domain without its AWS-side restore point (AWS recommended alarm). No data means no failure.",
	},
	{
		Key: "osWritesBlocked", Tier: OpenSearch,
		Metric:  "AWS/ES ClusterIndexWritesBlocked (Maximum)",
		Default: 1, Unit: "status flag", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: GreaterOrEqual, Period: 300, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "Blocked writes (disk or memory pressure) make Morpheus lose logs and stats at once (AWS recommended alarm). No data means nothing is blocked.",
	},

	// EFS: AWS/EFS by FileSystemId.
	{
		Key: "efsIoLimit", Tier: EFS,
		Metric:  "AWS/EFS PercentIOLimit (Maximum)",
		Default: 90, Unit: "percent", Min: 1, Max: 100, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Missing,
		Reason: "General Purpose mode caps I/O operations; near 100% every node's access to /var/opt/morpheus/morpheus-ui slows down. Silence is judged by efsClientConnections.",
	},
	{
		Key: "efsClientConnections", Tier: EFS,
		Metric:  "AWS/EFS ClientConnections (Sum per minute)",
		Default: 1, Unit: "× app.minNodes", Min: 0.1, Max: 10, Scale: PerMinNode, Expand: Once,
		Comparison: Less, Period: 60, DatapointsToAlarm: 5, Evaluations: 5, TreatMissingData: Breaching,
		Reason: "Every node mounts the shared directory; fewer connections than minimum nodes means a node lost its mount and writes to local disk. No data means no client at all.",
	},

	// Endpoint: AWS/Route53 in us-east-1 by HealthCheckId.
	{
		Key: "healthCheck", Tier: Endpoint,
		Metric:  "AWS/Route53 HealthCheckStatus of https://<domain>/ping (Minimum, us-east-1)",
		Default: 1, Unit: "status flag", Min: 1, Max: 1, Scale: Absolute, Expand: Once,
		Comparison: Less, Period: 60, DatapointsToAlarm: 3, Evaluations: 3, TreatMissingData: Breaching,
		Reason: "What users see: /ping failing from the Route 53 checkers for 3 min. Route 53 publishes only in us-east-1, so the alarm and its topic live there. No data means the check is gone.",
	},

	// App logs: metric filters on the morpheus-ui log group.
	{
		Key: "logErrors", Tier: AppLogs,
		Metric:  "morpheus-ui log lines matching alerts.errorLogPattern (Sum)",
		Default: 50, Unit: "lines per period", Min: 1, Max: 1e6, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "Morpheus logs some ERROR lines in normal work (a failing cloud sync); more than 50 in 5 min over all nodes is systemic. Tune after a week of traffic. No data means no matching line.",
	},
	{
		Key: "logFailedLogins", Tier: AppLogs,
		Metric:  "morpheus-ui log lines matching alerts.failedLoginPattern (Sum)",
		Default: 10, Unit: "lines per period", Min: 1, Max: 1e6, Scale: Absolute, Expand: Once,
		Comparison: Greater, Period: 300, DatapointsToAlarm: 1, Evaluations: 1, TreatMissingData: NotBreaching,
		Reason: "More than 10 failed logins in 5 min suggests password guessing. The log message is unconfirmed, hence the configurable pattern. No data means no matching line.",
	},
}

// byKey indexes Entries.
var byKey = func() map[string]Entry {
	m := make(map[string]Entry, len(Entries))
	for _, e := range Entries {
		m[e.Key] = e
	}
	return m
}()

// Lookup returns the entry of key.
func Lookup(key string) (Entry, bool) {
	e, ok := byKey[key]
	return e, ok
}

// Keys returns every threshold key, sorted.
func Keys() []string {
	keys := make([]string, 0, len(Entries))
	for _, e := range Entries {
		keys = append(keys, e.Key)
	}
	sort.Strings(keys)
	return keys
}

// Defaults returns a fresh map of every key to its default.
func Defaults() map[string]float64 {
	m := make(map[string]float64, len(Entries))
	for _, e := range Entries {
		m[e.Key] = e.Default
	}
	return m
}

// Check reports whether v is an acceptable value for key.
func Check(key string, v float64) error {
	e, ok := byKey[key]
	if !ok {
		return fmt.Errorf("unknown threshold; known thresholds are %v", Keys())
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < e.Min || v > e.Max {
		return fmt.Errorf("must be between %s and %s (%s)", FormatNumber(e.Min), FormatNumber(e.Max), e.Unit)
	}
	return nil
}

// Sizing holds the deployment facts that scaled thresholds depend on.
type Sizing struct {
	// MinNodes is the app Auto Scaling group's minimum size.
	MinNodes int
	// DBMaxConnections is max_connections of each Aurora instance.
	DBMaxConnections int
}

// Threshold turns a configured value of e into the alarm threshold.
func (e Entry) Threshold(v float64, s Sizing) float64 {
	switch e.Scale {
	case MiB:
		return v * 1024 * 1024
	case PerMinNode:
		return v * float64(s.MinNodes)
	case PercentOfMaxConnections:
		return v / 100 * float64(s.DBMaxConnections)
	default:
		return v
	}
}
