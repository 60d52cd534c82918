package pricing

import (
	"fmt"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// priceAuroraInstance prices one Aurora MySQL instance's hours.
func priceAuroraInstance(c *calc, e plan.Entry) {
	if eng := stringOf(e.Inputs["engine"]); eng != "aurora-mysql" {
		c.notPriced(e, fmt.Sprintf("engine %q: the table prices Aurora MySQL only", eng))
		return
	}
	class := stringOf(e.Inputs["instanceClass"])
	c.add(e, "Aurora", class+" instances", "rds.instance."+class, c.hours(1), fmt.Sprintf("1 instance each × %s h", num(c.a.HoursPerMonth)))
	// Performance Insights keeps 7 days for free; longer retention bills.
	if days, ok := numberOf(e.Inputs["performanceInsightsRetentionPeriod"]); ok && days > 7 {
		c.notPriced(e, fmt.Sprintf("Performance Insights retention of %s days (over the free 7)", num(days)))
	}
}

// priceAuroraCluster prices an Aurora Standard cluster's storage, I/O and
// backups, and the Secrets Manager secret RDS creates for a managed master
// password (it is not a resource of the stack, but it is billed).
func priceAuroraCluster(c *calc, e plan.Entry) {
	if mode := stringOf(e.Inputs["engineMode"]); mode != "" && mode != "provisioned" {
		c.notPriced(e, fmt.Sprintf("engine mode %q: the table prices provisioned clusters only", mode))
		return
	}
	if st := stringOf(e.Inputs["storageType"]); st != "" && st != "aurora" {
		c.notPriced(e, fmt.Sprintf("storage type %q: the table prices Aurora Standard only (I/O-Optimized also raises instance prices)", st))
		return
	}
	c.add(e, "Aurora", "storage", "aurora.storage.gb", c.a.AuroraStorageGB, fmt.Sprintf("%s GB per cluster", num(c.a.AuroraStorageGB)))
	c.add(e, "Aurora", "I/O requests", "aurora.io.million", c.a.AuroraIOMillions, fmt.Sprintf("%s million per cluster", num(c.a.AuroraIOMillions)))
	c.add(e, "Aurora", "backup storage over the free allowance", "aurora.backup.gb", c.a.AuroraBackupGBOverFree,
		fmt.Sprintf("%s GB per cluster", num(c.a.AuroraBackupGBOverFree)))
	if boolOf(e.Inputs["manageMasterUserPassword"]) {
		c.add(e, "Secrets Manager", "secrets", "secretsmanager.secret", 1, secretAssumption)
	}
}

// brokerNodes is the instances behind one Amazon MQ broker.
var brokerNodes = map[string]float64{
	"SINGLE_INSTANCE":         1,
	"ACTIVE_STANDBY_MULTI_AZ": 2,
	"CLUSTER_MULTI_AZ":        3,
}

// priceBroker prices an Amazon MQ broker's nodes, storage and general log,
// whose log group Amazon MQ creates outside the stack.
func priceBroker(c *calc, e plan.Entry) {
	mode := stringOf(e.Inputs["deploymentMode"])
	if mode == "" {
		mode = "SINGLE_INSTANCE"
	}
	n, ok := brokerNodes[mode]
	if !ok {
		c.notPriced(e, fmt.Sprintf("deployment mode %q", mode))
		return
	}
	it := stringOf(e.Inputs["hostInstanceType"])
	nodes := plural(n, "node", "nodes") + " (" + mode + ")"
	c.add(e, "Amazon MQ", it+" broker nodes", "mq.instance."+it, c.hours(n), fmt.Sprintf("%s × %s h", nodes, num(c.a.HoursPerMonth)))
	c.add(e, "Amazon MQ", "broker storage", "mq.storage.gb", n*c.a.MQStorageGBPerNode, fmt.Sprintf("%s × %s GB", nodes, num(c.a.MQStorageGBPerNode)))
	if boolOf(field(e.Inputs, "logs", "general")) {
		c.add(e, "CloudWatch", "log ingestion", "logs.ingest.gb", c.a.LogGBPerGroup,
			fmt.Sprintf("%s GB per log group (the broker's general log group is created outside the stack)", num(c.a.LogGBPerGroup)))
	}
}

// priceSearch prices an OpenSearch domain's data and dedicated master nodes
// and its gp3 volumes (one per data node).
func priceSearch(c *calc, e plan.Entry) {
	cc := objectOf(e.Inputs["clusterConfig"])
	data, ok := numberOf(cc["instanceCount"])
	if !ok {
		data = 1 // the provider's default
	}
	dataType := stringOf(cc["instanceType"])
	if dataType == "" {
		c.notPriced(e, "data nodes: no instance type set (the provider default is not priced)")
	} else {
		c.add(e, "OpenSearch", dataType+" data nodes", "opensearch.instance."+dataType, c.hours(data),
			fmt.Sprintf("%s × %s h", plural(data, "node", "nodes"), num(c.a.HoursPerMonth)))
	}
	if boolOf(cc["dedicatedMasterEnabled"]) {
		masters, _ := numberOf(cc["dedicatedMasterCount"])
		mt := stringOf(cc["dedicatedMasterType"])
		c.add(e, "OpenSearch", mt+" dedicated master nodes", "opensearch.instance."+mt, c.hours(masters),
			fmt.Sprintf("%s × %s h", plural(masters, "node", "nodes"), num(c.a.HoursPerMonth)))
	}
	if boolOf(cc["warmEnabled"]) {
		c.notPriced(e, "UltraWarm nodes")
	}
	if boolOf(field(cc, "coldStorageOptions", "enabled")) {
		c.notPriced(e, "cold storage")
	}
	ebs := objectOf(e.Inputs["ebsOptions"])
	if !boolOf(ebs["ebsEnabled"]) {
		return
	}
	if vt := stringOf(ebs["volumeType"]); vt != "gp3" {
		c.notPriced(e, fmt.Sprintf("EBS volume type %q: only gp3 is in the price table", vt))
		return
	}
	gb, _ := numberOf(ebs["volumeSize"])
	c.add(e, "OpenSearch", "gp3 storage", "opensearch.gp3.gb", data*gb, fmt.Sprintf("%s × %s GB", plural(data, "data node", "data nodes"), num(gb)))
	if _, ok := numberOf(ebs["iops"]); ok {
		c.notPriced(e, "provisioned gp3 IOPS beyond the volume's baseline")
	}
	if _, ok := numberOf(ebs["throughput"]); ok {
		c.notPriced(e, "provisioned gp3 throughput beyond the volume's baseline")
	}
}

// priceFileSystem prices an EFS file system's storage and, in Elastic mode,
// the data it reads and writes.
func priceFileSystem(c *calc, e plan.Entry) {
	c.add(e, "EFS", "Standard storage", "efs.standard.gb", c.a.EFSStorageGB,
		fmt.Sprintf("%s GB per file system, all in Standard", num(c.a.EFSStorageGB)))
	switch mode := stringOf(e.Inputs["throughputMode"]); mode {
	case "elastic":
		c.add(e, "EFS", "Elastic throughput reads", "efs.elastic.read.gb", c.a.EFSReadGB, fmt.Sprintf("%s GB read per file system", num(c.a.EFSReadGB)))
		c.add(e, "EFS", "Elastic throughput writes", "efs.elastic.write.gb", c.a.EFSWriteGB, fmt.Sprintf("%s GB written per file system", num(c.a.EFSWriteGB)))
	case "", "bursting":
		// Bursting throughput is included in the storage price.
	default:
		c.notPriced(e, fmt.Sprintf("throughput mode %q", mode))
	}
}

// priceEFSBackupPolicy prices the AWS Backup warm storage an enabled EFS
// backup policy (AWS Backup's default plan for the file system) keeps.
func priceEFSBackupPolicy(c *calc, e plan.Entry) {
	if stringOf(field(e.Inputs, "backupPolicy", "status")) != "ENABLED" {
		c.free(e, "automatic backups disabled")
		return
	}
	c.add(e, "AWS Backup", "warm backup storage", "backup.warm.gb", c.a.BackupGB, fmt.Sprintf("%s GB per backed-up file system or plan", num(c.a.BackupGB)))
}

// priceBackupPlan prices the warm storage one AWS Backup plan keeps and, per
// copy action, the copy's storage in the other vault and the inter-region
// transfer. All backups are priced at the table's one AWS Backup figure (EFS
// warm storage), an upper bound for cold-tiered recovery points.
func priceBackupPlan(c *calc, e plan.Entry) {
	c.add(e, "AWS Backup", "warm backup storage", "backup.warm.gb", c.a.BackupGB, fmt.Sprintf("%s GB per backed-up file system or plan", num(c.a.BackupGB)))
	for _, r := range listOf(e.Inputs["rules"]) {
		rule := objectOf(r)
		if boolOf(rule["enableContinuousBackup"]) {
			// AWS Backup bills an Aurora continuous backup as Aurora backup storage.
			c.add(e, "AWS Backup", fmt.Sprintf("rule %q: Aurora continuous backup storage", stringOf(rule["ruleName"])), "aurora.backup.gb", c.a.BackupGB,
				fmt.Sprintf("%s GB of change history per continuous rule", num(c.a.BackupGB)))
		}
		for _, cp := range listOf(rule["copyActions"]) {
			dest := stringOf(objectOf(cp)["destinationVaultArn"])
			if !strings.Contains(dest, ":"+c.t.Region+":") {
				c.add(e, "AWS Backup", "copy transfer to another region", "transfer.interregion.gb", c.a.BackupCopyGB,
					fmt.Sprintf("%s GB a month per copy action", num(c.a.BackupCopyGB)))
			}
			c.add(e, "AWS Backup", "warm storage of copies (priced at this region's rate)", "backup.warm.gb", c.a.BackupGB,
				fmt.Sprintf("%s GB per copy action", num(c.a.BackupGB)))
		}
	}
}

// priceEFSReplication prices an EFS replication: the destination file system
// (created by the replication, not a stack resource) holds a full copy, priced
// at this region's rate, and the changes cross regions.
func priceEFSReplication(c *calc, e plan.Entry) {
	c.add(e, "EFS", "Standard storage of replicas (priced at this region's rate)", "efs.standard.gb", c.a.EFSStorageGB,
		fmt.Sprintf("%s GB per replicated file system", num(c.a.EFSStorageGB)))
	if stringOf(field(e.Inputs, "destination", "region")) == c.t.Region {
		return // a same-region replica moves no data across regions
	}
	c.add(e, "Data transfer", "replication to another region", "transfer.interregion.gb", c.a.ReplicationGB,
		fmt.Sprintf("%s GB a month per replication", num(c.a.ReplicationGB)))
}

// priceRestoreTest prices one monthly restore test: an EFS restore is billed
// per GB restored (the assumed backup size); an Aurora restore test restores a
// cluster without instances, for the validation window only, and has no
// restore charge.
func priceRestoreTest(c *calc, e plan.Entry) {
	if stringOf(e.Inputs["protectedResourceType"]) != "EFS" {
		c.free(e, "an Aurora restore has no restore charge; the restored cluster has no instances and is deleted after the validation window")
		return
	}
	c.add(e, "AWS Backup", "monthly EFS restore test", "backup.restore.gb", c.a.BackupGB,
		fmt.Sprintf("%s GB restored once a month", num(c.a.BackupGB)))
}
