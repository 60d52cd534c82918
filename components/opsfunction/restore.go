package opsfunction

import (
	"errors"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/snapshots"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// RestoreAction is the restore event's action (internal/ops/handler's
// ActionRestore).
const RestoreAction = "restore"

// Restore is a restore-mode stack's snapshot source: the bucket in this
// region that holds the source stack's OpenSearch repository and broker
// definitions exports (its snapshot bucket's DR replica). The restore action
// imports them into this stack's new, empty services before the bootstrap.
type Restore struct {
	// BucketName is the source bucket.
	BucketName string
	// KeyArn encrypts the source bucket's objects.
	KeyArn string
	// Snapshot is the OpenSearch snapshot to restore; empty is the newest.
	Snapshot string
	// DefinitionsKey is the definitions export to import; empty is the newest.
	DefinitionsKey string
}

var restoreBucket = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func (r *Restore) validate(a *Args) error {
	var errs []error
	if !restoreBucket.MatchString(r.BucketName) || r.KeyArn == "" {
		errs = append(errs, errors.New("opsfunction: Restore needs the source bucket's name and its objects' key"))
	}
	if a.Snapshots == nil {
		errs = append(errs, errors.New("opsfunction: Restore needs Snapshots: OpenSearch reads the source repository through the stack's snapshot role"))
	}
	if a.Standby {
		errs = append(errs, errors.New("opsfunction: Restore and Standby exclude each other: a standby stack restores nothing until its failover"))
	}
	return errors.Join(errs...)
}

// targets is the restore section of the function's targets.
func (r *Restore) targets(region string) *targets.Restore {
	return &targets.Restore{
		Search: &targets.SearchRestore{
			Bucket: r.BucketName, Region: region, BasePath: snapshots.SearchPrefix, Snapshot: r.Snapshot,
		},
		Definitions: &targets.DefinitionsRestore{
			Bucket: r.BucketName, Region: region, Prefix: snapshots.DefinitionsPrefix, Key: r.DefinitionsKey,
		},
	}
}

// RestorePolicyARNs scope the restore action's permissions.
type RestorePolicyARNs struct {
	// BucketArn is the source bucket, KeyArn its objects' key.
	BucketArn, KeyArn string
	// DomainArn is this stack's OpenSearch domain.
	DomainArn string
}

// RestoreStatements let the function read the source bucket's definitions
// exports (and list it to find the newest), decrypt them through S3 only,
// and start a restore on its own domain. It never reads the snapshot files:
// OpenSearch does, as the snapshot role (snapshots.RestoreSourcePolicy).
func RestoreStatements(env awsenv.Env, r RestorePolicyARNs) []iampolicy.Statement {
	return []iampolicy.Statement{
		iampolicy.Allow("ListRestoreDefinitions", []string{"s3:ListBucket"}, []string{r.BucketArn}).
			When("StringLike", "s3:prefix", snapshots.DefinitionsPrefix+"/*"),
		iampolicy.Allow("ReadRestoreDefinitions", []string{"s3:GetObject"},
			[]string{r.BucketArn + "/" + snapshots.DefinitionsPrefix + "/*"}),
		iampolicy.Allow("DecryptRestoreSourceViaS3", []string{"kms:Decrypt"}, []string{r.KeyArn}).
			When("StringEquals", "kms:ViaService", "s3."+env.Region+"."+env.DNSSuffix),
		iampolicy.Allow("StartSearchRestore", []string{"es:ESHttpPost"},
			[]string{r.DomainArn + "/_snapshot/" + targets.DefaultRestoreRepository + "/*/_restore"}),
	}
}

// restoreInvocation runs the restore action once, before the bootstrap: the
// bootstrap then sets the Morpheus users' passwords to this stack's secrets
// over whatever the imported definitions held. CREATE_ONLY with the sources
// and the two services as triggers: naming another snapshot or export, or a
// new broker or domain, runs it again, and the action itself refuses to
// restore over a domain that already has indices.
func (b *builder) restoreInvocation(fn *lambda.Function, deps []pulumi.Resource) (*lambda.Invocation, error) {
	r := b.args.Restore
	return lambda.NewInvocation(b.ctx, b.name+"-restore", &lambda.InvocationArgs{
		FunctionName:   fn.Name,
		Input:          pulumi.String(`{"action":"` + RestoreAction + `"}`),
		LifecycleScope: pulumi.String("CREATE_ONLY"),
		Triggers: pulumi.StringMap{
			"source": pulumi.String(Hash(r.BucketName + "/" + r.Snapshot + "/" + r.DefinitionsKey)),
			// A replaced broker or domain is empty again. Nothing else re-runs
			// it: an import into the live broker months later would set its
			// users' passwords back to the export's and revive what was deleted.
			"broker": b.args.MQBrokerId.ToStringOutput(),
			"domain": b.args.SearchEndpoint.ToStringOutput(),
		},
	}, b.parent, pulumi.DependsOn(deps))
}

// standby finishes a function that must not run yet: its role and network
// path exist, so the failover's `pulumi up` only adds the invocations, but
// nothing invokes it. The admin secrets are guarded all the same.
func (b *builder) standby(c *OpsFunction, fn *lambda.Function, role *iam.Role, logGroup *cloudwatch.LogGroup) error {
	if err := b.adminSecretPolicies(role.Arn, fn); err != nil {
		return err
	}
	c.FunctionArn = fn.Arn
	c.FunctionName = fn.Name
	c.RoleArn = role.Arn
	c.LogGroupName = logGroup.Name
	c.BootstrapResult = pulumi.String("").ToStringOutput()
	c.bootstrapID = pulumi.String("").ToStringOutput()
	return nil
}
