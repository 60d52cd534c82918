// Package noderefresh re-renders morpheus.rb on every app node after a Morpheus
// secret rotates: an SSM Command document does one node (render, reconfigure,
// restart, wait for /ping), an Automation runbook runs it across the Auto
// Scaling group one node at a time and records a completed refresh as a metric,
// and EventBridge starts the runbook on each successful rotation and on a
// schedule (the safety net). Operators run the same runbook by hand.
package noderefresh

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:noderefresh:NodeRefresh"

// Naming rules of the resources named here.
var (
	ssmDocument = naming.Kind{Service: "ssm document", MaxLen: 128}
)

// Purposes of the physical names.
const (
	CommandPurpose    = "node-refresh"
	AutomationPurpose = "node-refresh-automation"
	EventsPurpose     = "node-refresh-events"
	RulePurpose       = "node-refresh-on-rotation"
	SchedulePurpose   = "node-refresh-scheduled"
)

// safePath is what may be pasted into the shell script unquoted.
var safePath = regexp.MustCompile(`^/[A-Za-z0-9._/-]+$`)

// scheduleExpression is the shape of an EventBridge schedule (config
// validates the details; this refuses anything else reaching the rule).
var scheduleExpression = regexp.MustCompile(`^(cron|rate)\([^()]+\)$`)

// Args configures the refresh.
type Args struct {
	// Namer names the documents, roles, rule and log group.
	Namer naming.Namer
	// Env is the account and region (ARNs).
	Env awsenv.Env
	// AsgName is the app nodes' Auto Scaling group (the app tier's output).
	AsgName pulumi.StringInput
	// AppSecretArns are the rotated secrets whose success triggers a refresh.
	AppSecretArns pulumi.StringArrayInput
	// RefreshScriptPath is the node's refresh script, which the user data
	// installs (re-render, reconfigure, restart, wait for /ping).
	RefreshScriptPath string
	// ReadyTimeoutMinutes is how long that script waits for /ping.
	ReadyTimeoutMinutes int
	// MaxNodes is the most nodes the group can run; the rolling refresh's
	// timeout covers them all.
	MaxNodes int
	// LogGroupName is the log group that keeps every node's output (the
	// contract's, which the node role may write to).
	LogGroupName string
	// LogsKeyArn encrypts the log group that keeps every node's output.
	LogsKeyArn pulumi.StringInput
	// LogRetentionDays is that log group's retention.
	LogRetentionDays int
	// Signal is the metric a completed refresh of the whole group writes
	// (the contract's RefreshSignal, which monitoring alarms on).
	Signal Signal
	// Schedule is the EventBridge schedule expression (ops.refreshSchedule)
	// that also starts the refresh, whatever the rotation events do.
	Schedule string
}

// NodeRefresh is the component.
type NodeRefresh struct {
	pulumi.ResourceState

	// CommandDocumentName refreshes one node (aws ssm send-command).
	CommandDocumentName pulumi.StringOutput `pulumi:"commandDocumentName"`
	// AutomationDocumentName refreshes the group, one node at a time
	// (aws ssm start-automation-execution).
	AutomationDocumentName pulumi.StringOutput `pulumi:"automationDocumentName"`
	// RuleName is the EventBridge rule that starts the automation.
	RuleName pulumi.StringOutput `pulumi:"ruleName"`
	// ScheduleRuleName is the EventBridge rule that starts it on schedule.
	ScheduleRuleName pulumi.StringOutput `pulumi:"scheduleRuleName"`
	// LogGroupName keeps every node's refresh output.
	LogGroupName pulumi.StringOutput `pulumi:"logGroupName"`
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" || a.Env.AccountID == "" || a.Env.Region == "" {
		errs = append(errs, errors.New("noderefresh: Namer and Env are required"))
	}
	if a.AsgName == nil {
		errs = append(errs, errors.New("noderefresh: AsgName is required"))
	}
	if a.AppSecretArns == nil || a.LogsKeyArn == nil {
		errs = append(errs, errors.New("noderefresh: AppSecretArns and LogsKeyArn are required"))
	}
	if a.LogRetentionDays <= 0 || a.LogGroupName == "" {
		errs = append(errs, errors.New("noderefresh: LogGroupName and a positive LogRetentionDays are required"))
	}
	if !safePath.MatchString(a.RefreshScriptPath) {
		errs = append(errs, fmt.Errorf("noderefresh: RefreshScriptPath %q must be an absolute path of letters, digits, . _ - and /", a.RefreshScriptPath))
	}
	if a.Signal.Namespace == "" || a.Signal.Metric == "" {
		errs = append(errs, errors.New("noderefresh: Signal needs a namespace and a metric"))
	}
	if !scheduleExpression.MatchString(a.Schedule) {
		errs = append(errs, fmt.Errorf("noderefresh: Schedule %q is not a cron(...) or rate(...) expression", a.Schedule))
	}
	if a.ReadyTimeoutMinutes < 1 || a.MaxNodes < 1 {
		errs = append(errs, fmt.Errorf("noderefresh: ReadyTimeoutMinutes (%d) and MaxNodes (%d) must be positive", a.ReadyTimeoutMinutes, a.MaxNodes))
	}
	return errors.Join(errs...)
}

// NewNodeRefresh creates the documents, the automation's role, the rule and
// its target.
func NewNodeRefresh(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*NodeRefresh, error) {
	if args == nil {
		return nil, errors.New("noderefresh: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &NodeRefresh{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	if err := build(ctx, name, args, c); err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"commandDocumentName":    c.CommandDocumentName,
		"automationDocumentName": c.AutomationDocumentName,
		"ruleName":               c.RuleName,
		"scheduleRuleName":       c.ScheduleRuleName,
		"logGroupName":           c.LogGroupName,
	})
}

func build(ctx *pulumi.Context, name string, a *Args, c *NodeRefresh) error {
	parent := pulumi.Parent(c)
	commandName := a.Namer.Name(ssmDocument, CommandPurpose)
	automationName := a.Namer.Name(ssmDocument, AutomationPurpose)
	logGroupName := a.LogGroupName

	logGroup, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(logGroupName),
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
		KmsKeyId:        a.LogsKeyArn,
	}, parent)
	if err != nil {
		return err
	}
	commandContent, err := CommandContent(a.RefreshScriptPath, a.ReadyTimeoutMinutes)
	if err != nil {
		return err
	}
	command, err := ssm.NewDocument(ctx, name+"-command", &ssm.DocumentArgs{
		Name:           pulumi.String(commandName),
		DocumentType:   pulumi.String("Command"),
		DocumentFormat: pulumi.String("JSON"),
		TargetType:     pulumi.String("/AWS::EC2::Instance"),
		Content:        pulumi.String(commandContent),
	}, parent)
	if err != nil {
		return err
	}

	automationRole, err := role(ctx, name+"-automation-role", a.Namer.Name(naming.IAMRole, AutomationPurpose),
		"Morpheus node refresh automation: sends the refresh command to the app group's nodes",
		AutomationTrust(a.Env).JSON(),
		a.AsgName.ToStringOutput().ApplyT(func(asg string) string {
			return AutomationPolicy(a.Env, commandName, asg, a.Signal.Namespace).JSON()
		}).(pulumi.StringOutput), parent)
	if err != nil {
		return err
	}
	stepTimeout := AutomationStepTimeoutSeconds(a.MaxNodes, a.ReadyTimeoutMinutes)
	automationContent := pulumi.All(automationRole.Arn, a.AsgName).ApplyT(func(v []any) (string, error) {
		return AutomationContent(commandName, v[1].(string), logGroupName, v[0].(string), stepTimeout, a.Signal)
	}).(pulumi.StringOutput)
	automation, err := ssm.NewDocument(ctx, name+"-automation", &ssm.DocumentArgs{
		Name:           pulumi.String(automationName),
		DocumentType:   pulumi.String("Automation"),
		DocumentFormat: pulumi.String("JSON"),
		Content:        automationContent,
		// The runbook names the command document and writes to the log group.
	}, parent, pulumi.DependsOn([]pulumi.Resource{command, logGroup}))
	if err != nil {
		return err
	}

	eventsRole, err := role(ctx, name+"-events-role", a.Namer.Name(naming.IAMRole, EventsPurpose),
		"EventBridge: starts the Morpheus node refresh automation after a secret rotation",
		serviceTrust(a.Env, "events.amazonaws.com").JSON(),
		automationRole.Arn.ApplyT(func(arn string) string {
			return EventsPolicy(a.Env, automationName, arn).JSON()
		}).(pulumi.StringOutput), parent)
	if err != nil {
		return err
	}

	pattern := a.AppSecretArns.ToStringArrayOutput().ApplyT(func(arns []string) (string, error) {
		if len(arns) == 0 {
			return "", errors.New("noderefresh: AppSecretArns is empty")
		}
		return RotationSucceeded(arns).JSON()
	}).(pulumi.StringOutput)
	rule, err := cloudwatch.NewEventRule(ctx, name+"-rule", &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(a.Namer.Name(naming.EventRule, RulePurpose)),
		Description:  pulumi.String("A Morpheus secret rotated: re-render morpheus.rb on every app node, one at a time"),
		EventPattern: pattern,
	}, parent)
	if err != nil {
		return err
	}
	input := automationRole.Arn.ApplyT(AutomationInput).(pulumi.StringOutput)
	target := func(logical string, rule *cloudwatch.EventRule) error {
		_, err := cloudwatch.NewEventTarget(ctx, logical, &cloudwatch.EventTargetArgs{
			Rule:     rule.Name,
			TargetId: pulumi.String("node-refresh-automation"),
			Arn:      pulumi.String(AutomationDefinitionArn(a.Env, automationName)),
			RoleArn:  eventsRole.Arn,
			Input:    input,
		}, parent, pulumi.DependsOn([]pulumi.Resource{automation}))
		return err
	}
	if err := target(name+"-target", rule); err != nil {
		return err
	}
	// The safety net: the rotation event is best effort (CloudTrail), so the
	// same runbook also runs on a schedule, through the same role and target.
	scheduled, err := cloudwatch.NewEventRule(ctx, name+"-schedule", &cloudwatch.EventRuleArgs{
		Name:               pulumi.String(a.Namer.Name(naming.EventRule, SchedulePurpose)),
		Description:        pulumi.String("Safety net: re-render morpheus.rb on every app node, one at a time, whether or not a rotation event arrived"),
		ScheduleExpression: pulumi.String(a.Schedule),
	}, parent)
	if err != nil {
		return err
	}
	if err := target(name+"-schedule-target", scheduled); err != nil {
		return err
	}

	c.CommandDocumentName = command.Name
	c.AutomationDocumentName = automation.Name
	c.RuleName = rule.Name
	c.ScheduleRuleName = scheduled.Name
	c.LogGroupName = logGroup.Name
	return nil
}

// role creates a service role with one inline policy and returns it once the
// policy is attached (its Arn output waits for the policy).
func role(ctx *pulumi.Context, logical, physical, description, trust string, policy pulumi.StringInput, parent pulumi.ResourceOption) (*roleWithPolicy, error) {
	r, err := iam.NewRole(ctx, logical, &iam.RoleArgs{
		Name:             pulumi.String(physical),
		Description:      pulumi.String(description),
		AssumeRolePolicy: pulumi.String(trust),
	}, parent)
	if err != nil {
		return nil, err
	}
	p, err := iam.NewRolePolicy(ctx, logical+"-policy", &iam.RolePolicyArgs{
		Role:   r.ID(),
		Policy: policy,
	}, parent)
	if err != nil {
		return nil, err
	}
	arn := pulumi.All(r.Arn, p.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	return &roleWithPolicy{Arn: arn}, nil
}

// roleWithPolicy is a role whose ARN resolves only after its policy exists, so
// whoever is handed the ARN cannot act before the role may.
type roleWithPolicy struct {
	Arn pulumi.StringOutput
}
