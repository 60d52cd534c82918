package snapshots

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// ServiceTrust lets service, acting for this account only, assume a role.
func ServiceTrust(env awsenv.Env, service string) iampolicy.Document {
	return iampolicy.ServiceTrust("ServiceAssume", env.ServicePrincipal(service), env.AccountID)
}

// viaS3 is the kms:ViaService value of S3 in region.
func viaS3(env awsenv.Env, region string) string { return "s3." + region + "." + env.DNSSuffix }

// SnapshotRolePolicy lets OpenSearch read and write the repository under
// SearchPrefix of this bucket only, with the data key through S3 only (the
// bucket's default encryption needs GenerateDataKey to write, Decrypt to read
// and to complete multipart uploads).
func SnapshotRolePolicy(env awsenv.Env, bucketARN, keyARN string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("ListRepository", []string{"s3:ListBucket"}, []string{bucketARN}),
		iampolicy.Allow("ReadWriteRepository", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			[]string{bucketARN + "/" + SearchPrefix + "/*"}),
		iampolicy.Allow("UseDataKeyViaS3", []string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{keyARN}).
			When("StringEquals", "kms:ViaService", viaS3(env, env.Region)),
	)
}

// snapshotRole is the role OpenSearch assumes for the repository. Its ARN
// resolves only once its policy is attached, so the repository is never
// registered with a role that cannot yet write.
func (b *builder) snapshotRole(bucket *bucketOut) (pulumi.StringOutput, error) {
	a := b.args
	role, err := iam.NewRole(b.ctx, b.name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(RoleName(a.Namer)),
		Description:      pulumi.String("OpenSearch manual snapshots: this stack's snapshot bucket only"),
		AssumeRolePolicy: pulumi.String(ServiceTrust(a.Env, "es").JSON()),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	policy := pulumi.All(bucket.arn, bucket.keyArn).ApplyT(func(v []any) string {
		return SnapshotRolePolicy(a.Env, v[0].(string), v[1].(string)).JSON()
	}).(pulumi.StringOutput)
	p, err := iam.NewRolePolicy(b.ctx, b.name+"-role-policy", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	attached := []any{role.Arn, p.ID()}
	if src := a.RestoreSource; src != nil {
		// A second policy, so the stack's own repository policy is the same
		// in and out of restore mode.
		rp, err := iam.NewRolePolicy(b.ctx, b.name+"-restore-source-policy", &iam.RolePolicyArgs{
			Role:   role.ID(),
			Policy: pulumi.String(RestoreSourcePolicy(a.Env, *src).JSON()),
		}, b.parent)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		attached = append(attached, rp.ID())
	}
	return pulumi.All(attached...).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput), nil
}

// RestoreSource is another stack's snapshot repository that OpenSearch reads
// to restore from (restore mode): a bucket in this region and its key.
type RestoreSource struct {
	// BucketName is the bucket; KeyArn encrypts its objects.
	BucketName, KeyArn string
}

// RestoreSourcePolicy lets OpenSearch read, never write, the source
// repository under SearchPrefix, decrypting through S3 only.
func RestoreSourcePolicy(env awsenv.Env, src RestoreSource) iampolicy.Document {
	bucketARN := env.BucketARN(src.BucketName)
	return iampolicy.New(
		iampolicy.Allow("ListRestoreRepository", []string{"s3:ListBucket"}, []string{bucketARN}),
		iampolicy.Allow("ReadRestoreRepository", []string{"s3:GetObject"}, []string{bucketARN + "/" + SearchPrefix + "/*"}),
		iampolicy.Allow("DecryptRestoreSourceViaS3", []string{"kms:Decrypt"}, []string{src.KeyArn}).
			When("StringEquals", "kms:ViaService", viaS3(env, env.Region)),
	)
}

// ReplicationPolicyARNs are the resolved names the replication role is scoped to.
type ReplicationPolicyARNs struct {
	// SourceBucket and SourceKey are the snapshot bucket and the data key.
	SourceBucket, SourceKey string
	// ReplicaBucket and ReplicaKey are the DR bucket and the DR data key.
	ReplicaBucket, ReplicaKey string
	// ReplicaRegion is the DR region.
	ReplicaRegion string
}

// ReplicationPolicy lets S3 read this bucket's versions and write them to the
// DR bucket, decrypting with the source key and encrypting with the DR key,
// each through S3 in its own region only (AWS's policy for replicating
// SSE-KMS objects).
func ReplicationPolicy(env awsenv.Env, p ReplicationPolicyARNs) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("ReadReplicationConfiguration", []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, []string{p.SourceBucket}),
		iampolicy.Allow("ReadSourceVersions",
			[]string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"},
			[]string{p.SourceBucket + "/*"}),
		iampolicy.Allow("WriteReplicas", []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"},
			[]string{p.ReplicaBucket + "/*"}),
		iampolicy.Allow("DecryptSource", []string{"kms:Decrypt"}, []string{p.SourceKey}).
			When("StringEquals", "kms:ViaService", viaS3(env, env.Region)),
		iampolicy.Allow("EncryptReplica", []string{"kms:Encrypt"}, []string{p.ReplicaKey}).
			When("StringEquals", "kms:ViaService", viaS3(env, p.ReplicaRegion)),
	)
}

// replication replicates every object of source to replica, re-encrypted
// with the replica's key. Delete markers are not replicated: a deletion in
// the primary region, by mistake or by an intruder, leaves the DR copy whole.
func (b *builder) replication(source, replica *bucketOut) error {
	a := b.args
	role, err := iam.NewRole(b.ctx, b.name+"-replication-role", &iam.RoleArgs{
		Name:             pulumi.String(a.Namer.Name(naming.IAMRole, "snapshots-replication")),
		Description:      pulumi.String("S3 replication of this stack's snapshot bucket to the DR region"),
		AssumeRolePolicy: pulumi.String(ServiceTrust(a.Env, "s3").JSON()),
	}, b.parent)
	if err != nil {
		return err
	}
	policy := pulumi.All(source.arn, source.keyArn, replica.arn, replica.keyArn).ApplyT(func(v []any) string {
		return ReplicationPolicy(a.Env, ReplicationPolicyARNs{
			SourceBucket: v[0].(string), SourceKey: v[1].(string),
			ReplicaBucket: v[2].(string), ReplicaKey: v[3].(string), ReplicaRegion: replica.region,
		}).JSON()
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(b.ctx, b.name+"-replication-role-policy", &iam.RolePolicyArgs{Role: role.ID(), Policy: policy}, b.parent)
	if err != nil {
		return err
	}
	_, err = s3.NewBucketReplicationConfig(b.ctx, b.name+"-replication", &s3.BucketReplicationConfigArgs{
		Bucket: source.name,
		Role:   role.Arn,
		Rules: s3.BucketReplicationConfigRuleArray{
			&s3.BucketReplicationConfigRuleArgs{
				Id:                      pulumi.String("to-dr-region"),
				Status:                  pulumi.String("Enabled"),
				Filter:                  &s3.BucketReplicationConfigRuleFilterArgs{Prefix: pulumi.String("")},
				DeleteMarkerReplication: &s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs{Status: pulumi.String("Disabled")},
				SourceSelectionCriteria: &s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs{
					SseKmsEncryptedObjects: &s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs{
						Status: pulumi.String("Enabled"),
					},
				},
				Destination: &s3.BucketReplicationConfigRuleDestinationArgs{
					Bucket:       replica.arn,
					StorageClass: pulumi.String("STANDARD"),
					EncryptionConfiguration: &s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs{
						ReplicaKmsKeyId: replica.keyArn,
					},
				},
			},
		},
		// S3 refuses a replication configuration unless both buckets are
		// versioned, and the role must be able to act when the first object
		// arrives.
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{source.versioning, replica.versioning, rolePolicy}))
	return err
}
