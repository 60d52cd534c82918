package accountsecurity

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// GuardDutyFeatures are the GuardDuty protections that watch this stack's
// resource types: the access-log bucket (S3 data events), the nodes' volumes
// (malware scans), Aurora MySQL logins and the ops function's network traffic.
// EKS protections are left out: the stack runs no Kubernetes.
var GuardDutyFeatures = []string{"S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"}

// RuntimeMonitoringFeature is GuardDuty Runtime Monitoring; with
// EC2AgentManagement GuardDuty installs its agent on the nodes through
// Systems Manager.
const (
	RuntimeMonitoringFeature = "RUNTIME_MONITORING"
	EC2AgentManagement       = "EC2_AGENT_MANAGEMENT"
)

// StandardsArns are the ARNs of the AWS Foundational Security Best Practices
// standard and of the CIS AWS Foundations Benchmark in cisVersion, in the
// given partition and Region.
func StandardsArns(partition, region, cisVersion string) []string {
	standard := func(path string) string {
		return fmt.Sprintf("arn:%s:securityhub:%s::standards/%s", partition, region, path)
	}
	return []string{
		standard("aws-foundational-security-best-practices/v/1.0.0"),
		standard("cis-aws-foundations-benchmark/v/" + cisVersion),
	}
}

// securityHub enables Security Hub CSPM without its default standards (they
// include the superseded CIS 1.2.0) and subscribes to FSBP and CIS explicitly.
// Consolidated control findings report each control once, not per standard.
func (b *builder) securityHub() (pulumi.StringArrayOutput, error) {
	hub, err := securityhub.NewAccount(b.ctx, b.name+"-hub", &securityhub.AccountArgs{
		EnableDefaultStandards:  pulumi.Bool(false),
		ControlFindingGenerator: pulumi.String("SECURITY_CONTROL"),
		AutoEnableControls:      pulumi.Bool(true),
	}, b.accountWide()...)
	if err != nil {
		return pulumi.StringArrayOutput{}, err
	}
	arns := pulumi.StringArray{}
	for i, arn := range StandardsArns(b.args.Env.Partition, b.args.Env.Region, b.args.CISVersion) {
		sub, err := securityhub.NewStandardsSubscription(b.ctx, fmt.Sprintf("%s-standard-%s", b.name, standardPurposes[i]),
			&securityhub.StandardsSubscriptionArgs{StandardsArn: pulumi.String(arn)},
			b.accountWide(pulumi.DependsOn([]pulumi.Resource{hub}))...)
		if err != nil {
			return pulumi.StringArrayOutput{}, err
		}
		arns = append(arns, sub.StandardsArn)
	}
	return arns.ToStringArrayOutput(), nil
}

// standardPurposes name the subscriptions, in StandardsArns' order.
var standardPurposes = []string{"fsbp", "cis"}

// guardDuty enables a detector that publishes findings every 15 minutes (so a
// HIGH finding reaches the alerts topic within the quarter hour) and turns on
// each of the stack's protections.
func (b *builder) guardDuty() (pulumi.StringOutput, error) {
	detector, err := guardduty.NewDetector(b.ctx, b.name+"-detector", &guardduty.DetectorArgs{
		Enable:                     pulumi.Bool(true),
		FindingPublishingFrequency: pulumi.String("FIFTEEN_MINUTES"),
	}, b.accountWide()...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	type feature struct {
		name  string
		extra guardduty.DetectorFeatureAdditionalConfigurationArray
	}
	var features []feature
	for _, f := range GuardDutyFeatures {
		features = append(features, feature{name: f})
	}
	if b.args.RuntimeMonitoring {
		features = append(features, feature{RuntimeMonitoringFeature, guardduty.DetectorFeatureAdditionalConfigurationArray{
			&guardduty.DetectorFeatureAdditionalConfigurationArgs{Name: pulumi.String(EC2AgentManagement), Status: pulumi.String("ENABLED")},
		}})
	}
	for _, f := range features {
		args := &guardduty.DetectorFeatureArgs{
			DetectorId: detector.ID().ToStringOutput(),
			Name:       pulumi.String(f.name),
			Status:     pulumi.String("ENABLED"),
		}
		if f.extra != nil {
			args.AdditionalConfigurations = f.extra
		}
		if _, err := guardduty.NewDetectorFeature(b.ctx, b.name+"-feature-"+featurePurpose(f.name), args, b.accountWide()...); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	return detector.ID().ToStringOutput(), nil
}

// featurePurpose is a feature's name as a resource-name suffix
// (S3_DATA_EVENTS becomes s3-data-events).
func featurePurpose(feature string) string {
	return strings.ToLower(strings.ReplaceAll(feature, "_", "-"))
}
