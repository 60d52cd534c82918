package rules

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// urnPrefix is the prod stack the fixtures live in.
const urnPrefix = "urn:pulumi:prod::morpheus-ha::"

// res builds a resource; deps alternate input name and URN.
func res(typ, name string, inputs map[string]any, deps ...string) Resource {
	r := Resource{URN: urnPrefix + typ + "::" + name, Type: typ, Name: name, Inputs: inputs, PropertyDependencies: map[string][]string{}}
	for i := 0; i+1 < len(deps); i += 2 {
		r.PropertyDependencies[deps[i]] = append(r.PropertyDependencies[deps[i]], deps[i+1])
	}
	return r
}

// protected marks a resource as pulumi-protected.
func protected(r Resource) Resource { r.Protect = true; return r }

// clone deep-copies a resource under a new name, so a case can break one
// property of a compliant resource without touching the baseline.
func clone(r Resource, name string, mutate func(in map[string]any)) Resource {
	var in map[string]any
	b, _ := json.Marshal(r.Inputs)
	_ = json.Unmarshal(b, &in)
	out := r
	out.Name, out.URN, out.Inputs = name, strings.TrimSuffix(r.URN, "::"+r.Name)+"::"+name, in
	if mutate != nil {
		mutate(in)
	}
	return out
}

// policyDoc renders an IAM policy document.
func policyDoc(stmts ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b)
}

// denyInsecure is the statement S3 and EFS policies need.
var denyInsecure = map[string]any{
	"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Action": "*", "Resource": "*",
	"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
}

// gzipBase64 encodes user data the way the app tier does.
func gzipBase64(s string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// userDataScript is shaped like the real bootstrap: it names secrets and
// morpheus.rb password keys but holds no value, and must not be reported.
const userDataScript = `#cloud-config
write_files:
  - path: /usr/local/sbin/morpheus-bootstrap
    content: |
      fetch_secret db '/morpheus-ha/prod/db-morpheus'
      aws secretsmanager get-secret-value --secret-id "$2" --query SecretString
      "key": "mysql['morpheus_password']",
      "field": "password"
      password="$(jq -r .password "$work/db.json")"
`

// vpcSet returns a compliant VPC with its flow log, adopted default group and
// interface endpoints.
func vpcSet(name, cidr string) []Resource {
	vpc := res(typeVpc, name, map[string]any{"cidrBlock": cidr, "enableDnsHostnames": true})
	out := []Resource{
		vpc,
		res(typeFlowLog, name+"-flow-log", map[string]any{"trafficType": "ALL", "logDestinationType": "cloud-watch-logs", "vpcId": name + "-id"}, "vpcId", vpc.URN),
		res(typeDefaultSG, name+"-default-sg", map[string]any{"vpcId": name + "-id"}, "vpcId", vpc.URN),
	}
	for _, svc := range endpointServices {
		out = append(out, res(typeVpcEndpoint, name+"-"+svc, map[string]any{
			"serviceName": "com.amazonaws.eu-west-1." + svc, "vpcEndpointType": "Interface", "privateDnsEnabled": true, "vpcId": name + "-id",
		}, "vpcId", vpc.URN))
	}
	return out
}

// efsSet returns a compliant file system with its backup and TLS policies.
func efsSet(name string, mutate func(in map[string]any)) []Resource {
	fs := protected(res(typeEFS, name, map[string]any{"encrypted": true, "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/data", "performanceMode": "generalPurpose"}))
	fs = clone(fs, name, mutate)
	return []Resource{
		fs,
		res(typeEFSBackupPolicy, name+"-backup", map[string]any{"backupPolicy": map[string]any{"status": "ENABLED"}, "fileSystemId": name + "-id"}, "fileSystemId", fs.URN),
		res(typeEFSPolicy, name+"-policy", map[string]any{"fileSystemId": name + "-id", "policy": policyDoc(denyInsecure)}, "fileSystemId", fs.URN),
	}
}

// bucketSet returns a compliant bucket with its five companions; skip names a
// companion type to leave out.
func bucketSet(name, skip string) []Resource {
	b := res(typeBucket, name, map[string]any{"bucket": name + "-bucket", "forceDestroy": false})
	companions := []Resource{
		res(typeBucketPAB, name+"-pab", map[string]any{"bucket": name + "-bucket", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}, "bucket", b.URN),
		res(typeBucketPolicy, name+"-policy", map[string]any{"bucket": name + "-bucket", "policy": policyDoc(denyInsecure)}, "bucket", b.URN),
		res(typeBucketOwnership, name+"-ownership", map[string]any{"bucket": name + "-bucket", "rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}, "bucket", b.URN),
		res(typeBucketVersioning, name+"-versioning", map[string]any{"bucket": name + "-bucket", "versioningConfiguration": map[string]any{"status": "Enabled"}}, "bucket", b.URN),
		res(typeBucketLifecycle, name+"-lifecycle", map[string]any{"bucket": name + "-bucket", "rules": []any{map[string]any{
			"id": "expire", "status": "Enabled", "expiration": map[string]any{"days": 90.0}, "abortIncompleteMultipartUpload": map[string]any{"daysAfterInitiation": 7.0},
		}}}, "bucket", b.URN),
	}
	out := []Resource{b}
	for _, c := range companions {
		if c.Type != skip {
			out = append(out, c)
		}
	}
	return out
}

// secretSet returns a secret and, unless rotated is false, its rotation.
func secretSet(name string, rotated bool) []Resource {
	s := protected(res(typeSecret, name, map[string]any{"name": "/morpheus-ha/prod/" + name, "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/secrets"}))
	if !rotated {
		return []Resource{s}
	}
	return []Resource{s, res(typeSecretRotation, name+"-rotation", map[string]any{
		"secretId":      "arn:aws:secretsmanager:eu-west-1:1:secret:/morpheus-ha/prod/" + name + "-AbC123",
		"rotationRules": map[string]any{"automaticallyAfterDays": 30.0},
	}, "secretId", s.URN)}
}

// baseline is a small prod stack that passes every rule: each case adds one
// violating resource to it.
func baseline() []Resource {
	var rs []Resource
	rs = append(rs, vpcSet("vpc", "10.40.0.0/16")...)
	app := res(typeSecurityGroup, "app-sg", map[string]any{"description": "app nodes", "vpcId": "vpc-id"})
	rs = append(rs,
		res(typeSubnet, "subnet-a", map[string]any{"cidrBlock": "10.40.0.0/20", "mapPublicIpOnLaunch": false}),
		app,
		res(typeSecurityGroup, "db-sg", map[string]any{"description": "database", "ingress": []any{map[string]any{
			"description": "MySQL from the app nodes", "fromPort": 3307.0, "toPort": 3307.0, "protocol": "tcp", "securityGroups": []any{"app-sg-id"},
		}}, "egress": []any{}}),
		res(typeSecurityGroupRule, "app-out-https", map[string]any{"type": "egress", "description": "HTTPS to the internet", "cidrBlocks": []any{"0.0.0.0/0"}, "fromPort": 443.0, "toPort": 443.0, "protocol": "tcp", "securityGroupId": "app-sg-id"}),
		res(typeVpcIngressRule, "app-in-alb", map[string]any{"description": "HTTPS from the ALB", "referencedSecurityGroupId": "alb-sg-id", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0}),
		res(typeLaunchTemplate, "app-lt", map[string]any{
			"metadataOptions":     map[string]any{"httpTokens": "required", "httpEndpoint": "enabled", "httpPutResponseHopLimit": 1.0},
			"networkInterfaces":   []any{map[string]any{"associatePublicIpAddress": "false", "deviceIndex": 0.0}},
			"blockDeviceMappings": []any{map[string]any{"deviceName": "/dev/sda1", "ebs": map[string]any{"encrypted": "true", "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/data"}}},
			"iamInstanceProfile":  map[string]any{"arn": "arn:aws:iam::1:instance-profile/app"},
			"userData":            gzipBase64(userDataScript),
			"tagSpecifications":   []any{map[string]any{"resourceType": "instance", "tags": map[string]any{"Name": "app"}}},
		}),
		res(typeAutoScalingGroup, "app-asg", map[string]any{
			"healthCheckType": "ELB", "vpcZoneIdentifiers": []any{"a", "b", "c"},
			"launchTemplate": map[string]any{"id": "app-lt-id", "version": "$Latest"},
			"tags":           []any{map[string]any{"key": "Name", "value": "app", "propagateAtLaunch": true}},
		}),
		protected(res(typeLoadBalancer, "alb", map[string]any{
			"loadBalancerType": "application", "dropInvalidHeaderFields": true, "enableDeletionProtection": true, "desyncMitigationMode": "defensive",
			"accessLogs": map[string]any{"enabled": true, "bucket": "logs-bucket", "prefix": "alb"}, "subnets": []any{"a", "b", "c"},
		})),
		res(typeListener, "http", map[string]any{"port": 80.0, "protocol": "HTTP", "defaultActions": []any{map[string]any{
			"type": "redirect", "redirect": map[string]any{"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"},
		}}}),
		res(typeListener, "https", map[string]any{"port": 443.0, "protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"certificateArn": "arn:aws:acm:eu-west-1:1:certificate/x", "defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "tg"}}}),
		res(typeTargetGroup, "tg", map[string]any{"port": 443.0, "protocol": "HTTPS", "healthCheck": map[string]any{"path": "/ping", "protocol": "HTTPS", "matcher": "200"}}),
		res(typeCertificate, "cert", map[string]any{"domainName": "morpheus.example.com", "keyAlgorithm": "RSA_2048", "validationMethod": "DNS"}),
		protected(res(typeRDSCluster, "db", map[string]any{
			"clusterIdentifier": "morpheus-db", "engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.10.3",
			"storageEncrypted": true, "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/data", "deletionProtection": true,
			"skipFinalSnapshot": false, "finalSnapshotIdentifier": "morpheus-db-final", "iamDatabaseAuthenticationEnabled": true,
			"copyTagsToSnapshot": true, "masterUsername": "morpheusroot", "enabledCloudwatchLogsExports": []any{"audit", "error"},
			"port": 3307.0, "backupRetentionPeriod": 14.0, "masterUserPassword": Secret,
		})),
		protected(res(typeRDSClusterInstance, "db-1", map[string]any{"publiclyAccessible": false, "monitoringInterval": 60.0, "monitoringRoleArn": "arn:aws:iam::1:role/mon", "autoMinorVersionUpgrade": true})),
		res(typeBackupSelection, "backup-selection", map[string]any{"resources": []any{"arn:aws:rds:eu-west-1:1:cluster:morpheus-db"}}),
		protected(res(typeBackupVault, "vault", map[string]any{"kmsKeyArn": "arn:aws:kms:eu-west-1:1:key/data", "forceDestroy": false})),
		res(typeLambda, "fn", map[string]any{"tracingConfig": map[string]any{"mode": "Active"}}),
		protected(res(typeMQBroker, "mq", map[string]any{
			"engineType": "RabbitMQ", "engineVersion": "3.13", "autoMinorVersionUpgrade": true, "deploymentMode": "CLUSTER_MULTI_AZ",
			"publiclyAccessible": false, "logs": map[string]any{"general": true}, "users": []any{map[string]any{"username": "admin", "password": Secret}},
		})),
		protected(res(typeOpenSearch, "search", map[string]any{
			"engineVersion": "OpenSearch_2.19", "encryptAtRest": map[string]any{"enabled": true, "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/data"},
			"nodeToNodeEncryption":    map[string]any{"enabled": true},
			"domainEndpointOptions":   map[string]any{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
			"vpcOptions":              map[string]any{"subnetIds": []any{"a", "b", "c"}},
			"advancedSecurityOptions": map[string]any{"enabled": true, "internalUserDatabaseEnabled": true},
			"logPublishingOptions": []any{
				map[string]any{"logType": "ES_APPLICATION_LOGS", "enabled": true, "cloudwatchLogGroupArn": "arn:aws:logs:eu-west-1:1:log-group:app"},
				map[string]any{"logType": "AUDIT_LOGS", "enabled": true, "cloudwatchLogGroupArn": "arn:aws:logs:eu-west-1:1:log-group:audit"},
			},
			"clusterConfig":         map[string]any{"instanceCount": 3.0, "zoneAwarenessEnabled": true, "dedicatedMasterEnabled": true, "dedicatedMasterCount": 3.0},
			"softwareUpdateOptions": map[string]any{"autoSoftwareUpdateEnabled": true},
		})),
		protected(res(typeKMSKey, "key", map[string]any{
			"enableKeyRotation": true, "isEnabled": true, "deletionWindowInDays": 30.0, "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
			"policy": policyDoc(
				map[string]any{"Sid": "Root", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*", "Resource": "*"},
				map[string]any{"Sid": "ASG", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
					"Condition": map[string]any{"StringEquals": map[string]any{"kms:CallerAccount": "1"}}},
			),
		})),
		res(typeSSMParameter, "param", map[string]any{"type": "SecureString", "keyId": "arn:aws:kms:eu-west-1:1:key/secrets", "value": Secret}),
		res(typeLogGroup, "logs", map[string]any{"retentionInDays": 400.0, "kmsKeyId": "arn:aws:kms:eu-west-1:1:key/logs"}),
		res(typeMetricAlarm, "alarm", map[string]any{"actionsEnabled": true, "alarmActions": []any{"arn:aws:sns:eu-west-1:1:alerts"}}),
		res(typeSNSTopic, "alerts", map[string]any{"kmsMasterKeyId": "arn:aws:kms:eu-west-1:1:key/notifications"}),
		res(typeSNSTopicPolicy, "alerts-policy", map[string]any{"policy": policyDoc(map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*",
		})}),
		res("pulumi:providers:aws", "aws", map[string]any{"region": "eu-west-1", "defaultTags": map[string]any{"tags": map[string]any{"Project": "morpheus-ha"}}}),
	)
	rs = append(rs, efsSet("efs", nil)...)
	rs = append(rs, bucketSet("alb-logs", "")...)
	rs = append(rs, secretSet("db-morpheus", true)...)
	return rs
}

// first returns the baseline's first resource of typ, to clone from.
func first(typ string) Resource {
	for _, r := range baseline() {
		if r.Type == typ {
			return r
		}
	}
	panic("no baseline resource of type " + typ)
}

// like clones the baseline's resource of typ as name with one mutation.
func like(typ, name string, mutate func(in map[string]any)) Resource {
	return clone(first(typ), name, mutate)
}

// set assigns a dotted path in nested maps, creating maps on the way.
func set(in map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	m := in
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}
