package rules

import (
	"fmt"
	"strconv"
	"strings"
)

const (
	typeRDSCluster         = "aws:rds/cluster:Cluster"
	typeRDSClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
	typeRDSInstance        = "aws:rds/instance:Instance"
	typeBackupSelection    = "aws:backup/selection:Selection"
)

// minAurora is the oldest Aurora MySQL release Morpheus' vendor guide accepts.
var minAurora = [3]int{3, 5, 2}

// databaseRules are the Aurora MySQL AWS Foundational Security Best Practices controls and the Morpheus
// version floor.
func databaseRules() []Rule {
	return []Rule{
		{
			Name: "rds-cluster-encrypted", Control: "RDS.27", Level: Mandatory,
			Description: "Aurora clusters encrypt storage with a customer managed key (storageEncrypted true, kmsKeyId set).",
			Why:         "FSBP control; encryption cannot be added to an existing cluster.",
			Check:       only(checkClusterEncrypted, typeRDSCluster),
		},
		{
			Name: "rds-cluster-deletion-protection", Control: "RDS.7", Level: Mandatory,
			Description: "In prod, Aurora clusters have deletionProtection true (unless allowDestroy).",
			Why:         "FSBP control; the cluster holds every Morpheus record. Dev stacks are built to be destroyed, so it applies to prod.",
			Check:       only(checkClusterDeletionProtection, typeRDSCluster),
		},
		{
			Name: "rds-cluster-final-snapshot", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "In prod, Aurora clusters take a final snapshot on deletion (skipFinalSnapshot false, finalSnapshotIdentifier set).",
			Why:         "A deliberate teardown must still leave the data behind.",
			Check:       only(checkFinalSnapshot, typeRDSCluster),
		},
		{
			Name: "rds-cluster-iam-auth", Control: "RDS.12", Level: Mandatory,
			Description: "Aurora clusters enable IAM database authentication.",
			Why:         "FSBP control; costs nothing and lets operators log in without the Morpheus password.",
			Check:       only(checkIAMAuth, typeRDSCluster),
		},
		{
			Name: "rds-cluster-copy-tags-to-snapshot", Control: "RDS.16", Level: Mandatory,
			Description: "Aurora clusters copy tags to snapshots.",
			Why:         "FSBP control; untagged snapshots lose their owner and cost center.",
			Check:       only(checkCopyTags, typeRDSCluster),
		},
		{
			Name: "rds-cluster-master-username", Control: "RDS.24", Level: Mandatory,
			Description: "Aurora clusters do not use the default master username admin.",
			Why:         "FSBP control; the default name is the first one guessed.",
			Check:       only(checkMasterUsername, typeRDSCluster),
		},
		{
			Name: "rds-cluster-audit-logs", Control: "RDS.34", Level: Mandatory,
			Description: "Aurora MySQL clusters export the audit log to CloudWatch (enabledCloudwatchLogsExports includes audit).",
			Why:         "FSBP control; the database audit trail.",
			Check:       only(checkAuditLogs, typeRDSCluster),
		},
		{
			Name: "rds-cluster-non-default-port", Control: "RDS.23", Level: Advisory,
			Description: "Aurora clusters listen on a port other than 3306.",
			Why:         "A non-default port only hides the database from blind scans; the security groups are the real control.",
			Check:       only(checkPort, typeRDSCluster),
		},
		{
			Name: "rds-cluster-backup-retention", Control: "RDS.11", Level: Mandatory,
			Description: "Aurora clusters keep automated backups for at least 7 days.",
			Why:         "FSBP control; point-in-time restore is the recovery path for a bad Morpheus upgrade.",
			Check:       only(checkBackupRetention, typeRDSCluster),
		},
		{
			Name: "rds-cluster-in-backup-plan", Control: "RDS.26", Level: Advisory,
			Description: "Aurora clusters are in an AWS Backup plan (an aws:backup/selection names them).",
			Why:         "NIST-only control; Aurora's own continuous backups (rds-cluster-backup-retention) already allow point-in-time restore.",
			CheckStack:  checkClusterBackupPlan,
		},
		{
			Name: "aurora-mysql-version", Control: "Morpheus requirement", Level: Mandatory,
			Description: "Aurora clusters run aurora-mysql with a pinned engineVersion of 3.05.2 or later (MySQL 8.0).",
			Why:         "Morpheus supports MySQL 8.0 only and the vendor guide requires Aurora 3.05.2+; an unpinned version drifts.",
			Check:       only(checkAuroraVersion, typeRDSCluster),
		},
		{
			Name: "rds-instance-not-public", Control: "RDS.2", Level: Mandatory,
			Description: "Database instances are not publicly accessible.",
			Why:         "FSBP/CIS control; only the app nodes and the ops function reach the database.",
			Check:       only(checkNotPublic, typeRDSClusterInstance, typeRDSInstance),
		},
		{
			Name: "rds-instance-enhanced-monitoring", Control: "RDS.6", Level: Mandatory,
			Description: "Database instances enable enhanced monitoring (monitoringInterval 1, 5, 10, 15, 30 or 60 with a monitoringRoleArn).",
			Why:         "FSBP control; OS-level metrics explain a stalled Morpheus that database metrics do not.",
			Check:       only(checkEnhancedMonitoring, typeRDSClusterInstance, typeRDSInstance),
		},
		{
			Name: "rds-instance-auto-minor-upgrade", Control: "RDS.13", Level: Mandatory,
			Description: "Database instances take automatic minor version upgrades.",
			Why:         "FSBP/CIS control; security patches arrive in the maintenance window.",
			Check:       only(checkInstanceMinorUpgrade, typeRDSClusterInstance, typeRDSInstance),
		},
	}
}

func checkClusterEncrypted(_ Context, r Resource) []string {
	var m msgs
	on, _ := r.flag("storageEncrypted")
	m.need(on || isUnknown(r.Inputs["storageEncrypted"]), "storageEncrypted is not true")
	m.need(r.isSet("kmsKeyId"), "kmsKeyId is unset; encrypt with the stack's customer managed key")
	return m
}

func checkClusterDeletionProtection(ctx Context, r Resource) []string {
	if !ctx.protectionApplies() {
		return nil
	}
	if on, _ := r.flag("deletionProtection"); !on && !isUnknown(r.Inputs["deletionProtection"]) {
		return []string{"deletionProtection is not true in prod"}
	}
	return nil
}

func checkFinalSnapshot(ctx Context, r Resource) []string {
	if !ctx.protectionApplies() {
		return nil
	}
	var m msgs
	skip, _ := r.flag("skipFinalSnapshot")
	m.need(!skip, "skipFinalSnapshot is true in prod")
	m.need(r.isSet("finalSnapshotIdentifier"), "finalSnapshotIdentifier is unset in prod")
	return m
}

func checkIAMAuth(_ Context, r Resource) []string {
	if on, _ := r.flag("iamDatabaseAuthenticationEnabled"); !on && !isUnknown(r.Inputs["iamDatabaseAuthenticationEnabled"]) {
		return []string{"iamDatabaseAuthenticationEnabled is not true"}
	}
	return nil
}

func checkCopyTags(_ Context, r Resource) []string {
	if on, _ := r.flag("copyTagsToSnapshot"); !on && !isUnknown(r.Inputs["copyTagsToSnapshot"]) {
		return []string{"copyTagsToSnapshot is not true"}
	}
	return nil
}

func checkMasterUsername(_ Context, r Resource) []string {
	if u, ok := r.str("masterUsername"); ok && strings.EqualFold(u, "admin") {
		return []string{"masterUsername is \"admin\"; choose another name"}
	}
	return nil
}

func checkAuditLogs(_ Context, r Resource) []string {
	if isUnknown(r.Inputs["enabledCloudwatchLogsExports"]) {
		return nil
	}
	for _, e := range strs(r.list("enabledCloudwatchLogsExports")) {
		if e == "audit" {
			return nil
		}
	}
	return []string{"enabledCloudwatchLogsExports does not include \"audit\""}
}

func checkPort(_ Context, r Resource) []string {
	p, ok := r.num("port")
	if isUnknown(r.Inputs["port"]) || ok && p != 3306 {
		return nil
	}
	return []string{"the cluster listens on 3306 (the default when port is unset); pick another port"}
}

func checkBackupRetention(_ Context, r Resource) []string {
	if isUnknown(r.Inputs["backupRetentionPeriod"]) {
		return nil
	}
	days, ok := r.num("backupRetentionPeriod")
	if ok && days >= 7 {
		return nil
	}
	if !ok {
		return []string{"backupRetentionPeriod is unset (AWS keeps 1 day); keep at least 7"}
	}
	return []string{fmt.Sprintf("backupRetentionPeriod is %v days; keep at least 7", days)}
}

// inBackupSelection reports whether a backup selection names r: by a
// dependency of its resources on r, by an ARN containing exact (r's known
// identifier; "" when unknown), or by a wildcard ARN covering kind (e.g.
// arn:aws:rds:*:*:cluster:* for ":cluster:").
func inBackupSelection(rs []Resource, r Resource, exact, kind string) bool {
	for _, sel := range ofType(rs, typeBackupSelection) {
		if sel.dependsOn("resources", r.URN) {
			return true
		}
		for _, arn := range strs(sel.list("resources")) {
			if arn == "*" || exact != "" && strings.HasSuffix(arn, exact) || strings.HasSuffix(arn, kind+"*") {
				return true
			}
		}
	}
	return false
}

func checkClusterBackupPlan(_ Context, rs []Resource) []Violation {
	var out []Violation
	for _, c := range ofType(rs, typeRDSCluster) {
		exact := ""
		if id, ok := c.str("clusterIdentifier"); ok && id != "" {
			exact = ":cluster:" + id
		}
		if !inBackupSelection(rs, c, exact, ":cluster:") {
			out = append(out, Violation{c.URN, "no aws:backup/selection names the cluster"})
		}
	}
	return out
}

// auroraVersion parses "8.0.mysql_aurora.3.05.2" into {3, 5, 2}.
func auroraVersion(v string) ([3]int, bool) {
	const prefix = "8.0.mysql_aurora."
	if !strings.HasPrefix(v, prefix) {
		return [3]int{}, false
	}
	parts := strings.Split(strings.TrimPrefix(v, prefix), ".")
	if len(parts) != 3 {
		return [3]int{}, false
	}
	var out [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return [3]int{}, false
		}
		out[i] = n
	}
	return out, true
}

// less compares two version triples.
func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func checkAuroraVersion(_ Context, r Resource) []string {
	var m msgs
	engine, _ := r.get("engine")
	m.need(engine == "aurora-mysql" || isUnknown(engine), fmt.Sprintf("engine is %s; Morpheus needs \"aurora-mysql\" (MySQL 8.0)", show(engine)))
	raw, _ := r.get("engineVersion")
	if isUnknown(raw) {
		return m
	}
	s, _ := raw.(string)
	v, ok := auroraVersion(s)
	m.need(ok, fmt.Sprintf("engineVersion is %s; pin 8.0.mysql_aurora.3.05.2 or later", show(raw)))
	if ok {
		m.need(!less(v, minAurora), fmt.Sprintf("engineVersion %q is older than 8.0.mysql_aurora.3.05.2", s))
	}
	return m
}

func checkNotPublic(_ Context, r Resource) []string {
	if on, _ := r.flag("publiclyAccessible"); on {
		return []string{"publiclyAccessible is true"}
	}
	return nil
}

func checkEnhancedMonitoring(_ Context, r Resource) []string {
	if isUnknown(r.Inputs["monitoringInterval"]) {
		return nil
	}
	var m msgs
	n, _ := r.num("monitoringInterval")
	m.need(n == 1 || n == 5 || n == 10 || n == 15 || n == 30 || n == 60, fmt.Sprintf("monitoringInterval is %v; use 1, 5, 10, 15, 30 or 60", n))
	m.need(r.isSet("monitoringRoleArn"), "monitoringRoleArn is unset")
	return m
}

func checkInstanceMinorUpgrade(_ Context, r Resource) []string {
	if on, ok := r.flag("autoMinorVersionUpgrade"); ok && !on {
		return []string{"autoMinorVersionUpgrade is false"}
	}
	return nil
}
