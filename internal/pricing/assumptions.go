package pricing

// Assumptions are the usage figures a plan cannot know: how much data a stack
// stores, moves and logs. Each is per resource, so the estimate grows with the
// topology (three NAT gateways process three times the data of one), and each
// is printed with the row it affects so a reader can redo the arithmetic.
type Assumptions struct {
	// HoursPerMonth turns hourly prices into monthly ones (AWS bills use 730).
	HoursPerMonth float64 `json:"hoursPerMonth"`
	// AuroraStorageGB is the data an Aurora cluster stores.
	AuroraStorageGB float64 `json:"auroraStorageGb"`
	// AuroraIOMillions is the million I/O requests an Aurora Standard cluster
	// makes a month.
	AuroraIOMillions float64 `json:"auroraIoMillions"`
	// AuroraBackupGBOverFree is the backup storage beyond the free allowance
	// (one cluster's size) that the retention period keeps.
	AuroraBackupGBOverFree float64 `json:"auroraBackupGbOverFree"`
	// MQStorageGBPerNode is the storage each broker node uses.
	MQStorageGBPerNode float64 `json:"mqStorageGbPerNode"`
	// EFSStorageGB is the data an EFS file system stores (all priced as
	// Standard, an upper bound when lifecycle moves files to IA).
	EFSStorageGB float64 `json:"efsStorageGb"`
	// EFSReadGB is the data an Elastic-throughput file system reads a month.
	EFSReadGB float64 `json:"efsReadGb"`
	// EFSWriteGB is the data an Elastic-throughput file system writes a month.
	EFSWriteGB float64 `json:"efsWriteGb"`
	// BackupGB is what one AWS Backup plan (or an EFS backup policy) keeps in
	// warm storage.
	BackupGB float64 `json:"backupGb"`
	// BackupCopyGB is the data a backup copy action sends to another region a
	// month (incremental changes).
	BackupCopyGB float64 `json:"backupCopyGb"`
	// ReplicationGB is the changed data an EFS or S3 replication sends to
	// another region a month.
	ReplicationGB float64 `json:"replicationGb"`
	// NATGBPerGateway is the data each NAT gateway processes a month.
	NATGBPerGateway float64 `json:"natGbPerGateway"`
	// InternetOutGB is the data an internet gateway sends out a month.
	InternetOutGB float64 `json:"internetOutGb"`
	// ALBLCUs is the average load balancer capacity units an ALB consumes.
	ALBLCUs float64 `json:"albLcus"`
	// EndpointGB is the data each interface endpoint processes a month.
	EndpointGB float64 `json:"endpointGb"`
	// LogGBPerGroup is the data each CloudWatch log group ingests a month.
	LogGBPerGroup float64 `json:"logGbPerGroup"`
	// LogNeverExpireMonths is how many months of ingestion a log group without
	// retention is assumed to hold.
	LogNeverExpireMonths float64 `json:"logNeverExpireMonths"`
	// S3GBPerBucket is the data each S3 bucket stores.
	S3GBPerBucket float64 `json:"s3GbPerBucket"`
	// WAFRequestsMillions is the million requests a web ACL inspects a month.
	WAFRequestsMillions float64 `json:"wafRequestsMillions"`
	// AgentMetricsPerNode is the custom metrics the CloudWatch agent publishes
	// per app node (internal/agentconfig: memory, one disk path, process count).
	AgentMetricsPerNode float64 `json:"agentMetricsPerNode"`
	// DetailedMonitoringMetrics is the metrics EC2 detailed monitoring bills
	// per instance, each at the custom-metric price.
	DetailedMonitoringMetrics float64 `json:"detailedMonitoringMetrics"`
}

// DefaultAssumptions are the figures `make plan` uses: a modest Morpheus
// install (tens of GB of data, light traffic). They are deliberately round so
// that a reader can scale a row by hand.
var DefaultAssumptions = Assumptions{
	HoursPerMonth:             730,
	AuroraStorageGB:           50,
	AuroraIOMillions:          100,
	AuroraBackupGBOverFree:    20,
	MQStorageGBPerNode:        20,
	EFSStorageGB:              100,
	EFSReadGB:                 50,
	EFSWriteGB:                20,
	BackupGB:                  100,
	BackupCopyGB:              10,
	ReplicationGB:             10,
	NATGBPerGateway:           100,
	InternetOutGB:             100,
	ALBLCUs:                   1,
	EndpointGB:                5,
	LogGBPerGroup:             2,
	LogNeverExpireMonths:      12,
	S3GBPerBucket:             20,
	WAFRequestsMillions:       10,
	AgentMetricsPerNode:       3,
	DetailedMonitoringMetrics: 7,
}

// notEstimated are the charges the estimate leaves out on purpose, printed so
// that nobody reads the total as complete.
var notEstimated = []string{
	"cross-AZ data transfer (Aurora, MQ and EFS replication, ALB to nodes)",
	"API request charges (KMS, Secrets Manager, SSM, S3, CloudWatch GetMetricData)",
	"RDS Enhanced Monitoring ingestion (its RDSOSMetrics log group is not in the inventory)",
	"KMS rotated key material ($1 a month per rotation, first two rotations, from the second year)",
	"free tiers, Savings Plans, Reserved Instances, taxes and support plans",
}
