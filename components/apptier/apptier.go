// Package apptier runs the Morpheus app nodes: their instance role, the rules of
// their security group, a launch template and an Auto Scaling group across the
// private-app subnets, with lifecycle hooks that keep the load balancer away from
// a half-installed node and let a leaving node stop cleanly.
package apptier

import (
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:apptier:AppTier"

// maxUserDataBytes is EC2's limit on (base64-decoded) user data.
const maxUserDataBytes = 16384

// DataPort is one data-tier service the nodes call: an egress rule to its group.
type DataPort struct {
	// Description says which service and why.
	Description string
	// Port is the TCP port.
	Port int
	// SecurityGroupId is the service's group.
	SecurityGroupId pulumi.StringInput
}

// Args configures the app tier.
type Args struct {
	// Namer names the role and the policy paths.
	Namer naming.Namer
	// Names are the group's and hooks' physical names (from the stack contract,
	// which the user data and the alarms read too).
	Names Names
	// Env is the account and region (policy ARNs).
	Env awsenv.Env
	// Tags are copied onto instances, volumes and network interfaces, which the
	// provider's defaultTags do not reach.
	Tags map[string]string
	// ExtraInstanceTags are tags only the nodes carry (instances, volumes and
	// network interfaces), such as the patch group Patch Manager selects the
	// nodes' baseline by.
	ExtraInstanceTags map[string]string

	// SubnetIds are the private-app subnets, one per AZ.
	SubnetIds pulumi.StringArrayInput
	// AZCount is how many AZs the subnets span.
	AZCount int
	// AppSecurityGroupId is the nodes' group (created before the data tier).
	AppSecurityGroupId pulumi.StringInput
	// LoadBalancerSecurityGroupId is the only source of inbound HTTPS.
	LoadBalancerSecurityGroupId pulumi.StringInput
	// EndpointSecurityGroupId guards the VPC interface endpoints.
	EndpointSecurityGroupId pulumi.StringInput
	// DataPorts are the data services the nodes reach.
	DataPorts []DataPort
	// Egress is where the nodes may connect outside the VPC on 443 and 80;
	// the zero value is the open internet.
	Egress Egress
	// S3PrefixListId is the S3 gateway endpoint's prefix list, which an
	// allow-list must admit for the nodes' s3:// downloads and SSM's S3 calls.
	S3PrefixListId pulumi.StringInput

	// TargetGroupArn receives the nodes.
	TargetGroupArn pulumi.StringInput
	// RequestCountResourceLabel is "<lb arn suffix>/<target group arn suffix>".
	RequestCountResourceLabel pulumi.StringInput

	// ImageId is the AMI.
	ImageId pulumi.StringInput
	// InstanceType is validated by config (no burstable, >= 4 vCPU, >= 16 GiB).
	InstanceType string
	// RootVolumeGiB is the encrypted gp3 root volume's size.
	RootVolumeGiB int
	// DataKeyArn encrypts the root volume.
	DataKeyArn pulumi.StringInput
	// UserData is the rendered cloud-init (no secrets), plain or gzip.
	UserData []byte

	// SecretsKeyArn decrypts this stack's secrets and parameters.
	SecretsKeyArn pulumi.StringInput
	// NodeSecretNames are the only secrets the nodes may read: the Morpheus
	// logins they render into morpheus.rb. Admin secrets stay out of reach of a
	// compromised node.
	NodeSecretNames []string
	// FileSystemArn is the EFS file system the nodes mount.
	FileSystemArn pulumi.StringInput
	// LogGroups are the groups the nodes' agent ships to; the tier creates them
	// (retention, logs key) before any node.
	LogGroups []LogGroup
	// CommandOutputLogGroups are log groups other components create that Run
	// Command writes the nodes' command output to (the node refresh's); the
	// node role may write there too.
	CommandOutputLogGroups []string
	// LogsKeyArn encrypts the log groups.
	LogsKeyArn pulumi.StringInput
	// LogRetentionDays is the log groups' retention.
	LogRetentionDays int
	// PackageBucketArns are the S3 buckets the nodes download packages from
	// (s3:// artifact URLs); they may read objects there and nowhere else.
	PackageBucketArns []string

	// RefreshAlarmNames stop and roll back an instance refresh when any of them
	// goes into ALARM: a new launch template that makes Morpheus unhealthy
	// undoes itself.
	RefreshAlarmNames []string
	// RefreshAfter are resources the group's updates (and so its instance
	// refresh) wait for: the stop of every old node in a stopAll upgrade.
	RefreshAfter []pulumi.Resource
	// CapacityWaitMinutes is how long creating or updating the group waits for
	// its nodes to pass the load balancer's checks.
	CapacityWaitMinutes int
	// MinSize and MaxSize bound the group; DesiredSize starts it.
	MinSize, MaxSize int
	// Standby holds the group at zero nodes (a pilot-light DR stack before its
	// failover); MinSize and MaxSize apply once it is false.
	Standby bool
	// CPUTargetPercent is the average CPU the group scales to hold.
	CPUTargetPercent float64
	// RequestsPerTarget is the ALB request count per node the group scales to hold.
	RequestsPerTarget float64
	// Schedule optionally shrinks the group outside working hours; refused
	// with Protect.
	Schedule *ScaleSchedule
	// Protect marks a production stack, which needs a node in every AZ. Nodes
	// themselves are never protected: they hold no data and are replaced freely.
	Protect bool
}

// AppTier is the component.
type AppTier struct {
	pulumi.ResourceState

	// AutoScalingGroupName is the group's name.
	AutoScalingGroupName pulumi.StringOutput `pulumi:"autoScalingGroupName"`
	// AutoScalingGroupArn is the group's ARN.
	AutoScalingGroupArn pulumi.StringOutput `pulumi:"autoScalingGroupArn"`
	// LaunchTemplateId is the nodes' launch template.
	LaunchTemplateId pulumi.StringOutput `pulumi:"launchTemplateId"`
	// InstanceRoleArn is the nodes' role.
	InstanceRoleArn pulumi.StringOutput `pulumi:"instanceRoleArn"`
	// InstanceRoleName is the nodes' role name.
	InstanceRoleName pulumi.StringOutput `pulumi:"instanceRoleName"`
	// LogGroupNames maps each LogGroups purpose to its created group's name.
	LogGroupNames pulumi.StringMapOutput `pulumi:"logGroupNames"`
}

// LogGroup is one log group the nodes ship to.
type LogGroup struct {
	// Purpose ends the child resource's name and keys LogGroupNames.
	Purpose string
	// Name is the group's physical name.
	Name string
	// Aliases are the group's former URNs, so that moving it here from another
	// component never replaces it (and loses its logs).
	Aliases []pulumi.Alias
}

// Names are the physical names other parts of the stack need before the group
// exists (user data completes hooks by name).
type Names struct {
	Group         string
	LaunchHook    string
	TerminateHook string
}

func (a *Args) validate() error {
	var errs []error
	required := []struct {
		name string
		set  bool
	}{
		{"SubnetIds", a.SubnetIds != nil}, {"AppSecurityGroupId", a.AppSecurityGroupId != nil},
		{"LoadBalancerSecurityGroupId", a.LoadBalancerSecurityGroupId != nil},
		{"EndpointSecurityGroupId", a.EndpointSecurityGroupId != nil}, {"TargetGroupArn", a.TargetGroupArn != nil},
		{"RequestCountResourceLabel", a.RequestCountResourceLabel != nil}, {"ImageId", a.ImageId != nil},
		{"DataKeyArn", a.DataKeyArn != nil}, {"SecretsKeyArn", a.SecretsKeyArn != nil}, {"FileSystemArn", a.FileSystemArn != nil},
		{"LogsKeyArn", a.LogsKeyArn != nil},
	}
	for _, r := range required {
		if !r.set {
			errs = append(errs, fmt.Errorf("apptier: %s is required", r.name))
		}
	}
	if a.Namer.Project == "" || a.Env.AccountID == "" {
		errs = append(errs, errors.New("apptier: Namer and Env are required"))
	}
	if a.Names.Group == "" || a.Names.LaunchHook == "" || a.Names.TerminateHook == "" {
		errs = append(errs, errors.New("apptier: Names needs the group and both hooks"))
	}
	for k := range a.ExtraInstanceTags {
		if _, clash := a.Tags[k]; clash || k == "Name" {
			errs = append(errs, fmt.Errorf("apptier: ExtraInstanceTags may not override the tag %s", k))
		}
	}
	if len(a.NodeSecretNames) == 0 {
		errs = append(errs, errors.New("apptier: NodeSecretNames is required"))
	}
	if !a.Egress.Open() && a.S3PrefixListId == nil {
		errs = append(errs, errors.New("apptier: S3PrefixListId is required when Egress is an allow-list"))
	}
	for _, g := range a.CommandOutputLogGroups {
		if g == "" {
			errs = append(errs, errors.New("apptier: CommandOutputLogGroups holds an empty name"))
		}
	}
	if len(a.LogGroups) == 0 || a.LogRetentionDays <= 0 {
		errs = append(errs, errors.New("apptier: LogGroups and a positive LogRetentionDays are required"))
	}
	if a.InstanceType == "" {
		errs = append(errs, errors.New("apptier: InstanceType is required"))
	}
	if a.RootVolumeGiB < 200 {
		errs = append(errs, fmt.Errorf("apptier: RootVolumeGiB %d is below the 200 GiB Morpheus requires", a.RootVolumeGiB))
	}
	if len(a.UserData) == 0 || len(a.UserData) > maxUserDataBytes {
		errs = append(errs, fmt.Errorf("apptier: user data is %d bytes; it must be 1 to %d", len(a.UserData), maxUserDataBytes))
	}
	if a.CapacityWaitMinutes < 10 {
		errs = append(errs, fmt.Errorf("apptier: CapacityWaitMinutes %d is shorter than any node boot", a.CapacityWaitMinutes))
	}
	if a.MinSize < 1 || a.MaxSize < a.MinSize {
		errs = append(errs, fmt.Errorf("apptier: sizes min %d max %d are invalid", a.MinSize, a.MaxSize))
	}
	if a.Protect && a.MinSize < a.AZCount {
		errs = append(errs, fmt.Errorf("apptier: prod needs at least one node per AZ (%d), got min %d", a.AZCount, a.MinSize))
	}
	if a.CPUTargetPercent <= 0 || a.CPUTargetPercent > 100 || a.RequestsPerTarget <= 0 {
		errs = append(errs, errors.New("apptier: scaling targets must be positive (CPU at most 100)"))
	}
	if a.Schedule != nil {
		if err := a.Schedule.validate(a); err != nil {
			errs = append(errs, err)
		}
	}
	for _, d := range a.DataPorts {
		if d.Port <= 0 || d.Port > 65535 || d.SecurityGroupId == nil || d.Description == "" {
			errs = append(errs, fmt.Errorf("apptier: data port %+v needs a port, a group and a description", d))
		}
	}
	return errors.Join(errs...)
}

// NewAppTier creates the node role, rules, template and group.
func NewAppTier(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*AppTier, error) {
	if args == nil {
		return nil, errors.New("apptier: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &AppTier{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, names: args.Names, parent: pulumi.Parent(c)}
	if err := b.securityRules(); err != nil {
		return nil, err
	}
	logGroups, logGroupsByPurpose, err := b.logGroups()
	if err != nil {
		return nil, err
	}
	role, profileArn, grants, err := b.instanceRole(logGroups)
	if err != nil {
		return nil, err
	}
	lt, err := b.launchTemplate(profileArn, grants)
	if err != nil {
		return nil, err
	}
	group, err := b.group(lt)
	if err != nil {
		return nil, err
	}
	if err := b.scaling(group.Name); err != nil {
		return nil, err
	}
	if err := b.schedule(group.Name); err != nil {
		return nil, err
	}
	c.AutoScalingGroupName = group.Name
	c.AutoScalingGroupArn = group.Arn
	c.LaunchTemplateId = lt.ID().ToStringOutput()
	c.InstanceRoleArn = role.Arn
	c.InstanceRoleName = role.Name
	c.LogGroupNames = logGroupsByPurpose.ToStringMapOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"logGroupNames":        c.LogGroupNames,
		"autoScalingGroupName": c.AutoScalingGroupName,
		"autoScalingGroupArn":  c.AutoScalingGroupArn,
		"launchTemplateId":     c.LaunchTemplateId,
		"instanceRoleArn":      c.InstanceRoleArn,
		"instanceRoleName":     c.InstanceRoleName,
	})
}

// builder carries what every part of the tier needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	names  Names
	parent pulumi.ResourceOption
}

func encodeUserData(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func itoa(v int) string { return fmt.Sprint(v) }
