package rules

import (
	"strings"
	"testing"
)

// check runs one rule over a lone resource in prod.
func check(t *testing.T, name string, r Resource) []string {
	t.Helper()
	var out []string
	for _, f := range Evaluate(prod, []Rule{rule(t, name)}, []Resource{r}) {
		out = append(out, f.Message)
	}
	return out
}

// TestValueEdges: boundary values of single-resource rules, passing and
// failing, including unknowns (never reported) and pulumi-aws string booleans.
func TestValueEdges(t *testing.T) {
	for _, tc := range []struct {
		rule   string
		typ    string
		inputs map[string]any
		fail   bool
	}{
		{"aurora-mysql-version", typeRDSCluster, map[string]any{"engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.05.2"}, false},
		{"aurora-mysql-version", typeRDSCluster, map[string]any{"engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.05.1"}, true},
		{"aurora-mysql-version", typeRDSCluster, map[string]any{"engine": "aurora-mysql", "engineVersion": "8.0.mysql_aurora.3.10.0"}, false},
		{"aurora-mysql-version", typeRDSCluster, map[string]any{"engine": "aurora-mysql"}, true},
		{"aurora-mysql-version", typeRDSCluster, map[string]any{"engine": "aurora-postgresql", "engineVersion": Unknown}, true},
		{"aurora-mysql-version", typeRDSCluster, map[string]any{"engine": "aurora-mysql", "engineVersion": Unknown}, false},
		{"mq-rabbitmq-version", typeMQBroker, map[string]any{"engineType": "RABBITMQ", "engineVersion": "3.13"}, false},
		{"mq-rabbitmq-version", typeMQBroker, map[string]any{"engineType": "RabbitMQ", "engineVersion": "3.9"}, false},
		{"mq-rabbitmq-version", typeMQBroker, map[string]any{"engineType": "RabbitMQ", "engineVersion": "3.13.7"}, true},
		{"mq-rabbitmq-version", typeMQBroker, map[string]any{"engineType": "RabbitMQ"}, true},
		{"mq-rabbitmq-version", typeMQBroker, map[string]any{"engineType": "ActiveMQ", "engineVersion": "3.13"}, true},
		{"opensearch-version", typeOpenSearch, map[string]any{"engineVersion": "OpenSearch_2.13"}, false},
		{"opensearch-version", typeOpenSearch, map[string]any{"engineVersion": "OpenSearch_1.3"}, true},
		{"opensearch-version", typeOpenSearch, map[string]any{"engineVersion": "Elasticsearch_7.10"}, true},
		{"opensearch-version", typeOpenSearch, map[string]any{"engineVersion": "OpenSearch_2."}, true},
		{"ec2-launch-template-ebs-encrypted", typeLaunchTemplate, map[string]any{"blockDeviceMappings": []any{map[string]any{"ebs": map[string]any{"encrypted": true, "kmsKeyId": Unknown}}}}, false},
		{"ec2-launch-template-ebs-encrypted", typeLaunchTemplate, map[string]any{}, true},
		{"ec2-launch-template-no-public-ip", typeLaunchTemplate, map[string]any{"networkInterfaces": []any{map[string]any{"associatePublicIpAddress": true}}}, true},
		{"ec2-launch-template-imdsv2", typeLaunchTemplate, map[string]any{}, true},
		{"ec2-launch-template-imdsv2", typeLaunchTemplate, map[string]any{"metadataOptions": map[string]any{"httpTokens": "required", "httpEndpoint": "disabled"}}, true},
		{"elb-listener-tls-policy", typeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08", "certificateArn": "c"}, true},
		{"elb-listener-tls-policy", typeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06", "certificateArn": Unknown}, false},
		{"elb-listener-tls-policy", typeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, true},
		{"elb-access-logs", typeLoadBalancer, map[string]any{"accessLogs": map[string]any{"enabled": true, "bucket": "b", "prefix": "AWSLogs/x"}}, true},
		{"elb-desync-mitigation", typeLoadBalancer, map[string]any{"loadBalancerType": "network", "desyncMitigationMode": "monitor"}, false},
		{"cloudwatch-log-group-retention", typeLogGroup, map[string]any{"retentionInDays": 0.0, "kmsKeyId": "k"}, true},
		{"cloudwatch-log-retention-one-year", typeLogGroup, map[string]any{"retentionInDays": 0.0}, false},
		{"cloudwatch-log-retention-one-year", typeLogGroup, map[string]any{"retentionInDays": 365.0}, false},
		{"secretsmanager-rotation-period", typeSecretRotation, map[string]any{"rotationRules": map[string]any{"scheduleExpression": "rate(30 days)"}}, false},
		{"secretsmanager-rotation-period", typeSecretRotation, map[string]any{"rotationRules": map[string]any{"automaticallyAfterDays": 90.0}}, false},
		{"secretsmanager-rotation-period", typeSecretRotation, map[string]any{"rotationRules": map[string]any{"automaticallyAfterDays": 91.0}}, true},
		{"kms-key-rotation", typeKMSKey, map[string]any{"customerMasterKeySpec": "RSA_2048"}, false},
		{"kms-key-policy-no-public-access", typeKMSKey, map[string]any{"policy": `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":"kms:*"}}`}, true},
		{"kms-key-policy-no-public-access", typeKMSKey, map[string]any{"policy": Unknown}, false},
		{"acm-certificate-key-algorithm", typeCertificate, map[string]any{"keyAlgorithm": "EC_secp384r1"}, false},
		{"acm-certificate-dns-validation", typeCertificate, map[string]any{"certificateBody": "-----BEGIN CERTIFICATE-----", "privateKey": Secret}, true},
		{"rds-cluster-non-default-port", typeRDSCluster, map[string]any{"port": 3306.0}, true},
		{"rds-cluster-backup-retention", typeRDSCluster, map[string]any{}, true},
		{"rds-cluster-backup-retention", typeRDSCluster, map[string]any{"backupRetentionPeriod": 7.0}, false},
		{"stateful-protected-in-prod", typeKMSKey, map[string]any{}, true},
		{"stateful-protected-in-prod", typeSecurityGroup, map[string]any{}, false},
	} {
		got := check(t, tc.rule, res(tc.typ, "edge", tc.inputs))
		if (len(got) > 0) != tc.fail {
			t.Errorf("%s %v: got %q, want failure %v", tc.rule, tc.inputs, got, tc.fail)
		}
	}
}

// TestLoadBalancerAliases: the alb and legacy tokens are judged like lb ones
// , so a program using them cannot slip past the rules.
func TestLoadBalancerAliases(t *testing.T) {
	for _, typ := range []string{
		"aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
		"aws:applicationloadbalancing/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
	} {
		if got := check(t, "elb-drop-invalid-headers", res(typ, "alias", map[string]any{})); len(got) != 1 {
			t.Errorf("%s: got %q, want one violation", typ, got)
		}
	}
}

// TestUserDataMarkers: literal credentials are found in plain, base64 and
// gzip+base64 user data; the real bootstrap's references to secrets are not.
func TestUserDataMarkers(t *testing.T) {
	for _, tc := range []struct {
		name, userData string
		want           string
	}{
		{"bootstrap", gzipBase64(userDataScript), ""},
		{"plain bootstrap", userDataScript, ""},
		{"private key", "#!/bin/sh\ncat > k <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nEOF\n", "a private key (line 3)"},
		{"access key", gzipBase64("export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n"), "an AWS access key id"},
		{"secret key", "aws_secret_access_key = abcdefghijABCDEFGHIJ0123456789/+abcdefghi\n", "an AWS secret access key"},
		{"json password", `{"password": "s3cr3t-value"}`, "a quoted password literal"},
		{"variable password", `password="$(jq -r .password f)"`, ""},
		{"whole secret", Secret, "userData is a secret value"},
		{"redacted inside", "DB=" + Secret, "the secret redaction marker"},
		{"unknown", Unknown, ""},
	} {
		got := strings.Join(check(t, "no-secret-in-user-data", res(typeLaunchTemplate, "ud", map[string]any{"userData": tc.userData})), "; ")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTagPlaces: a secret is found in each place tags live.
func TestTagPlaces(t *testing.T) {
	for _, tc := range []struct {
		typ    string
		inputs map[string]any
		want   string
	}{
		{typeVpc, map[string]any{"tags": map[string]any{"Name": "ok"}}, ""},
		{typeVpc, map[string]any{"tagsAll": map[string]any{"Token": Secret}}, `tagsAll["Token"]`},
		{typeAutoScalingGroup, map[string]any{"tags": []any{map[string]any{"key": "K", "value": Secret, "propagateAtLaunch": true}}}, `tags["K"]`},
		{typeLaunchTemplate, map[string]any{"tagSpecifications": []any{map[string]any{"tags": map[string]any{"K": Secret}}}}, `tagSpecifications[0].tags["K"]`},
		{"pulumi:providers:aws", map[string]any{"defaultTags": map[string]any{"tags": map[string]any{"K": Secret}}}, `defaultTags.tags["K"]`},
	} {
		got := strings.Join(check(t, "no-secret-in-tags", res(tc.typ, "tags", tc.inputs)), "; ")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s %v: got %q, want %q", tc.typ, tc.inputs, got, tc.want)
		}
	}
}

// TestPeerByGroupCIDRs: only CIDRs inside a stack VPC are reported, from each
// kind of rule.
func TestPeerByGroupCIDRs(t *testing.T) {
	vpc := res(typeVpc, "v", map[string]any{"cidrBlock": "10.40.0.0/16"})
	for _, tc := range []struct {
		r    Resource
		fail bool
	}{
		{res(typeSecurityGroupRule, "r", map[string]any{"cidrBlocks": []any{"10.40.1.0/24"}}), true},
		{res(typeSecurityGroupRule, "r", map[string]any{"cidrBlocks": []any{"10.0.0.0/8"}}), false},
		{res(typeSecurityGroupRule, "r", map[string]any{"cidrBlocks": []any{"10.41.0.0/24"}}), false},
		{res(typeVpcEgressRule, "r", map[string]any{"cidrIpv4": "10.40.255.255/32"}), true},
		{res(typeVpcIngressRule, "r", map[string]any{"cidrIpv4": "0.0.0.0/0"}), false},
		{res(typeSecurityGroup, "g", map[string]any{"egress": []any{map[string]any{"cidrBlocks": []any{"10.40.0.0/16"}}}}), true},
	} {
		got := Evaluate(prod, []Rule{rule(t, "sg-rule-peer-by-group")}, []Resource{vpc, tc.r})
		if (len(got) > 0) != tc.fail {
			t.Errorf("%v: got %+v, want failure %v", tc.r.Inputs, got, tc.fail)
		}
	}
}

// TestSecretRotationMatching: a rotation whose secretId is known covers only
// the secret it names, even when its dependencies name every secret (as the
// offline plan records them); an unknown id falls back to the dependencies.
func TestSecretRotationMatching(t *testing.T) {
	a, b := secretSet("a", false)[0], secretSet("b", false)[0]
	rot := res(typeSecretRotation, "rot", map[string]any{"secretId": "arn:aws:secretsmanager:eu-west-1:1:secret:/morpheus-ha/prod/a-XyZ"},
		"secretId", a.URN, "secretId", b.URN)
	got := Evaluate(prod, []Rule{rule(t, "secretsmanager-rotation-enabled")}, []Resource{a, b, rot})
	if len(got) != 1 || got[0].URN != b.URN {
		t.Errorf("known id: got %+v, want b only", got)
	}
	rot.Inputs["secretId"] = Unknown
	if got := Evaluate(prod, []Rule{rule(t, "secretsmanager-rotation-enabled")}, []Resource{a, b, rot}); len(got) != 0 {
		t.Errorf("unknown id: got %+v, want dependencies to count", got)
	}
}
