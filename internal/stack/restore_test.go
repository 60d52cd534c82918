package stack_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
	"github.com/morpheus-ha/morpheus-ha/policy/rules"
)

// Restore sources of a DR stack (examples, in the DR stack's region).
const (
	restoreSnapshotArn = "arn:aws:rds:eu-west-1:" + testutil.AccountID + ":cluster-snapshot:awsbackup:copyjob-0123"
	restoreGlobalID    = "morpheus-ha-prod-global"
	restoreFileSystem  = "fs-0123456789abcdef0"
	restoreBucket      = "morpheus-ha-prod-snapshots-replica"
	restoreKeyArn      = "arn:aws:kms:eu-west-1:" + testutil.AccountID + ":key/11111111-2222-3333-4444-555555555555"
)

// restoreConfig is a prod stack in restore mode with restore (a JSON object)
// and the keys restore mode requires.
func restoreConfig(restore string) map[string]string {
	prod := testutil.BaseConfig("prod")
	return testutil.With(prod,
		"restore", restore,
		"loadBalancer", `{"hostedZoneId":"`+testutil.HostedZoneID+`","setupComplete":true}`)
}

func runRestore(t *testing.T, restore string) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, stack.Run, testutil.Options{Config: restoreConfig(restore)})
}

// created are the resources of token the program creates, not reads.
func created(rec *testutil.Recorder, token string) []*testutil.Resource {
	var out []*testutil.Resource
	for _, r := range rec.ByType(token) {
		if !r.Read {
			out = append(out, r)
		}
	}
	return out
}

// TestRestoreSourcesReachTheCluster: each database source builds the cluster
// from it, never an empty one, and the source inputs are ignored after
// creation, so leaving restore mode never replaces the restored cluster.
func TestRestoreSourcesReachTheCluster(t *testing.T) {
	cases := []struct {
		name    string
		restore string
		check   func(t *testing.T, c *testutil.Resource)
	}{
		{"snapshot", `{"enabled":true,"database":{"source":"snapshot","snapshotIdentifier":"` + restoreSnapshotArn + `"}}`,
			func(t *testing.T, c *testutil.Resource) {
				assert.Equal(t, restoreSnapshotArn, c.String("snapshotIdentifier"))
				assert.True(t, c.Bool("manageMasterUserPassword"), "a restored cluster gets a new RDS-managed master password")
			}},
		{"point in time", `{"enabled":true,"database":{"source":"pointInTime","sourceClusterIdentifier":"morpheus-ha-prod-aurora","restoreTime":"2026-12-01T09:30:00Z"}}`,
			func(t *testing.T, c *testutil.Resource) {
				assert.Equal(t, "morpheus-ha-prod-aurora", c.String("restoreToPointInTime", "sourceClusterIdentifier"))
				assert.Equal(t, "2026-12-01T09:30:00Z", c.String("restoreToPointInTime", "restoreToTime"))
				assert.Equal(t, "full-copy", c.String("restoreToPointInTime", "restoreType"))
				assert.Empty(t, c.String("snapshotIdentifier"))
			}},
		{"latest restorable time", `{"enabled":true,"database":{"source":"pointInTime","sourceClusterIdentifier":"morpheus-ha-prod-aurora"}}`,
			func(t *testing.T, c *testutil.Resource) {
				assert.True(t, c.Bool("restoreToPointInTime", "useLatestRestorableTime"))
			}},
		{"promoted global secondary", `{"enabled":true,"database":{"source":"globalSecondary","globalClusterIdentifier":"` + restoreGlobalID + `"}}`,
			func(t *testing.T, c *testutil.Resource) {
				assert.Empty(t, c.String("globalClusterIdentifier"), "out of standby the secondary is detached and promoted")
				assert.True(t, c.IsSecret("masterPassword"), "the promoted cluster takes the stack's own master password")
				_, managed := c.Prop("manageMasterUserPassword")
				assert.False(t, managed, "RDS cannot manage the master password of a global database member")
				assert.Subset(t, c.IgnoreChanges, []string{"replicationSourceIdentifier", "masterUsername"})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := runRestore(t, tc.restore)
			clusters := rec.ByType("aws:rds/cluster:Cluster")
			require.Len(t, clusters, 1, "one cluster, the restored one")
			c := clusters[0]
			tc.check(t, c)
			assert.Subset(t, c.IgnoreChanges, []string{"snapshotIdentifier", "restoreToPointInTime"})
			assert.True(t, c.Protect)
			assert.Len(t, rec.ByType("aws:rds/clusterInstance:ClusterInstance"), 2, "database.instanceCount instances once out of standby")
		})
	}
}

// TestStandbyIsAPilotLight: a standby DR stack joins the global database
// headless, adopts the EFS replica, runs no node, and runs nothing against
// its services: no bootstrap, restore, rotation, schedule or readiness.
func TestStandbyIsAPilotLight(t *testing.T) {
	rec := runRestore(t, `{"enabled":true,"standby":true,
		"database":{"source":"globalSecondary","globalClusterIdentifier":"`+restoreGlobalID+`"},
		"fileSystem":{"source":"replica","fileSystemId":"`+restoreFileSystem+`"},
		"snapshotBucket":"`+restoreBucket+`","snapshotBucketKeyArn":"`+restoreKeyArn+`"}`)

	c := rec.ByType("aws:rds/cluster:Cluster")
	require.Len(t, c, 1)
	assert.Equal(t, restoreGlobalID, c[0].String("globalClusterIdentifier"))
	for _, k := range []string{"masterUsername", "manageMasterUserPassword", "masterUserSecretKmsKeyId"} {
		_, set := c[0].Prop(k)
		assert.False(t, set, "a secondary takes %s from the global database", k)
	}
	assert.Empty(t, rec.ByType("aws:rds/clusterInstance:ClusterInstance"), "headless by default")

	assert.Empty(t, created(rec, "aws:efs/fileSystem:FileSystem"), "no empty file system")
	fs := rec.ByType("aws:efs/fileSystem:FileSystem")
	require.Len(t, fs, 1)
	assert.True(t, fs[0].Read, "the replica is read, so no run can delete it")
	require.Len(t, rec.ByType("aws:efs/mountTarget:MountTarget"), 3)
	for _, mt := range rec.ByType("aws:efs/mountTarget:MountTarget") {
		assert.Equal(t, restoreFileSystem, mt.String("fileSystemId"), "mounted in every AZ")
	}
	assert.Contains(t, rec.Find("aws:efs/fileSystemPolicy:FileSystemPolicy", "data-efs-policy").String("policy"),
		"arn:aws:elasticfilesystem:eu-west-1:"+testutil.AccountID+":file-system/"+restoreFileSystem, "the adopted file system is TLS-only too")

	asg := rec.ByType("aws:autoscaling/group:Group")[0]
	assert.Zero(t, asg.Number("minSize"))
	assert.Zero(t, asg.Number("maxSize"))
	assert.Empty(t, rec.ByType("aws:lambda/invocation:Invocation"), "no bootstrap, restore or setup in standby")
	assert.Empty(t, rec.ByType("aws:secretsmanager/secretRotation:SecretRotation"))
	assert.Nil(t, rec.Find("aws:ssm/parameter:Parameter", "ops-ready"))
	assert.Nil(t, rec.Find("aws:cloudwatch/eventRule:EventRule", "ops-search-snapshot"))
	assert.Nil(t, rec.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-alarm-albHealthyHosts"), "no node alarm pages a pilot light")

	fn := rec.Find("aws:lambda/function:Function", "ops-function")
	var tg map[string]any
	require.NoError(t, json.Unmarshal([]byte(fn.String("environment", "variables", "OPS_TARGETS")), &tg))
	assert.NotContains(t, tg, "mysql", "the read-only secondary is nobody's to bootstrap")
	_, hasPassword := c[0].Prop("masterPassword")
	assert.False(t, hasPassword, "a secondary takes the global database's master password")
	assert.NotNil(t, rec.Find("aws:secretsmanager/secret:Secret", "data-secrets-db-master"), "the password it gets when promoted")
	assertNoEmptyPolicyResources(t, rec)

	sel := rec.ByType("aws:backup/selection:Selection")[0]
	assert.NotContains(t, sel.PropertyDependencies["resources"], c[0].URN, "the primary's backups hold the secondary's data")
}

// TestFailoverRestoresBeforeTheBootstrap: out of standby the restore action
// runs before the bootstrap, with read-only access to the source bucket.
func TestFailoverRestoresBeforeTheBootstrap(t *testing.T) {
	rec := runRestore(t, `{"enabled":true,
		"database":{"source":"globalSecondary","globalClusterIdentifier":"`+restoreGlobalID+`"},
		"fileSystem":{"source":"replica","fileSystemId":"`+restoreFileSystem+`"},
		"snapshotBucket":"`+restoreBucket+`","snapshotBucketKeyArn":"`+restoreKeyArn+`",
		"searchSnapshot":"daily-2026-12-06"}`)

	restore := rec.Find("aws:lambda/invocation:Invocation", "ops-restore")
	require.NotNil(t, restore)
	assert.JSONEq(t, `{"action":"restore"}`, restore.String("input"))
	bootstrap := rec.Find("aws:lambda/invocation:Invocation", "ops-bootstrap")
	assert.Contains(t, bootstrap.DependsOn, restore.URN, "the bootstrap resets the logins after the import")

	fn := rec.Find("aws:lambda/function:Function", "ops-function")
	var tg struct {
		MySQL   map[string]any `json:"mysql"`
		Restore struct {
			Search      map[string]any `json:"search"`
			Definitions map[string]any `json:"definitions"`
		} `json:"restore"`
	}
	require.NoError(t, json.Unmarshal([]byte(fn.String("environment", "variables", "OPS_TARGETS")), &tg))
	assert.NotNil(t, tg.MySQL, "the promoted cluster is bootstrapped")
	assert.Equal(t, restoreBucket, tg.Restore.Search["bucket"])
	assert.Equal(t, "daily-2026-12-06", tg.Restore.Search["snapshot"])
	assert.Equal(t, restoreBucket, tg.Restore.Definitions["bucket"])

	policy := rec.Find("aws:iam/rolePolicy:RolePolicy", "ops-role-policy").String("policy")
	assert.Contains(t, policy, "arn:aws:s3:::"+restoreBucket+"/rabbitmq/*")
	assert.Contains(t, policy, restoreKeyArn)
	assert.NotContains(t, policy, "arn:aws:s3:::"+restoreBucket+"/opensearch/*", "the function never reads the snapshot files")
	source := rec.Find("aws:iam/rolePolicy:RolePolicy", "snapshots-restore-source-policy")
	require.NotNil(t, source, "OpenSearch's snapshot role reads the source repository")
	assert.Contains(t, source.String("policy"), "arn:aws:s3:::"+restoreBucket+"/opensearch/*")
	assert.NotContains(t, source.String("policy"), "s3:PutObject", "the source repository is read-only")
	assert.Len(t, rec.ByType("aws:secretsmanager/secretRotation:SecretRotation"), len(rec.ByType("aws:secretsmanager/secret:Secret")), "every secret rotates again once the stack serves")
}

// TestGlobalClusterPrimary: database.globalCluster makes the prod cluster the
// primary of a protected global database a DR stack can join.
func TestGlobalClusterPrimary(t *testing.T) {
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.With(testutil.BaseConfig("prod"),
		"database", `{"globalCluster":{"enabled":true}}`)})
	g := rec.ByType("aws:rds/globalCluster:GlobalCluster")
	require.Len(t, g, 1)
	cluster := rec.ByType("aws:rds/cluster:Cluster")[0]
	assert.Contains(t, g[0].PropertyDependencies["sourceDbClusterIdentifier"], cluster.URN)
	assert.Equal(t, "morpheus-ha-prod-global", g[0].String("globalClusterIdentifier"))
	assert.True(t, g[0].Protect)
	assert.True(t, g[0].Bool("deletionProtection"))
	assert.Contains(t, cluster.IgnoreChanges, "globalClusterIdentifier")
	// RDS cannot manage a global database member's master password: the
	// stack holds it, guards it like the other admin secrets and rotates it.
	_, managed := cluster.Prop("manageMasterUserPassword")
	assert.False(t, managed)
	assert.True(t, cluster.IsSecret("masterPassword"))
	master := rec.Find("aws:secretsmanager/secret:Secret", "data-secrets-db-master")
	require.NotNil(t, master)
	assert.NotNil(t, rec.Find("aws:secretsmanager/secretRotation:SecretRotation", "ops-rotation-db-master"))
	assert.NotNil(t, rec.Find("aws:secretsmanager/secretPolicy:SecretPolicy", "ops-secret-policy-db-master"))
	fn := rec.Find("aws:lambda/function:Function", "ops-function")
	assert.Contains(t, fn.String("environment", "variables", "OPS_TARGETS"), "/morpheus-ha/prod/db-master", "the bootstrap logs in with the stack's master secret")
	assertNoEmptyPolicyResources(t, rec)
	assertNoLeaks(t, rec, 6)

	assert.Empty(t, runEnv(t, "prod").ByType("aws:rds/globalCluster:GlobalCluster"), "off by default: it costs a second cluster")
}

// TestBadRestoreConfigRegistersNothing: every restore and global database
// rule fails while the configuration loads, naming the key, before any
// resource registers.
func TestBadRestoreConfigRegistersNothing(t *testing.T) {
	const global = `"database":{"source":"globalSecondary","globalClusterIdentifier":"` + restoreGlobalID + `"}`
	dev := testutil.BaseConfig("dev")
	cases := []rejectCase{
		{"source without restore mode", restoreConfig(`{"database":{"source":"snapshot","snapshotIdentifier":"` + restoreSnapshotArn + `"}}`),
			"morpheus-ha:restore.database.source", "needs restore.enabled"},
		{"snapshot source missing", restoreConfig(`{"enabled":true,"database":{"source":"snapshot"}}`),
			"morpheus-ha:restore.database.snapshotIdentifier", "cluster snapshot ARN"},
		{"snapshot of another region", restoreConfig(`{"enabled":true,"database":{"source":"snapshot","snapshotIdentifier":"arn:aws:rds:us-east-1:` + testutil.AccountID + `:cluster-snapshot:final"}}`),
			"morpheus-ha:restore.database.snapshotIdentifier", "not this stack's region"},
		{"point in time without a cluster", restoreConfig(`{"enabled":true,"database":{"source":"pointInTime"}}`),
			"morpheus-ha:restore.database.sourceClusterIdentifier", "identifier or ARN"},
		{"point in time not RFC 3339", restoreConfig(`{"enabled":true,"database":{"source":"pointInTime","sourceClusterIdentifier":"morpheus-ha-prod-aurora","restoreTime":"yesterday"}}`),
			"morpheus-ha:restore.database.restoreTime", "RFC 3339"},
		{"global secondary without its global database", restoreConfig(`{"enabled":true,"database":{"source":"globalSecondary"}}`),
			"morpheus-ha:restore.database.globalClusterIdentifier", "globalClusterIdentifier output"},
		{"unknown database source", restoreConfig(`{"enabled":true,"database":{"source":"backup"}}`),
			"morpheus-ha:restore.database.source", "must be one of"},
		{"standby with a snapshot", restoreConfig(`{"enabled":true,"standby":true,"database":{"source":"snapshot","snapshotIdentifier":"` + restoreSnapshotArn + `"}}`),
			"morpheus-ha:restore.standby", "stale at failover"},
		{"two standby instances", restoreConfig(`{"enabled":true,"standby":true,"database":{"source":"globalSecondary","globalClusterIdentifier":"` + restoreGlobalID + `","standbyInstances":2}}`),
			"morpheus-ha:restore.database.standbyInstances", "0 (a headless secondary) or 1"},
		{"file system source missing", restoreConfig(`{"enabled":true,` + global + `,"fileSystem":{"source":"replica"}}`),
			"morpheus-ha:restore.fileSystem.fileSystemId", "fs-"},
		{"snapshot bucket without its key", restoreConfig(`{"enabled":true,` + global + `,"snapshotBucket":"` + restoreBucket + `"}`),
			"morpheus-ha:restore.snapshotBucketKeyArn", "KMS key ARN"},
		{"snapshot key of another region", restoreConfig(`{"enabled":true,` + global + `,"snapshotBucket":"` + restoreBucket + `","snapshotBucketKeyArn":"arn:aws:kms:eu-central-1:` + testutil.AccountID + `:key/1111"}`),
			"morpheus-ha:restore.snapshotBucketKeyArn", "not this stack's region"},
		{"restore before setup is complete", testutil.With(testutil.BaseConfig("prod"), "restore", `{"enabled":true,`+global+`}`),
			"morpheus-ha:loadBalancer.setupComplete", "already set up"},
		{"global secondary on a burstable class", testutil.With(restoreConfig(`{"enabled":true,`+global+`}`), "database", `{"instanceClass":"db.t4g.medium"}`),
			"morpheus-ha:database.instanceClass", "burstable"},
		{"global database on a burstable class", testutil.With(dev, "database", `{"globalCluster":{"enabled":true}}`),
			"morpheus-ha:database.globalCluster.enabled", "db.t* class"},
		{"standby that is also a primary", testutil.With(restoreConfig(`{"enabled":true,"standby":true,`+global+`}`), "database", `{"globalCluster":{"enabled":true}}`),
			"morpheus-ha:database.globalCluster.enabled", "cannot also be the primary"},
		{"typo in a field", restoreConfig(`{"enabled":true,"databse":{}}`), "morpheus-ha:restore.databse", "unknown field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireRejected(t, tc.config, tc.wantKey, tc.wantMsg)
		})
	}
}

// TestStandbySecretsCarryTheRotationWaiver: a standby stack's secrets carry
// the tag the policy pack's advisory rule reads (the same key and value), and
// no other stack's do.
func TestStandbySecretsCarryTheRotationWaiver(t *testing.T) {
	assert.Equal(t, rules.StandbyRotationTag, secrets.StandbyTag)
	assert.Equal(t, rules.StandbyRotationValue, secrets.StandbyTagValue)
	standby := runRestore(t, `{"enabled":true,"standby":true,"database":{"source":"globalSecondary","globalClusterIdentifier":"`+restoreGlobalID+`"}}`)
	for _, s := range standby.ByType("aws:secretsmanager/secret:Secret") {
		assert.Equal(t, secrets.StandbyTagValue, s.String("tags", secrets.StandbyTag), s.Name)
	}
	for _, s := range runEnv(t, "prod").ByType("aws:secretsmanager/secret:Secret") {
		_, tagged := s.Prop("tags", secrets.StandbyTag)
		assert.False(t, tagged, "%s: only a standby stack defers rotation", s.Name)
	}
}

// TestFailedOverStackStaysOutOfStandby: a cluster that takes writes cannot
// rejoin a global database, so a failed-over stack refuses restore.standby
// before anything registers; a stack still in standby keeps it.
func TestFailedOverStackStaysOutOfStandby(t *testing.T) {
	standby := restoreConfig(`{"enabled":true,"standby":true,"database":{"source":"globalSecondary","globalClusterIdentifier":"` + restoreGlobalID + `"}}`)
	deployed := func(role string) map[string]any {
		d := deployedProd()
		d["databaseRole"] = role
		return d
	}
	rec, err := testutil.Run(stack.Run, testutil.Options{Config: standby, Deployed: deployed("writer")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "morpheus-ha:restore.standby")
	assert.Contains(t, err.Error(), "cannot rejoin a global database")
	onlyReads(t, rec)

	rec = testutil.MustRun(t, stack.Run, testutil.Options{Config: standby, Deployed: deployed("globalSecondary")})
	assert.Equal(t, restoreGlobalID, rec.ByType("aws:rds/cluster:Cluster")[0].String("globalClusterIdentifier"))
}

// assertNoEmptyPolicyResources: IAM refuses a policy whose Resource holds an
// empty string, which an unresolved ARN would render.
func assertNoEmptyPolicyResources(t *testing.T, rec *testutil.Recorder) {
	t.Helper()
	for _, r := range rec.Resources() {
		raw := r.String("policy")
		if raw == "" || !json.Valid([]byte(raw)) {
			continue
		}
		assert.NotContains(t, raw, `"Resource":""`, "%s %s", r.Type, r.Name)
		assert.NotContains(t, raw, `"Resource":[""`, "%s %s", r.Type, r.Name)
		assert.NotContains(t, raw, `,""]`, "%s %s", r.Type, r.Name)
		assert.NotContains(t, raw, `,"",`, "%s %s", r.Type, r.Name)
	}
}

// TestAdoptedFileSystemOutlivesRestoreMode: leaving restore mode keeps the
// adopted file system (restore.fileSystem is read in any mode), and dropping
// or changing it on a deployed stack is refused before anything registers:
// the nodes would mount a new, empty one.
func TestAdoptedFileSystemOutlivesRestoreMode(t *testing.T) {
	deployed := deployedProd()
	deployed["adoptedFileSystemId"] = restoreFileSystem
	left := testutil.With(restoreConfig(`{"fileSystem":{"source":"replica","fileSystemId":"` + restoreFileSystem + `"}}`))
	rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: left, Deployed: deployed})
	assert.Empty(t, created(rec, "aws:efs/fileSystem:FileSystem"), "still the adopted one, out of restore mode")

	rec, err := testutil.Run(stack.Run, testutil.Options{Config: restoreConfig(`{}`), Deployed: deployed})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "morpheus-ha:restore.fileSystem.fileSystemId")
	assert.Contains(t, err.Error(), "new, empty")
	onlyReads(t, rec)
}
