package noderefresh

import (
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// DocumentArn is a document's ARN (what SendCommand authorises).
func DocumentArn(env awsenv.Env, name string) string {
	return env.ARN("ssm", "document/"+name)
}

// AutomationDefinitionArn is the ARN EventBridge starts an automation by: the
// runbook at its default version.
func AutomationDefinitionArn(env awsenv.Env, name string) string {
	return env.ARN("ssm", "automation-definition/"+name+":$DEFAULT")
}

// serviceTrust lets one AWS service, acting for this account, assume a role.
// sourceArns, when given, narrow it to those sources (aws:SourceArn) for
// services documented to send one.
func serviceTrust(env awsenv.Env, service string, sourceArns ...string) iampolicy.Document {
	return iampolicy.ServiceTrust("ServiceAssume", service, env.AccountID, sourceArns...)
}

// AutomationTrust lets Systems Manager assume the automation role for this
// account's automation executions only: Automation sends the execution as
// aws:SourceArn.
func AutomationTrust(env awsenv.Env) iampolicy.Document {
	return serviceTrust(env, "ssm.amazonaws.com", env.ARN("ssm", "automation-execution/*"))
}

// AutomationPolicy lets the runbook send the refresh command, and only that
// document, to the group's instances only (by the tag Auto Scaling puts on
// them), follow the command, and record a completed refresh in the stack's
// metric namespace. The List/Get/Describe calls take no resource.
func AutomationPolicy(env awsenv.Env, commandDocument, asgName, signalNamespace string) iampolicy.Document {
	return iampolicy.New(
		// PutMetricData takes no resource; the namespace condition keeps the
		// automation to the stack's own metrics (its completed-refresh signal).
		iampolicy.Allow("RecordCompletedRefresh", []string{"cloudwatch:PutMetricData"}, []string{"*"}).
			When("StringEquals", "cloudwatch:namespace", signalNamespace),
		iampolicy.Allow("SendRefreshDocument", []string{"ssm:SendCommand"}, []string{DocumentArn(env, commandDocument)}),
		iampolicy.Allow("SendToGroupNodes", []string{"ssm:SendCommand"}, []string{env.ARN("ec2", "instance/*")}).
			When("StringEquals", "ssm:resourceTag/"+GroupTagKey, asgName),
		iampolicy.Allow("FollowCommands", []string{
			"ssm:ListCommands", "ssm:ListCommandInvocations", "ssm:GetCommandInvocation",
			"ssm:DescribeInstanceInformation", "ec2:DescribeInstances",
		}, []string{"*"}),
	)
}

// EventsPolicy lets EventBridge start this runbook, no other, and hand it the
// automation role, to Systems Manager only.
func EventsPolicy(env awsenv.Env, automationDocument, automationRoleArn string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("StartRefreshAutomation", []string{"ssm:StartAutomationExecution"},
			[]string{env.ARN("ssm", "automation-definition/"+automationDocument+":*")}),
		iampolicy.Allow("PassAutomationRole", []string{"iam:PassRole"}, []string{automationRoleArn}).
			When("StringEquals", "iam:PassedToService", "ssm.amazonaws.com"),
	)
}
