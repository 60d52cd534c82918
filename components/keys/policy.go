package keys

import (
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// Policy returns the key policy of a purpose. Every key delegates to IAM through
// the account root (so roles get key use from their own least-privilege policies
// with kms:ViaService conditions); only the principals IAM cannot reach, service
// principals and service-linked roles, are named here.
func Policy(p Purpose, env awsenv.Env) iampolicy.Document {
	statements := []iampolicy.Statement{
		iampolicy.Allow("EnableIAMPolicies", []string{"kms:*"}, []string{"*"}).
			WithPrincipal("AWS", env.RootARN()),
	}
	switch p {
	case Data:
		// EC2 Auto Scaling launches nodes with EBS volumes encrypted by this key
		// through its service-linked role, which no IAM policy can grant. Naming the
		// role as principal would make the policy invalid in an account where the
		// role does not exist yet, so the principal is matched by condition.
		asgRole := env.GlobalARN("iam", "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
		statements = append(statements,
			iampolicy.Allow("AutoScalingUseForEBS",
				[]string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
				[]string{"*"}).
				WithPrincipal("AWS", "*").
				When("StringEquals", "kms:CallerAccount", env.AccountID).
				When("ArnEquals", "aws:PrincipalArn", asgRole),
			iampolicy.Allow("AutoScalingGrantsForEBS", []string{"kms:CreateGrant"}, []string{"*"}).
				WithPrincipal("AWS", "*").
				When("StringEquals", "kms:CallerAccount", env.AccountID).
				When("ArnEquals", "aws:PrincipalArn", asgRole).
				When("Bool", "kms:GrantIsForAWSResource", "true"),
		)
	case Logs:
		statements = append(statements,
			iampolicy.Allow("CloudWatchLogsUse",
				[]string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
				[]string{"*"}).
				WithPrincipal("Service", env.ServicePrincipal("logs."+env.Region)).
				When("ArnLike", "kms:EncryptionContext:aws:logs:arn", env.ARN("logs", "log-group:*")),
		)
	case Notifications:
		// CloudWatch alarms and EventBridge rules publish to the encrypted alerts
		// topic; without these an encrypted topic silently drops their messages.
		// Both are limited to this account's topics in the key's region by SNS's
		// encryption context.
		topics := env.ARN("sns", "*")
		statements = append(statements,
			// CloudWatch sends the alarm as source, so only this account's
			// alarms in the key's region may use the key (confused deputy).
			iampolicy.Allow("AlarmPublishers", []string{"kms:Decrypt", "kms:GenerateDataKey*"}, []string{"*"}).
				WithPrincipal("Service", "cloudwatch.amazonaws.com").
				When("StringEquals", "aws:SourceAccount", env.AccountID).
				When("ArnLike", "aws:SourceArn", env.ARN("cloudwatch", "alarm:*")).
				When("ArnLike", "kms:EncryptionContext:aws:sns:topicArn", topics),
			// EventBridge's calls to KMS through SNS carry no aws:SourceAccount
			// or aws:SourceArn (a condition on them would drop every event), so
			// the topic in the encryption context is its only scope.
			iampolicy.Allow("EventPublishers", []string{"kms:Decrypt", "kms:GenerateDataKey*"}, []string{"*"}).
				WithPrincipal("Service", "events.amazonaws.com").
				When("ArnLike", "kms:EncryptionContext:aws:sns:topicArn", topics),
			// AWS Budgets and Cost Anomaly Detection publish the cost alerts; they
			// send this account as the source.
			iampolicy.Allow("CostAlertPublishers", []string{"kms:Decrypt", "kms:GenerateDataKey*"}, []string{"*"}).
				WithPrincipal("Service", "budgets.amazonaws.com", "costalerts.amazonaws.com").
				When("StringEquals", "aws:SourceAccount", env.AccountID).
				When("ArnLike", "kms:EncryptionContext:aws:sns:topicArn", topics),
		)
	}
	return iampolicy.New(statements...)
}
