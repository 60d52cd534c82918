// Package deploytime estimates how long a stack's first `pulumi up` takes: a
// table of typical create times per resource type, a phase model of a Morpheus
// node's boot, and the longest path through the plan's dependency graph.
package deploytime

import "sort"

// TableDate is when the figures in the create-time table were last reviewed
// against their sources.
const TableDate = "2026-12-07"

// FastMinutes is the figure shared by API-only types: one synchronous create call
// plus the provider's read-back and eventual-consistency retries take seconds, and
// half a minute rounds that up so that a chain of them is not free.
const FastMinutes = 0.5

// TypeTime is a resource type's typical create time and where the figure comes from.
type TypeTime struct {
	// Type is the Pulumi type token (aws:mq/broker:Broker).
	Type string `json:"type"`
	// Minutes is the typical time from create call to the provider reporting done.
	Minutes float64 `json:"minutes"`
	// Source names the documentation, provider default or assumption behind Minutes.
	Source string `json:"source"`
	// Date is when the figure was taken from its source.
	Date string `json:"date"`
	// NodeBoot marks the Auto Scaling group, whose create waits for its nodes:
	// its figure comes from NodePhases, not from Minutes.
	NodeBoot bool `json:"nodeBoot,omitempty"`
}

// Sources shared by several rows. The provider's default create timeouts quoted in
// rows come from the Timeouts sections of terraform-provider-aws's
// website/docs/r/<resource>.html.markdown (the provider pulumi-aws v6.83.4
// bridges; read 2026-12-07 from stored copies, not pinned to the exact bridged
// version). A timeout is an upper bound, never the typical figure: it is quoted
// only to show the headroom.
const (
	srcIssue = "issue 17 (typical figure agreed for the project)"
	srcFast  = "assumption: API-only create, seconds; shared figure FastMinutes"
	srcLocal = "no cloud call: computed or configured inside the Pulumi engine"
)

// table lists every type the dev, prod and dr plans contain (prod's with
// database.globalCluster, dr's failover too). A type missing here is
// reported as not estimated, never counted as zero; a test fails when a shipped
// plan contains one.
var table = []TypeTime{
	// Slow, asynchronous creates: the provider polls until the service reports ready.
	{Type: "aws:opensearch/domain:Domain", Minutes: 25, Source: srcIssue + "; provider default create timeout 90 min (opensearch_domain)"},
	{Type: "aws:mq/broker:Broker", Minutes: 20, Source: srcIssue + " for a CLUSTER_MULTI_AZ RabbitMQ broker; provider default create timeout 30 min (mq_broker)"},
	{Type: "aws:rds/clusterInstance:ClusterInstance", Minutes: 10, Source: srcIssue + "; provider default create timeout 90 min (rds_cluster_instance)"},
	{Type: "aws:rds/globalCluster:GlobalCluster", Minutes: 5, Source: "assumption: making an existing cluster (sourceDbClusterIdentifier) the primary of a new global database takes a few minutes, the provider waiting until the global cluster is available; provider default create timeout 30 min (rds_global_cluster)"},
	{Type: "aws:rds/cluster:Cluster", Minutes: 3, Source: "assumption: an Aurora cluster without instances (storage volume, managed master secret) is available within minutes; provider default create timeout 120 min (rds_cluster)"},
	{Type: "aws:ec2/natGateway:NatGateway", Minutes: 2, Source: srcIssue},
	{Type: "aws:lb/loadBalancer:LoadBalancer", Minutes: 3, Source: srcIssue + " (ALB provisioning to active); provider default create timeout 10 min (lb)"},
	{Type: "aws:acm/certificateValidation:CertificateValidation", Minutes: 5, Source: "assumption: DNS validation against a record in the same account's Route 53 zone is seen by ACM within minutes; provider default create timeout 75 min (acm_certificate_validation)"},
	{Type: "aws:ec2/vpcEndpoint:VpcEndpoint", Minutes: 2, Source: "assumption: an interface endpoint's ENIs go pending to available in 1-2 min (gateway endpoints are faster)"},
	{Type: "aws:ssm/association:Association", Minutes: 3, Source: "assumption: a stopAll upgrade's association runs `morpheus-ctl stop morpheus-ui` on every old node at once; the provider waits for success (bounded at 15 min)"},
	{Type: "aws:efs/replicationConfiguration:ReplicationConfiguration", Minutes: 5, Source: "assumption: the provider waits until the replication is ENABLED (the destination file system exists), minutes; the initial copy continues afterwards"},
	{Type: "aws:efs/mountTarget:MountTarget", Minutes: 1.5, Source: "assumption: a mount target's ENI goes creating to available in 1-2 min, and its DNS name follows within 90 s (EFS user guide, mounting with DNS names)"},
	{Type: "aws:lambda/function:Function", Minutes: 1.5, Source: "assumption: a VPC function stays Pending while Lambda creates its Hyperplane ENIs (Lambda developer guide, function states), typically 1-2 min"},
	{Type: "aws:lambda/invocation:Invocation", Minutes: 1, Source: "assumption: one ops bootstrap run (VPC cold start, then MySQL, RabbitMQ and OpenSearch user setup), bounded by the function's 120 s timeout"},
	{Type: "aws:route53/record:Record", Minutes: 1, Source: "Route 53 developer guide: changes reach all authoritative name servers within 60 s; the provider waits for INSYNC"},
	{Type: "aws:autoscaling/group:Group", NodeBoot: true, Source: "node boot phases (NodePhases): the provider waits for minElbCapacity healthy targets unless waitForCapacityTimeout is \"0\"; provider default wait 10 min, this stack sets its own"},

	// API-only creates.
	{Type: "aws:acm/certificate:Certificate", Minutes: FastMinutes, Source: srcFast + " (the request returns at once; validation is its own resource)"},
	{Type: "aws:autoscaling/policy:Policy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:autoscaling/schedule:Schedule", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:budgets/budget:Budget", Minutes: FastMinutes, Source: srcFast + " (the budget and its notifications are one API call each)"},
	{Type: "aws:costexplorer/anomalyMonitor:AnomalyMonitor", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:costexplorer/anomalySubscription:AnomalySubscription", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:costexplorer/costAllocationTag:CostAllocationTag", Minutes: FastMinutes, Source: srcFast + " (fails, rather than waits, while the tag is not yet in billing data)"},
	{Type: "aws:fis/experimentTemplate:ExperimentTemplate", Minutes: FastMinutes, Source: srcFast + " (FIS checks the role, targets and alarms at create, seconds)"},
	{Type: "aws:cloudwatch/dashboard:Dashboard", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:cloudwatch/eventRule:EventRule", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:cloudwatch/eventTarget:EventTarget", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:cloudwatch/logGroup:LogGroup", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:cloudwatch/logMetricFilter:LogMetricFilter", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:cloudwatch/metricAlarm:MetricAlarm", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", Minutes: FastMinutes, Source: srcFast + " (adopts and empties the VPC's default group)"},
	{Type: "aws:ec2/eip:Eip", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/flowLog:FlowLog", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/internetGateway:InternetGateway", Minutes: FastMinutes, Source: srcFast + " (create and attach)"},
	{Type: "aws:ec2/launchTemplate:LaunchTemplate", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/route:Route", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/routeTable:RouteTable", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/routeTableAssociation:RouteTableAssociation", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/securityGroup:SecurityGroup", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/securityGroupRule:SecurityGroupRule", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ec2/subnet:Subnet", Minutes: FastMinutes, Source: srcFast + " (available in seconds)"},
	{Type: "aws:ec2/vpc:Vpc", Minutes: FastMinutes, Source: srcFast + " (available in seconds)"},
	{Type: "aws:efs/backupPolicy:BackupPolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:backup/vault:Vault", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:backup/vaultPolicy:VaultPolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:backup/vaultLockConfiguration:VaultLockConfiguration", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:backup/plan:Plan", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:backup/selection:Selection", Minutes: FastMinutes, Source: srcFast + " (the first job runs at the plan's schedule, not during `up`)"},
	{Type: "aws:backup/restoreTestingPlan:RestoreTestingPlan", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:backup/restoreTestingSelection:RestoreTestingSelection", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:efs/fileSystem:FileSystem", Minutes: FastMinutes, Source: srcFast + " (creating to available in seconds; mount targets are their own resources)"},
	{Type: "aws:efs/fileSystemPolicy:FileSystemPolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:iam/instanceProfile:InstanceProfile", Minutes: FastMinutes, Source: srcFast + " (the provider retries until IAM has propagated it)"},
	{Type: "aws:iam/role:Role", Minutes: FastMinutes, Source: srcFast + " (the provider retries until IAM has propagated it)"},
	{Type: "aws:iam/rolePolicy:RolePolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:kms/alias:Alias", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:kms/key:Key", Minutes: FastMinutes, Source: srcFast + " (the provider waits for the key and its policy to propagate, seconds)"},
	{Type: "aws:lambda/permission:Permission", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:lb/listener:Listener", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:lb/targetGroup:TargetGroup", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:rds/clusterParameterGroup:ClusterParameterGroup", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:rds/subnetGroup:SubnetGroup", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:route53/healthCheck:HealthCheck", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketPolicy:BucketPolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketV2:BucketV2", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:s3/bucketVersioningV2:BucketVersioningV2", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:secretsmanager/secret:Secret", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:secretsmanager/secretPolicy:SecretPolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:secretsmanager/secretRotation:SecretRotation", Minutes: FastMinutes, Source: srcFast + " (the provider returns once rotation is configured; the first rotation runs on its own)"},
	{Type: "aws:secretsmanager/secretVersion:SecretVersion", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:sns/topic:Topic", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:sns/topicPolicy:TopicPolicy", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:sns/topicSubscription:TopicSubscription", Minutes: FastMinutes, Source: srcFast + " (an email subscription stays pending confirmation; the provider does not wait for it)"},
	{Type: "aws:ssm/document:Document", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ssm/maintenanceWindow:MaintenanceWindow", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ssm/maintenanceWindowTask:MaintenanceWindowTask", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ssm/parameter:Parameter", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ssm/patchBaseline:PatchBaseline", Minutes: FastMinutes, Source: srcFast},
	{Type: "aws:ssm/patchGroup:PatchGroup", Minutes: FastMinutes, Source: srcFast},

	// No cloud call at all.
	{Type: "random:index/randomPassword:RandomPassword", Minutes: 0, Source: srcLocal + " (random provider)"},
	{Type: "pulumi:providers:aws", Minutes: 0, Source: srcLocal + " (provider configuration)"},
}

var byType = func() map[string]TypeTime {
	m := make(map[string]TypeTime, len(table))
	for _, t := range table {
		if t.Date == "" {
			t.Date = TableDate
		}
		m[t.Type] = t
	}
	return m
}()

// Lookup returns the create-time row for a resource type, and false when the
// type is not in the table (the estimate then lists it as not estimated).
func Lookup(typ string) (TypeTime, bool) {
	t, ok := byType[typ]
	return t, ok
}

// Table returns every row of the create-time table, sorted by type.
func Table() []TypeTime {
	out := make([]TypeTime, 0, len(byType))
	for _, t := range byType {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}
