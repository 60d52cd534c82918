package pricing

import "github.com/morpheus-ha/morpheus-ha/internal/plan"

// pricer bills one inventory entry: it adds rows, marks the entry free (for
// inputs that make it so) or lists what it cannot price.
type pricer func(c *calc, e plan.Entry)

// pricers are the billable resource types the estimate prices. Types that
// cost nothing by themselves are in freeTypes; a type in neither is reported
// as not priced.
var pricers = map[string]pricer{
	asgType:                             priceGroup,
	"aws:alb/loadBalancer:LoadBalancer": priceLoadBalancer,
	"aws:efs/replicationConfiguration:ReplicationConfiguration": priceEFSReplication,
	"aws:s3/bucketReplicationConfig:BucketReplicationConfig":    priceBucketReplication,
	"aws:backup/plan:Plan": priceBackupPlan,
	"aws:backup/restoreTestingSelection:RestoreTestingSelection": priceRestoreTest,
	"aws:budgets/budget:Budget":                                  priceBudget,
	"aws:cloudwatch/compositeAlarm:CompositeAlarm":               priceCompositeAlarm,
	"aws:cloudwatch/dashboard:Dashboard":                         priceDashboard,
	"aws:cloudwatch/logGroup:LogGroup":                           priceLogGroup,
	"aws:cloudwatch/logMetricFilter:LogMetricFilter":             priceMetricFilter,
	"aws:cloudwatch/metricAlarm:MetricAlarm":                     priceAlarm,
	"aws:ec2/eip:Eip":                                            priceEIP,
	"aws:ec2/internetGateway:InternetGateway":                    priceInternetGateway,
	"aws:ec2/natGateway:NatGateway":                              priceNAT,
	"aws:ec2/vpcEndpoint:VpcEndpoint":                            priceEndpoint,
	"aws:efs/backupPolicy:BackupPolicy":                          priceEFSBackupPolicy,
	"aws:efs/fileSystem:FileSystem":                              priceFileSystem,
	"aws:kms/key:Key":                                            priceKey,
	"aws:lb/loadBalancer:LoadBalancer":                           priceLoadBalancer,
	"aws:mq/broker:Broker":                                       priceBroker,
	"aws:opensearch/domain:Domain":                               priceSearch,
	"aws:rds/cluster:Cluster":                                    priceAuroraCluster,
	"aws:rds/clusterInstance:ClusterInstance":                    priceAuroraInstance,
	"aws:route53/healthCheck:HealthCheck":                        priceHealthCheck,
	"aws:s3/bucket:Bucket":                                       priceBucket,
	"aws:s3/bucketV2:BucketV2":                                   priceBucket,
	"aws:secretsmanager/secret:Secret":                           priceSecret,
	"aws:ssm/parameter:Parameter":                                priceParameter,
	"aws:wafv2/webAcl:WebAcl":                                    priceWebACL,
}
