// Package messaging creates the Amazon MQ for RabbitMQ broker Morpheus queues
// its work on: private, TLS only, reachable only from the client security
// groups, a three-AZ cluster outside dev.
package messaging

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:messaging:Messaging"

// AdminPasswordProperty is the broker's admin password input (its only user),
// which Pulumi ignores after creation: the ops function rotates the password
// through the management API, so the generated one is stale after the first
// rotation.
const AdminPasswordProperty = "users[0].password"

// Ports the broker serves; Amazon MQ for RabbitMQ speaks TLS only.
const (
	// AMQPSPort is AMQP 0-9-1 over TLS, what Morpheus connects to.
	AMQPSPort = 5671
	// ManagementPort serves the RabbitMQ console and management API, which the
	// bootstrap uses to create Morpheus' vhost and user.
	ManagementPort = 443
)

// Deployment modes (ACTIVE_STANDBY_MULTI_AZ is ActiveMQ only).
const (
	// SingleInstance is one broker in the first data subnet (dev).
	SingleInstance = "SINGLE_INSTANCE"
	// ClusterMultiAZ is three nodes across the data subnets behind an NLB.
	ClusterMultiAZ = "CLUSTER_MULTI_AZ"
)

// MaintenanceWindow is the weekly start of the broker's maintenance window.
type MaintenanceWindow struct {
	// DayOfWeek is MONDAY to SUNDAY.
	DayOfWeek string
	// TimeOfDay is HH:MM, 24-hour clock.
	TimeOfDay string
	// TimeZone is an IANA zone name such as UTC.
	TimeZone string
}

// Args configures the broker.
type Args struct {
	// Namer names the broker.
	Namer naming.Namer
	// VpcId is the VPC of the broker's security group.
	VpcId pulumi.StringInput
	// DataSubnetIds are the private-data subnets, one per AZ. A cluster uses all
	// of them, a single instance the first.
	DataSubnetIds pulumi.StringArrayInput
	// AmqpsClientSecurityGroupIds may reach AMQPS, 5671 (the app nodes' group:
	// Morpheus publishes and consumes there).
	AmqpsClientSecurityGroupIds pulumi.StringArrayInput
	// ManagementClientSecurityGroupIds may reach the management API on 443 (the
	// ops function's group: it creates the vhost and users). The API manages
	// every user and vhost, so a node, which only needs its own queues, is kept
	// off it.
	ManagementClientSecurityGroupIds pulumi.StringArrayInput
	// EngineVersion is RabbitMQ major.minor, e.g. "3.13" (validated by config).
	EngineVersion string
	// InstanceType is the broker host type, e.g. mq.m7g.large.
	InstanceType string
	// DeploymentMode is SingleInstance or ClusterMultiAZ.
	DeploymentMode string
	// MaintenanceWindow is when Amazon MQ may patch and reboot the broker.
	MaintenanceWindow MaintenanceWindow
	// AdminUsername is the broker's administrator, created with the broker.
	AdminUsername string
	// AdminPassword is the administrator's password at creation (12-250
	// characters, at least 4 distinct; generated under those rules by
	// components/secrets). It is kept secret, and ignored afterwards
	// (AdminPasswordProperty).
	AdminPassword pulumi.StringInput
	// Protect guards the broker against deletion by Pulumi (prod).
	Protect bool
}

// Messaging is the component.
type Messaging struct {
	pulumi.ResourceState

	// BrokerId is the Amazon MQ broker id (b-...).
	BrokerId pulumi.StringOutput `pulumi:"brokerId"`
	// BrokerName is the broker's name, the Broker dimension of its metrics.
	BrokerName pulumi.StringOutput `pulumi:"brokerName"`
	// BrokerArn is the broker's ARN.
	BrokerArn pulumi.StringOutput `pulumi:"brokerArn"`
	// AmqpsEndpoint is the broker's AMQPS URL, amqps://<host>:5671 (for a
	// cluster, the NLB's).
	AmqpsEndpoint pulumi.StringOutput `pulumi:"amqpsEndpoint"`
	// Host is the endpoint's host name without scheme or port, what
	// morpheus.rb's rabbitmq['host'] takes.
	Host pulumi.StringOutput `pulumi:"host"`
	// Port is the AMQPS port, 5671.
	Port pulumi.IntOutput `pulumi:"port"`
	// ManagementUrl is the RabbitMQ console and management API base URL.
	ManagementUrl pulumi.StringOutput `pulumi:"managementUrl"`
	// SecurityGroupId guards the broker.
	SecurityGroupId pulumi.StringOutput `pulumi:"securityGroupId"`
}

var (
	majorMinorRE = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)
	// usernameRE is Amazon MQ's rule for user names.
	usernameRE = regexp.MustCompile(`^[A-Za-z0-9._~-]{2,100}$`)
)

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		errs = append(errs, errors.New("messaging: Namer needs a project and a stack"))
	}
	if a.VpcId == nil || a.DataSubnetIds == nil || a.AmqpsClientSecurityGroupIds == nil || a.ManagementClientSecurityGroupIds == nil {
		errs = append(errs, errors.New("messaging: VpcId, DataSubnetIds, AmqpsClientSecurityGroupIds and ManagementClientSecurityGroupIds are required"))
	}
	if !majorMinorRE.MatchString(a.EngineVersion) {
		errs = append(errs, fmt.Errorf("messaging: EngineVersion %q must be major.minor, e.g. 3.13: Amazon MQ applies patches itself", a.EngineVersion))
	}
	if a.InstanceType == "" {
		errs = append(errs, errors.New("messaging: InstanceType is required"))
	}
	if !slices.Contains([]string{SingleInstance, ClusterMultiAZ}, a.DeploymentMode) {
		errs = append(errs, fmt.Errorf("messaging: DeploymentMode %q must be %s or %s", a.DeploymentMode, SingleInstance, ClusterMultiAZ))
	}
	if w := a.MaintenanceWindow; w.DayOfWeek == "" || w.TimeOfDay == "" || w.TimeZone == "" {
		errs = append(errs, fmt.Errorf("messaging: MaintenanceWindow needs day, time and time zone, got %+v", w))
	}
	if !usernameRE.MatchString(a.AdminUsername) {
		errs = append(errs, fmt.Errorf("messaging: AdminUsername %q must be 2-100 characters of letters, digits and . _ ~ -", a.AdminUsername))
	}
	if a.AdminPassword == nil {
		errs = append(errs, errors.New("messaging: AdminPassword is required"))
	}
	return errors.Join(errs...)
}

// NewMessaging creates the broker and its security group.
func NewMessaging(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Messaging, error) {
	if args == nil {
		return nil, errors.New("messaging: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Messaging{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	// No egress rules: the broker only answers its clients.
	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcId,
		Description: pulumi.String("Amazon MQ for RabbitMQ: AMQPS and management API from Morpheus clients only"),
		Ingress: ec2.SecurityGroupIngressArray{
			&ec2.SecurityGroupIngressArgs{
				Description:    pulumi.String("AMQPS from the Morpheus app nodes"),
				Protocol:       pulumi.String("tcp"),
				FromPort:       pulumi.Int(AMQPSPort),
				ToPort:         pulumi.Int(AMQPSPort),
				SecurityGroups: args.AmqpsClientSecurityGroupIds,
			},
			&ec2.SecurityGroupIngressArgs{
				Description:    pulumi.String("RabbitMQ management API over HTTPS from the ops function"),
				Protocol:       pulumi.String("tcp"),
				FromPort:       pulumi.Int(ManagementPort),
				ToPort:         pulumi.Int(ManagementPort),
				SecurityGroups: args.ManagementClientSecurityGroupIds,
			},
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(args.Namer.Prefix() + "-mq")},
	}, parent)
	if err != nil {
		return nil, err
	}

	w := args.MaintenanceWindow
	// Amazon MQ has no deletion protection and RabbitMQ brokers no snapshots;
	// Protect is all that stands between a stray destroy and the broker.
	broker, err := mq.NewBroker(ctx, name+"-broker", &mq.BrokerArgs{
		BrokerName:    pulumi.String(args.Namer.Name(naming.MQBroker, "rabbitmq")),
		EngineType:    pulumi.String("RabbitMQ"),
		EngineVersion: pulumi.String(args.EngineVersion),
		// Required by the API from 3.13 on: patches arrive in the window.
		AutoMinorVersionUpgrade: pulumi.Bool(true),
		HostInstanceType:        pulumi.String(args.InstanceType),
		DeploymentMode:          pulumi.String(args.DeploymentMode),
		PubliclyAccessible:      pulumi.Bool(false),
		SubnetIds:               brokerSubnets(args.DataSubnetIds, args.DeploymentMode),
		SecurityGroups:          pulumi.StringArray{sg.ID()},
		StorageType:             pulumi.String("ebs"),
		AuthenticationStrategy:  pulumi.String("simple"),
		// General logs only: audit logs are ActiveMQ only and an API error here.
		Logs: &mq.BrokerLogsArgs{General: pulumi.Bool(true)},
		MaintenanceWindowStartTime: &mq.BrokerMaintenanceWindowStartTimeArgs{
			DayOfWeek: pulumi.String(w.DayOfWeek),
			TimeOfDay: pulumi.String(w.TimeOfDay),
			TimeZone:  pulumi.String(w.TimeZone),
		},
		// RabbitMQ takes exactly one user at creation, the administrator;
		// consoleAccess and groups are ActiveMQ only and stay unset.
		Users: mq.BrokerUserArray{&mq.BrokerUserArgs{
			Username: pulumi.String(args.AdminUsername),
			Password: pulumi.ToSecret(args.AdminPassword).(pulumi.StringOutput),
		}},
	}, parent, pulumi.Protect(args.Protect),
		// The ops function rotates the admin password in place; Pulumi sets
		// it at creation only (docs/decisions.md).
		pulumi.IgnoreChanges([]string{AdminPasswordProperty}))
	if err != nil {
		return nil, err
	}

	first := broker.Instances.ApplyT(firstInstance).(mq.BrokerInstanceOutput)
	c.AmqpsEndpoint = first.ApplyT(amqpsEndpoint).(pulumi.StringOutput)
	c.Host = c.AmqpsEndpoint.ApplyT(hostOf).(pulumi.StringOutput)
	c.ManagementUrl = first.ApplyT(func(i mq.BrokerInstance) (string, error) {
		if i.ConsoleUrl == nil || *i.ConsoleUrl == "" {
			return "", errors.New("messaging: the broker reported no console URL")
		}
		return *i.ConsoleUrl, nil
	}).(pulumi.StringOutput)
	c.BrokerId = broker.ID().ToStringOutput()
	c.BrokerArn = broker.Arn
	c.BrokerName = broker.BrokerName
	// Derived from the broker so that it resolves (and is awaited) with it: a
	// free-standing constant output is not tracked by the run.
	c.Port = broker.Arn.ApplyT(func(string) int { return AMQPSPort }).(pulumi.IntOutput)
	c.SecurityGroupId = sg.ID().ToStringOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"brokerName":      c.BrokerName,
		"brokerId":        c.BrokerId,
		"brokerArn":       c.BrokerArn,
		"amqpsEndpoint":   c.AmqpsEndpoint,
		"host":            c.Host,
		"port":            c.Port,
		"managementUrl":   c.ManagementUrl,
		"securityGroupId": c.SecurityGroupId,
	})
}

// brokerSubnets is every data subnet for a cluster and the first one for a
// single instance, which the API requires to get exactly one.
func brokerSubnets(ids pulumi.StringArrayInput, mode string) pulumi.StringArrayOutput {
	return ids.ToStringArrayOutput().ApplyT(func(v []string) ([]string, error) {
		if len(v) == 0 {
			return nil, errors.New("messaging: no data subnets given")
		}
		if mode == SingleInstance {
			return v[:1], nil
		}
		return v, nil
	}).(pulumi.StringArrayOutput)
}
