package snapshots_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/snapshots"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	dataKey = "arn:aws:kms:eu-west-1:123456789012:key/data"
	drKey   = "arn:aws:kms:eu-central-1:123456789012:key/data-dr"
	bucket  = "morpheus-ha-prod-snapshots-123456789012-eu-west-1"
	replica = "morpheus-ha-prod-snapshots-123456789012-eu-central-1"
)

func args() *snapshots.Args {
	return &snapshots.Args{
		Namer:      testutil.ProdNamer(),
		Env:        testutil.Env(),
		DataKeyArn: pulumi.String(dataKey),
		Protect:    true,
	}
}

func run(t *testing.T, a *snapshots.Args, withDR bool) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, func(ctx *pulumi.Context) error {
		if withDR {
			dr, err := testutil.DRTarget(ctx, drKey)
			if err != nil {
				return err
			}
			a.DR = dr
		}
		_, err := snapshots.NewSnapshots(ctx, "snapshots", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

func policyOf(t *testing.T, raw string) iampolicy.Document {
	t.Helper()
	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(raw), &doc))
	return doc
}

// statement returns the statement sid of doc.
func statement(t *testing.T, doc iampolicy.Document, sid string) iampolicy.Statement {
	t.Helper()
	for _, s := range doc.Statement {
		if s.Sid == sid {
			return s
		}
	}
	t.Fatalf("no statement %s in %+v", sid, doc)
	return iampolicy.Statement{}
}

// TestBucketsAreEncryptedVersionedPrivateAndTLSOnly: both buckets, each with
// its own region's key, provider and name.
func TestBucketsAreEncryptedVersionedPrivateAndTLSOnly(t *testing.T) {
	rec := run(t, args(), true)
	drProvider := rec.Find("pulumi:providers:aws", "aws-dr").URN + "::"
	for _, tc := range []struct {
		logical, name, key string
		dr                 bool
	}{
		{"snapshots-bucket", bucket, dataKey, false},
		{"snapshots-dr-bucket", replica, drKey, true},
	} {
		b := rec.Find("aws:s3/bucketV2:BucketV2", tc.logical)
		require.NotNil(t, b, tc.logical)
		assert.Equal(t, tc.name, b.String("bucket"))
		assert.True(t, b.Protect, "%s is protected in prod", tc.logical)
		assert.False(t, b.Bool("forceDestroy"), "%s: a teardown keeps the snapshots", tc.logical)
		assert.Equal(t, tc.dr, strings.HasPrefix(b.Provider, drProvider), "%s region", tc.logical)

		enc := rec.Find("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", tc.logical+"-encryption")
		require.NotNil(t, enc, tc.logical)
		rule := enc.Objects("rules")[0]
		assert.Equal(t, "aws:kms", testutil.Str(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"), tc.logical)
		assert.Equal(t, tc.key, testutil.Str(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"), tc.logical)

		v := rec.Find("aws:s3/bucketVersioningV2:BucketVersioningV2", tc.logical+"-versioning")
		require.NotNil(t, v, tc.logical)
		assert.Equal(t, "Enabled", v.String("versioningConfiguration", "status"))

		pab := rec.Find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", tc.logical+"-public-access")
		require.NotNil(t, pab, tc.logical)
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			assert.True(t, pab.Bool(k), "%s %s", tc.logical, k)
		}

		pol := rec.Find("aws:s3/bucketPolicy:BucketPolicy", tc.logical+"-policy")
		require.NotNil(t, pol, tc.logical)
		deny := statement(t, policyOf(t, pol.String("policy")), "DenyInsecureTransport")
		assert.Equal(t, "Deny", deny.Effect)
		assert.Equal(t, "*", deny.Principal["AWS"])
		assert.Equal(t, []string{"arn:aws:s3:::" + tc.name, "arn:aws:s3:::" + tc.name + "/*"}, deny.Resource)
		assert.Equal(t, map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}}, deny.Condition)

		lc := rec.Find("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", tc.logical+"-lifecycle")
		require.NotNil(t, lc, tc.logical)
		var noncurrent float64
		for _, r := range lc.Objects("rules") {
			if testutil.Str(r, "id") == "expire-noncurrent-versions" {
				noncurrent = testutil.Num(r, "noncurrentVersionExpiration", "noncurrentDays")
				_, hasExpiry := testutil.Get(r, "expiration")
				assert.False(t, hasExpiry, "snapshot files never expire: later snapshots share them")
			}
		}
		assert.EqualValues(t, snapshots.NoncurrentVersionDays, noncurrent, tc.logical)
	}
}

// TestReplicationToDRBucketWithDRKey: every SSE-KMS object goes to the DR
// bucket, re-encrypted with the DR key, by a role that may decrypt with the
// source key and encrypt with the DR key only.
func TestReplicationToDRBucketWithDRKey(t *testing.T) {
	rec := run(t, args(), true)
	cfgs := rec.ByType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
	require.Len(t, cfgs, 1)
	c := cfgs[0]
	assert.Equal(t, bucket, c.String("bucket"))
	rules := c.Objects("rules")
	require.Len(t, rules, 1)
	r := rules[0]
	assert.Equal(t, "Enabled", testutil.Str(r, "status"))
	assert.Equal(t, "Enabled", testutil.Str(r, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status"))
	assert.Equal(t, "arn:aws:s3:::"+replica, testutil.Str(r, "destination", "bucket"))
	assert.Equal(t, drKey, testutil.Str(r, "destination", "encryptionConfiguration", "replicaKmsKeyId"))
	assert.Equal(t, "Disabled", testutil.Str(r, "deleteMarkerReplication", "status"), "a deletion in the primary must not reach the DR copy")

	role := rec.Find("aws:iam/role:Role", "snapshots-replication-role")
	require.NotNil(t, role)
	trust := statement(t, policyOf(t, role.String("assumeRolePolicy")), "ServiceAssume")
	assert.Equal(t, "s3.amazonaws.com", trust.Principal["Service"])
	assert.Contains(t, c.String("role"), "snapshots-replication-role")

	doc := policyOf(t, rec.Find("aws:iam/rolePolicy:RolePolicy", "snapshots-replication-role-policy").String("policy"))
	dec := statement(t, doc, "DecryptSource")
	assert.Equal(t, []string{"kms:Decrypt"}, dec.Action)
	assert.Equal(t, []string{dataKey}, dec.Resource)
	assert.Equal(t, "s3.eu-west-1.amazonaws.com", dec.Condition["StringEquals"]["kms:ViaService"])
	enc := statement(t, doc, "EncryptReplica")
	assert.Equal(t, []string{"kms:Encrypt"}, enc.Action)
	assert.Equal(t, []string{drKey}, enc.Resource)
	assert.Equal(t, "s3.eu-central-1.amazonaws.com", enc.Condition["StringEquals"]["kms:ViaService"])
	assert.Equal(t, []string{"arn:aws:s3:::" + replica + "/*"}, statement(t, doc, "WriteReplicas").Resource)
}

// TestSnapshotRoleTrustsOpenSearchForThisAccountOnly and reaches this bucket's
// repository prefix only.
func TestSnapshotRoleTrustsOpenSearchForThisAccountOnly(t *testing.T) {
	rec := run(t, args(), false)
	role := rec.Find("aws:iam/role:Role", "snapshots-role")
	require.NotNil(t, role)
	assert.Equal(t, snapshots.RoleName(testutil.ProdNamer()), role.String("name"))
	trust := statement(t, policyOf(t, role.String("assumeRolePolicy")), "ServiceAssume")
	assert.Equal(t, []string{"sts:AssumeRole"}, trust.Action)
	assert.Equal(t, "es.amazonaws.com", trust.Principal["Service"])
	assert.Equal(t, map[string]map[string]any{"StringEquals": {"aws:SourceAccount": testutil.AccountID}}, trust.Condition)

	doc := policyOf(t, rec.Find("aws:iam/rolePolicy:RolePolicy", "snapshots-role-policy").String("policy"))
	for _, s := range doc.Statement {
		for _, res := range s.Resource {
			assert.True(t, strings.HasPrefix(res, "arn:aws:s3:::"+bucket) || res == dataKey, "%s reaches %s", s.Sid, res)
		}
	}
	assert.Equal(t, []string{"arn:aws:s3:::" + bucket + "/opensearch/*"}, statement(t, doc, "ReadWriteRepository").Resource)
}

// TestWithoutDRNoReplica: no replica bucket, no replication, no replication role.
func TestWithoutDRNoReplica(t *testing.T) {
	rec := run(t, args(), false)
	assert.Len(t, rec.ByType("aws:s3/bucketV2:BucketV2"), 1)
	assert.Empty(t, rec.ByType("aws:s3/bucketReplicationConfig:BucketReplicationConfig"))
	assert.Nil(t, rec.Find("aws:iam/role:Role", "snapshots-replication-role"))
}

// TestTeardown: only a bucket neither protected nor keeping its objects is
// emptied on a teardown (dev); prod with allowDestroy still keeps the objects.
func TestTeardown(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		protect, keep, force bool
	}{
		{"prod", true, true, false},
		{"prod with allowDestroy", false, true, false},
		{"dev", false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			a.Protect, a.KeepObjects = tc.protect, tc.keep
			b := run(t, a, false).Find("aws:s3/bucketV2:BucketV2", "snapshots-bucket")
			require.NotNil(t, b)
			assert.Equal(t, tc.protect, b.Protect)
			assert.Equal(t, tc.force, b.Bool("forceDestroy"))
		})
	}
}

// TestChildrenAreParented: every child hangs off the component.
func TestChildrenAreParented(t *testing.T) {
	testutil.AssertChildrenOf(t, run(t, args(), true), snapshots.TypeToken, "snapshots")
}

// TestBadArgsRegisterNothing names what is missing.
func TestBadArgsRegisterNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*snapshots.Args)
		want   string
	}{
		{"no key", func(a *snapshots.Args) { a.DataKeyArn = nil }, "DataKeyArn"},
		{"no env", func(a *snapshots.Args) { a.Env = awsenv.Env{} }, "Env"},
		{"DR in own region", func(a *snapshots.Args) {
			a.DR = &snapshots.DR{Region: "eu-west-1", KeyArn: pulumi.String(drKey)}
		}, "region other than eu-west-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args()
			tc.mutate(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}}, func(ctx *pulumi.Context) error {
				_, err := snapshots.NewSnapshots(ctx, "snapshots", a)
				return err
			}, tc.want)
		})
	}
}
