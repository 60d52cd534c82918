// Package patching patches the app nodes' operating system with SSM Patch
// Manager: a patch baseline per supported OS family registered for the stack's
// patch group, and a maintenance window that runs this package's Automation
// runbook on the group's nodes one at a time. The runbook takes a node out of
// the load balancer (Auto Scaling standby), installs the approved patches,
// reboots only when a patch requires it, and returns the node to service only
// after Morpheus answers /ping.
package patching

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:patching:Patching"

// Naming rules of the resources named here.
var (
	ssmDocument     = naming.Kind{Service: "ssm document", MaxLen: 128}
	patchBaseline   = naming.Kind{Service: "ssm patch baseline", MaxLen: 128}
	maintenanceName = naming.Kind{Service: "ssm maintenance window", MaxLen: 128}
)

// scheduleRE is the shape of a window schedule; config validates the details.
var scheduleRE = regexp.MustCompile(`^(cron|rate)\(.+\)$`)

// Names of the window's target and task, unique within the window.
const (
	windowTargetName = "app-nodes"
	windowTaskName   = "patch-one-node-at-a-time"
)

// Purposes of the physical names.
const (
	AutomationPurpose = "os-patch"
	PingPurpose       = "os-patch-ping"
	WindowPurpose     = "os-patch"
	RolePurpose       = "os-patch"
)

// Window concurrency: one node at a time, stop at the first failure.
const (
	MaxConcurrency = "1"
	MaxErrors      = "0"
)

// Args configures the patching.
type Args struct {
	// Namer names the baselines, window, documents and role.
	Namer naming.Namer
	// Env is the account and region (ARNs).
	Env awsenv.Env
	// GroupName is the app nodes' Auto Scaling group (the app tier's output).
	GroupName pulumi.StringInput
	// TargetGroupArn is the load balancer's target group of the nodes.
	TargetGroupArn pulumi.StringInput
	// LaunchHook is the group's launch lifecycle hook, which leaving standby
	// passes through again.
	LaunchHook string
	// PatchGroup is the nodes' PatchGroup tag value.
	PatchGroup string
	// PatchGroupTagKey is the tag key carrying it.
	PatchGroupTagKey string
	// Schedule is the window's cron(...) or rate(...) expression, in UTC.
	Schedule string
	// DurationHours is how long the window stays open (1-24).
	DurationHours int
	// CutoffHours ends new node runs that long before the window closes.
	CutoffHours int
	// ReadyTimeoutMinutes bounds the wait for /ping after patching.
	ReadyTimeoutMinutes int
}

// Patching is the component.
type Patching struct {
	pulumi.ResourceState

	// WindowId is the maintenance window's id.
	WindowId pulumi.StringOutput `pulumi:"windowId"`
	// AutomationDocumentName patches one node (aws ssm start-automation-execution).
	AutomationDocumentName pulumi.StringOutput `pulumi:"automationDocumentName"`
	// BaselineIds maps each OS family to its patch baseline's id.
	BaselineIds pulumi.StringMapOutput `pulumi:"baselineIds"`
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" || a.Env.AccountID == "" || a.Env.Region == "" {
		errs = append(errs, errors.New("patching: Namer and Env are required"))
	}
	if a.GroupName == nil || a.TargetGroupArn == nil {
		errs = append(errs, errors.New("patching: GroupName and TargetGroupArn are required"))
	}
	if a.LaunchHook == "" || a.PatchGroup == "" || a.PatchGroupTagKey == "" {
		errs = append(errs, errors.New("patching: LaunchHook, PatchGroup and PatchGroupTagKey are required"))
	}
	if !scheduleRE.MatchString(a.Schedule) {
		errs = append(errs, fmt.Errorf("patching: Schedule %q must be cron(...) or rate(...)", a.Schedule))
	}
	if a.DurationHours < 1 || a.DurationHours > 24 || a.CutoffHours < 0 || a.CutoffHours >= a.DurationHours {
		errs = append(errs, fmt.Errorf("patching: DurationHours %d must be 1-24 and CutoffHours %d below it", a.DurationHours, a.CutoffHours))
	}
	if a.ReadyTimeoutMinutes < 1 {
		errs = append(errs, fmt.Errorf("patching: ReadyTimeoutMinutes %d must be positive", a.ReadyTimeoutMinutes))
	}
	return errors.Join(errs...)
}

// NewPatching creates the baselines, the patch group registrations, the
// documents, the role and the window with its target and task.
func NewPatching(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Patching, error) {
	if args == nil {
		return nil, errors.New("patching: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Patching{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	if err := build(ctx, name, args, c); err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"windowId":               c.WindowId,
		"automationDocumentName": c.AutomationDocumentName,
		"baselineIds":            c.BaselineIds,
	})
}

func build(ctx *pulumi.Context, name string, a *Args, c *Patching) error {
	parent := pulumi.Parent(c)
	baselineIds, err := baselines(ctx, name, a, parent)
	if err != nil {
		return err
	}

	pingName := a.Namer.Name(ssmDocument, PingPurpose)
	automationName := a.Namer.Name(ssmDocument, AutomationPurpose)
	pingContent, err := PingCommandContent(a.ReadyTimeoutMinutes)
	if err != nil {
		return err
	}
	ping, err := ssm.NewDocument(ctx, name+"-ping", &ssm.DocumentArgs{
		Name:           pulumi.String(pingName),
		DocumentType:   pulumi.String("Command"),
		DocumentFormat: pulumi.String("JSON"),
		TargetType:     pulumi.String("/AWS::EC2::Instance"),
		Content:        pulumi.String(pingContent),
	}, parent)
	if err != nil {
		return err
	}

	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(a.Namer.Name(naming.IAMRole, RolePurpose)),
		Description:      pulumi.String("Morpheus OS patching: the maintenance window and its runbook, for the app group's nodes only"),
		AssumeRolePolicy: pulumi.String(Trust(a.Env).JSON()),
	}, parent)
	if err != nil {
		return err
	}
	policy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: pulumi.All(a.GroupName, role.Arn).ApplyT(func(v []any) string {
			return Policy(a.Env, PolicyParams{
				AutomationDocument: automationName, PingDocument: pingName, GroupName: v[0].(string), RoleArn: v[1].(string),
			}).JSON()
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return err
	}
	// The role's ARN resolves only once its policy exists, so nothing runs as
	// the role before it may act.
	roleArn := pulumi.All(role.Arn, policy.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)

	content := pulumi.All(a.GroupName, a.TargetGroupArn, roleArn).ApplyT(func(v []any) (string, error) {
		return AutomationContent(AutomationParams{
			GroupName: v[0].(string), TargetGroupArn: v[1].(string), LaunchHook: a.LaunchHook,
			PingDocument: pingName, RoleArn: v[2].(string),
		})
	}).(pulumi.StringOutput)
	automation, err := ssm.NewDocument(ctx, name+"-automation", &ssm.DocumentArgs{
		Name:           pulumi.String(automationName),
		DocumentType:   pulumi.String("Automation"),
		DocumentFormat: pulumi.String("JSON"),
		Content:        content,
	}, parent, pulumi.DependsOn([]pulumi.Resource{ping}))
	if err != nil {
		return err
	}

	window, err := ssm.NewMaintenanceWindow(ctx, name+"-window", &ssm.MaintenanceWindowArgs{
		Name:                     pulumi.String(a.Namer.Name(maintenanceName, WindowPurpose)),
		Description:              pulumi.String("Morpheus app nodes: OS patches, one node at a time"),
		Schedule:                 pulumi.String(a.Schedule),
		ScheduleTimezone:         pulumi.String("UTC"),
		Duration:                 pulumi.Int(a.DurationHours),
		Cutoff:                   pulumi.Int(a.CutoffHours),
		AllowUnassociatedTargets: pulumi.Bool(false),
		Enabled:                  pulumi.Bool(true),
	}, parent)
	if err != nil {
		return err
	}
	target, err := ssm.NewMaintenanceWindowTarget(ctx, name+"-target", &ssm.MaintenanceWindowTargetArgs{
		WindowId:     window.ID(),
		Name:         pulumi.String(windowTargetName),
		Description:  pulumi.String("This stack's app nodes: its group's instances that carry its patch group"),
		ResourceType: pulumi.String("INSTANCE"),
		Targets:      Targets(a.GroupName, a.PatchGroupTagKey, a.PatchGroup),
	}, parent)
	if err != nil {
		return err
	}
	if _, err := ssm.NewMaintenanceWindowTask(ctx, name+"-task", &ssm.MaintenanceWindowTaskArgs{
		WindowId:       window.ID(),
		Name:           pulumi.String(windowTaskName),
		Description:    pulumi.String("Standby, patch (reboot if required), wait for /ping, back in service; one node at a time, stop at the first failure"),
		TaskType:       pulumi.String("AUTOMATION"),
		TaskArn:        automation.Name,
		ServiceRoleArn: roleArn,
		Priority:       pulumi.Int(1),
		MaxConcurrency: pulumi.String(MaxConcurrency),
		MaxErrors:      pulumi.String(MaxErrors),
		CutoffBehavior: pulumi.String("CONTINUE_TASK"),
		Targets: ssm.MaintenanceWindowTaskTargetArray{&ssm.MaintenanceWindowTaskTargetArgs{
			Key: pulumi.String("WindowTargetIds"), Values: pulumi.StringArray{target.ID()},
		}},
		TaskInvocationParameters: &ssm.MaintenanceWindowTaskTaskInvocationParametersArgs{
			AutomationParameters: &ssm.MaintenanceWindowTaskTaskInvocationParametersAutomationParametersArgs{
				DocumentVersion: pulumi.String("$DEFAULT"),
				Parameters: ssm.MaintenanceWindowTaskTaskInvocationParametersAutomationParametersParameterArray{
					&ssm.MaintenanceWindowTaskTaskInvocationParametersAutomationParametersParameterArgs{
						Name: pulumi.String("InstanceId"), Values: pulumi.StringArray{pulumi.String("{{RESOURCE_ID}}")},
					},
					&ssm.MaintenanceWindowTaskTaskInvocationParametersAutomationParametersParameterArgs{
						Name: pulumi.String("AutomationAssumeRole"), Values: pulumi.StringArray{roleArn},
					},
				},
			},
		},
	}, parent); err != nil {
		return err
	}

	c.WindowId = window.ID().ToStringOutput()
	c.AutomationDocumentName = automation.Name
	c.BaselineIds = baselineIds.ToStringMapOutput()
	return nil
}

// Targets selects this stack's nodes: instances of its Auto Scaling group
// that also carry its patch group tag (both must match).
func Targets(group pulumi.StringInput, tagKey, patchGroup string) ssm.MaintenanceWindowTargetTargetArray {
	return ssm.MaintenanceWindowTargetTargetArray{
		&ssm.MaintenanceWindowTargetTargetArgs{Key: pulumi.String("tag:" + GroupTagKey), Values: pulumi.StringArray{group}},
		&ssm.MaintenanceWindowTargetTargetArgs{Key: pulumi.String("tag:" + tagKey), Values: pulumi.StringArray{pulumi.String(patchGroup)}},
	}
}

// baselines creates one baseline per OS family and registers each as the
// patch group's baseline for its OS.
func baselines(ctx *pulumi.Context, name string, a *Args, parent pulumi.ResourceOption) (pulumi.StringMap, error) {
	ids := pulumi.StringMap{}
	for _, b := range Baselines {
		rules := ssm.PatchBaselineApprovalRuleArray{}
		for _, r := range b.Rules {
			filters := ssm.PatchBaselineApprovalRulePatchFilterArray{}
			for _, f := range r.Filters {
				filters = append(filters, &ssm.PatchBaselineApprovalRulePatchFilterArgs{
					Key: pulumi.String(f.Key), Values: pulumi.ToStringArray(f.Values),
				})
			}
			rule := &ssm.PatchBaselineApprovalRuleArgs{
				PatchFilters:    filters,
				ComplianceLevel: pulumi.String(r.ComplianceLevel),
			}
			if r.ApproveAfterDays != nil {
				rule.ApproveAfterDays = pulumi.Int(*r.ApproveAfterDays)
			}
			rules = append(rules, rule)
		}
		baseline, err := ssm.NewPatchBaseline(ctx, name+"-baseline-"+b.Family, &ssm.PatchBaselineArgs{
			Name:                  pulumi.String(a.Namer.Name(patchBaseline, "app-"+b.Family)),
			Description:           pulumi.String("Morpheus app nodes (" + b.OperatingSystem + "): approved OS patches; the Morpheus package is never patched here"),
			OperatingSystem:       pulumi.String(b.OperatingSystem),
			ApprovalRules:         rules,
			RejectedPatches:       pulumi.ToStringArray(RejectedPackages),
			RejectedPatchesAction: pulumi.String("BLOCK"),
		}, parent)
		if err != nil {
			return nil, err
		}
		if _, err := ssm.NewPatchGroup(ctx, name+"-group-"+b.Family, &ssm.PatchGroupArgs{
			BaselineId: baseline.ID(),
			PatchGroup: pulumi.String(a.PatchGroup),
		}, parent); err != nil {
			return nil, err
		}
		ids[b.Family] = baseline.ID()
	}
	return ids, nil
}
