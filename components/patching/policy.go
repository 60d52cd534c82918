package patching

import (
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// DocumentArn is the ARN of one of this account's documents.
func DocumentArn(env awsenv.Env, name string) string {
	return env.ARN("ssm", "document/"+name)
}

// AmazonDocumentArn is the ARN of an Amazon-owned document (no account).
func AmazonDocumentArn(env awsenv.Env, name string) string {
	return "arn:" + env.Partition + ":ssm:" + env.Region + "::document/" + name
}

// GroupArn matches the Auto Scaling group by name (its ARN holds a generated id).
func GroupArn(env awsenv.Env, group string) string {
	return env.ARN("autoscaling", "autoScalingGroup:*:autoScalingGroupName/"+group)
}

// Trust lets Systems Manager, acting for this account, assume the role: the
// maintenance window to start the runbook, and the runbook itself.
func Trust(env awsenv.Env) iampolicy.Document {
	return iampolicy.ServiceTrust("ServiceAssume", "ssm.amazonaws.com", env.AccountID)
}

// PolicyParams name what the role may touch.
type PolicyParams struct {
	// AutomationDocument is this stack's patch runbook.
	AutomationDocument string
	// PingDocument is this stack's /ping command.
	PingDocument string
	// GroupName is the app nodes' group.
	GroupName string
	// RoleArn is the role itself, which the window passes to the runbook.
	RoleArn string
}

// Policy is the window's and the runbook's one role: start this stack's
// runbook and pass it this role; send the patch and ping documents, and no
// other, to this group's nodes only (by the tag Auto Scaling puts on them);
// move this group's nodes in and out of standby and complete their launch
// hook. The Describe/List/Get calls accept no resource.
func Policy(env awsenv.Env, p PolicyParams) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("StartPatchAutomation", []string{"ssm:StartAutomationExecution"},
			[]string{env.ARN("ssm", "automation-definition/"+p.AutomationDocument+":*")}),
		iampolicy.Allow("PassThisRoleToTheRunbook", []string{"iam:PassRole"}, []string{p.RoleArn}).
			When("StringEquals", "iam:PassedToService", "ssm.amazonaws.com"),
		iampolicy.Allow("SendPatchDocuments", []string{"ssm:SendCommand"},
			[]string{AmazonDocumentArn(env, RunPatchBaseline), DocumentArn(env, p.PingDocument)}),
		iampolicy.Allow("SendToGroupNodes", []string{"ssm:SendCommand"}, []string{env.ARN("ec2", "instance/*")}).
			When("StringEquals", "ssm:resourceTag/"+GroupTagKey, p.GroupName),
		iampolicy.Allow("StandbyGroupNodes", []string{
			"autoscaling:EnterStandby", "autoscaling:ExitStandby", "autoscaling:CompleteLifecycleAction",
		}, []string{GroupArn(env, p.GroupName)}),
		iampolicy.Allow("FollowNodesAndCommands", []string{
			"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
			"elasticloadbalancing:DescribeTargetHealth",
			"ssm:ListCommands", "ssm:ListCommandInvocations", "ssm:GetCommandInvocation",
			"ssm:DescribeInstanceInformation", "ec2:DescribeInstances",
		}, []string{"*"}),
	)
}
