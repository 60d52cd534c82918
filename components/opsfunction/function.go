package opsfunction

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/search"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// builder carries what every step of the construction needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
}

func (b *builder) build(c *OpsFunction) error {
	a := b.args
	logGroup, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(a.Namer.LogGroup(LogPurpose)),
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        a.LogsKeyArn,
	}, b.parent, pulumi.Protect(a.Protect))
	if err != nil {
		return err
	}
	role, rolePolicy, err := b.role()
	if err != nil {
		return err
	}
	rules, s3Rule, err := egress(b.ctx, b.name, a, b.parent)
	if err != nil {
		return err
	}

	// One resolution of the data tier's values feeds the environment, the
	// bootstrap payload and its trigger, so they cannot disagree.
	inputs := []any{a.DBEndpoint, a.DBPort, a.DBMasterSecretArn, a.MQManagementURL, a.SearchEndpoint, a.SecretArns,
		a.MQBrokerId, a.LogsKeyArn}
	if sn := a.Snapshots; sn != nil {
		inputs = append(inputs, sn.BucketName, sn.RoleArn, sn.DataKeyArn)
	}
	values := pulumi.All(inputs...)
	targetsJSON := values.ApplyT(func(v []any) (string, error) {
		t, err := BuildTargets(serviceValues(v, a))
		if err != nil {
			return "", err
		}
		return TargetsJSON(t)
	}).(pulumi.StringOutput)
	bootstrapInput := values.ApplyT(func(v []any) (string, error) {
		t, err := BuildTargets(serviceValues(v, a))
		if err != nil {
			return "", err
		}
		return BootstrapInput(t)
	}).(pulumi.StringOutput)

	codeHash, err := ArtifactHash(a.Artifact)
	if err != nil {
		return err
	}
	fn, err := lambda.NewFunction(b.ctx, b.name+"-function", &lambda.FunctionArgs{
		Name:           pulumi.String(a.Namer.Name(naming.LambdaFunction, NamePurpose)),
		Description:    pulumi.String("Morpheus ops: bootstraps the database, broker and search users and the broker's log group; rotates their secrets"),
		Role:           role.Arn,
		Runtime:        pulumi.String(Runtime),
		Architectures:  pulumi.StringArray{pulumi.String(Architecture)},
		Handler:        pulumi.String(Handler),
		Code:           pulumi.NewFileArchive(a.Artifact),
		SourceCodeHash: pulumi.String(codeHash),
		Timeout:        pulumi.Int(TimeoutSeconds),
		MemorySize:     pulumi.Int(MemoryMB),

		ReservedConcurrentExecutions: pulumi.Int(ReservedConcurrency),
		// The environment holds identifiers only; the key still keeps it
		// under this stack's control rather than an AWS-managed key.
		KmsKeyArn: a.SecretsKeyArn,
		Environment: &lambda.FunctionEnvironmentArgs{
			Variables: pulumi.StringMap{EnvTargets: targetsJSON},
		},
		VpcConfig: &lambda.FunctionVpcConfigArgs{
			SubnetIds:        a.AppSubnetIds,
			SecurityGroupIds: pulumi.StringArray{a.OpsSecurityGroupId},
		},
		// Active tracing shows where a bootstrap or rotation spends its time
		// (the data services, Secrets Manager) when one runs slow or fails.
		TracingConfig: &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{
			LogFormat: pulumi.String("JSON"),
			LogGroup:  logGroup.Name,
		},
		// Lambda checks at creation that the role may create network
		// interfaces, so the policy must be attached first.
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy}))
	if err != nil {
		return err
	}
	if a.Standby {
		return b.standby(c, fn, role, logGroup)
	}
	if a.Snapshots != nil {
		if err := b.schedules(fn, append([]pulumi.Resource{rolePolicy, s3Rule}, rules...)); err != nil {
			return err
		}
	}
	bootstrapDeps := append([]pulumi.Resource{rolePolicy}, rules...)
	if a.Restore != nil {
		restore, err := b.restoreInvocation(fn, append([]pulumi.Resource{s3Rule}, bootstrapDeps...))
		if err != nil {
			return err
		}
		bootstrapDeps = append(bootstrapDeps, restore)
	}

	// CREATE_ONLY invokes on creation and replacement only; a changed payload
	// or trigger replaces the invocation, so the bootstrap re-runs whenever
	// the targets or the code change and never on an unchanged `pulumi up`.
	// It needs the network path (egress rules) as well as the function.
	bootstrap, err := lambda.NewInvocation(b.ctx, b.name+"-bootstrap", &lambda.InvocationArgs{
		FunctionName:   fn.Name,
		Input:          bootstrapInput,
		LifecycleScope: pulumi.String("CREATE_ONLY"),
		Triggers: pulumi.StringMap{
			"targets": targetsJSON.ApplyT(Hash).(pulumi.StringOutput),
			"code":    pulumi.String(codeHash),
		},
	}, b.parent, pulumi.DependsOn(bootstrapDeps))
	if err != nil {
		return err
	}

	// Rotation starts after the bootstrap (which creates the users a rotation
	// clones) and the invoke permission. RotateImmediately false: the first
	// rotation comes one period later, not while the first nodes install;
	// Secrets Manager then only runs testSecret on an empty pending version.
	arns := a.SecretArns.ToStringMapOutput()
	for _, p := range RotatedPurposes(a.StackHeldDBMaster) {
		secretArn := arns.MapIndex(pulumi.String(string(p)))
		// One permission per rotated secret: Secrets Manager sends the secret
		// as aws:SourceArn, so it may invoke the function for these secrets
		// of this account only, never on behalf of another secret.
		permission, err := lambda.NewPermission(b.ctx, b.name+"-rotation-permission-"+string(p), &lambda.PermissionArgs{
			Action:        pulumi.String("lambda:InvokeFunction"),
			Function:      fn.Name,
			Principal:     pulumi.String("secretsmanager.amazonaws.com"),
			SourceAccount: pulumi.String(a.Env.AccountID),
			SourceArn:     secretArn,
		}, b.parent)
		if err != nil {
			return err
		}
		if _, err := secretsmanager.NewSecretRotation(b.ctx, b.name+"-rotation-"+string(p), &secretsmanager.SecretRotationArgs{
			SecretId:          secretArn,
			RotationLambdaArn: fn.Arn,
			RotationRules: &secretsmanager.SecretRotationRotationRulesArgs{
				AutomaticallyAfterDays: pulumi.Int(a.RotationDays),
			},
			RotateImmediately: pulumi.Bool(false),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{bootstrap, permission})); err != nil {
			return err
		}
	}

	if err := b.adminSecretPolicies(role.Arn, bootstrap); err != nil {
		return err
	}

	c.FunctionArn = fn.Arn
	c.FunctionName = fn.Name
	c.RoleArn = role.Arn
	c.LogGroupName = logGroup.Name
	c.BootstrapResult = bootstrap.Result
	c.bootstrapID = bootstrap.ID().ToStringOutput()
	if err := b.readySignal(c.bootstrapID); err != nil {
		return err
	}
	if a.ApplianceSetup != nil {
		// The setup needs what the bootstrap needs (role, network path) and
		// the bootstrap itself: the nodes it waits for boot only after it.
		c.setupArgs = a.ApplianceSetup
		c.setup = &setupState{
			name:     b.name,
			function: fn.Name,
			adminArn: arns.MapIndex(pulumi.String(string(SetupPurpose))),
			deps:     append([]pulumi.Resource{rolePolicy, bootstrap}, rules...),
			opsGroup: b.args.OpsSecurityGroupId,
		}
	}
	return nil
}

// FunctionRoleArn is the execution role's ARN, known from its name before the
// role exists: the targets name it (the backend role the snapshot action maps)
// without waiting for the role.
func FunctionRoleArn(env awsenv.Env, n naming.Namer) string {
	return env.GlobalARN("iam", "role/"+n.Name(naming.IAMRole, NamePurpose))
}

// role creates the execution role and its one inline policy.
func (b *builder) role() (*iam.Role, *iam.RolePolicy, error) {
	a := b.args
	role, err := iam.NewRole(b.ctx, b.name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(a.Namer.Name(naming.IAMRole, NamePurpose)),
		Description:      pulumi.String("Morpheus ops function: this stack's service secrets, its own log group and Amazon MQ's"),
		AssumeRolePolicy: pulumi.String(TrustPolicy(a.Env).JSON()),
	}, b.parent)
	if err != nil {
		return nil, nil, err
	}
	inputs := []any{a.SecretArns, a.DBMasterSecretArn, a.SecretsKeyArn}
	if sn := a.Snapshots; sn != nil {
		inputs = append(inputs, sn.BucketArn, sn.RoleArn, sn.DataKeyArn)
	}
	policy := pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		arns := v[0].(map[string]string)
		p := PolicyARNs{SecretsKeyArn: v[2].(string), LogGroupName: a.Namer.LogGroup(LogPurpose)}
		if a.Snapshots != nil {
			p.Snapshots = &SnapshotPolicyARNs{
				BucketArn: v[3].(string), RoleArn: v[4].(string), DataKeyArn: v[5].(string),
				DomainArn: search.DomainARN(a.Env, a.Snapshots.SearchDomainName),
			}
			if r := a.Restore; r != nil {
				p.Restore = &RestorePolicyARNs{
					BucketArn: a.Env.BucketARN(r.BucketName), KeyArn: r.KeyArn, DomainArn: p.Snapshots.DomainArn,
				}
			}
		}
		pick := func(purposes []secrets.Purpose) ([]string, error) {
			var out []string
			for _, purpose := range purposes {
				if arns[string(purpose)] == "" {
					return nil, fmt.Errorf("opsfunction: SecretArns has no %s secret", purpose)
				}
				out = append(out, arns[string(purpose)])
			}
			return out, nil
		}
		var err error
		if p.AdminSecretArns, err = pick(AdminPurposes); err != nil {
			return "", err
		}
		if master := v[1].(string); master != "" {
			// Empty only where no master secret exists (a standby secondary):
			// IAM refuses an empty resource.
			p.AdminSecretArns = append(p.AdminSecretArns, master)
		}
		if a.ApplianceSetup != nil {
			setupArn, err := pick([]secrets.Purpose{SetupPurpose})
			if err != nil {
				return "", err
			}
			p.AdminSecretArns = append(p.AdminSecretArns, setupArn...)
		}
		if p.AppSecretArns, err = pick(AppPurposes); err != nil {
			return "", err
		}
		if p.RotatedAdminSecretArns, err = pick(a.rotatedAdmins()); err != nil {
			return "", err
		}
		return FunctionPolicy(a.Env, p).JSON(), nil
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(b.ctx, b.name+"-role-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, b.parent)
	if err != nil {
		return nil, nil, err
	}
	return role, rolePolicy, nil
}

// serviceValues reads pulumi.All's results in Args order, with a's plain values.
func serviceValues(v []any, a *Args) ServiceValues {
	var snaps *SnapshotValues
	if a.Snapshots != nil {
		snaps = &SnapshotValues{
			Bucket: v[8].(string), Region: a.Env.Region, RoleArn: v[9].(string), DataKeyArn: v[10].(string),
			FunctionRoleArn: FunctionRoleArn(a.Env, a.Namer),
		}
	}
	var restore *targets.Restore
	if r := a.Restore; r != nil {
		restore = r.targets(a.Env.Region)
	}
	return ServiceValues{
		Standby:           a.Standby,
		Restore:           restore,
		Snapshots:         snaps,
		DatabaseName:      a.DatabaseName,
		Vhost:             a.Vhost,
		MQBrokerId:        v[6].(string),
		LogsKeyArn:        v[7].(string),
		LogRetentionDays:  a.LogRetentionDays,
		DBEndpoint:        v[0].(string),
		DBPort:            v[1].(int),
		DBMasterSecretArn: v[2].(string),
		MQManagementURL:   v[3].(string),
		SearchEndpoint:    v[4].(string),
		SecretArns:        v[5].(map[string]string),
	}
}
