package network

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// flowLogs records all VPC traffic, accepted and rejected, to an encrypted log
// group through a role only the flow-logs service of this account can assume. It
// returns the log group's name. The group is audit evidence: protected and
// retained on deletion as the args say.
func (b *builder) flowLogs() (pulumi.StringOutput, error) {
	env := b.args.Env
	groupName := b.args.Namer.LogGroup("vpc-flow-logs")
	group, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-flow-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(groupName),
		RetentionInDays: pulumi.Int(b.args.FlowLogRetentionDays),
		KmsKeyId:        b.args.LogsKeyArn,
	}, b.parent, pulumi.Protect(b.args.Protect), pulumi.RetainOnDelete(b.args.RetainAuditLogs))
	if err != nil {
		return pulumi.StringOutput{}, err
	}

	trust := iampolicy.ServiceTrust("FlowLogsAssume", "vpc-flow-logs.amazonaws.com", env.AccountID, env.ARN("ec2", "vpc-flow-log/*"))
	role, err := iam.NewRole(b.ctx, b.name+"-flow-logs-role", &iam.RoleArgs{
		Name:             pulumi.String(b.args.Namer.Name(naming.IAMRole, "vpc-flow-logs")),
		Description:      pulumi.String("Delivers VPC flow logs to their log group"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	groupArn := env.ARN("logs", "log-group:"+groupName)
	deliver := iampolicy.New(
		iampolicy.Allow("WriteFlowLogs",
			[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			[]string{groupArn, groupArn + ":*"}),
		// DescribeLogGroups cannot be scoped to one group.
		iampolicy.Allow("FindLogGroup", []string{"logs:DescribeLogGroups"}, []string{env.ARN("logs", "log-group:*")}),
	)
	if _, err := iam.NewRolePolicy(b.ctx, b.name+"-flow-logs-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.String(deliver.JSON()),
	}, b.parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	if _, err := ec2.NewFlowLog(b.ctx, b.name+"-flow-log", &ec2.FlowLogArgs{
		VpcId:                  b.vpc.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
	}, b.parent); err != nil {
		return pulumi.StringOutput{}, err
	}
	return group.Name, nil
}
