// Package snapshots keeps what the services' own backups cannot: a versioned,
// TLS-only S3 bucket encrypted with the data key that holds the OpenSearch
// manual snapshot repository (automated domain snapshots cannot be copied out
// of the domain) and the RabbitMQ definitions exports (Amazon MQ has no backup
// at all), the IAM role OpenSearch assumes to write the repository, and, with
// a DR region, replication of every object to a bucket there under the DR
// region's data key.
package snapshots

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/drregion"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:snapshots:Snapshots"

// Key prefixes in the bucket. The OpenSearch repository's base_path and the
// definitions export use them, and the ops function's policy is scoped to the
// definitions prefix only.
const (
	// SearchPrefix holds the OpenSearch snapshot repository.
	SearchPrefix = "opensearch"
	// DefinitionsPrefix holds the RabbitMQ definitions exports.
	DefinitionsPrefix = "rabbitmq"
)

// Lifecycle of the bucket's objects.
const (
	// NoncurrentVersionDays keeps an overwritten or deleted object
	// recoverable for a month: what versioning is for here.
	NoncurrentVersionDays = 30
	// DefinitionsRetentionDays keeps a daily definitions export for 90 days.
	// Snapshot files get no expiry: a snapshot's files are shared with later
	// (incremental) snapshots, so only OpenSearch may delete them.
	DefinitionsRetentionDays = 90
	// abortMultipartDays cleans up uploads that never finished.
	abortMultipartDays = 7
)

// DR is the disaster-recovery region the replica bucket lives in, with its data key.
type DR = drregion.Target

// Args configures the component.
type Args struct {
	// Namer names the buckets and roles.
	Namer naming.Namer
	// Env is the account, region and partition (names, ARNs, trust conditions).
	Env awsenv.Env
	// DataKeyArn encrypts the bucket (SSE-KMS).
	DataKeyArn pulumi.StringInput
	// DR, when set, replicates the bucket to a bucket in that region.
	DR *DR
	// Protect guards the buckets against deletion by Pulumi (prod).
	Protect bool
	// KeepObjects makes a teardown stop at a bucket that still holds objects
	// instead of emptying it, even once Protect is lifted (prod: the
	// snapshots may be the only copy of the search history left).
	KeepObjects bool
	// RestoreSource, when set, lets the snapshot role read that repository too
	// (restore mode).
	RestoreSource *RestoreSource
}

// Snapshots is the component.
type Snapshots struct {
	pulumi.ResourceState

	// BucketName is the snapshot bucket.
	BucketName pulumi.StringOutput `pulumi:"bucketName"`
	// BucketArn is its ARN.
	BucketArn pulumi.StringOutput `pulumi:"bucketArn"`
	// RoleArn is the role OpenSearch assumes to read and write the repository
	// (the repository's role_arn).
	RoleArn pulumi.StringOutput `pulumi:"roleArn"`
	// DRBucketArn is the replica bucket's ARN; empty without Args.DR.
	DRBucketArn pulumi.StringOutput `pulumi:"drBucketArn"`
	// DRBucketName is the replica bucket's name (empty without DR): what a
	// DR stack restores from (restore.snapshotBucket).
	DRBucketName pulumi.StringOutput `pulumi:"drBucketName"`
}

// BucketName is the snapshot bucket's physical name in env's region. Account
// and region make it globally unique, as S3 bucket names must be.
func BucketName(n naming.Namer, accountID, region string) string {
	return n.Name(naming.S3Bucket, fmt.Sprintf("snapshots-%s-%s", accountID, region))
}

// RoleName is the snapshot role's physical name; the ops function's policy
// names it in its iam:PassRole statement.
func RoleName(n naming.Namer) string { return n.Name(naming.IAMRole, "search-snapshots") }

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" || a.Env.AccountID == "" || a.Env.Region == "" || a.Env.Partition == "" {
		errs = append(errs, errors.New("snapshots: Namer and Env are required"))
	}
	if a.DataKeyArn == nil {
		errs = append(errs, errors.New("snapshots: DataKeyArn is required"))
	}
	if a.DR != nil {
		if err := a.DR.Check(a.Env.Region); err != nil {
			errs = append(errs, fmt.Errorf("snapshots: %w", err))
		}
	}
	return errors.Join(errs...)
}

// NewSnapshots creates the bucket, the snapshot role and, with Args.DR, the
// replica bucket and the replication.
func NewSnapshots(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Snapshots, error) {
	if args == nil {
		return nil, errors.New("snapshots: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Snapshots{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}
	primary, err := b.bucket(name+"-bucket", args.Env.Region, args.DataKeyArn)
	if err != nil {
		return nil, err
	}
	role, err := b.snapshotRole(primary)
	if err != nil {
		return nil, err
	}
	c.DRBucketArn = pulumi.String("").ToStringOutput()
	c.DRBucketName = pulumi.String("").ToStringOutput()
	if args.DR != nil {
		replica, err := b.bucket(name+"-dr-bucket", args.DR.Region, args.DR.KeyArn, pulumi.Provider(args.DR.Provider))
		if err != nil {
			return nil, err
		}
		if err := b.replication(primary, replica); err != nil {
			return nil, err
		}
		c.DRBucketArn = replica.arn
		c.DRBucketName = replica.name
	}
	c.BucketName = primary.name
	c.BucketArn = primary.arn
	c.RoleArn = role
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"bucketName":   c.BucketName,
		"bucketArn":    c.BucketArn,
		"roleArn":      c.RoleArn,
		"drBucketArn":  c.DRBucketArn,
		"drBucketName": c.DRBucketName,
	})
}

// builder carries what every part of the component needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
}
