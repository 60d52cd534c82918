package stack_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// TestProdPlanSnapshots: prod has the snapshot bucket (protected, encrypted
// with the data key), its replication to the DR region under the DR data key,
// the two daily schedules invoking the ops function, and the function's role
// may pass the snapshot role, and only it, to OpenSearch.
func TestProdPlanSnapshots(t *testing.T) {
	rec := runEnv(t, "prod")
	bucket := rec.Find("aws:s3/bucketV2:BucketV2", "snapshots-bucket")
	require.NotNil(t, bucket)
	assert.True(t, bucket.Protect)
	assert.Equal(t, "morpheus-ha-prod-snapshots-123456789012-eu-west-1", bucket.String("bucket"))
	enc := rec.Find("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "snapshots-bucket-encryption")
	require.NotNil(t, enc)
	dataKey := rec.Find("aws:kms/key:Key", "keys-data")
	require.NotNil(t, dataKey)
	assert.Contains(t, testutil.Str(enc.Objects("rules")[0], "applyServerSideEncryptionByDefault", "kmsMasterKeyId"), "key/"+dataKey.Name+"-id")

	repl := rec.ByType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
	require.Len(t, repl, 1)
	rule := repl[0].Objects("rules")[0]
	replica := rec.Find("aws:s3/bucketV2:BucketV2", "snapshots-dr-bucket")
	require.NotNil(t, replica)
	assert.True(t, strings.HasPrefix(replica.Provider, rec.Find("pulumi:providers:aws", "aws-dr").URN+"::"))
	assert.Equal(t, "arn:aws:s3:::"+replica.String("bucket"), testutil.Str(rule, "destination", "bucket"))
	drKey := testutil.Str(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
	assert.Contains(t, drKey, ":kms:", "the replica is encrypted with the DR region's key")
	assert.NotContains(t, drKey, "key/"+dataKey.Name+"-id")

	inputs := map[string]bool{}
	for _, target := range rec.ByType("aws:cloudwatch/eventTarget:EventTarget") {
		if strings.HasPrefix(target.Name, "ops-") {
			inputs[target.String("input")] = true
			assert.Contains(t, target.String("arn"), ":function:morpheus-ha-prod-ops-function")
		}
	}
	assert.Equal(t, map[string]bool{
		`{"action":"` + handler.ActionSnapshot + `"}`:          true,
		`{"action":"` + handler.ActionExportDefinitions + `"}`: true,
	}, inputs)

	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(rec.Find("aws:iam/rolePolicy:RolePolicy", "ops-role-policy").String("policy")), &doc))
	var passed []string
	for _, s := range doc.Statement {
		for _, a := range s.Action {
			if a == "iam:PassRole" || a == "iam:*" || a == "*" {
				passed = append(passed, s.Resource...)
				assert.Equal(t, "es.amazonaws.com", s.Condition["StringEquals"]["iam:PassedToService"])
			}
		}
	}
	assert.Equal(t, []string{"arn:aws:iam::123456789012:role/snapshots-role-id"}, passed, "the function passes the snapshot role only")

	// A failed scheduled run reaches the alerts topic through the function's
	// error alarm.
	var errorsAlarm *testutil.Resource
	for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if a.String("name") == "morpheus-ha-prod-opsFunctionErrors" {
			errorsAlarm = a
		}
	}
	require.NotNil(t, errorsAlarm)
	assert.Equal(t, "AWS/Lambda", errorsAlarm.String("namespace"))
	assert.Equal(t, "Errors", errorsAlarm.String("metricName"))
	assert.Equal(t, "morpheus-ha-prod-ops-function", errorsAlarm.String("dimensions", "FunctionName"))
	assert.Len(t, errorsAlarm.Strings("alarmActions"), 1)
}

// TestDevPlanSnapshotsWithoutReplication: dev keeps a bucket (deletable) but
// copies nothing to another region.
func TestDevPlanSnapshotsWithoutReplication(t *testing.T) {
	rec := runEnv(t, "dev")
	bucket := rec.Find("aws:s3/bucketV2:BucketV2", "snapshots-bucket")
	require.NotNil(t, bucket)
	assert.False(t, bucket.Protect)
	assert.Empty(t, rec.ByType("aws:s3/bucketReplicationConfig:BucketReplicationConfig"))
	assert.Nil(t, rec.Find("aws:s3/bucketV2:BucketV2", "snapshots-dr-bucket"))
}
