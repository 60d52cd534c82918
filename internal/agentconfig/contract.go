// Package agentconfig is the one definition of the CloudWatch agent on the app
// nodes: the metric names and dimension keys the app-node alarms query, the log
// files the nodes ship, and the two agent configuration documents that publish
// them. components/monitoring builds its alarms from these constants and
// internal/userdata installs the documents New renders, so the alarms and the
// nodes cannot drift apart. It is pure Go (no Pulumi) so both can import it.
package agentconfig

// The metric contract. The alarms query it with Metrics Insights
// (`FROM "CWAgent" WHERE AutoScalingGroupName = ... AND path|pattern = ...`), so
// the extra dimensions the agent adds (InstanceId, host, pid_finder, fstype) do
// not matter; these names and dimension keys do.
const (
	// Namespace is the agent's default metric namespace; the node role's
	// cloudwatch:namespace condition names it too.
	Namespace = "CWAgent"
	// MemUsedMetric is published by the mem plugin (measurement mem_used_percent).
	MemUsedMetric = memUsedMeasurement
	// DiskUsedMetric is published by the disk plugin, which prefixes its
	// measurement with "disk_"; the mount point is in dimension PathDimension.
	DiskUsedMetric = "disk_" + diskUsedMeasurement
	// ProcessCountMetric is published by the procstat plugin, which prefixes its
	// measurement with "procstat_lookup_"; the pattern is in PatternDimension.
	ProcessCountMetric = "procstat_lookup_" + pidCountMeasurement
	// ASGDimension is appended to every metric (append_dimensions) and is what
	// the alarms aggregate over.
	ASGDimension = "AutoScalingGroupName"
	// InstanceDimension is appended too, so the dashboard can tell nodes apart;
	// the alarms ignore it.
	InstanceDimension = "InstanceId"
	// PathDimension carries a disk metric's mount point.
	PathDimension = "path"
	// PatternDimension carries a procstat metric's pattern, verbatim.
	PatternDimension = "pattern"
)

// Plugin measurements behind the metric names above.
const (
	memUsedMeasurement  = "mem_used_percent"
	diskUsedMeasurement = "used_percent"
	pidCountMeasurement = "pid_count"
)

// collectionIntervalSeconds is how often the agent samples: one point per
// minute matches the alarms' shortest period (60 s) without high-resolution cost.
const collectionIntervalSeconds = 60

// flushIntervalSeconds bounds how long a log line waits on the node. A failed
// bootstrap waits 15 s for the agent before it abandons the launch and the node
// is terminated, so its last lines must leave well within that.
const flushIntervalSeconds = 5
