package apptier

import (
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RootDeviceName is the root device of the Ubuntu and RHEL AMIs the nodes run.
const RootDeviceName = "/dev/sda1"

// Timing of a node's life, in seconds. A first boot installs the Morpheus
// package, mounts EFS, reconfigures and waits for /ping: 15-40 minutes, longer
// for the very first node, which creates the schema.
const (
	// launchHookTimeout bounds a first boot; past it the node is abandoned and replaced.
	launchHookTimeout = 5400
	// terminateHookTimeout gives morpheus-ui time to stop and finish its jobs.
	terminateHookTimeout = 600
	// healthGracePeriod starts only after the launch hook completes, when /ping
	// already answered locally: it covers the target group's first healthy checks.
	healthGracePeriod = 600
	// instanceWarmup is how long a new node's metrics are left out of scaling.
	instanceWarmup = 900
)

// launchTemplate pins everything a node is: AMI, type, role, encrypted root
// volume, IMDSv2, no public address, and the user data. It waits for every
// grant of the node role, so no node boots without its permissions.
func (b *builder) launchTemplate(profileArn pulumi.StringOutput, grants []pulumi.Resource) (*ec2.LaunchTemplate, error) {
	a := b.args
	tags := pulumi.StringMap{"Name": pulumi.String(b.names.Group)}
	for k, v := range b.nodeTags() {
		tags[k] = pulumi.String(v)
	}
	specs := ec2.LaunchTemplateTagSpecificationArray{}
	for _, kind := range []string{"instance", "volume", "network-interface"} {
		specs = append(specs, &ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String(kind), Tags: tags})
	}
	return ec2.NewLaunchTemplate(b.ctx, b.name+"-lt", &ec2.LaunchTemplateArgs{
		Description:          pulumi.String("Morpheus app node"),
		ImageId:              a.ImageId,
		InstanceType:         pulumi.String(a.InstanceType),
		IamInstanceProfile:   &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: profileArn},
		EbsOptimized:         pulumi.String("true"),
		UpdateDefaultVersion: pulumi.Bool(true),
		Monitoring:           &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
			InstanceMetadataTags:    pulumi.String("enabled"),
		},
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex:              pulumi.Int(0),
			AssociatePublicIpAddress: pulumi.String("false"),
			DeleteOnTermination:      pulumi.String("true"),
			SecurityGroups:           pulumi.StringArray{a.AppSecurityGroupId},
		}},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String(RootDeviceName),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				VolumeSize:          pulumi.Int(a.RootVolumeGiB),
				VolumeType:          pulumi.String("gp3"),
				Encrypted:           pulumi.String("true"),
				KmsKeyId:            a.DataKeyArn,
				DeleteOnTermination: pulumi.String("true"),
			},
		}},
		UserData:          pulumi.String(encodeUserData(a.UserData)),
		TagSpecifications: specs,
	}, b.parent, pulumi.DependsOn(grants))
}

// group runs the nodes across every private-app subnet. Its hooks exist from the
// group's creation, so even the first nodes wait for /ping before the load
// balancer sees them.
func (b *builder) group(lt *ec2.LaunchTemplate) (*autoscaling.Group, error) {
	a := b.args
	nodeTags := b.nodeTags()
	keys := make([]string, 0, len(nodeTags))
	for k := range nodeTags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tags := autoscaling.GroupTagArray{&autoscaling.GroupTagArgs{
		Key: pulumi.String("Name"), Value: pulumi.String(b.names.Group), PropagateAtLaunch: pulumi.Bool(true),
	}}
	for _, k := range keys {
		tags = append(tags, &autoscaling.GroupTagArgs{
			Key: pulumi.String(k), Value: pulumi.String(nodeTags[k]), PropagateAtLaunch: pulumi.Bool(true),
		})
	}
	return autoscaling.NewGroup(b.ctx, b.name+"-asg", &autoscaling.GroupArgs{
		Name:               pulumi.String(b.names.Group),
		VpcZoneIdentifiers: a.SubnetIds,
		MinSize:            pulumi.Int(standbyOr(a.Standby, a.MinSize)),
		MaxSize:            pulumi.Int(standbyOr(a.Standby, a.MaxSize)),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return itoa(v) }).(pulumi.StringOutput),
		},
		TargetGroupArns:        pulumi.StringArray{a.TargetGroupArn},
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(healthGracePeriod),
		DefaultInstanceWarmup:  pulumi.Int(instanceWarmup),
		CapacityRebalance:      pulumi.Bool(true),
		// pulumi up waits for the first nodes to pass the load balancer's checks,
		// so a broken image or package fails the deployment instead of passing it.
		WaitForCapacityTimeout: pulumi.Sprintf("%dm", a.CapacityWaitMinutes),
		MinElbCapacity:         pulumi.Int(standbyOr(a.Standby, a.MinSize)),
		EnabledMetrics: pulumi.ToStringArray([]string{
			"GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
			"GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances",
		}),
		InitialLifecycleHooks: autoscaling.GroupInitialLifecycleHookArray{
			&autoscaling.GroupInitialLifecycleHookArgs{
				Name:                pulumi.String(b.names.LaunchHook),
				LifecycleTransition: pulumi.String("autoscaling:EC2_INSTANCE_LAUNCHING"),
				HeartbeatTimeout:    pulumi.Int(launchHookTimeout),
				DefaultResult:       pulumi.String("ABANDON"),
			},
			&autoscaling.GroupInitialLifecycleHookArgs{
				Name:                pulumi.String(b.names.TerminateHook),
				LifecycleTransition: pulumi.String("autoscaling:EC2_INSTANCE_TERMINATING"),
				HeartbeatTimeout:    pulumi.Int(terminateHookTimeout),
				DefaultResult:       pulumi.String("CONTINUE"),
			},
		},
		// A new launch template version rolls the fleet one node at a time,
		// pausing at checkpoints, and rolls back if the new nodes fail.
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage:  pulumi.Int(refreshMinHealthy(a.MinSize)),
				MaxHealthyPercentage:  pulumi.Int(100 + 100/maxInt(a.MinSize, 1)),
				InstanceWarmup:        pulumi.String(itoa(instanceWarmup)),
				CheckpointPercentages: pulumi.IntArray{pulumi.Int(34), pulumi.Int(67), pulumi.Int(100)},
				CheckpointDelay:       pulumi.String("300"),
				SkipMatching:          pulumi.Bool(true),
				AutoRollback:          pulumi.Bool(true),
				AlarmSpecification:    refreshAlarms(a.RefreshAlarmNames),
			},
		},
		Tags: tags,
	}, b.parent, pulumi.DependsOn(a.RefreshAfter))
}

// nodeTags are the stack's tags plus the nodes' own (ExtraInstanceTags).
func (b *builder) nodeTags() map[string]string {
	out := make(map[string]string, len(b.args.Tags)+len(b.args.ExtraInstanceTags))
	for k, v := range b.args.Tags {
		out[k] = v
	}
	for k, v := range b.args.ExtraInstanceTags {
		out[k] = v
	}
	return out
}

// scaling adds target tracking on CPU and on requests per node.
func (b *builder) scaling(groupName pulumi.StringOutput) error {
	a := b.args
	if _, err := autoscaling.NewPolicy(b.ctx, b.name+"-scale-cpu", &autoscaling.PolicyArgs{
		AutoscalingGroupName: groupName,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
			},
			TargetValue: pulumi.Float64(a.CPUTargetPercent),
		},
	}, b.parent); err != nil {
		return err
	}
	_, err := autoscaling.NewPolicy(b.ctx, b.name+"-scale-requests", &autoscaling.PolicyArgs{
		AutoscalingGroupName: groupName,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ALBRequestCountPerTarget"),
				ResourceLabel:        a.RequestCountResourceLabel,
			},
			TargetValue: pulumi.Float64(a.RequestsPerTarget),
		},
	}, b.parent)
	return err
}

// refreshMinHealthy keeps all but one node serving during a refresh.
func refreshMinHealthy(minSize int) int {
	if minSize <= 1 {
		return 100
	}
	return 100 * (minSize - 1) / minSize
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// refreshAlarms is the instance refresh's circuit breaker, or nil without alarms.
func refreshAlarms(names []string) autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationPtrInput {
	if len(names) == 0 {
		return nil
	}
	return &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{Alarms: pulumi.ToStringArray(names)}
}

// standbyOr is size, or zero while the group stands by: a pilot light runs no
// node, and nothing would be ready to serve (its database is a read-only
// secondary, its users not yet bootstrapped).
func standbyOr(standby bool, size int) int {
	if standby {
		return 0
	}
	return size
}
