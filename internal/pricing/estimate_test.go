package pricing_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
	"github.com/morpheus-ha/morpheus-ha/internal/pricing"
)

// testTable has round prices so each case's total can be checked by hand.
func testTable() pricing.Table {
	prices := map[string]float64{
		"ec2.instance.m.large":        0.1,
		"ebs.gp3.gb":                  0.08,
		"ebs.gp3.iops":                0.005,
		"ebs.gp3.throughput":          0.04,
		"rds.instance.db.r.large":     0.2,
		"aurora.storage.gb":           0.1,
		"aurora.io.million":           0.2,
		"aurora.backup.gb":            0.02,
		"mq.instance.mq.m.large":      0.3,
		"mq.storage.gb":               0.1,
		"opensearch.instance.s.large": 0.1,
		"opensearch.gp3.gb":           0.1,
		"efs.standard.gb":             0.3,
		"efs.elastic.read.gb":         0.03,
		"efs.elastic.write.gb":        0.06,
		"nat.hour":                    0.05,
		"nat.gb":                      0.05,
		"publicipv4.hour":             0.005,
		"internet.out.gb":             0.09,
		"alb.hour":                    0.02,
		"alb.lcu.hour":                0.008,
		"vpce.interface.hour":         0.01,
		"vpce.gb":                     0.01,
		"kms.key":                     1,
		"secretsmanager.secret":       0.4,
		"cloudwatch.alarm.standard":   0.1,
		"cloudwatch.alarm.highres":    0.3,
		"cloudwatch.alarm.composite":  0.5,
		"cloudwatch.dashboard":        3,
		"cloudwatch.metric.custom":    0.3,
		"logs.ingest.gb":              0.5,
		"logs.store.gb":               0.03,
		"backup.warm.gb":              0.05,
		"transfer.interregion.gb":     0.02,
		"route53.healthcheck.aws":     0.5,
		"route53.healthcheck.feature": 1,
		"s3.standard.gb":              0.02,
		"ssm.parameter.advanced":      0.05,
		"wafv2.webacl":                5,
		"wafv2.rule":                  1,
		"wafv2.requests.million":      0.6,
	}
	t := pricing.Table{Region: "test-1", Date: "2026-01-01", Source: "test", Prices: map[string]pricing.Price{}}
	for k, v := range prices {
		t.Prices[k] = pricing.Price{USD: v, Unit: "unit", Source: "test"}
	}
	return t
}

func entry(typ, name string, inputs map[string]any, deps ...string) plan.Entry {
	return plan.Entry{URN: urn(typ, name), Type: typ, Name: name, Custom: true, Inputs: inputs, Dependencies: deps}
}

func urn(typ, name string) string { return "urn:pulumi:test::p::" + typ + "::" + name }

const (
	asg = "aws:autoscaling/group:Group"
	lt  = "aws:ec2/launchTemplate:LaunchTemplate"
)

func launchTemplate(name, instanceType string, ebs map[string]any, monitoring bool) plan.Entry {
	in := map[string]any{"instanceType": instanceType, "monitoring": map[string]any{"enabled": monitoring}}
	if ebs != nil {
		in["blockDeviceMappings"] = []any{map[string]any{"deviceName": "/dev/sda1", "ebs": ebs}}
	}
	return entry(lt, name, in)
}

// TestComputeArithmetic pins the monthly arithmetic of each priced type on
// small inventories (730 h a month, DefaultAssumptions' usage figures).
func TestComputeArithmetic(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []plan.Entry
		// total is the expected monthly USD.
		total float64
		// quantities maps price keys to their expected summed quantity.
		quantities map[string]float64
		// notPriced are expected "<name>: <reason>" substrings, in order.
		notPriced []string
	}{{
		name: "group of two from a launch template, gp3 beyond baseline, detailed monitoring",
		entries: []plan.Entry{
			launchTemplate("lt", "m.large", map[string]any{"volumeType": "gp3", "volumeSize": 100.0, "iops": 4000.0, "throughput": "250"}, true),
			entry(asg, "asg", map[string]any{"minSize": 1.0, "desiredCapacity": 2.0}, urn(lt, "lt")),
		},
		// 2×730×0.1 + 2×100×0.08 + 2×1000×0.005 + 2×125×0.04 + 2×7×0.3 + 2×3×0.3
		total:      146 + 16 + 10 + 10 + 4.2 + 1.8,
		quantities: map[string]float64{"ec2.instance.m.large": 1460, "ebs.gp3.gb": 200, "cloudwatch.metric.custom": 20},
	}, {
		name: "group without desired capacity runs its minimum",
		entries: []plan.Entry{
			launchTemplate("lt", "m.large", map[string]any{"volumeType": "gp3", "volumeSize": "50"}, false),
			entry(asg, "asg", map[string]any{"minSize": 3.0, "maxSize": 6.0}, urn(lt, "lt")),
		},
		// 3×730×0.1 + 3×50×0.08 + 3×3×0.3
		total: 219 + 12 + 2.7,
	}, {
		name: "group parts the table cannot price are listed",
		entries: []plan.Entry{
			launchTemplate("lt", "x.huge", map[string]any{"volumeType": "io2", "volumeSize": 100.0}, false),
			launchTemplate("lt-ami", "m.large", nil, false),
			entry(asg, "asg", map[string]any{"minSize": 1.0}, urn(lt, "lt")),
			entry(asg, "asg-ami", map[string]any{"minSize": 1.0}, urn(lt, "lt-ami")),
			entry(asg, "asg-orphan", map[string]any{"minSize": 1.0}),
		},
		// asg and asg-ami: 3 agent metrics each; asg-ami: 730 × 0.1
		total: 73 + 2*0.9,
		notPriced: []string{
			`asg: x.huge instances: no price "ec2.instance.x.huge" in the test-1 table`,
			`asg: EBS volume type "io2"`,
			"asg-ami: root volume: its size comes from the AMI",
			"asg-orphan: no launch template found",
		},
	}, {
		name: "Aurora cluster of two with a managed master password",
		entries: []plan.Entry{
			entry("aws:rds/cluster:Cluster", "db", map[string]any{"engine": "aurora-mysql", "manageMasterUserPassword": true}),
			entry("aws:rds/clusterInstance:ClusterInstance", "db-1", map[string]any{"engine": "aurora-mysql", "instanceClass": "db.r.large", "performanceInsightsRetentionPeriod": 7.0}),
			entry("aws:rds/clusterInstance:ClusterInstance", "db-2", map[string]any{"engine": "aurora-mysql", "instanceClass": "db.r.large"}),
		},
		// 2×730×0.2 + 50×0.1 + 100×0.2 + 20×0.02 + 0.4
		total:      292 + 5 + 20 + 0.4 + 0.4,
		quantities: map[string]float64{"rds.instance.db.r.large": 1460, "secretsmanager.secret": 1},
	}, {
		name: "Aurora variants the table does not cover",
		entries: []plan.Entry{
			entry("aws:rds/cluster:Cluster", "iopt", map[string]any{"storageType": "aurora-iopt1"}),
			entry("aws:rds/clusterInstance:ClusterInstance", "pg", map[string]any{"engine": "aurora-postgresql", "instanceClass": "db.r.large"}),
			entry("aws:rds/clusterInstance:ClusterInstance", "pi", map[string]any{"engine": "aurora-mysql", "instanceClass": "db.r.large", "performanceInsightsRetentionPeriod": 731.0}),
		},
		total:     146,
		notPriced: []string{`iopt: storage type "aurora-iopt1"`, `pg: engine "aurora-postgresql"`, "pi: Performance Insights retention of 731 days"},
	}, {
		name: "RabbitMQ cluster is three nodes, a single instance one",
		entries: []plan.Entry{
			entry("aws:mq/broker:Broker", "mq", map[string]any{"deploymentMode": "CLUSTER_MULTI_AZ", "hostInstanceType": "mq.m.large", "logs": map[string]any{"general": true}}),
			entry("aws:mq/broker:Broker", "mq-dev", map[string]any{"deploymentMode": "SINGLE_INSTANCE", "hostInstanceType": "mq.m.large"}),
		},
		// 4×730×0.3 + 4×20×0.1 + 2×0.5 (general log of the cluster)
		total:      876 + 8 + 1,
		quantities: map[string]float64{"mq.instance.mq.m.large": 2920, "mq.storage.gb": 80},
	}, {
		name: "OpenSearch data and dedicated master nodes, gp3 per data node",
		entries: []plan.Entry{entry("aws:opensearch/domain:Domain", "search", map[string]any{
			"clusterConfig": map[string]any{"instanceType": "s.large", "instanceCount": 3.0, "dedicatedMasterEnabled": true, "dedicatedMasterType": "s.large", "dedicatedMasterCount": 3.0},
			"ebsOptions":    map[string]any{"ebsEnabled": true, "volumeType": "gp3", "volumeSize": 100.0},
		})},
		// 6×730×0.1 + 300×0.1
		total:      438 + 30,
		quantities: map[string]float64{"opensearch.instance.s.large": 4380, "opensearch.gp3.gb": 300},
	}, {
		name: "OpenSearch UltraWarm is listed, not zero",
		entries: []plan.Entry{entry("aws:opensearch/domain:Domain", "search", map[string]any{
			"clusterConfig": map[string]any{"instanceType": "s.large", "instanceCount": 1.0, "warmEnabled": true},
		})},
		total:     73,
		notPriced: []string{"search: UltraWarm nodes"},
	}, {
		name: "EFS in Elastic mode with automatic backups",
		entries: []plan.Entry{
			entry("aws:efs/fileSystem:FileSystem", "efs", map[string]any{"throughputMode": "elastic"}),
			entry("aws:efs/backupPolicy:BackupPolicy", "efs-backup", map[string]any{"backupPolicy": map[string]any{"status": "ENABLED"}}),
			entry("aws:efs/backupPolicy:BackupPolicy", "efs-nobackup", map[string]any{"backupPolicy": map[string]any{"status": "DISABLED"}}),
		},
		// 100×0.3 + 50×0.03 + 20×0.06 + 100×0.05
		total: 30 + 1.5 + 1.2 + 5,
	}, {
		name: "backup plan with a cross-region copy",
		entries: []plan.Entry{entry("aws:backup/plan:Plan", "plan", map[string]any{"rules": []any{map[string]any{
			"ruleName":    "daily",
			"copyActions": []any{map[string]any{"destinationVaultArn": "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"}},
		}}})},
		// 100×0.05 + 10×0.02 + 100×0.05
		total: 5 + 0.2 + 5,
	}, {
		name: "EFS and S3 replication: the replica's storage and the changes sent across regions",
		entries: []plan.Entry{
			entry("aws:efs/replicationConfiguration:ReplicationConfiguration", "efs-dr", map[string]any{"destination": map[string]any{"region": "us-west-2"}}),
			entry("aws:efs/replicationConfiguration:ReplicationConfiguration", "efs-local", map[string]any{"destination": map[string]any{"region": "test-1"}}),
			entry("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "s3-dr", map[string]any{}),
		},
		// 2×100×0.3 + 10×0.02 (efs-dr) + 10×0.02 (s3-dr)
		total:      60 + 0.2 + 0.2,
		quantities: map[string]float64{"transfer.interregion.gb": 20},
	}, {
		name: "network: NAT, EIP, endpoints per AZ, internet-facing ALB, egress",
		entries: []plan.Entry{
			entry("aws:ec2/natGateway:NatGateway", "nat", map[string]any{"connectivityType": "public"}),
			entry("aws:ec2/eip:Eip", "eip", map[string]any{"domain": "vpc"}),
			entry("aws:ec2/vpcEndpoint:VpcEndpoint", "kms", map[string]any{"vpcEndpointType": "Interface", "subnetIds": []any{"a", "b", "c"}}),
			entry("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", map[string]any{"vpcEndpointType": "Gateway"}),
			entry("aws:lb/loadBalancer:LoadBalancer", "alb", map[string]any{"loadBalancerType": "application", "subnets": []any{"a", "b"}}),
			entry("aws:alb/loadBalancer:LoadBalancer", "alb-internal", map[string]any{"internal": true, "subnets": []any{"a", "b"}}),
			entry("aws:lb/loadBalancer:LoadBalancer", "nlb", map[string]any{"loadBalancerType": "network"}),
			entry("aws:ec2/internetGateway:InternetGateway", "igw", map[string]any{}),
		},
		// NAT 730×0.05 + 100×0.05; EIP 730×0.005; endpoint 3×730×0.01 + 5×0.01;
		// 2 ALBs: 2×(730×0.02 + 730×0.008); ALB public IPv4 2×730×0.005; egress 100×0.09
		total:      36.5 + 5 + 3.65 + 21.9 + 0.05 + 2*(14.6+5.84) + 7.3 + 9,
		quantities: map[string]float64{"vpce.interface.hour": 2190, "publicipv4.hour": 2190},
		notPriced:  []string{`nlb: load balancer type "network"`},
	}, {
		name: "alarms: standard, high resolution, metric math, Metrics Insights per node, composite",
		entries: []plan.Entry{
			launchTemplate("lt", "m.large", nil, false),
			entry(asg, "asg", map[string]any{"minSize": 3.0}, urn(lt, "lt")),
			entry("aws:cloudwatch/metricAlarm:MetricAlarm", "std", map[string]any{"period": 300.0}),
			entry("aws:cloudwatch/metricAlarm:MetricAlarm", "hires", map[string]any{"period": 10.0}),
			entry("aws:cloudwatch/metricAlarm:MetricAlarm", "math", map[string]any{"metricQueries": []any{
				map[string]any{"id": "a", "metric": map[string]any{"period": 300.0}},
				map[string]any{"id": "b", "metric": map[string]any{"period": 300.0}},
				map[string]any{"id": "e", "expression": "a / b"},
			}}),
			entry("aws:cloudwatch/metricAlarm:MetricAlarm", "insights", map[string]any{"metricQueries": []any{
				map[string]any{"id": "q", "expression": `SELECT MAX("mem_used_percent") FROM "CWAgent"`, "period": 300.0},
			}}),
			entry("aws:cloudwatch/compositeAlarm:CompositeAlarm", "composite", map[string]any{}),
			entry("aws:cloudwatch/dashboard:Dashboard", "dash", map[string]any{}),
		},
		// group: 3×730×0.1 + 3×3×0.3 (root volume not priced);
		// alarms: 0.1 + 0.3 + 2×0.1 + 3×0.1 + 0.5; dashboard 3
		total:      219 + 2.7 + 0.1 + 0.3 + 0.2 + 0.3 + 0.5 + 3,
		quantities: map[string]float64{"cloudwatch.alarm.standard": 6, "cloudwatch.alarm.highres": 1},
		notPriced:  []string{"asg: root volume"},
	}, {
		name: "log groups: ingestion and the storage their retention holds",
		entries: []plan.Entry{
			entry("aws:cloudwatch/logGroup:LogGroup", "kept-90", map[string]any{"retentionInDays": 90.0}),
			entry("aws:cloudwatch/logGroup:LogGroup", "forever", map[string]any{}),
			entry("aws:cloudwatch/logGroup:LogGroup", "ia", map[string]any{"logGroupClass": "INFREQUENT_ACCESS"}),
			entry("aws:cloudwatch/logMetricFilter:LogMetricFilter", "filter", map[string]any{"metricTransformation": map[string]any{"name": "Errors"}}),
		},
		// 2×(2×0.5) + 2×3×0.03 + 2×12×0.03 + 0.3
		total:     2 + 0.18 + 0.72 + 0.3,
		notPriced: []string{`ia: log group class "INFREQUENT_ACCESS"`},
	}, {
		name: "keys, secrets with a replica, parameters by tier, health check with HTTPS",
		entries: []plan.Entry{
			entry("aws:kms/key:Key", "key", map[string]any{}),
			entry("aws:secretsmanager/secret:Secret", "secret", map[string]any{"replicas": []any{map[string]any{"region": "us-west-2"}}}),
			entry("aws:ssm/parameter:Parameter", "std", map[string]any{"tier": "Standard"}),
			entry("aws:ssm/parameter:Parameter", "adv", map[string]any{"tier": "Advanced"}),
			entry("aws:route53/healthCheck:HealthCheck", "hc", map[string]any{"type": "HTTPS", "requestInterval": 30.0}),
			entry("aws:s3/bucketV2:BucketV2", "logs", map[string]any{}),
		},
		// 1 + 2×0.4 + 0.05 + 0.5 + 1 + 20×0.02
		total: 1 + 0.8 + 0.05 + 0.5 + 1 + 0.4,
	}, {
		name: "WAF: the ACL, its rules and requests; paid rule groups are listed",
		entries: []plan.Entry{entry("aws:wafv2/webAcl:WebAcl", "waf", map[string]any{"rules": []any{
			map[string]any{"name": "a", "statement": map[string]any{"managedRuleGroupStatement": map[string]any{"name": "AWSManagedRulesCommonRuleSet"}}},
			map[string]any{"name": "b", "statement": map[string]any{"managedRuleGroupStatement": map[string]any{"name": "AWSManagedRulesBotControlRuleSet"}}},
		}})},
		// 5 + 2×1 + 10×0.6
		total:     5 + 2 + 6,
		notPriced: []string{"waf: managed rule group AWSManagedRulesBotControlRuleSet"},
	}, {
		name: "components are skipped, free types cost nothing",
		entries: []plan.Entry{
			{URN: urn("morpheus:x:X", "c"), Type: "morpheus:x:X", Name: "c", Custom: false},
			entry("pulumi:providers:aws", "aws", map[string]any{}),
			entry("aws:iam/role:Role", "role", map[string]any{}),
			entry("aws:ec2/subnet:Subnet", "subnet", map[string]any{}),
			entry("aws:fis/experimentTemplate:ExperimentTemplate", "drill", map[string]any{}),
		},
		total: 0,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			est := pricing.Compute(plan.Inventory{Project: "p", Stack: "test", Entries: tc.entries}, testTable(), pricing.DefaultAssumptions)
			assert.InDelta(t, tc.total, est.Total(), 1e-9)
			sum := 0.0
			got := map[string]float64{}
			for _, r := range est.Rows {
				assert.InDelta(t, r.Quantity*r.UnitUSD, r.MonthlyUSD, 1e-9, r.Resource)
				assert.NotEmpty(t, r.Assumption, r.Resource)
				got[r.PriceKey] += r.Quantity
				sum += r.MonthlyUSD
			}
			assert.InDelta(t, sum, est.TotalUSD, 1e-9)
			for key, q := range tc.quantities {
				assert.InDelta(t, q, got[key], 1e-9, key)
			}
			require.Len(t, est.NotPriced, len(tc.notPriced), "%+v", est.NotPriced)
			for i, want := range tc.notPriced {
				n := est.NotPriced[i]
				assert.Contains(t, n.Name+": "+n.Reason, want)
			}
		})
	}
}

// TestUnknownTypeIsNotPriced: a billable type the estimate does not know is
// listed as not priced in the data and the text, never counted as zero.
func TestUnknownTypeIsNotPriced(t *testing.T) {
	inv := plan.Inventory{Project: "p", Stack: "test", Values: map[string]string{"aws:region": "eu-west-1"}, Entries: []plan.Entry{
		entry("aws:kms/key:Key", "key", map[string]any{}),
		entry("aws:elasticache/replicationGroup:ReplicationGroup", "cache", map[string]any{"nodeType": "cache.r7g.large"}),
	}}
	est, err := pricing.ForInventory(inv)
	require.NoError(t, err)
	assert.Equal(t, []pricing.NotPriced{{
		Type: "aws:elasticache/replicationGroup:ReplicationGroup", Name: "cache", Reason: "no price rule for this resource type",
	}}, est.NotPriced)
	assert.InDelta(t, 1.0, est.Total(), 1e-9, "only the key is priced")
	assert.False(t, pricing.Covered("aws:elasticache/replicationGroup:ReplicationGroup"))

	report, err := pricing.Reporter(inv)
	require.NoError(t, err)
	assert.Contains(t, report.Text, "plus 1 item(s) not priced")
	assert.Contains(t, report.Text, "Not priced (missing from the total):\n  aws:elasticache/replicationGroup:ReplicationGroup cache: no price rule for this resource type\n")
}
