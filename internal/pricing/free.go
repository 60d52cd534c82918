package pricing

import "strings"

// Reasons shared by several free types.
const (
	freeConfig    = "configuration only: no charge of its own"
	freeNetwork   = "VPC plumbing: no charge (traffic is priced on NAT gateways, endpoints and the internet gateway)"
	freeIAM       = "IAM is free"
	freeByParent  = "no charge of its own; what it configures is priced on its parent resource's row"
	freeBackupBox = "no charge of its own; backup storage is priced on the backup plan (or EFS backup policy) row"
)

// freeTypes are the resource types that cost nothing by themselves, each with
// why. A type in neither this list nor pricers is reported as not priced, so a
// new billable type cannot slip into a stack at zero cost.
var freeTypes = map[string]string{
	"aws:ebs/defaultKmsKey:DefaultKmsKey":                                                        freeConfig,
	"aws:ebs/encryptionByDefault:EncryptionByDefault":                                            freeConfig,
	"aws:kms/keyPolicy:KeyPolicy":                                                                freeByParent,
	"aws:fis/experimentTemplate:ExperimentTemplate":                                              "a template is free; a drill bills per action-minute only while it runs, not monthly",
	"aws:ssm/maintenanceWindow:MaintenanceWindow":                                                "maintenance windows and Patch Manager on EC2 nodes are free",
	"aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget":                                    "maintenance windows and Patch Manager on EC2 nodes are free",
	"aws:ssm/maintenanceWindowTask:MaintenanceWindowTask":                                        "maintenance windows and Patch Manager on EC2 nodes are free",
	"aws:ssm/patchBaseline:PatchBaseline":                                                        "maintenance windows and Patch Manager on EC2 nodes are free",
	"aws:ssm/patchGroup:PatchGroup":                                                              "maintenance windows and Patch Manager on EC2 nodes are free",
	"aws:acm/certificate:Certificate":                                                            "public ACM certificates are free",
	"aws:acm/certificateValidation:CertificateValidation":                                        freeConfig,
	"aws:autoscaling/lifecycleHook:LifecycleHook":                                                freeConfig,
	"aws:autoscaling/policy:Policy":                                                              freeConfig,
	"aws:autoscaling/schedule:Schedule":                                                          freeConfig,
	"aws:backup/globalSettings:GlobalSettings":                                                   freeConfig,
	"aws:backup/regionSettings:RegionSettings":                                                   freeConfig,
	"aws:backup/restoreTestingPlan:RestoreTestingPlan":                                           "no charge of its own; its restores are priced on the restore testing selection rows",
	"aws:ssm/association:Association":                                                            "Systems Manager State Manager associations on EC2 instances have no charge",
	"aws:backup/selection:Selection":                                                             freeBackupBox,
	"aws:backup/vault:Vault":                                                                     freeBackupBox,
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration":                                   freeBackupBox,
	"aws:backup/vaultNotifications:VaultNotifications":                                           freeBackupBox,
	"aws:backup/vaultPolicy:VaultPolicy":                                                         freeBackupBox,
	"aws:cloudwatch/eventRule:EventRule":                                                         "rules matching AWS service events on the default bus are free",
	"aws:cloudwatch/eventTarget:EventTarget":                                                     "delivery of AWS service events to targets is free",
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy":                                         freeConfig,
	"aws:costexplorer/anomalyMonitor:AnomalyMonitor":                                             "Cost Anomaly Detection is free",
	"aws:costexplorer/anomalySubscription:AnomalySubscription":                                   "Cost Anomaly Detection is free",
	"aws:costexplorer/costAllocationTag:CostAllocationTag":                                       freeConfig,
	"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl":                                                freeNetwork,
	"aws:ec2/defaultRouteTable:DefaultRouteTable":                                                freeNetwork,
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                                          freeNetwork,
	"aws:ec2/flowLog:FlowLog":                                                                    "billed as ingestion on its destination log group, priced there",
	"aws:ec2/launchTemplate:LaunchTemplate":                                                      "its instances and volumes are priced on the Auto Scaling group's rows",
	"aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation":                                freeNetwork,
	"aws:ec2/networkAcl:NetworkAcl":                                                              freeNetwork,
	"aws:ec2/route:Route":                                                                        freeNetwork,
	"aws:ec2/routeTable:RouteTable":                                                              freeNetwork,
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        freeNetwork,
	"aws:ec2/securityGroup:SecurityGroup":                                                        freeNetwork,
	"aws:ec2/securityGroupRule:SecurityGroupRule":                                                freeNetwork,
	"aws:ec2/subnet:Subnet":                                                                      freeNetwork,
	"aws:ec2/vpc:Vpc":                                                                            freeNetwork,
	"aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation":                  freeNetwork,
	"aws:efs/accessPoint:AccessPoint":                                                            freeConfig,
	"aws:efs/fileSystemPolicy:FileSystemPolicy":                                                  freeConfig,
	"aws:efs/mountTarget:MountTarget":                                                            "mount targets are free; storage and throughput are priced on the file system",
	"aws:iam/instanceProfile:InstanceProfile":                                                    freeIAM,
	"aws:iam/policy:Policy":                                                                      freeIAM,
	"aws:iam/role:Role":                                                                          freeIAM,
	"aws:iam/rolePolicy:RolePolicy":                                                              freeIAM,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                                          freeIAM,
	"aws:iam/serviceLinkedRole:ServiceLinkedRole":                                                freeIAM,
	"aws:kms/alias:Alias":                                                                        "aliases are free",
	"aws:lambda/function:Function":                                                               "assumed low volume: invoked only for bootstrap and secret rotation, cents a month at most",
	"aws:lambda/invocation:Invocation":                                                           "a single invocation at deploy time",
	"aws:lambda/permission:Permission":                                                           freeConfig,
	"aws:lb/listener:Listener":                                                                   freeByParent,
	"aws:lb/listenerCertificate:ListenerCertificate":                                             freeByParent,
	"aws:lb/listenerRule:ListenerRule":                                                           freeByParent,
	"aws:lb/targetGroup:TargetGroup":                                                             freeByParent,
	"aws:lb/targetGroupAttachment:TargetGroupAttachment":                                         freeByParent,
	"aws:mq/configuration:Configuration":                                                         freeConfig,
	"aws:rds/clusterParameterGroup:ClusterParameterGroup":                                        freeConfig,
	"aws:rds/parameterGroup:ParameterGroup":                                                      freeConfig,
	"aws:rds/globalCluster:GlobalCluster":                                                        "no charge of its own; its cost is the secondary cluster's storage and replicated write I/O, priced in the DR stack, plus cross-region transfer of the writes (not estimated)",
	"aws:rds/subnetGroup:SubnetGroup":                                                            freeConfig,
	"aws:route53/record:Record":                                                                  "records are free and alias queries to AWS resources are free; the stack creates no hosted zone",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       freeByParent,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     freeByParent,
	"aws:s3/bucketPolicy:BucketPolicy":                                                           freeByParent,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     freeByParent,
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": freeByParent,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               freeByParent,
	"aws:secretsmanager/secretPolicy:SecretPolicy":                                               freeByParent,
	"aws:secretsmanager/secretRotation:SecretRotation":                                           "rotation is free; the rotating function is priced (free) as a Lambda function",
	"aws:secretsmanager/secretVersion:SecretVersion":                                             "versions are included in the secret's monthly price",
	"aws:sns/topic:Topic":                                                                        "assumed low volume: alert traffic stays within SNS's monthly free publishes and email deliveries",
	"aws:sns/topicPolicy:TopicPolicy":                                                            freeConfig,
	"aws:sns/topicSubscription:TopicSubscription":                                                "assumed low volume, as for the topic",
	"aws:ssm/document:Document":                                                                  "documents and the automation runs the stack starts are free",
	"aws:wafv2/webAclAssociation:WebAclAssociation":                                              freeByParent,
	"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":                            "billed as ingestion at its destination",
	"random:index/randomPassword:RandomPassword":                                                 "generated by the Pulumi engine: no cloud resource",
	"random:index/randomString:RandomString":                                                     "generated by the Pulumi engine: no cloud resource",
}

// freeReason reports whether typ costs nothing by itself, and why. Provider
// resources are configuration of the Pulumi engine, whatever the package.
func freeReason(typ string) (string, bool) {
	if strings.HasPrefix(typ, "pulumi:providers:") {
		return "a Pulumi provider: no cloud resource", true
	}
	r, ok := freeTypes[typ]
	return r, ok
}

// Covered reports whether the estimate knows typ: it is priced or listed as
// free. A plan with a type that is not covered gets a "not priced" line.
func Covered(typ string) bool {
	if _, ok := pricers[typ]; ok {
		return true
	}
	_, ok := freeReason(typ)
	return ok
}
