package apptier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// SystemsManagerActions are what the SSM agent needs for Session Manager (the
// only way in: no SSH key, no port 22) and Run Command (the node refresh):
// registration and the message channels. It replaces AmazonSSMManagedInstanceCore,
// whose ssm:GetParameter(s) on "*" would let a node read every parameter in the
// account, and whose association, inventory and patch calls the stack uses none of.
var SystemsManagerActions = []string{
	"ssm:UpdateInstanceInformation", "ssm:ListInstanceAssociations",
	"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
	"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
	"ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
	"ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
}

// AgentDescribeActions are the CloudWatch agent's lookups: the instance's tags
// (its Auto Scaling group, a metric dimension) and volumes. Describe calls
// take no resource.
var AgentDescribeActions = []string{"ec2:DescribeTags", "ec2:DescribeVolumes"}

// NodePolicy is the nodes' least-privilege inline policy: read the three
// Morpheus logins and this stack's parameters only, decrypt only with this stack's secrets key and
// only through Secrets Manager or Parameter Store, mount this stack's file system,
// complete this group's lifecycle hooks, ship logs to the stack's app log
// groups and Run Command output to the refresh's, publish agent metrics, and
// run the SSM agent (Session Manager, Run Command). No AWS managed policy.
func NodePolicy(a *Args, names Names, secretsKeyArn, fileSystemArn string, logGroups []string) iampolicy.Document {
	env := a.Env
	path := a.Namer.Path()
	// A secret's ARN ends in "-" and six random characters.
	secretArns := make([]string, len(a.NodeSecretNames))
	for i, n := range a.NodeSecretNames {
		secretArns[i] = env.ARN("secretsmanager", "secret:"+n+"-??????")
	}
	statements := []iampolicy.Statement{
		iampolicy.Allow("ReadMorpheusLogins", []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, secretArns),
		iampolicy.Allow("ReadStackParameters", []string{"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"},
			[]string{env.ARN("ssm", "parameter"+path), env.ARN("ssm", "parameter"+path+"/*")}),
		iampolicy.Allow("DecryptStackSecrets", []string{"kms:Decrypt"}, []string{secretsKeyArn}).
			When("StringEquals", "kms:ViaService", "secretsmanager."+env.Region+".amazonaws.com", "ssm."+env.Region+".amazonaws.com"),
		storage.ClientStatement(fileSystemArn),
		iampolicy.Allow("CompleteOwnLifecycleHooks", []string{"autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"},
			[]string{env.ARN("autoscaling", "autoScalingGroup:*:autoScalingGroupName/"+names.Group)}),
		// Describe calls support no resource-level permissions.
		iampolicy.Allow("FindOwnGroup", []string{"autoscaling:DescribeAutoScalingInstances"}, []string{"*"}),
	}
	var groupArns []string
	for _, g := range append(append([]string(nil), logGroups...), a.CommandOutputLogGroups...) {
		arn := env.ARN("logs", "log-group:"+g)
		groupArns = append(groupArns, arn, arn+":*")
	}
	statements = append(statements,
		// The app logs (CloudWatch agent) and Run Command output (SSM agent).
		iampolicy.Allow("ShipLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, groupArns),
		// The SSM agent looks its output group up before writing and, not
		// finding it, tries to create it and gives up. It lists names only.
		iampolicy.Allow("FindLogGroups", []string{"logs:DescribeLogGroups"}, []string{env.ARN("logs", "log-group:*")}),
		// The ssmmessages and ec2messages actions have no resource types; the
		// two ssm calls are the agent's registration and association poll,
		// which read no parameter, secret or document.
		iampolicy.Allow("SystemsManagerAgent", SystemsManagerActions, []string{"*"}),
		// PutMetricData takes no resource; the namespace condition keeps a node
		// from writing into any other namespace (the stack's alarms included).
		iampolicy.Allow("PublishAgentMetrics", []string{"cloudwatch:PutMetricData"}, []string{"*"}).
			When("StringEquals", "cloudwatch:namespace", agentconfig.Namespace),
		iampolicy.Allow("AgentLookups", AgentDescribeActions, []string{"*"}),
	)
	if len(a.PackageBucketArns) > 0 {
		objects := make([]string, len(a.PackageBucketArns))
		for i, b := range a.PackageBucketArns {
			objects[i] = b + "/*"
		}
		statements = append(statements, iampolicy.Allow("ReadPackages", []string{"s3:GetObject"}, objects))
	}
	return iampolicy.New(statements...)
}

// instanceRole returns the role, its instance profile's ARN, and the resources
// that grant the role its permissions, which nodes must not boot before.
func (b *builder) instanceRole(logGroups pulumi.StringArray) (*iam.Role, pulumi.StringOutput, []pulumi.Resource, error) {
	a := b.args
	trust := iampolicy.New(iampolicy.Allow("EC2Assume", []string{"sts:AssumeRole"}, nil).
		WithPrincipal("Service", "ec2.amazonaws.com"))
	role, err := iam.NewRole(b.ctx, b.name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(a.Namer.Name(naming.IAMRole, "app-node")),
		Description:      pulumi.String("Morpheus app nodes: Session Manager, CloudWatch agent, this stack's secrets"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, b.parent)
	if err != nil {
		return nil, pulumi.StringOutput{}, nil, err
	}
	var grants []pulumi.Resource
	// The policy names the log groups, so it (and through it every node) waits
	// for them: an agent shipping to a missing group would create it without
	// retention or the logs key.
	policy := pulumi.All(a.SecretsKeyArn, a.FileSystemArn, logGroups.ToStringArrayOutput()).ApplyT(func(v []any) string {
		return NodePolicy(a, b.names, v[0].(string), v[1].(string), v[2].([]string)).JSON()
	}).(pulumi.StringOutput)
	inline, err := iam.NewRolePolicy(b.ctx, b.name+"-role-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, b.parent)
	if err != nil {
		return nil, pulumi.StringOutput{}, nil, err
	}
	grants = append(grants, inline)
	profile, err := iam.NewInstanceProfile(b.ctx, b.name+"-profile", &iam.InstanceProfileArgs{
		Role: role.Name,
	}, b.parent)
	if err != nil {
		return nil, pulumi.StringOutput{}, nil, err
	}
	return role, profile.Arn, grants, nil
}
