package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/morpheus-ha/morpheus-ha/internal/mockengine"
)

// highlight names the inputs of one resource type that a reviewer checks first:
// engine and version, size and spread, encryption, TLS, protection.
type highlight struct {
	label string
	paths [][]string
	// more adds rows (name, value) that need more than one input to read,
	// such as a backup plan's rules.
	more func(r *mockengine.Resource) [][2]string
}

func at(path ...string) []string { return path }

// highlights lists, per type, what the plan summarises below the tree.
var highlights = map[string]highlight{
	"aws:rds/cluster:Cluster": {"Aurora cluster", [][]string{
		at("engine"), at("engineVersion"), at("port"), at("storageEncrypted"), at("kmsKeyId"), at("backupRetentionPeriod"),
		at("preferredBackupWindow"), at("preferredMaintenanceWindow"), at("deletionProtection"), at("skipFinalSnapshot"),
		at("iamDatabaseAuthenticationEnabled"), at("enabledCloudwatchLogsExports"),
	}, nil},
	"aws:rds/clusterInstance:ClusterInstance": {"Aurora instance", [][]string{
		at("instanceClass"), at("availabilityZone"), at("publiclyAccessible"), at("performanceInsightsEnabled"), at("monitoringInterval"),
	}, nil},
	"aws:efs/fileSystem:FileSystem": {"EFS", [][]string{
		at("encrypted"), at("kmsKeyId"), at("performanceMode"), at("throughputMode"), at("lifecyclePolicies"),
	}, nil},
	"aws:mq/broker:Broker": {"Amazon MQ", [][]string{
		at("engineType"), at("engineVersion"), at("deploymentMode"), at("hostInstanceType"), at("publiclyAccessible"),
		at("autoMinorVersionUpgrade"), at("subnetIds"), at("logs", "general"),
	}, nil},
	"aws:opensearch/domain:Domain": {"OpenSearch", [][]string{
		at("engineVersion"), at("clusterConfig", "instanceType"), at("clusterConfig", "instanceCount"),
		at("clusterConfig", "dedicatedMasterCount"), at("clusterConfig", "zoneAwarenessEnabled"),
		at("encryptAtRest", "enabled"), at("nodeToNodeEncryption", "enabled"), at("domainEndpointOptions", "tlsSecurityPolicy"),
		at("advancedSecurityOptions", "enabled"), at("ebsOptions", "volumeType"),
	}, nil},
	"aws:lb/loadBalancer:LoadBalancer": {"Load balancer", [][]string{
		at("internal"), at("subnets"), at("dropInvalidHeaderFields"), at("desyncMitigationMode"), at("enableDeletionProtection"), at("idleTimeout"),
	}, nil},
	"aws:lb/listener:Listener": {"Listener", [][]string{at("port"), at("protocol"), at("sslPolicy")}, nil},
	"aws:lb/targetGroup:TargetGroup": {"Target group", [][]string{
		at("port"), at("protocol"), at("healthCheck", "protocol"), at("healthCheck", "path"), at("healthCheck", "matcher"),
	}, nil},
	"aws:ec2/launchTemplate:LaunchTemplate": {"Launch template", [][]string{
		at("imageId"), at("instanceType"), at("metadataOptions", "httpTokens"), at("metadataOptions", "httpPutResponseHopLimit"),
	}, nil},
	"aws:autoscaling/group:Group": {"Auto Scaling group", [][]string{
		at("minSize"), at("maxSize"), at("vpcZoneIdentifiers"), at("healthCheckType"), at("healthCheckGracePeriod"),
	}, nil},
	"aws:kms/key:Key": {"KMS key", [][]string{at("description"), at("enableKeyRotation"), at("deletionWindowInDays")}, nil},
	"aws:lambda/function:Function": {"Lambda function", [][]string{
		at("runtime"), at("architectures"), at("timeout"), at("memorySize"), at("reservedConcurrentExecutions"),
		at("kmsKeyArn"), at("vpcConfig", "subnetIds"), at("loggingConfig", "logGroup"),
	}, nil},
	"aws:secretsmanager/secretRotation:SecretRotation": {"Secret rotation", [][]string{
		at("secretId"), at("rotationRules", "automaticallyAfterDays"), at("rotateImmediately"),
	}, nil},
	"aws:backup/vault:Vault":         {"Backup vault", [][]string{at("name"), at("kmsKeyArn"), at("forceDestroy")}, nil},
	"aws:backup/plan:Plan":           {"Backup plan", [][]string{at("name")}, backupRules},
	"aws:backup/selection:Selection": {"Backup selection", [][]string{at("resources"), at("iamRoleArn")}, nil},
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration": {"Vault lock", [][]string{
		at("minRetentionDays"), at("maxRetentionDays"), at("changeableForDays"),
	}, nil},
	"aws:backup/restoreTestingPlan:RestoreTestingPlan": {"Restore testing", [][]string{
		at("scheduleExpression"), at("recoveryPointSelection", "algorithm"), at("recoveryPointSelection", "selectionWindowDays"),
	}, nil},
	"aws:autoscaling/policy:Policy": {"Scaling policy", [][]string{
		at("targetTrackingConfiguration", "predefinedMetricSpecification", "predefinedMetricType"), at("targetTrackingConfiguration", "targetValue"),
	}, nil},
	"aws:autoscaling/schedule:Schedule": {"Scheduled scaling", [][]string{
		at("recurrence"), at("timeZone"), at("minSize"), at("desiredCapacity"),
	}, nil},
	"aws:budgets/budget:Budget": {"Budget", [][]string{at("limitAmount"), at("timeUnit"), at("costFilters")}, nil},
	"aws:costexplorer/anomalySubscription:AnomalySubscription": {"Cost anomaly alerts", [][]string{
		at("frequency"), at("thresholdExpression", "dimension", "values"),
	}, nil},
	"aws:fis/experimentTemplate:ExperimentTemplate": {"FIS drill", [][]string{at("description")}, drillStops},
}

// drillStops names the alarms that stop a drill, the last part of each ARN.
func drillStops(r *mockengine.Resource) [][2]string {
	var names []string
	for _, s := range r.Objects("stopConditions") {
		arn := fmt.Sprint(Plain(s)["value"])
		names = append(names, arn[strings.LastIndex(arn, ":")+1:])
	}
	return [][2]string{{"stops on", strings.Join(names, ", ")}}
}

// backupRules summarises each rule of a backup plan on one row: schedule,
// retention, cold storage, continuous backup and every copy with its retention.
func backupRules(r *mockengine.Resource) [][2]string {
	var rows [][2]string
	for _, rule := range r.Objects("rules") {
		p := Plain(rule)
		lc, _ := p["lifecycle"].(map[string]any)
		v := fmt.Sprintf("%v, keep %v days", p["schedule"], render(lc["deleteAfter"]))
		if cold, ok := lc["coldStorageAfter"]; ok {
			v += fmt.Sprintf(", cold after %v", render(cold))
		}
		if p["enableContinuousBackup"] == true {
			v += ", continuous (point-in-time)"
		}
		copies, _ := p["copyActions"].([]any)
		for _, c := range copies {
			cm, _ := c.(map[string]any)
			clc, _ := cm["lifecycle"].(map[string]any)
			v += fmt.Sprintf("; copy to %v, keep %v days", cm["destinationVaultArn"], render(clc["deleteAfter"]))
		}
		rows = append(rows, [2]string{"rule " + fmt.Sprint(p["ruleName"]), v})
	}
	return rows
}

// WriteHighlights prints the settings that matter most, resource by resource,
// so a reviewer sees engines, versions, encryption, spread and protection
// without opening resources.json.
func WriteHighlights(w io.Writer, resources []*mockengine.Resource) error {
	var rows []*mockengine.Resource
	for _, r := range resources {
		if _, ok := highlights[r.Type]; ok {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Type != rows[j].Type {
			return rows[i].Type < rows[j].Type
		}
		return rows[i].Name < rows[j].Name
	})
	fmt.Fprintf(w, "\nKey settings:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		h := highlights[r.Type]
		fmt.Fprintf(tw, "  %s %s%s\n", h.label, r.Name, flags(r))
		for _, path := range h.paths {
			v, ok := r.Prop(path...)
			if !ok {
				continue
			}
			fmt.Fprintf(tw, "      %s\t%s\n", strings.Join(path, "."), render(plainValue(v)))
		}
		if h.more != nil {
			for _, row := range h.more(r) {
				fmt.Fprintf(tw, "      %s\t%s\n", row[0], row[1])
			}
		}
	}
	return tw.Flush()
}

// render shows a value compactly: lists on one line, secrets already redacted.
func render(v any) string {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case float64:
		return fmt.Sprintf("%g", t)
	case nil:
		return "-"
	}
	return fmt.Sprint(v)
}
