package rules

// ruleCase is one rule's failing fixture: resources that, added to the
// baseline, make exactly this rule report exactly the first of them.
type ruleCase struct {
	rule string
	bad  func() []Resource
}

// one wraps a single violating resource.
func one(r Resource) func() []Resource { return func() []Resource { return []Resource{r} } }

// cases has one entry per rule (TestEveryRuleHasACase keeps it that way).
var cases = []ruleCase{
	// network
	{"ec2-vpc-flow-logs", func() []Resource {
		rs := vpcSet("noflow", "10.50.0.0/16")
		return append(rs[:1:1], rs[2:]...) // drop the flow log
	}},
	{"ec2-default-security-group-closed", func() []Resource {
		rs := vpcSet("opendefault", "10.51.0.0/16")
		rs[2].Inputs["ingress"] = []any{map[string]any{"description": "all", "protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "self": true}}
		return append([]Resource{rs[2]}, append(rs[:2:2], rs[3:]...)...)
	}},
	{"ec2-launch-template-imdsv2", one(like(typeLaunchTemplate, "imdsv1", func(in map[string]any) { set(in, "metadataOptions.httpTokens", "optional") }))},
	{"ec2-launch-template-imds-hop-limit", one(like(typeLaunchTemplate, "hop2", func(in map[string]any) { set(in, "metadataOptions.httpPutResponseHopLimit", 2.0) }))},
	{"ec2-launch-template-no-public-ip", one(like(typeLaunchTemplate, "publicip", func(in map[string]any) {
		in["networkInterfaces"] = []any{map[string]any{"associatePublicIpAddress": "true", "deviceIndex": 0.0}}
	}))},
	{"ec2-launch-template-ebs-encrypted", one(like(typeLaunchTemplate, "plainebs", func(in map[string]any) {
		in["blockDeviceMappings"] = []any{map[string]any{"deviceName": "/dev/sda1", "ebs": map[string]any{"encrypted": "false", "kmsKeyId": "k"}}}
	}))},
	{"ec2-launch-template-instance-profile", one(like(typeLaunchTemplate, "norole", func(in map[string]any) { delete(in, "iamInstanceProfile") }))},
	{"ec2-subnet-no-auto-public-ip", one(like(typeSubnet, "publicsubnet", func(in map[string]any) { in["mapPublicIpOnLaunch"] = true }))},
	{"ec2-vpc-interface-endpoints", func() []Resource { return vpcSet("noendpoints", "10.52.0.0/16")[:3] }},
	// security groups
	{"sg-rule-description", one(like(typeSecurityGroupRule, "nodescription", func(in map[string]any) { in["description"] = "" }))},
	{"sg-rule-peer-by-group", one(like(typeSecurityGroupRule, "bycidr", func(in map[string]any) { in["cidrBlocks"] = []any{"10.40.64.0/20"} }))},
	// load balancer
	{"elb-listener-https", one(like(typeListener, "plainhttp", func(in map[string]any) {
		in["defaultActions"] = []any{map[string]any{"type": "forward", "targetGroupArn": "tg"}}
	}))},
	{"elb-http-redirects-to-https", one(like(typeListener, "badredirect", func(in map[string]any) {
		in["defaultActions"] = []any{map[string]any{"type": "redirect", "redirect": map[string]any{"port": "8080", "protocol": "HTTP", "statusCode": "HTTP_302"}}}
	}))},
	{"elb-listener-tls-policy", func() []Resource {
		for _, r := range baseline() {
			if r.Name == "https" {
				return []Resource{clone(r, "oldtls", func(in map[string]any) { delete(in, "sslPolicy") })}
			}
		}
		panic("no https listener")
	}},
	{"elb-drop-invalid-headers", one(like(typeLoadBalancer, "keepheaders", func(in map[string]any) { in["dropInvalidHeaderFields"] = false }))},
	{"elb-deletion-protection", one(like(typeLoadBalancer, "deletable", func(in map[string]any) { delete(in, "enableDeletionProtection") }))},
	{"elb-access-logs", one(like(typeLoadBalancer, "nologs", func(in map[string]any) { delete(in, "accessLogs") }))},
	{"elb-desync-mitigation", one(like(typeLoadBalancer, "monitor", func(in map[string]any) { in["desyncMitigationMode"] = "monitor" }))},
	{"elb-multi-az", one(like(typeLoadBalancer, "oneaz", func(in map[string]any) { in["subnets"] = []any{"a"} }))},
	{"elb-target-group-https-ping", one(like(typeTargetGroup, "httpcheck", func(in map[string]any) { set(in, "healthCheck.path", "/") }))},
	{"acm-certificate-key-algorithm", one(like(typeCertificate, "rsa1024", func(in map[string]any) { in["keyAlgorithm"] = "RSA_1024" }))},
	{"acm-certificate-dns-validation", one(like(typeCertificate, "emailvalidated", func(in map[string]any) { in["validationMethod"] = "EMAIL" }))},
	// auto scaling
	{"autoscaling-elb-health-check", one(like(typeAutoScalingGroup, "ec2check", func(in map[string]any) { in["healthCheckType"] = "EC2" }))},
	{"autoscaling-multi-az", one(like(typeAutoScalingGroup, "oneaz", func(in map[string]any) { in["vpcZoneIdentifiers"] = []any{"a"} }))},
	{"autoscaling-launch-template", one(like(typeAutoScalingGroup, "launchconfig", func(in map[string]any) {
		delete(in, "launchTemplate")
		in["launchConfiguration"] = "lc"
	}))},
	// database
	{"rds-cluster-encrypted", one(like(typeRDSCluster, "plain", func(in map[string]any) { in["storageEncrypted"] = false }))},
	{"rds-cluster-deletion-protection", one(like(typeRDSCluster, "deletable", func(in map[string]any) { in["deletionProtection"] = false }))},
	{"rds-cluster-final-snapshot", one(like(typeRDSCluster, "nosnapshot", func(in map[string]any) {
		in["skipFinalSnapshot"] = true
		delete(in, "finalSnapshotIdentifier")
	}))},
	{"rds-cluster-iam-auth", one(like(typeRDSCluster, "noiam", func(in map[string]any) { delete(in, "iamDatabaseAuthenticationEnabled") }))},
	{"rds-cluster-copy-tags-to-snapshot", one(like(typeRDSCluster, "notags", func(in map[string]any) { in["copyTagsToSnapshot"] = false }))},
	{"rds-cluster-master-username", one(like(typeRDSCluster, "admin", func(in map[string]any) { in["masterUsername"] = "admin" }))},
	{"rds-cluster-audit-logs", one(like(typeRDSCluster, "noaudit", func(in map[string]any) { in["enabledCloudwatchLogsExports"] = []any{"error"} }))},
	{"rds-cluster-non-default-port", one(like(typeRDSCluster, "port3306", func(in map[string]any) { delete(in, "port") }))},
	{"rds-cluster-backup-retention", one(like(typeRDSCluster, "shortbackup", func(in map[string]any) { in["backupRetentionPeriod"] = 1.0 }))},
	{"rds-cluster-in-backup-plan", one(like(typeRDSCluster, "unplanned", func(in map[string]any) { in["clusterIdentifier"] = "unplanned-db" }))},
	{"aurora-mysql-version", one(like(typeRDSCluster, "old", func(in map[string]any) { in["engineVersion"] = "8.0.mysql_aurora.3.04.1" }))},
	{"rds-instance-not-public", one(like(typeRDSClusterInstance, "public", func(in map[string]any) { in["publiclyAccessible"] = true }))},
	{"rds-instance-enhanced-monitoring", one(like(typeRDSClusterInstance, "nomonitoring", func(in map[string]any) { in["monitoringInterval"] = 0.0 }))},
	{"rds-instance-auto-minor-upgrade", one(like(typeRDSClusterInstance, "pinned", func(in map[string]any) { in["autoMinorVersionUpgrade"] = false }))},
	// storage
	{"efs-encrypted", func() []Resource { return efsSet("plainefs", func(in map[string]any) { delete(in, "kmsKeyId") }) }},
	{"efs-backup-policy-enabled", func() []Resource {
		rs := efsSet("nobackup", nil)
		rs[1].Inputs["backupPolicy"] = map[string]any{"status": "DISABLED"}
		return []Resource{rs[1], rs[0], rs[2]}
	}},
	{"efs-in-backup-plan", func() []Resource {
		rs := efsSet("unplanned", nil)
		return []Resource{rs[0], rs[2]}
	}},
	{"efs-no-lifecycle-transitions", func() []Resource {
		return efsSet("tiered", func(in map[string]any) {
			in["lifecyclePolicies"] = []any{map[string]any{"transitionToIa": "AFTER_30_DAYS"}}
		})
	}},
	{"efs-policy-requires-tls", func() []Resource {
		rs := efsSet("plainnfs", nil)
		return rs[:2]
	}},
	// messaging
	{"mq-auto-minor-upgrade", one(like(typeMQBroker, "pinned", func(in map[string]any) { in["autoMinorVersionUpgrade"] = false }))},
	{"mq-cluster-deployment", one(like(typeMQBroker, "single", func(in map[string]any) { in["deploymentMode"] = "SINGLE_INSTANCE" }))},
	{"mq-not-public", one(like(typeMQBroker, "public", func(in map[string]any) { in["publiclyAccessible"] = true }))},
	{"mq-general-logs", one(like(typeMQBroker, "nologs", func(in map[string]any) { delete(in, "logs") }))},
	{"mq-rabbitmq-version", one(like(typeMQBroker, "rabbit4", func(in map[string]any) { in["engineVersion"] = "4.2" }))},
	// search
	{"opensearch-encrypted-at-rest", one(like(typeOpenSearch, "plain", func(in map[string]any) { set(in, "encryptAtRest.enabled", false) }))},
	{"opensearch-node-to-node-encryption", one(like(typeOpenSearch, "plainnodes", func(in map[string]any) { delete(in, "nodeToNodeEncryption") }))},
	{"opensearch-https-tls12", one(like(typeOpenSearch, "tls10", func(in map[string]any) {
		set(in, "domainEndpointOptions.tlsSecurityPolicy", "Policy-Min-TLS-1-0-2019-07")
	}))},
	{"opensearch-in-vpc", one(like(typeOpenSearch, "public", func(in map[string]any) { delete(in, "vpcOptions") }))},
	{"opensearch-fine-grained-access", one(like(typeOpenSearch, "nofgac", func(in map[string]any) { set(in, "advancedSecurityOptions.enabled", false) }))},
	{"opensearch-application-logs", one(like(typeOpenSearch, "noapplogs", func(in map[string]any) {
		in["logPublishingOptions"] = in["logPublishingOptions"].([]any)[1:]
	}))},
	{"opensearch-audit-logs", one(like(typeOpenSearch, "noaudit", func(in map[string]any) {
		in["logPublishingOptions"] = in["logPublishingOptions"].([]any)[:1]
	}))},
	{"opensearch-ha", one(like(typeOpenSearch, "onenode", func(in map[string]any) { set(in, "clusterConfig.instanceCount", 1.0) }))},
	{"opensearch-dedicated-masters", one(like(typeOpenSearch, "nomasters", func(in map[string]any) { set(in, "clusterConfig.dedicatedMasterEnabled", false) }))},
	{"opensearch-auto-software-update", one(like(typeOpenSearch, "manual", func(in map[string]any) { delete(in, "softwareUpdateOptions") }))},
	{"opensearch-version", one(like(typeOpenSearch, "v3", func(in map[string]any) { in["engineVersion"] = "OpenSearch_3.1" }))},
	{"lambda-active-tracing", one(like(typeLambda, "untraced", func(in map[string]any) { in["tracingConfig"] = map[string]any{"mode": "PassThrough"} }))},
	// keys, secrets, logs, alarms, topics
	{"kms-key-rotation", one(like(typeKMSKey, "norotation", func(in map[string]any) { in["enableKeyRotation"] = false }))},
	{"kms-key-policy-no-public-access", one(like(typeKMSKey, "public", func(in map[string]any) {
		in["policy"] = policyDoc(map[string]any{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"})
	}))},
	{"kms-key-deletion-window", one(like(typeKMSKey, "shortwindow", func(in map[string]any) { in["deletionWindowInDays"] = 7.0 }))},
	{"secretsmanager-rotation-enabled", func() []Resource { return secretSet("app-login", false) }},
	{"secretsmanager-setup-admin-rotation", func() []Resource { return secretSet("morpheus-admin", false) }},
	{"secretsmanager-standby-rotation", func() []Resource {
		rs := secretSet("standby-login", false)
		rs[0].Inputs["tags"] = map[string]any{StandbyRotationTag: StandbyRotationValue}
		return rs
	}},
	{"secretsmanager-rotation-period", func() []Resource {
		rs := secretSet("slow", true)
		rs[1].Inputs["rotationRules"] = map[string]any{"automaticallyAfterDays": 365.0}
		return []Resource{rs[1], rs[0]}
	}},
	{"secretsmanager-customer-key", one(like(typeSecret, "awskey", func(in map[string]any) { in["kmsKeyId"] = "alias/aws/secretsmanager" }))},
	{"ssm-parameter-secure-string", one(like(typeSSMParameter, "plain", func(in map[string]any) { in["type"] = "String" }))},
	{"cloudwatch-log-group-retention", one(like(typeLogGroup, "forever", func(in map[string]any) { delete(in, "retentionInDays") }))},
	{"cloudwatch-log-group-kms", one(like(typeLogGroup, "plain", func(in map[string]any) { delete(in, "kmsKeyId") }))},
	{"cloudwatch-log-retention-one-year", one(like(typeLogGroup, "short", func(in map[string]any) { in["retentionInDays"] = 90.0 }))},
	{"cloudwatch-alarm-actions", one(like(typeMetricAlarm, "silent", func(in map[string]any) { in["alarmActions"] = []any{} }))},
	{"sns-topic-customer-key", one(like(typeSNSTopic, "awskey", func(in map[string]any) { in["kmsMasterKeyId"] = "alias/aws/sns" }))},
	{"sns-topic-policy-no-public-access", one(like(typeSNSTopicPolicy, "public", func(in map[string]any) {
		in["policy"] = policyDoc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sns:Subscribe", "Resource": "*"})
	}))},
	// s3
	{"s3-public-access-block", func() []Resource { return bucketSet("nopab", typeBucketPAB) }},
	{"s3-tls-only", func() []Resource {
		rs := bucketSet("plainhttp", "")
		rs[2].Inputs["policy"] = policyDoc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "*"})
		return append([]Resource{rs[2]}, append(rs[:2:2], rs[3:]...)...)
	}},
	{"s3-bucket-owner-enforced", func() []Resource { return bucketSet("acls", typeBucketOwnership) }},
	{"s3-versioning", func() []Resource { return bucketSet("unversioned", typeBucketVersioning) }},
	{"s3-lifecycle", func() []Resource { return bucketSet("forever", typeBucketLifecycle) }},
	// stateful
	{"stateful-protected-in-prod", func() []Resource {
		r := like(typeMQBroker, "unprotected", nil)
		r.Protect = false
		return []Resource{r}
	}},
	{"backup-vault-customer-key", one(like(typeBackupVault, "awskey", func(in map[string]any) { delete(in, "kmsKeyArn") }))},
	{"backup-vault-no-force-destroy", one(like(typeBackupVault, "forcedestroy", func(in map[string]any) { in["forceDestroy"] = true }))},
	// exposure
	{"no-secret-in-user-data", one(like(typeLaunchTemplate, "leaky", func(in map[string]any) {
		in["userData"] = gzipBase64(userDataScript + "mysql['morpheus_password'] = 'hunter2hunter2'\n")
	}))},
	{"no-secret-in-tags", one(like(typeSecurityGroup, "taggedsecret", func(in map[string]any) { in["tags"] = map[string]any{"Password": Secret} }))},
}
