package snapshots

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// bucketOut is what the rest of the component needs of one bucket.
type bucketOut struct {
	name pulumi.StringOutput
	arn  pulumi.StringOutput
	// keyArn is the bucket's default encryption key.
	keyArn pulumi.StringInput
	// region is where the bucket lives (the KMS ViaService conditions).
	region string
	// versioning must exist before replication is configured on either side.
	versioning *s3.BucketVersioningV2
}

// TLSOnlyPolicy denies every request to the bucket that does not use TLS,
// whoever makes it.
func TLSOnlyPolicy(bucketARN string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Deny("DenyInsecureTransport", []string{"s3:*"}, []string{bucketARN, bucketARN + "/*"}).
			WithPrincipal("AWS", "*").
			When("Bool", "aws:SecureTransport", "false"),
	)
}

// bucket creates one bucket in region named after logical: owner-enforced,
// private, SSE-KMS with keyArn (with an S3 bucket key, so each snapshot file
// does not cost a KMS request), versioned, TLS-only, with noncurrent versions
// and finished definitions exports expiring. It is protected with
// Args.Protect and emptied on a teardown only without either Protect or
// Args.KeepObjects.
func (b *builder) bucket(logical, region string, keyArn pulumi.StringInput, opts ...pulumi.ResourceOption) (*bucketOut, error) {
	a := b.args
	opts = append([]pulumi.ResourceOption{b.parent}, opts...)
	name := BucketName(a.Namer, a.Env.AccountID, region)
	bucket, err := s3.NewBucketV2(b.ctx, logical, &s3.BucketV2Args{
		Bucket:       pulumi.String(name),
		ForceDestroy: pulumi.Bool(!a.Protect && !a.KeepObjects),
	}, append(opts, pulumi.Protect(a.Protect))...)
	if err != nil {
		return nil, err
	}
	id := bucket.Bucket
	ownership, err := s3.NewBucketOwnershipControls(b.ctx, logical+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: id,
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, opts...)
	if err != nil {
		return nil, err
	}
	publicAccess, err := s3.NewBucketPublicAccessBlock(b.ctx, logical+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                id,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{ownership}))...)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(b.ctx, logical+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm:   pulumi.String("aws:kms"),
					KmsMasterKeyId: keyArn,
				},
				BucketKeyEnabled: pulumi.Bool(true),
			},
		},
	}, opts...); err != nil {
		return nil, err
	}
	versioning, err := s3.NewBucketVersioningV2(b.ctx, logical+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  id,
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, opts...)
	if err != nil {
		return nil, err
	}
	// Lifecycle rules on a versioned bucket must follow versioning (provider docs).
	if _, err := s3.NewBucketLifecycleConfigurationV2(b.ctx, logical+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:     pulumi.String("expire-noncurrent-versions"),
				Status: pulumi.String("Enabled"),
				Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
				NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(NoncurrentVersionDays),
				},
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
					DaysAfterInitiation: pulumi.Int(abortMultipartDays),
				},
			},
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:     pulumi.String("expire-definitions-exports"),
				Status: pulumi.String("Enabled"),
				Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String(DefinitionsPrefix + "/")},
				Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{
					Days: pulumi.Int(DefinitionsRetentionDays),
				},
			},
		},
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{versioning}))...); err != nil {
		return nil, err
	}
	arn := fmt.Sprintf("arn:%s:s3:::%s", a.Env.Partition, name)
	if _, err := s3.NewBucketPolicy(b.ctx, logical+"-policy", &s3.BucketPolicyArgs{
		Bucket: id,
		Policy: pulumi.String(TLSOnlyPolicy(arn).JSON()),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{publicAccess}))...); err != nil {
		return nil, err
	}
	return &bucketOut{name: id, arn: bucket.Arn, keyArn: keyArn, region: region, versioning: versioning}, nil
}
