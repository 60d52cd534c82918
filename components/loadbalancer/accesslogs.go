package loadbalancer

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// AccessLogPrefix is the key prefix the ALB writes under; S3 appends
// AWSLogs/<account>/elasticloadbalancing/... itself.
const AccessLogPrefix = "alb"

// Lifecycle of the access-log bucket beyond the configured retention.
const (
	// noncurrentVersionDays keeps a deleted or overwritten log recoverable for a
	// month; versioning exists for exactly that.
	noncurrentVersionDays = 30
	// abortMultipartDays cleans up uploads the delivery service never finished.
	abortMultipartDays = 7
)

// legacyELBAccounts are the Elastic Load Balancing accounts of the regions that
// opened before August 2022. Their log delivery writes as this account, not as
// the logdelivery.elasticloadbalancing service principal that newer regions use
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
var legacyELBAccounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-southeast-3": "589379963580",
	"ap-south-1":     "718504428378",
	"ap-northeast-3": "383597477331",
	"ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"ap-northeast-1": "582318560864",
	"ca-central-1":   "985666609251",
	"eu-central-1":   "054676820928",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-south-1":     "635631232127",
	"eu-west-3":      "009996457667",
	"eu-north-1":     "897822967062",
	"me-south-1":     "076674570225",
	"sa-east-1":      "507241528517",
	"us-gov-west-1":  "048591011584",
	"us-gov-east-1":  "190560391635",
	"cn-north-1":     "638102146993",
	"cn-northwest-1": "037604701340",
}

// accessLogBucket is what the rest of the component needs of the log bucket.
type accessLogBucket struct {
	// bucket is the bucket's name.
	bucket pulumi.StringOutput
	// policy must exist before the ALB: enabling access logs checks that the
	// delivery service may write.
	policy *s3.BucketPolicy
}

// AccessLogBucketName is the bucket's physical name. Account and region make it
// globally unique, as S3 bucket names must be.
func AccessLogBucketName(n naming.Namer, env awsenv.Env) string {
	return n.Name(naming.S3Bucket, fmt.Sprintf("alb-logs-%s-%s", env.AccountID, env.Region))
}

// AccessLogPolicy is the log bucket's policy: TLS-only access for everyone, and
// PutObject under the ALB's prefix for the log delivery service (plus the
// region's ELB account where the region predates the service principal).
func AccessLogPolicy(bucketName string, env awsenv.Env) iampolicy.Document {
	bucketARN := fmt.Sprintf("arn:%s:s3:::%s", env.Partition, bucketName)
	logs := fmt.Sprintf("%s/%s/AWSLogs/%s/*", bucketARN, AccessLogPrefix, env.AccountID)
	statements := []iampolicy.Statement{
		iampolicy.Deny("DenyInsecureTransport", []string{"s3:*"}, []string{bucketARN, bucketARN + "/*"}).
			WithPrincipal("AWS", "*").
			When("Bool", "aws:SecureTransport", "false"),
		iampolicy.Allow("ELBLogDelivery", []string{"s3:PutObject"}, []string{logs}).
			WithPrincipal("Service", env.ServicePrincipal("logdelivery.elasticloadbalancing")),
	}
	if account, ok := legacyELBAccounts[env.Region]; ok {
		statements = append(statements,
			iampolicy.Allow("ELBLogDeliveryRegionalAccount", []string{"s3:PutObject"}, []string{logs}).
				WithPrincipal("AWS", fmt.Sprintf("arn:%s:iam::%s:root", env.Partition, account)))
	}
	return iampolicy.New(statements...)
}

// accessLogs creates the access-log bucket: SSE-S3 (ALB log delivery supports
// nothing else; a KMS key silently stops delivery), versioned, private, owner-
// enforced, expiring, TLS-only. The bucket is protected in prod: access logs are
// the record of who reached Morpheus, and an incident review needs them.
func (b *builder) accessLogs() (*accessLogBucket, error) {
	a := b.args
	name := AccessLogBucketName(a.Namer, a.Env)
	bucket, err := s3.NewBucketV2(b.ctx, b.name+"-logs", &s3.BucketV2Args{
		Bucket:       pulumi.String(name),
		ForceDestroy: pulumi.Bool(!a.Protect),
	}, b.parent, pulumi.Protect(a.Protect))
	if err != nil {
		return nil, err
	}
	id := bucket.Bucket

	ownership, err := s3.NewBucketOwnershipControls(b.ctx, b.name+"-logs-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: id,
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	publicAccess, err := s3.NewBucketPublicAccessBlock(b.ctx, b.name+"-logs-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                id,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{ownership}))
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(b.ctx, b.name+"-logs-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm: pulumi.String("AES256"),
				},
			},
		},
	}, b.parent); err != nil {
		return nil, err
	}
	versioning, err := s3.NewBucketVersioningV2(b.ctx, b.name+"-logs-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  id,
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	// Lifecycle rules on a versioned bucket must follow versioning (provider docs).
	if _, err := s3.NewBucketLifecycleConfigurationV2(b.ctx, b.name+"-logs-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:     pulumi.String("expire-access-logs"),
				Status: pulumi.String("Enabled"),
				Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
				Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{
					Days: pulumi.Int(a.AccessLogRetentionDays),
				},
				NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(noncurrentVersionDays),
				},
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
					DaysAfterInitiation: pulumi.Int(abortMultipartDays),
				},
			},
		},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, err
	}
	policy, err := s3.NewBucketPolicy(b.ctx, b.name+"-logs-policy", &s3.BucketPolicyArgs{
		Bucket: id,
		Policy: pulumi.String(AccessLogPolicy(name, a.Env).JSON()),
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{publicAccess}))
	if err != nil {
		return nil, err
	}
	return &accessLogBucket{bucket: id, policy: policy}, nil
}
