package opsfunction

import (
	"github.com/morpheus-ha/morpheus-ha/components/messaging"
	"github.com/morpheus-ha/morpheus-ha/components/snapshots"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// The Secrets Manager calls the function makes (internal/ops/secrets.API).
// The secrets it rotates (the app secrets and the broker admin's and master
// user's) are also described and written; the RDS master secret and the
// Morpheus admin secret are only read.
var (
	readActions   = []string{"secretsmanager:GetSecretValue"}
	rotateActions = []string{"secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}
)

// brokerLogActions set an Amazon MQ log group up (internal/ops/loggroups.API).
var brokerLogActions = []string{"logs:CreateLogGroup", "logs:AssociateKmsKey", "logs:PutRetentionPolicy"}

// vpcActions let Lambda attach the function to the VPC; the same EC2 actions as
// AWSLambdaVPCAccessExecutionRole, without that policy's logs:* on every log
// group. EC2 offers no resource-level permissions that fit them.
var vpcActions = []string{
	"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
	"ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
}

// PolicyARNs are the resolved names the function's policy is scoped to.
type PolicyARNs struct {
	// AdminSecretArns are the broker admin, OpenSearch master and RDS master
	// secrets, and the Morpheus admin secret when the appliance setup is on.
	AdminSecretArns []string
	// AppSecretArns are the three Morpheus logins the function rotates.
	AppSecretArns []string
	// RotatedAdminSecretArns are the admin secrets the function rotates in
	// place (the broker admin's and the OpenSearch master's), also among
	// AdminSecretArns.
	RotatedAdminSecretArns []string
	// SecretsKeyArn encrypts every one of those secrets.
	SecretsKeyArn string
	// LogGroupName is the function's log group.
	LogGroupName string
	// Snapshots scopes the snapshot and export permissions; nil without them.
	Snapshots *SnapshotPolicyARNs
	// Restore scopes the restore action's permissions; nil outside restore mode.
	Restore *RestorePolicyARNs
}

// SnapshotPolicyARNs are the names the snapshot and export permissions are scoped to.
type SnapshotPolicyARNs struct {
	// BucketArn is the snapshot bucket.
	BucketArn string
	// RoleArn is the snapshot role, the only role the function may pass.
	RoleArn string
	// DataKeyArn encrypts the bucket.
	DataKeyArn string
	// DomainArn is the OpenSearch domain.
	DomainArn string
}

// TrustPolicy lets Lambda, acting for this account only, assume the role.
func TrustPolicy(env awsenv.Env) iampolicy.Document {
	return iampolicy.ServiceTrust("LambdaAssume", "lambda.amazonaws.com", env.AccountID)
}

// FunctionPolicy is the role's only policy: this stack's secrets, the secrets
// key through Secrets Manager only, its own log group, Amazon MQ's broker log
// groups, the VPC attachment and, with a snapshot bucket, SnapshotStatements.
func FunctionPolicy(env awsenv.Env, a PolicyARNs) iampolicy.Document {
	all := append(append([]string(nil), a.AdminSecretArns...), a.AppSecretArns...)
	statements := []iampolicy.Statement{
		iampolicy.Allow("ReadServiceSecrets", readActions, all),
		iampolicy.Allow("RotateSecrets", rotateActions, append(append([]string(nil), a.AppSecretArns...), a.RotatedAdminSecretArns...)),
		// Decrypt reads the secrets, GenerateDataKey encrypts a new version.
		iampolicy.Allow("UseSecretsKeyViaSecretsManager", []string{"kms:Decrypt", "kms:GenerateDataKey"}, []string{a.SecretsKeyArn}).
			When("StringEquals", "kms:ViaService", "secretsmanager."+env.Region+"."+env.DNSSuffix),
		iampolicy.Allow("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			[]string{env.ARN("logs", "log-group:"+a.LogGroupName+":*")}),
		// Amazon MQ's broker log groups in this account and region only. The
		// logs key's policy admits the Logs service for this account's log
		// groups, which is what AssociateKmsKey and CreateLogGroup's KmsKeyId
		// need; the role itself calls no KMS action for them.
		iampolicy.Allow("SetUpBrokerLogGroups", brokerLogActions,
			[]string{env.ARN("logs", "log-group:"+messaging.LogGroupPrefix+"*")}),
		iampolicy.Allow("AttachToVPC", vpcActions, []string{"*"}),
		// Active tracing: the X-Ray write actions take no resource.
		iampolicy.Allow("WriteTraces", []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, []string{"*"}),
	}
	if sn := a.Snapshots; sn != nil {
		statements = append(statements, SnapshotStatements(env, *sn)...)
	}
	if r := a.Restore; r != nil {
		statements = append(statements, RestoreStatements(env, *r)...)
	}
	return iampolicy.New(statements...)
}

// SnapshotStatements let the function register the repository and take
// snapshots (signed calls to the domain, passing the snapshot role to
// OpenSearch and nothing else) and write the definitions exports under their
// prefix only, with the data key through S3 only. Reading or deleting
// snapshots stays with OpenSearch's own role.
func SnapshotStatements(env awsenv.Env, sn SnapshotPolicyARNs) []iampolicy.Statement {
	return []iampolicy.Statement{
		iampolicy.Allow("PassSnapshotRoleToOpenSearch", []string{"iam:PassRole"}, []string{sn.RoleArn}).
			When("StringEquals", "iam:PassedToService", env.ServicePrincipal("es")),
		iampolicy.Allow("CallSnapshotAPI", []string{"es:ESHttpGet", "es:ESHttpPut"}, []string{sn.DomainArn + "/*"}),
		iampolicy.Allow("WriteDefinitionsExports", []string{"s3:PutObject"},
			[]string{sn.BucketArn + "/" + snapshots.DefinitionsPrefix + "/*"}),
		iampolicy.Allow("UseDataKeyViaS3", []string{"kms:GenerateDataKey"}, []string{sn.DataKeyArn}).
			When("StringEquals", "kms:ViaService", "s3."+env.Region+"."+env.DNSSuffix),
	}
}
