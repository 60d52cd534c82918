package opsfunction

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// SetupPurpose is the secret holding the appliance admin's password.
const SetupPurpose = secrets.MorpheusAdmin

// ApplianceSetup is the non-secret part of Morpheus' one-time appliance setup
// (internal/ops/appliance); the password stays in the SetupPurpose secret.
type ApplianceSetup struct {
	// ApplianceURL is Morpheus' URL (config.ApplianceURL); the function calls
	// it from the app subnets, i.e. through the NAT gateways.
	ApplianceURL string
	// ApplianceName names the appliance.
	ApplianceName string
	// AccountName is the master tenant's name.
	AccountName string
	// Username, Email, FirstName and LastName describe the first admin user.
	Username, Email, FirstName, LastName string
}

func (s *ApplianceSetup) validate() error {
	var errs []error
	for _, f := range []struct{ name, value string }{
		{"ApplianceURL", s.ApplianceURL}, {"ApplianceName", s.ApplianceName}, {"AccountName", s.AccountName},
		{"Username", s.Username}, {"Email", s.Email}, {"FirstName", s.FirstName}, {"LastName", s.LastName},
	} {
		if strings.TrimSpace(f.value) == "" {
			errs = append(errs, fmt.Errorf("opsfunction: ApplianceSetup.%s is required", f.name))
		}
	}
	return errors.Join(errs...)
}

// SetupInput is the setup invocation's payload: identifiers and the admin
// secret's ARN, never the password (Pulumi keeps the payload in state).
func SetupInput(s ApplianceSetup, adminSecretArn, appGroup string) (string, error) {
	ev := targets.SetupEvent{
		Action: targets.SetupAction, ApplianceURL: s.ApplianceURL, ApplianceName: s.ApplianceName,
		AccountName: s.AccountName, Username: s.Username, Email: s.Email, FirstName: s.FirstName,
		LastName: s.LastName, AdminSecretARN: adminSecretArn, AppGroup: appGroup,
	}
	if err := ev.Validate(); err != nil {
		return "", fmt.Errorf("opsfunction: %w", err)
	}
	b, err := json.Marshal(ev)
	return string(b), err
}

// setupState is what RunApplianceSetup needs from the construction.
type setupState struct {
	name     string
	function pulumi.StringOutput
	adminArn pulumi.StringOutput
	deps     []pulumi.Resource
	opsGroup pulumi.StringInput
}

// SetupPath is how the function reaches the ALB to run the setup. The ops
// group's egress otherwise reaches only the data services and the VPC
// endpoints, so the setup adds one rule for it.
type SetupPath struct {
	// Internal is true for an internal ALB, which the function reaches directly
	// in the VPC. An internet-facing ALB's name resolves to public addresses,
	// reached through the NAT gateways, that no security group names and that
	// change as the ALB scales: its egress rule is 443 to 0.0.0.0/0
	// (docs/security-exceptions.md).
	Internal bool
	// LoadBalancerSecurityGroupId is the internal ALB's group, the only
	// destination of the setup egress. Required when Internal.
	LoadBalancerSecurityGroupId pulumi.StringInput
}

// setupEgress adds the ops group's rule towards the ALB.
func (c *OpsFunction) setupEgress(ctx *pulumi.Context, path SetupPath) (pulumi.Resource, error) {
	a := &ec2.SecurityGroupRuleArgs{
		Type:            pulumi.String("egress"),
		SecurityGroupId: c.setup.opsGroup,
		Protocol:        pulumi.String("tcp"),
		FromPort:        pulumi.Int(443),
		ToPort:          pulumi.Int(443),
	}
	if path.Internal {
		a.Description = pulumi.String("HTTPS to the internal ALB: Morpheus appliance setup (/api/setup)")
		a.SourceSecurityGroupId = path.LoadBalancerSecurityGroupId
	} else {
		a.Description = pulumi.String("HTTPS to the internet-facing ALB through NAT: Morpheus appliance setup (/api/setup); only until setup is done")
		a.CidrBlocks = pulumi.StringArray{pulumi.String("0.0.0.0/0")}
	}
	return ec2.NewSecurityGroupRule(ctx, c.setup.name+"-out-setup-https", a, pulumi.Parent(c))
}

// RunApplianceSetup opens the ops group's path to the ALB (path) and invokes
// the function once with the setup event. Call it after the app tier with the
// Auto Scaling group's name: the payload carries the name, so the invocation
// waits for the group, whose creation waits for healthy nodes
// (MinElbCapacity); before that the appliance URL answers nothing. Call it only
// while the ALB admits the function (until setup is done). CREATE_ONLY: it runs on creation and when the payload changes, and
// the function's setup check makes every run after the first a no-op. The
// result holds the check's answer and whether init ran, never a password.
func (c *OpsFunction) RunApplianceSetup(ctx *pulumi.Context, appGroupName pulumi.StringInput, path SetupPath) (pulumi.StringOutput, error) {
	if c.setup == nil {
		return pulumi.StringOutput{}, errors.New("opsfunction: RunApplianceSetup needs Args.ApplianceSetup")
	}
	if appGroupName == nil {
		return pulumi.StringOutput{}, errors.New("opsfunction: RunApplianceSetup needs the app group's name")
	}
	if path.Internal && path.LoadBalancerSecurityGroupId == nil {
		return pulumi.StringOutput{}, errors.New("opsfunction: RunApplianceSetup needs the internal ALB's security group")
	}
	egress, err := c.setupEgress(ctx, path)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	s := *c.setupArgs
	input := pulumi.All(c.setup.adminArn, appGroupName).ApplyT(func(v []any) (string, error) {
		return SetupInput(s, v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	inv, err := lambda.NewInvocation(ctx, c.setup.name+"-setup", &lambda.InvocationArgs{
		FunctionName:   c.setup.function,
		Input:          input,
		LifecycleScope: pulumi.String("CREATE_ONLY"),
	}, pulumi.Parent(c), pulumi.DependsOn(append(slices.Clone(c.setup.deps), egress)))
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return inv.Result, nil
}
