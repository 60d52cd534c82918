// Package opsfunction deploys the ops Lambda function (cmd/opsfn): it runs in
// the private-app subnets behind the ops security group, bootstraps Morpheus'
// database, broker and search users once the data tier exists (a Lambda
// invocation Pulumi re-runs whenever the targets change), rotates the three
// Morpheus secrets on a schedule with the alternating-users strategy and the
// broker admin's and OpenSearch master's secrets in place, and, with
// a snapshot bucket, takes the daily OpenSearch snapshot and RabbitMQ
// definitions export on EventBridge schedules.
package opsfunction

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:opsfunction:OpsFunction"

// The function's fixed settings: the package `make opsfn` builds is a static
// arm64 Go binary named bootstrap for the OS-only runtime.
const (
	Runtime      = "provided.al2023"
	Architecture = "arm64"
	Handler      = "bootstrap"
	// TimeoutSeconds covers one bootstrap of all three services (each a few
	// TLS round trips) with room for a slow first connection.
	TimeoutSeconds = 120
	MemoryMB       = 256
	// ReservedConcurrency caps the function (three rotations and a bootstrap
	// at most run at once) and keeps that much of the account's concurrency
	// for it.
	ReservedConcurrency = 5
	// EnvTargets is internal/ops/handler's EnvTargets.
	EnvTargets = "OPS_TARGETS"
	// LogPurpose names the function's log group (Namer.LogGroup).
	LogPurpose = "ops-function"
	// NamePurpose names the function and its role.
	NamePurpose = "ops-function"
)

// Args configures the ops function. The data-tier values come from
// datatier.Outputs, the groups from clientgroups, datatier and network.
type Args struct {
	// Namer names the function, role and log group.
	Namer naming.Namer
	// Env is the account and region (policy ARNs, trust condition).
	Env awsenv.Env
	// Artifact is the deployment package's path (`make opsfn`); it must exist.
	Artifact string

	// AppSubnetIds are the private-app subnets the function runs in.
	AppSubnetIds pulumi.StringArrayInput
	// OpsSecurityGroupId is the function's group (clientgroups); this
	// component adds its egress rules.
	OpsSecurityGroupId pulumi.StringInput
	// DBSecurityGroupId, MQSecurityGroupId and SearchSecurityGroupId are the
	// data services' groups, EndpointSecurityGroupId the VPC endpoints' group:
	// the only destinations of the ops group's egress.
	DBSecurityGroupId       pulumi.StringInput
	MQSecurityGroupId       pulumi.StringInput
	SearchSecurityGroupId   pulumi.StringInput
	EndpointSecurityGroupId pulumi.StringInput

	// DBEndpoint and DBPort locate the Aurora writer.
	DBEndpoint pulumi.StringInput
	DBPort     pulumi.IntInput
	// DBMasterSecretArn is the RDS-managed master user secret.
	DBMasterSecretArn pulumi.StringInput
	// MQManagementURL is the broker's https management API base URL.
	MQManagementURL pulumi.StringInput
	// MQBrokerId names the log group Amazon MQ creates for the broker, which
	// the bootstrap gives LogRetentionDays and LogsKeyArn.
	MQBrokerId pulumi.StringInput
	// SearchEndpoint is the OpenSearch domain's host name, without scheme.
	SearchEndpoint pulumi.StringInput
	// ReadySignal is the parameter the bootstrap leaves for the booting nodes.
	ReadySignal ReadySignal
	// DatabaseName and Vhost are Morpheus' schema and RabbitMQ virtual host,
	// which the bootstrap creates and grants.
	DatabaseName, Vhost string
	// SecretArns maps secrets.Purpose to ARN (datatier.Outputs.SecretArns); the
	// function uses the three app secrets (AppPurposes) and the two admin
	// secrets (AdminPurposes).
	SecretArns pulumi.StringMapInput

	// SecretsKeyArn encrypts the secrets and the function's environment.
	SecretsKeyArn pulumi.StringInput
	// LogsKeyArn encrypts the function's log group and the broker's.
	LogsKeyArn pulumi.StringInput
	// LogRetentionDays is the retention of both log groups.
	LogRetentionDays int
	// RotationDays is the rotated secrets' period (RotatedPurposes), 1 to 365.
	RotationDays int
	// Protect keeps the log group (the record of every bootstrap and rotation).
	Protect bool
	// BreakGlassRoleArns are the IAM roles (ARNs, ArnLike patterns allowed)
	// that may still read and change the guarded admin secrets besides the
	// function's role: the deploying role must be among them, since Pulumi
	// reads and writes the secrets' versions. Empty: the secrets get no
	// resource policy (dev).
	BreakGlassRoleArns []string
	// Snapshots, when set, gives the function the snapshot bucket and
	// schedules the daily OpenSearch snapshot and definitions export.
	Snapshots *Snapshots
	// ApplianceSetup, when set, lets the function read the SetupPurpose secret
	// (SecretArns must then have it) and enables RunApplianceSetup; nil (the
	// default) leaves the appliance setup to a person.
	ApplianceSetup *ApplianceSetup
	// Standby deploys the function without running it: no bootstrap, no
	// rotation, no schedules, no readiness signal (a pilot-light DR stack,
	// whose database is a read-only secondary until its failover).
	Standby bool
	// Restore, when set, runs the restore action before the bootstrap.
	Restore *Restore
	// StackHeldDBMaster: DBMasterSecretArn is the stack's own DBMaster secret
	// (a global database member), not RDS's; the function guards and rotates
	// it like the other admin secrets.
	StackHeldDBMaster bool
}

// rotatedAdmins are the admin secrets the function rotates in place.
func (a *Args) rotatedAdmins() []secrets.Purpose {
	out := append([]secrets.Purpose(nil), AdminPurposes...)
	if a.StackHeldDBMaster {
		out = append(out, secrets.DBMaster)
	}
	return out
}

// OpsFunction is the component.
type OpsFunction struct {
	pulumi.ResourceState

	// FunctionArn is the function's ARN (the secrets' rotation function).
	FunctionArn pulumi.StringOutput `pulumi:"functionArn"`
	// FunctionName is the function's name.
	FunctionName pulumi.StringOutput `pulumi:"functionName"`
	// RoleArn is the function's execution role.
	RoleArn pulumi.StringOutput `pulumi:"roleArn"`
	// LogGroupName is where the function logs.
	LogGroupName pulumi.StringOutput `pulumi:"logGroupName"`
	// BootstrapResult is the bootstrap invocation's result: the services and
	// the users it ensured, never a password. It resolves only once the
	// bootstrap succeeded, so a resource taking it as an input waits for the
	// Morpheus users to exist.
	BootstrapResult pulumi.StringOutput `pulumi:"bootstrapResult"`

	// bootstrapID resolves when the invocation has succeeded; unlike the result,
	// it is kept in state whatever the provider reports, so an unchanged stack
	// previews the readiness signal's value as known.
	bootstrapID pulumi.StringOutput
	// setupArgs and setup are set only with Args.ApplianceSetup.
	setupArgs *ApplianceSetup
	setup     *setupState
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" || a.Env.AccountID == "" || a.Env.Region == "" {
		errs = append(errs, errors.New("opsfunction: Namer and Env are required"))
	}
	inputs := []struct {
		name string
		set  bool
	}{
		{"AppSubnetIds", a.AppSubnetIds != nil}, {"OpsSecurityGroupId", a.OpsSecurityGroupId != nil},
		{"DBSecurityGroupId", a.DBSecurityGroupId != nil}, {"MQSecurityGroupId", a.MQSecurityGroupId != nil},
		{"SearchSecurityGroupId", a.SearchSecurityGroupId != nil}, {"EndpointSecurityGroupId", a.EndpointSecurityGroupId != nil},
		{"DBEndpoint", a.DBEndpoint != nil}, {"DBPort", a.DBPort != nil}, {"DBMasterSecretArn", a.DBMasterSecretArn != nil},
		{"MQManagementURL", a.MQManagementURL != nil}, {"MQBrokerId", a.MQBrokerId != nil}, {"SearchEndpoint", a.SearchEndpoint != nil},
		{"SecretArns", a.SecretArns != nil}, {"SecretsKeyArn", a.SecretsKeyArn != nil}, {"LogsKeyArn", a.LogsKeyArn != nil},
	}
	for _, in := range inputs {
		if !in.set {
			errs = append(errs, fmt.Errorf("opsfunction: %s is required", in.name))
		}
	}
	if a.ReadySignal.Name == "" || a.ReadySignal.After == nil || a.ReadySignal.KeyArn == nil {
		errs = append(errs, errors.New("opsfunction: ReadySignal needs a name, the parameters it follows and a key"))
	}
	if a.DatabaseName == "" || a.Vhost == "" {
		errs = append(errs, errors.New("opsfunction: DatabaseName and Vhost are required"))
	}
	if a.LogRetentionDays <= 0 {
		errs = append(errs, errors.New("opsfunction: LogRetentionDays must be positive"))
	}
	if a.RotationDays < 1 || a.RotationDays > 365 {
		errs = append(errs, fmt.Errorf("opsfunction: RotationDays is %d; Secrets Manager takes 1 to 365", a.RotationDays))
	}
	if err := CheckArtifact(a.Artifact); err != nil {
		errs = append(errs, err)
	}
	if a.ApplianceSetup != nil {
		if err := a.ApplianceSetup.validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if a.Snapshots != nil {
		if err := a.Snapshots.validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if a.Restore != nil {
		if err := a.Restore.validate(a); err != nil {
			errs = append(errs, err)
		}
	}
	if a.Standby && a.ApplianceSetup != nil {
		errs = append(errs, errors.New("opsfunction: a standby function runs no appliance setup"))
	}
	return errors.Join(errs...)
}

// NewOpsFunction creates the function with its role, log group and egress
// rules, runs the bootstrap, and schedules the rotation of RotatedPurposes.
func NewOpsFunction(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*OpsFunction, error) {
	if args == nil {
		return nil, errors.New("opsfunction: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &OpsFunction{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	if hasCA, err := HasCABundle(args.Artifact); err == nil && !hasCA {
		// A warning, not an error: offline plans and tests use packages built
		// without the bundle; a real deployment's bootstrap then fails on MySQL.
		_ = ctx.Log.Warn(fmt.Sprintf("%s has no %s: the bootstrap and rotation of the database user will fail; build it with `%s OPSFN_CA=<RDS global-bundle.pem>`",
			args.Artifact, CABundleName, MakeTarget), &pulumi.LogArgs{Resource: c})
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}
	if err := b.build(c); err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"functionArn":     c.FunctionArn,
		"functionName":    c.FunctionName,
		"roleArn":         c.RoleArn,
		"logGroupName":    c.LogGroupName,
		"bootstrapResult": c.BootstrapResult,
	})
}
