package targets_test

import (
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
	place := `"bucket":"snaps-1", "region":"eu-west-1", `
	for name, tc := range map[string]struct{ fields, want string }{
		"bucket upper case": {`"bucket":"Snaps", "region":"eu-west-1", ` + roles, "snapshots.bucket"},
		"no region":         {`"bucket":"snaps-1", ` + roles, "snapshots.region"},
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
