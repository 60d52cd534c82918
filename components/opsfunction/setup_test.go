package opsfunction_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const tInvocation = "aws:lambda/invocation:Invocation"

func setupArgs() *opsfunction.Args {
	a := args()
	a.SecretArns.(pulumi.StringMap)["morpheus-admin"] = pulumi.String(secretArn("morpheus-admin"))
	a.ApplianceSetup = &opsfunction.ApplianceSetup{
		ApplianceURL: "https://morpheus.example.com", ApplianceName: "morpheus-ha-prod", AccountName: "Example",
		Username: "admin", Email: "admin@example.com", FirstName: "Ada", LastName: "Lovelace",
	}
	return a
}

// internetFacing is the setup path to an internet-facing ALB.
var internetFacing = opsfunction.SetupPath{}

// setupProgram builds the function, a stand-in for the app tier's group (a log
// group named like it), and the setup invocation fed the stand-in's name.
func setupProgram(a *opsfunction.Args, path ...opsfunction.SetupPath) pulumi.RunFunc {
	p := internetFacing
	if len(path) > 0 {
		p = path[0]
	}
	return func(ctx *pulumi.Context) error {
		var c *opsfunction.OpsFunction
		if err := program(a, &c)(ctx); err != nil {
			return err
		}
		group, err := cloudwatch.NewLogGroup(ctx, "app-group", &cloudwatch.LogGroupArgs{Name: pulumi.String("morpheus-ha-prod-app")})
		if err != nil {
			return err
		}
		_, err = c.RunApplianceSetup(ctx, group.Name, p)
		return err
	}
}

func readableSecrets(t *testing.T, rec *testutil.Recorder) []string {
	t.Helper()
	doc := policyOf(t, one(t, rec, "aws:iam/rolePolicy:RolePolicy").String("policy"))
	var out []string
	for _, s := range doc.Statement {
		if slices.Contains(s.Action, "secretsmanager:GetSecretValue") {
			out = append(out, s.Resource...)
		}
	}
	return out
}

// TestApplianceSetupInvocation: the setup runs once after the app group exists,
// names the admin secret and carries no password.
func TestApplianceSetupInvocation(t *testing.T) {
	rec := testutil.MustRun(t, setupProgram(setupArgs()), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	inv := rec.Find(tInvocation, "ops-setup")
	require.NotNil(t, inv)
	assert.Equal(t, "CREATE_ONLY", inv.String("lifecycleScope"))
	fn := one(t, rec, "aws:lambda/function:Function")
	assert.Equal(t, fn.String("name"), inv.String("functionName"))

	raw := inv.String("input")
	var fields map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &fields))
	assert.NotContains(t, fields, "password")
	ev, err := targets.DecodeSetup([]byte(raw))
	require.NoError(t, err, "the handler's strict decoding accepts the payload")
	assert.Equal(t, targets.SetupEvent{
		Action: "setup", ApplianceURL: "https://morpheus.example.com", ApplianceName: "morpheus-ha-prod", AccountName: "Example",
		Username: "admin", Email: "admin@example.com", FirstName: "Ada", LastName: "Lovelace",
		AdminSecretARN: secretArn("morpheus-admin"), AppGroup: "morpheus-ha-prod-app",
	}, ev)

	// The payload waits for the group; the invocation also follows the
	// bootstrap and the role policy.
	group := rec.Find("aws:cloudwatch/logGroup:LogGroup", "app-group")
	require.NotNil(t, group)
	assert.Contains(t, inv.PropertyDependencies["input"], group.URN)
	assert.Contains(t, inv.DependsOn, rec.Find(tInvocation, "ops-bootstrap").URN)
	assert.Contains(t, inv.DependsOn, rec.Find("aws:iam/rolePolicy:RolePolicy", "ops-role-policy").URN)
	assert.Equal(t, one(t, rec, opsfunction.TypeToken).URN, inv.Parent)

	assert.Contains(t, readableSecrets(t, rec), secretArn("morpheus-admin"), "the role reads the admin secret")
}

// TestApplianceSetupOffByDefault: without ApplianceSetup the role cannot read
// an admin secret and RunApplianceSetup refuses to run.
func TestApplianceSetupOffByDefault(t *testing.T) {
	rec := run(t, args())
	assert.Nil(t, rec.Find(tInvocation, "ops-setup"))
	assert.NotContains(t, readableSecrets(t, rec), secretArn("morpheus-admin"))

	_, err := testutil.Run(setupProgram(args()), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.ErrorContains(t, err, "needs Args.ApplianceSetup")
}

// TestApplianceSetupEgress: the ops group gets exactly one more rule, 443 to
// where the ALB is: anywhere (through NAT) for an internet-facing ALB, the ALB's
// group for an internal one; the invocation waits for it.
func TestApplianceSetupEgress(t *testing.T) {
	const albSG = "sg-0alb0000000000000"
	for _, tc := range []struct {
		name      string
		path      opsfunction.SetupPath
		wantCidrs []string
		wantGroup string
	}{
		{"internet-facing", internetFacing, []string{"0.0.0.0/0"}, ""},
		{"internal", opsfunction.SetupPath{Internal: true, LoadBalancerSecurityGroupId: pulumi.String(albSG)}, nil, albSG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := setupArgs()
			without := run(t, a)
			rec := testutil.MustRun(t, setupProgram(a, tc.path), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			before := len(without.ByType("aws:ec2/securityGroupRule:SecurityGroupRule"))
			assert.Len(t, rec.ByType("aws:ec2/securityGroupRule:SecurityGroupRule"), before+1, "one rule for the setup")

			rule := rec.Find("aws:ec2/securityGroupRule:SecurityGroupRule", "ops-out-setup-https")
			require.NotNil(t, rule)
			assert.Equal(t, "egress", rule.String("type"))
			assert.Equal(t, a.OpsSecurityGroupId.(pulumi.String), pulumi.String(rule.String("securityGroupId")))
			assert.EqualValues(t, 443, rule.Number("fromPort"))
			assert.EqualValues(t, 443, rule.Number("toPort"))
			assert.Equal(t, "tcp", rule.String("protocol"))
			assert.Contains(t, rule.String("description"), "setup")
			assert.Equal(t, tc.wantCidrs, rule.Strings("cidrBlocks"))
			assert.Equal(t, tc.wantGroup, rule.String("sourceSecurityGroupId"))
			assert.Contains(t, rec.Find(tInvocation, "ops-setup").DependsOn, rule.URN, "the setup waits for its path")
		})
	}
	_, err := testutil.Run(setupProgram(setupArgs(), opsfunction.SetupPath{Internal: true}), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.ErrorContains(t, err, "internal ALB's security group")
}

func TestApplianceSetupNeedsItsSecret(t *testing.T) {
	a := setupArgs()
	delete(a.SecretArns.(pulumi.StringMap), "morpheus-admin")
	_, err := testutil.Run(setupProgram(a), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.ErrorContains(t, err, "morpheus-admin")
}

func TestApplianceSetupValidation(t *testing.T) {
	a := setupArgs()
	a.ApplianceSetup.Email = ""
	rec, err := testutil.Run(program(a, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.ErrorContains(t, err, "ApplianceSetup.Email is required")
	assert.Empty(t, rec.ByType(opsfunction.TypeToken))
}
