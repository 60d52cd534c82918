package targets_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

const (
	arnDBAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0a1b2c3d-4e5f-AbCdEf"
	arnDBApp   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/db-app-AbCdEf"
	arnMQAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/mq-admin-AbCdEf"
	arnMQApp   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/mq-app-AbCdEf"
	arnOSAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/opensearch-master-AbCdEf"
	arnOSApp   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/opensearch-app-AbCdEf"
)

func TestDecodeFillsDefaults(t *testing.T) {
	got, err := targets.Decode([]byte(`{
	  "mysql": {"host": "db.cluster-abc.eu-west-1.rds.amazonaws.com", "adminSecretArn": "` + arnDBAdmin + `", "appSecretArn": "` + arnDBApp + `"},
	  "rabbitmq": {"managementUrl": "https://b-1.mq.eu-west-1.amazonaws.com", "adminSecretArn": "` + arnMQAdmin + `", "appSecretArn": "` + arnMQApp + `"},
	  "opensearch": {"endpoint": "https://vpc-m.eu-west-1.es.amazonaws.com/", "adminSecretArn": "` + arnOSAdmin + `", "appSecretArn": "` + arnOSApp + `"}
	}`))
	require.NoError(t, err)
	assert.Equal(t, 3306, got.MySQL.Port)
	assert.Equal(t, "morpheus", got.MySQL.Database)
	assert.Equal(t, "morpheus", got.RabbitMQ.VHost)
	assert.Equal(t, "morpheus_role", got.OpenSearch.Role)
	assert.Equal(t, []string{"*"}, got.OpenSearch.IndexPatterns)
}

func TestDecodeRejects(t *testing.T) {
	mysql := func(fields string) string {
		return `{"mysql": {` + fields + `}}`
	}
	ok := `"adminSecretArn": "` + arnDBAdmin + `", "appSecretArn": "` + arnDBApp + `"`
	cases := map[string]struct{ src, want string }{
		"empty":            {`{}`, "at least one of mysql, rabbitmq, opensearch"},
		"unknown key":      {`{"mysql":{"hots":"x"}}`, `unknown field "hots"`},
		"secret value":     {mysql(`"host":"db", "password":"x", ` + ok), `unknown field "password"`},
		"host with scheme": {mysql(`"host":"https://db", ` + ok), "mysql.host"},
		"host with port":   {mysql(`"host":"db:3306", ` + ok), "mysql.host"},
		"port":             {mysql(`"host":"db", "port": 70000, ` + ok), "mysql.port: 70000"},
		"database":         {mysql(`"host":"db", "database":"mor;pheus", ` + ok), "mysql.database"},
		"admin ARN":        {mysql(`"host":"db", "adminSecretArn":"my-secret", "appSecretArn":"` + arnDBApp + `"`), "mysql.adminSecretArn"},
		"same ARNs":        {mysql(`"host":"db", "adminSecretArn":"` + arnDBApp + `", "appSecretArn":"` + arnDBApp + `"`), "must differ from adminSecretArn"},
		"plain http": {`{"rabbitmq": {"managementUrl":"http://b-1.mq", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnMQApp + `"}}`,
			"rabbitmq.managementUrl: \"http://b-1.mq\" must use https"},
		"URL with path": {`{"opensearch": {"endpoint":"https://vpc-m/_plugins", "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnOSApp + `"}}`,
			"opensearch.endpoint"},
		"URL with credentials": {`{"opensearch": {"endpoint":"https://u:p@vpc-m", "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnOSApp + `"}}`,
			"opensearch.endpoint"},
		"role": {`{"opensearch": {"endpoint":"https://vpc-m", "role":"all access", "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnOSApp + `"}}`,
			"opensearch.role"},
		"index pattern": {`{"opensearch": {"endpoint":"https://vpc-m", "indexPatterns":["logs-*", " "], "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnOSApp + `"}}`,
			"opensearch.indexPatterns[1]"},
		"shared app secret": {`{"mysql": {"host":"db", ` + ok + `}, "rabbitmq": {"managementUrl":"https://b", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnDBApp + `"}}`,
			"rabbitmq.appSecretArn: is also mysql.appSecretArn"},
		"shared admin secret": {`{"rabbitmq": {"managementUrl":"https://b", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnMQApp + `"}, "opensearch": {"endpoint":"https://vpc-m", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnOSApp + `"}}`,
			"opensearch.adminSecretArn: is also rabbitmq.adminSecretArn"},
		"app secret that is another's admin": {`{"rabbitmq": {"managementUrl":"https://b", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnMQApp + `"}, "opensearch": {"endpoint":"https://vpc-m", "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnMQAdmin + `"}}`,
			"opensearch.appSecretArn: is also rabbitmq.adminSecretArn"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := targets.Decode([]byte(tc.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	_, err := targets.Decode([]byte(`{"mysql": {"host":"", "port": -1, "adminSecretArn":"", "appSecretArn":""}}`))
	require.Error(t, err)
	for _, field := range []string{"mysql.host", "mysql.port", "mysql.adminSecretArn", "mysql.appSecretArn"} {
		assert.Contains(t, err.Error(), field)
	}
}

const logsKey = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"

func TestDecodeLogs(t *testing.T) {
	mq := `"rabbitmq": {"managementUrl":"https://b", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnMQApp + `"}`
	got, err := targets.Decode([]byte(`{` + mq + `, "logs": {"groups": ["/aws/amazonmq/broker/b-1234/general"], "retentionDays": 90, "kmsKeyArn": "` + logsKey + `"}}`))
	require.NoError(t, err)
	assert.Equal(t, &targets.Logs{Groups: []string{"/aws/amazonmq/broker/b-1234/general"}, RetentionDays: 90, KMSKeyARN: logsKey}, got.Logs)

	cases := map[string]struct{ logs, want string }{
		"no groups":    {`{"groups": [], "retentionDays": 90, "kmsKeyArn": "` + logsKey + `"}`, "logs.groups: name at least one"},
		"bad group":    {`{"groups": ["a b"], "retentionDays": 90, "kmsKeyArn": "` + logsKey + `"}`, "logs.groups[0]"},
		"retention":    {`{"groups": ["/g"], "retentionDays": 10, "kmsKeyArn": "` + logsKey + `"}`, "logs.retentionDays: 10"},
		"key":          {`{"groups": ["/g"], "retentionDays": 90, "kmsKeyArn": "alias/logs"}`, "logs.kmsKeyArn"},
		"secret value": {`{"groups": ["/g"], "retentionDays": 90, "kmsKeyArn": "` + logsKey + `", "password": "x"}`, `unknown field "password"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := targets.Decode([]byte(`{` + mq + `, "logs": ` + tc.logs + `}`))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

const (
	snapshotRole = "arn:aws:iam::123456789012:role/morpheus-ha-prod-search-snapshots"
	functionRole = "arn:aws:iam::123456789012:role/morpheus-ha-prod-ops-function"
	dataKey      = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-data"
)

// withSnapshots is a valid OpenSearch target plus the snapshots section fields.
func withSnapshots(fields string) string {
	return `{"opensearch": {"endpoint":"https://vpc-m", "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnOSApp + `"},
	  "snapshots": {` + fields + `}}`
}

func TestSnapshotsDefaults(t *testing.T) {
	got, err := targets.Decode([]byte(withSnapshots(`"bucket":"morpheus-ha-prod-snapshots-123456789012-eu-west-1", "region":"eu-west-1",
	  "roleArn":"` + snapshotRole + `", "functionRoleArn":"` + functionRole + `", "kmsKeyArn":"` + dataKey + `"`)))
	require.NoError(t, err)
	assert.Equal(t, targets.DefaultRepository, got.Snapshots.Repository)
	assert.Equal(t, "opensearch", got.Snapshots.SearchPrefix)
	assert.Equal(t, "rabbitmq", got.Snapshots.DefinitionsPrefix)
}

func TestSnapshotsRejects(t *testing.T) {
	roles := `"roleArn":"` + snapshotRole + `", "functionRoleArn":"` + functionRole + `", "kmsKeyArn":"` + dataKey + `"`
	place := `"bucket":"snapsSection-1", "region":"eu-west-1", `
	for name, tc := range map[string]struct{ fields, want string }{
		"bucket upper case": {`"bucket":"Snaps", "region":"eu-west-1", ` + roles, "snapshots.bucket"},
		"no region":         {`"bucket":"snapsSection-1", ` + roles, "snapshots.region"},
		"repository":        {place + `"repository":"My Repo", ` + roles, "snapshots.repository"},
		"prefix with slash": {place + `"definitionsPrefix":"a/b", ` + roles, "snapshots.definitionsPrefix"},
		"same prefixes":     {place + `"searchPrefix":"x", "definitionsPrefix":"x", ` + roles, "must differ from snapshots.searchPrefix"},
		"role not a role":   {place + `"roleArn":"arn:aws:iam::123456789012:user/x", "functionRoleArn":"` + functionRole + `"`, "snapshots.roleArn"},
		"no function role":  {place + `"roleArn":"` + snapshotRole + `"`, "snapshots.functionRoleArn"},
		"same roles":        {place + `"roleArn":"` + functionRole + `", "functionRoleArn":"` + functionRole + `"`, "must differ from snapshots.functionRoleArn"},
		"key not a key":     {place + `"roleArn":"` + snapshotRole + `", "functionRoleArn":"` + functionRole + `", "kmsKeyArn":"alias/aws/s3"`, "snapshots.kmsKeyArn"},
		"unknown field":     {place + roles + `, "password":"x"`, `unknown field "password"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := targets.Decode([]byte(withSnapshots(tc.fields)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

const (
	mqSection    = `"rabbitmq": {"managementUrl":"https://b-1.mq.eu-west-1.amazonaws.com", "adminSecretArn":"` + arnMQAdmin + `", "appSecretArn":"` + arnMQApp + `"}`
	osSection    = `"opensearch": {"endpoint":"https://vpc-m", "adminSecretArn":"` + arnOSAdmin + `", "appSecretArn":"` + arnOSApp + `"}`
	snapsSection = `"snapshots": {"bucket":"morpheus-ha-dr-snapshots-123456789012-eu-central-1", "region":"eu-central-1",
	  "roleArn":"` + snapshotRole + `", "functionRoleArn":"` + functionRole + `", "kmsKeyArn":"` + dataKey + `"}`
	// sourceBucket is the source stack's snapshot bucket replica in this region.
	sourceBucket = "morpheus-ha-prod-snapshots-123456789012-eu-central-1"
)

func TestRestoreDefaults(t *testing.T) {
	got, err := targets.Decode([]byte(`{` + mqSection + `, ` + osSection + `, ` + snapsSection + `, "restore": {
	  "search": {"bucket":"` + sourceBucket + `", "region":"eu-central-1"},
	  "definitions": {"bucket":"` + sourceBucket + `", "region":"eu-central-1"}}}`))
	require.NoError(t, err)
	assert.Equal(t, &targets.SearchRestore{Bucket: sourceBucket, Region: "eu-central-1", BasePath: "opensearch", Repository: "morpheus-restore"}, got.Restore.Search)
	assert.Equal(t, &targets.DefinitionsRestore{Bucket: sourceBucket, Region: "eu-central-1", Prefix: "rabbitmq"}, got.Restore.Definitions)
}

func TestRestoreRejects(t *testing.T) {
	search := func(fields string) string {
		return `"search": {"bucket":"` + sourceBucket + `", "region":"eu-central-1"` + fields + `}`
	}
	defs := func(fields string) string {
		return `"definitions": {"bucket":"` + sourceBucket + `", "region":"eu-central-1"` + fields + `}`
	}
	all := mqSection + `, ` + osSection + `, ` + snapsSection
	for name, tc := range map[string]struct{ sections, restore, want string }{
		"empty section":        {all, ``, "restore: name search, definitions or both"},
		"search bucket":        {all, `"search": {"bucket":"Source_Bucket", "region":"eu-central-1"}`, "restore.search.bucket"},
		"search region":        {all, `"search": {"bucket":"` + sourceBucket + `", "region":"Frankfurt"}`, "restore.search.region"},
		"search other region":  {all, `"search": {"bucket":"` + sourceBucket + `", "region":"eu-west-1"}`, `restore.search.region: "eu-west-1" must be snapshots.region "eu-central-1"`},
		"search base path":     {all, search(`, "basePath":"a/b"`), "restore.search.basePath"},
		"repository name":      {all, search(`, "repository":"Restore Me"`), "restore.search.repository"},
		"same repository":      {all, search(`, "repository":"morpheus-snapshots"`), "restore.search.repository: must differ from snapshots.repository"},
		"own repository":       {all, `"search": {"bucket":"morpheus-ha-dr-snapshots-123456789012-eu-central-1", "region":"eu-central-1"}`, "is this stack's own repository"},
		"snapshot name":        {all, search(`, "snapshot":"_all"`), "restore.search.snapshot"},
		"search no opensearch": {mqSection + `, ` + snapsSection, search(``), "restore.search: needs the opensearch section"},
		"search no snapshots":  {mqSection + `, ` + osSection, search(``), "restore.search: needs the snapshots section"},
		"definitions bucket":   {all, `"definitions": {"bucket":"b", "region":"eu-central-1"}`, "restore.definitions.bucket"},
		"definitions region":   {all, `"definitions": {"bucket":"` + sourceBucket + `"}`, "restore.definitions.region"},
		"definitions prefix":   {all, defs(`, "prefix":"../x"`), "restore.definitions.prefix"},
		"key outside prefix":   {all, defs(`, "key":"other/definitions-2026-12-06.json"`), "restore.definitions.key"},
		"key two segments":     {all, defs(`, "key":"rabbitmq/a/definitions-2026-12-06.json"`), "restore.definitions.key"},
		"key is the prefix":    {all, defs(`, "key":"rabbitmq/"`), "restore.definitions.key"},
		"definitions no mq":    {osSection + `, ` + snapsSection, defs(``), "restore.definitions: needs the rabbitmq section"},
		"unknown field":        {all, defs(`, "password":"x"`), `unknown field "password"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := targets.Decode([]byte(`{` + tc.sections + `, "restore": {` + tc.restore + `}}`))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestRestoreAccepts(t *testing.T) {
	for name, restore := range map[string]string{
		"definitions only, no snapshots section": `"definitions": {"bucket":"` + sourceBucket + `", "region":"us-east-1", "key":"rabbitmq/definitions-2026-12-06.json"}`,
		"named snapshot":                         `"search": {"bucket":"` + sourceBucket + `", "region":"eu-central-1", "snapshot":"daily-2026-12-06"}`,
		"same bucket, other base path":           `"search": {"bucket":"morpheus-ha-dr-snapshots-123456789012-eu-central-1", "region":"eu-central-1", "basePath":"source-opensearch"}`,
	} {
		t.Run(name, func(t *testing.T) {
			sections := mqSection + `, ` + osSection + `, ` + snapsSection
			if strings.Contains(name, "no snapshots") {
				sections = mqSection
			}
			_, err := targets.Decode([]byte(`{` + sections + `, "restore": {` + restore + `}}`))
			require.NoError(t, err)
		})
	}
}

func TestRestoreReportsEveryProblem(t *testing.T) {
	_, err := targets.Decode([]byte(`{` + osSection + `, "restore": {"search": {"bucket":"B", "region":"x"}, "definitions": {"bucket":"", "region":"", "key":"k"}}}`))
	require.Error(t, err)
	for _, field := range []string{"restore.search.bucket", "restore.search.region", "restore.search: needs the snapshots section",
		"restore.definitions.bucket", "restore.definitions.region", "restore.definitions.key", "restore.definitions: needs the rabbitmq section"} {
		assert.Contains(t, err.Error(), field)
	}
}
