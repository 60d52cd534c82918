package apptier

import (
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Managed policies every node needs: Session Manager (the only way in: no SSH
// key, no port 22) and the CloudWatch agent.
var managedPolicies = map[string]string{
	"ssm":        "AmazonSSMManagedInstanceCore",
	"cloudwatch": "CloudWatchAgentServerPolicy",
}

// NodePolicy is the nodes' least-privilege inline policy: read the three
// Morpheus logins and this stack's parameters only, decrypt only with this stack's secrets key and
// only through Secrets Manager or Parameter Store, mount this stack's file system,
// complete this group's lifecycle hooks, and ship logs to the stack's app log
// groups.
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
	for _, g := range logGroups {
		arn := env.ARN("logs", "log-group:"+g)
		groupArns = append(groupArns, arn, arn+":*")
	}
	statements = append(statements, iampolicy.Allow("ShipAppLogs",
		[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, groupArns))
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
	for _, suffix := range sortedKeys(managedPolicies) {
		policy := managedPolicies[suffix]
		attachment, err := iam.NewRolePolicyAttachment(b.ctx, b.name+"-role-"+suffix, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/%s", a.Env.Partition, policy),
		}, b.parent)
		if err != nil {
			return nil, pulumi.StringOutput{}, nil, err
		}
		grants = append(grants, attachment)
	}
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
