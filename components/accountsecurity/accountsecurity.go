// Package accountsecurity turns on the account's security services for a
// stack that asks for them: Security Hub CSPM with the AWS Foundational
// Security Best Practices and CIS AWS Foundations standards, GuardDuty with the
// protections that watch this stack's resource types, and EventBridge rules
// that send their HIGH and CRITICAL findings to the alerts topic.
//
// Both services are one per account and Region. Where one is already on, its
// resources are imported rather than created (docs/runbooks/account-security.md);
// and they are retained on delete, so that turning the option off or
// destroying the stack never switches off a service other workloads rely on.
package accountsecurity

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:accountsecurity:AccountSecurity"

// CISVersions are the CIS AWS Foundations Benchmark versions Security Hub
// offers as regional standards (operations.md D.1; 5.0.0 is unconfirmed).
var CISVersions = []string{"1.4.0", "3.0.0"}

// Args configures the account's security services.
type Args struct {
	// Namer names the event rules.
	Namer naming.Namer
	// Env gives the partition and Region of the standards' ARNs.
	Env awsenv.Env
	// SecurityHub enables Security Hub CSPM with the FSBP and CIS standards.
	SecurityHub bool
	// CISVersion is the CIS AWS Foundations Benchmark version, one of CISVersions.
	CISVersion string
	// GuardDuty enables a GuardDuty detector with the stack's protections.
	GuardDuty bool
	// RuntimeMonitoring adds GuardDuty Runtime Monitoring with the EC2 agent
	// GuardDuty installs through Systems Manager.
	RuntimeMonitoring bool
	// AlertsTopicArn receives the HIGH and CRITICAL findings; its policy must
	// admit EventBridge rules of this account.
	AlertsTopicArn pulumi.StringInput
}

// AccountSecurity is the component.
type AccountSecurity struct {
	pulumi.ResourceState

	// DetectorId is the GuardDuty detector, empty when GuardDuty is off.
	DetectorId pulumi.StringOutput `pulumi:"detectorId"`
	// StandardsArns are the Security Hub standards the account is subscribed
	// to by this stack, empty when Security Hub is off.
	StandardsArns pulumi.StringArrayOutput `pulumi:"standardsArns"`
}

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("accountsecurity: "+format, v...)) }
	if !a.SecurityHub && !a.GuardDuty {
		add("enable SecurityHub or GuardDuty; with neither there is nothing to create")
	}
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	}
	if a.Env.Region == "" || a.Env.Partition == "" {
		add("Env needs a partition and a Region")
	}
	if a.SecurityHub && !slices.Contains(CISVersions, a.CISVersion) {
		add("CISVersion %q must be one of %v", a.CISVersion, CISVersions)
	}
	if a.RuntimeMonitoring && !a.GuardDuty {
		add("RuntimeMonitoring needs GuardDuty")
	}
	if a.AlertsTopicArn == nil {
		add("AlertsTopicArn is required")
	}
	return errors.Join(errs...)
}

// NewAccountSecurity enables the chosen services and routes their findings.
func NewAccountSecurity(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*AccountSecurity, error) {
	if args == nil {
		return nil, errors.New("accountsecurity: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &AccountSecurity{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}
	c.DetectorId = pulumi.String("").ToStringOutput()
	c.StandardsArns = pulumi.StringArray{}.ToStringArrayOutput()
	var findings []monitoring.AlertRule
	if args.SecurityHub {
		arns, err := b.securityHub()
		if err != nil {
			return nil, err
		}
		c.StandardsArns = arns
		findings = append(findings, monitoring.AlertRule{Purpose: "securityhub-findings",
			Description: "Security Hub HIGH or CRITICAL finding, new and active", Pattern: pulumi.String(SecurityHubFindingsPattern().JSON())})
	}
	if args.GuardDuty {
		id, err := b.guardDuty()
		if err != nil {
			return nil, err
		}
		c.DetectorId = id
		findings = append(findings, monitoring.AlertRule{Purpose: "guardduty-findings",
			Description: "GuardDuty finding of severity 7 or more (HIGH, CRITICAL)", Pattern: pulumi.String(GuardDutyFindingsPattern().JSON())})
	}
	for _, r := range findings {
		if err := r.Route(ctx, name, args.Namer, args.AlertsTopicArn, b.parent); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"detectorId":    c.DetectorId,
		"standardsArns": c.StandardsArns,
	})
}

// builder carries what every child needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
}

// accountWide are the options of the account-wide singletons: retained on
// delete (other workloads may rely on them) and parented to the component.
func (b *builder) accountWide(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{b.parent, pulumi.RetainOnDelete(true)}, extra...)
}
