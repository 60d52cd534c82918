package search

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// domainTimeout bounds create, update and delete: a domain takes 15-30 minutes
// to create and a blue/green configuration change can take hours.
const domainTimeout = "2h"

// securityGroup creates the domain's group: HTTPS from the client groups only.
// It has no egress rules (the provider removes AWS's default allow-all rule): the
// domain's network interfaces only answer requests.
func (b *builder) securityGroup() (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(b.ctx, b.name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       b.args.VpcId,
		Description: pulumi.String("OpenSearch domain: HTTPS from Morpheus clients only"),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("HTTPS to OpenSearch from the app nodes and the ops function"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(Port),
			ToPort:         pulumi.Int(Port),
			SecurityGroups: b.args.ClientSecurityGroupIds,
		}},
		Tags: pulumi.StringMap{"Name": pulumi.String(b.args.Namer.Prefix() + "-opensearch")},
	}, b.parent)
}

// domain creates the domain itself, after the log resource policy: without the
// policy in place AWS rejects the log publishing options.
// MasterPasswordProperty is the domain's master password input, which Pulumi
// ignores after creation: the ops function rotates the password through the
// security plugin, so the generated one is stale after the first rotation.
const MasterPasswordProperty = "advancedSecurityOptions.masterUserOptions.masterUserPassword"

func (b *builder) domain(sgID pulumi.IDOutput, logs *publishedLogs) (*opensearch.Domain, error) {
	a := b.args
	opts := []pulumi.ResourceOption{
		b.parent,
		pulumi.DependsOn([]pulumi.Resource{logs.policy}),
		pulumi.Protect(a.Protect),
		pulumi.Timeouts(&pulumi.CustomTimeouts{Create: domainTimeout, Update: domainTimeout, Delete: domainTimeout}),
		// The ops function rotates the master password in place; Pulumi sets
		// it at creation only (docs/decisions.md).
		pulumi.IgnoreChanges([]string{MasterPasswordProperty}),
	}
	autoTune := "DISABLED"
	if autoTuneSupported(a.DataInstanceType) {
		autoTune = "ENABLED"
	}
	return opensearch.NewDomain(b.ctx, b.name+"-domain", &opensearch.DomainArgs{
		DomainName:    pulumi.String(b.domainName),
		EngineVersion: pulumi.String(a.EngineVersion),
		ClusterConfig: b.clusterConfig(),
		EbsOptions: &opensearch.DomainEbsOptionsArgs{
			EbsEnabled: pulumi.Bool(true),
			VolumeType: pulumi.String("gp3"),
			VolumeSize: pulumi.Int(a.VolumeSize),
		},
		VpcOptions: &opensearch.DomainVpcOptionsArgs{
			SubnetIds:        b.subnetIDs(),
			SecurityGroupIds: pulumi.StringArray{sgID.ToStringOutput()},
		},
		EncryptAtRest: &opensearch.DomainEncryptAtRestArgs{
			Enabled:  pulumi.Bool(true),
			KmsKeyId: a.DataKeyArn,
		},
		NodeToNodeEncryption: &opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
		DomainEndpointOptions: &opensearch.DomainDomainEndpointOptionsArgs{
			EnforceHttps:      pulumi.Bool(true),
			TlsSecurityPolicy: pulumi.String(TLSSecurityPolicy),
		},
		AdvancedSecurityOptions: &opensearch.DomainAdvancedSecurityOptionsArgs{
			Enabled:                     pulumi.Bool(true),
			InternalUserDatabaseEnabled: pulumi.Bool(true),
			MasterUserOptions: &opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{
				MasterUserName: pulumi.String(a.MasterUsername),
				// Secret whatever the caller passed, so it never lands in state or
				// previews in clear text.
				MasterUserPassword: pulumi.ToSecret(a.MasterPassword.ToStringOutput()).(pulumi.StringOutput),
			},
		},
		AccessPolicies:       pulumi.String(AccessPolicy(a.Env, b.domainName).JSON()),
		LogPublishingOptions: logs.options,
		AutoTuneOptions: &opensearch.DomainAutoTuneOptionsArgs{
			DesiredState: pulumi.String(autoTune),
			// Disabling Auto-Tune later keeps the settings it tuned rather than
			// triggering a blue/green deployment back to defaults.
			RollbackOnDisable: pulumi.String("NO_ROLLBACK"),
			UseOffPeakWindow:  pulumi.Bool(autoTune == "ENABLED"),
		},
		SoftwareUpdateOptions: &opensearch.DomainSoftwareUpdateOptionsArgs{AutoSoftwareUpdateEnabled: pulumi.Bool(true)},
		OffPeakWindowOptions: &opensearch.DomainOffPeakWindowOptionsArgs{
			Enabled: pulumi.Bool(true),
			OffPeakWindow: &opensearch.DomainOffPeakWindowOptionsOffPeakWindowArgs{
				WindowStartTime: &opensearch.DomainOffPeakWindowOptionsOffPeakWindowWindowStartTimeArgs{
					Hours: pulumi.Int(a.OffPeakStartHour), Minutes: pulumi.Int(a.OffPeakStartMinute),
				},
			},
		},
	}, opts...)
}

// clusterConfig lays the nodes out: zone-aware across every AZ when there is
// more than one data node, a single node in one AZ otherwise; dedicated masters
// when configured. Multi-AZ with standby stays off, as the vendor guide says.
func (b *builder) clusterConfig() *opensearch.DomainClusterConfigArgs {
	a := b.args
	cc := &opensearch.DomainClusterConfigArgs{
		InstanceType:              pulumi.String(a.DataInstanceType),
		InstanceCount:             pulumi.Int(a.DataNodeCount),
		ZoneAwarenessEnabled:      pulumi.Bool(a.zoneAware()),
		MultiAzWithStandbyEnabled: pulumi.Bool(false),
		DedicatedMasterEnabled:    pulumi.Bool(a.DedicatedMasterCount > 0),
	}
	if a.zoneAware() {
		cc.ZoneAwarenessConfig = &opensearch.DomainClusterConfigZoneAwarenessConfigArgs{
			AvailabilityZoneCount: pulumi.Int(a.AZCount),
		}
	}
	if a.DedicatedMasterCount > 0 {
		cc.DedicatedMasterCount = pulumi.Int(a.DedicatedMasterCount)
		cc.DedicatedMasterType = pulumi.String(a.MasterInstanceType)
	}
	return cc
}

// subnetIDs are the subnets the domain's interfaces go in: all AZCount of them
// when zone-aware (AWS requires exactly one per AZ), else the first.
func (b *builder) subnetIDs() pulumi.StringArrayOutput {
	want, zoneAware := b.args.AZCount, b.args.zoneAware()
	return b.args.SubnetIds.ToStringArrayOutput().ApplyT(func(ids []string) ([]string, error) {
		switch {
		case zoneAware && len(ids) != want:
			return nil, fmt.Errorf("search: a zone-aware domain over %d AZs needs exactly %d subnets, got %d", want, want, len(ids))
		case len(ids) == 0:
			return nil, fmt.Errorf("search: SubnetIds is empty")
		case zoneAware:
			return ids, nil
		default:
			return ids[:1], nil
		}
	}).(pulumi.StringArrayOutput)
}

// autoTuneSupported reports whether Auto-Tune runs on the instance type: AWS
// rejects it on the burstable T2 and T3 types ("Autotune is not supported in
// t2/t3 instance types").
func autoTuneSupported(instanceType string) bool {
	return !strings.HasPrefix(instanceType, "t2.") && !strings.HasPrefix(instanceType, "t3.")
}
