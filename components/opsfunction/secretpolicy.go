package opsfunction

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// GuardedActions are the calls an admin secret's resource policy refuses to
// every principal but the function's role and the break-glass roles: reading
// the value, and every way of changing the value, its labels or the secret
// itself. Describe, tag and policy calls stay with IAM, so a wrong break-glass
// list can be corrected by an administrator instead of locking the secret.
var GuardedActions = []string{
	"secretsmanager:GetSecretValue",
	"secretsmanager:PutSecretValue",
	"secretsmanager:UpdateSecret",
	"secretsmanager:UpdateSecretVersionStage",
	"secretsmanager:DeleteSecret",
}

// GuardedPurposes are the secrets whose resource policy admits only the
// function and the break-glass roles: the service administrators' (with them,
// anyone could mint Morpheus logins) and, with the appliance setup, Morpheus'
// first admin, and the master secret when the stack holds it. The RDS-managed
// master secret is not among them: RDS owns and rotates it, and a policy on it
// would have to admit the service as well.
func GuardedPurposes(applianceSetup, stackHeldDBMaster bool) []secrets.Purpose {
	out := append([]secrets.Purpose(nil), AdminPurposes...)
	if stackHeldDBMaster {
		out = append(out, secrets.DBMaster)
	}
	if applianceSetup {
		out = append(out, SetupPurpose)
	}
	return out
}

// AdminSecretPolicy is the resource policy of a guarded secret: deny
// GuardedActions to every principal whose ARN is not the function's role or
// one of the break-glass roles. A Deny, not an Allow: identity policies (an
// administrator's secretsmanager:*) would otherwise still grant the reads,
// while an explicit deny wins over any allow. aws:PrincipalArn is the role's
// ARN for every session of the role, so ArnLike patterns (SSO roles) work.
func AdminSecretPolicy(opsRoleArn string, breakGlassRoleArns []string) iampolicy.Document {
	admitted := append([]string{opsRoleArn}, breakGlassRoleArns...)
	return iampolicy.New(
		iampolicy.Deny("OnlyOpsFunctionAndBreakGlass", GuardedActions, []string{"*"}).
			WithPrincipal("AWS", "*").
			When("ArnNotLike", "aws:PrincipalArn", admitted...),
	)
}

// adminSecretPolicies attaches AdminSecretPolicy to every guarded secret. It
// runs here because only this component knows both the secrets' ARNs and its
// role's ARN; nothing flows back to the data tier. The policies wait for the
// bootstrap, which waits for the broker and the domain (many minutes) and
// reads their admin secrets, so on a first `pulumi up` the secrets' first
// versions are written long before any policy applies; the deploying role
// must be admitted anyway for every later refresh.
func (b *builder) adminSecretPolicies(roleArn pulumi.StringOutput, bootstrap pulumi.Resource) error {
	a := b.args
	if len(a.BreakGlassRoleArns) == 0 {
		return nil
	}
	arns := a.SecretArns.ToStringMapOutput()
	breakGlass := append([]string(nil), a.BreakGlassRoleArns...)
	policy := roleArn.ApplyT(func(role string) string {
		return AdminSecretPolicy(role, breakGlass).JSON()
	}).(pulumi.StringOutput)
	for _, p := range GuardedPurposes(a.ApplianceSetup != nil, a.StackHeldDBMaster) {
		if _, err := secretsmanager.NewSecretPolicy(b.ctx, b.name+"-secret-policy-"+string(p), &secretsmanager.SecretPolicyArgs{
			SecretArn: arns.MapIndex(pulumi.String(string(p))),
			Policy:    policy,
			// Secrets Manager refuses a policy that would open the secret to
			// other accounts; this one only denies, so it always passes.
			BlockPublicPolicy: pulumi.Bool(true),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{bootstrap})); err != nil {
			return err
		}
	}
	return nil
}
