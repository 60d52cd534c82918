package handler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/loggroups/loggroupstest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops/rabbittest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rotation"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops/searchtest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

const (
	arnDBAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0a1b-AbCdEf"
	arnDBApp   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/db-app-AbCdEf"
	arnMQAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/mq-admin-AbCdEf"
	arnMQApp   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/mq-app-AbCdEf"
	arnOSAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/opensearch-master-AbCdEf"
	arnOSApp   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-ha-prod/opensearch-app-AbCdEf"
)

type env struct {
	h      *handler.Handler
	store  *secretstest.Fake
	rabbit *rabbittest.Server
	search *searchtest.Server
	logs   *loggroupstest.Fake
	event  string        // the bootstrap event, whose body is also OPS_TARGETS
	out    *bytes.Buffer // the handler's log lines
	caFile string        // the MySQL CA bundle's path (absent)
	retry  retry.Policy  // the handler's retry policy (zero: retry.Default)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	rabbit := rabbittest.New("mqadmin", "Mq-admin-pw1", true)
	search := searchtest.New("master", "Os-master-pw1", true)
	t.Cleanup(rabbit.Close)
	t.Cleanup(search.Close)

	store := secretstest.New()
	store.Create(arnDBAdmin, `{"username":"admin","password":"Db-admin-pw1"}`)
	store.Create(arnDBApp, `{"username":"morpheus","password":"Db-app-pw1"}`)
	store.Create(arnMQAdmin, `{"username":"mqadmin","password":"Mq-admin-pw1"}`)
	store.Create(arnMQApp, `{"username":"morpheus","password":"Mq-app-pw1-0123"}`)
	store.Create(arnOSAdmin, `{"username":"master","password":"Os-master-pw1"}`)
	store.Create(arnOSApp, `{"username":"morpheus","password":"Os-app-pw1"}`)

	body := `"rabbitmq": {"managementUrl": "` + rabbit.URL + `", "adminSecretArn": "` + arnMQAdmin + `", "appSecretArn": "` + arnMQApp + `"},
	  "opensearch": {"endpoint": "` + search.URL + `", "adminSecretArn": "` + arnOSAdmin + `", "appSecretArn": "` + arnOSApp + `"},
	  "mysql": {"host": "db.example.internal", "adminSecretArn": "` + arnDBAdmin + `", "appSecretArn": "` + arnDBApp + `"}`
	var logs bytes.Buffer
	groups := loggroupstest.New()
	e := &env{store: store, rabbit: rabbit, search: search, logs: groups, out: &logs,
		caFile: filepath.Join(t.TempDir(), "absent.pem"), event: `{"action": "bootstrap", ` + body + `}`}
	e.deploy(t, e.event)
	return e
}

// deploy replaces the handler with one whose OPS_TARGETS are event's targets,
// as a deployment renders both from the same values, and returns event.
func (e *env) deploy(t *testing.T, event string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(event), &m))
	delete(m, "action")
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	tg, err := targets.Decode(raw)
	require.NoError(t, err)
	e.h = handler.New(handler.Config{
		Store: e.store, Logs: e.logs, Targets: tg, MySQLCAFile: e.caFile,
		HTTP:  e.rabbit.Client(), // httptest's TLS servers share one certificate
		Log:   slog.New(slog.NewJSONHandler(e.out, nil)),
		Retry: e.retry,
	})
	return event
}

func (e *env) handle(t *testing.T, event string) (any, error) {
	t.Helper()
	return e.h.Handle(context.Background(), json.RawMessage(event))
}

func withoutMySQL(t *testing.T, event string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(event), &m))
	delete(m, "mysql")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func TestBootstrapEventEnsuresUsersTwice(t *testing.T) {
	e := newEnv(t)
	ev := e.deploy(t, withoutMySQL(t, e.event))
	for range 2 {
		out, err := e.handle(t, ev)
		require.NoError(t, err)
		res := out.(handler.Result)
		assert.Equal(t, "bootstrap", res.Action)
		require.Len(t, res.Outcomes, 2)
		assert.Equal(t, "rabbitmq", res.Outcomes[0].Service)
		assert.Equal(t, "morpheus", res.Outcomes[0].User)
		assert.Equal(t, "opensearch", res.Outcomes[1].Service)
	}
	u, ok := e.rabbit.User("morpheus")
	require.True(t, ok)
	assert.Equal(t, "Mq-app-pw1-0123", u.Password)
	assert.True(t, e.rabbit.HasVHost("morpheus"))
	pw, ok := e.search.Password("morpheus")
	require.True(t, ok)
	assert.Equal(t, "Os-app-pw1", pw)
	assert.Equal(t, []string{"morpheus", "morpheus_clone"}, e.search.Mapping("morpheus_role"))
	for _, pw := range []string{"Mq-app-pw1-0123", "Os-app-pw1", "Mq-admin-pw1", "Os-master-pw1"} {
		assert.NotContains(t, e.out.String(), pw)
	}
}

// TestBootstrapRefusesTargetsItWasNotDeployedWith: an event whose targets
// differ from OPS_TARGETS (another broker, another admin secret, a service
// more or less) is refused before any call: rotation manages only
// OPS_TARGETS, so users created elsewhere would never rotate.
func TestBootstrapRefusesTargetsItWasNotDeployedWith(t *testing.T) {
	e := newEnv(t)
	e.deploy(t, withoutMySQL(t, e.event))
	for name, mutate := range map[string]func(map[string]any){
		"a service more": func(m map[string]any) {
			m["mysql"] = map[string]any{"host": "db.example.internal", "adminSecretArn": arnDBAdmin, "appSecretArn": arnDBApp}
		},
		"a service less": func(m map[string]any) { delete(m, "opensearch") },
		"another broker": func(m map[string]any) {
			m["rabbitmq"].(map[string]any)["managementUrl"] = "https://b-other.mq.eu-west-1.amazonaws.com"
		},
		"another admin": func(m map[string]any) {
			m["rabbitmq"].(map[string]any)["adminSecretArn"] = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-admin-AbCdEf"
		},
		"log groups added": func(m map[string]any) {
			m["logs"] = map[string]any{"groups": []string{brokerGroup}, "retentionDays": 365, "kmsKeyArn": logsKey}
		},
	} {
		t.Run(name, func(t *testing.T) {
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(withoutMySQL(t, e.event)), &m))
			mutate(m)
			ev, err := json.Marshal(m)
			require.NoError(t, err)
			_, err = e.handle(t, string(ev))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "differ from OPS_TARGETS")
		})
	}
	assert.Empty(t, e.rabbit.Requests(), "nothing is called for a refused event")
	assert.Empty(t, e.search.Requests())
	_, created := e.logs.Get(brokerGroup)
	assert.False(t, created)
}

func TestBootstrapEventRejectsSecretsAndPlainHTTP(t *testing.T) {
	e := newEnv(t)
	for name, ev := range map[string]string{
		"secret value": `{"action":"bootstrap","rabbitmq":{"managementUrl":"https://b","adminSecretArn":"` + arnMQAdmin + `","appSecretArn":"` + arnMQApp + `","password":"x"}}`,
		"plain http":   `{"action":"bootstrap","rabbitmq":{"managementUrl":"http://b","adminSecretArn":"` + arnMQAdmin + `","appSecretArn":"` + arnMQApp + `"}}`,
		"nothing":      `{"action":"bootstrap"}`,
	} {
		_, err := e.handle(t, ev)
		assert.Error(t, err, name)
	}
	assert.Empty(t, e.rabbit.Requests())
}

func TestBootstrapWithMySQLNeedsTheCABundle(t *testing.T) {
	e := newEnv(t)
	_, err := e.handle(t, e.event)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reading the CA bundle (OPS_MYSQL_CA_FILE)")
}

func rotationEvent(secret, token, step string) string {
	return `{"SecretId":"` + secret + `","ClientRequestToken":"` + token + `","Step":"` + step + `"}`
}

func (e *env) rotate(t *testing.T, secret, token string) {
	t.Helper()
	require.NoError(t, e.store.StartRotation(secret, token))
	for _, step := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
		out, err := e.handle(t, rotationEvent(secret, token, step))
		require.NoError(t, err, step)
		assert.Nil(t, out)
	}
}

func current(t *testing.T, store *secretstest.Fake, secret, stage string) secrets.Credentials {
	t.Helper()
	v, ok := store.ValueAt(secret, stage)
	require.True(t, ok)
	c, err := secrets.ParseCredentials(v)
	require.NoError(t, err)
	return c
}

func TestRotationEventsRouteBySecret(t *testing.T) {
	e := newEnv(t)
	_, err := e.handle(t, e.deploy(t, withoutMySQL(t, e.event)))
	require.NoError(t, err)

	e.rotate(t, arnMQApp, "mq-1")
	cur := current(t, e.store, arnMQApp, secrets.StageCurrent)
	assert.Equal(t, "morpheus_clone", cur.Username)
	u, _ := e.rabbit.User("morpheus_clone")
	assert.Equal(t, cur.Password, u.Password)
	assert.Equal(t, map[string]string{"configure": ".*", "write": ".*", "read": ".*"}, e.rabbit.Permissions("morpheus", "morpheus_clone"))
	old, _ := e.rabbit.User("morpheus")
	assert.Equal(t, "Mq-app-pw1-0123", old.Password, "the previous login is untouched")

	e.rotate(t, arnOSApp, "os-1")
	cur = current(t, e.store, arnOSApp, secrets.StageCurrent)
	assert.Equal(t, "morpheus_clone", cur.Username)
	pw, _ := e.search.Password("morpheus_clone")
	assert.Equal(t, cur.Password, pw)
	assert.Equal(t, []string{"morpheus", "morpheus_clone"}, e.search.Mapping("morpheus_role"))

	for _, r := range e.search.Requests() {
		if r.Path != "/_plugins/_security/authinfo" {
			assert.Equal(t, "master", r.User, "%s %s", r.Method, r.Path)
		}
	}
}

func TestRotationOfMySQLNeedsOnlyItsOwnSettings(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.store.StartRotation(arnDBApp, "db-1"))
	_, err := e.handle(t, rotationEvent(arnDBApp, "db-1", "createSecret"))
	require.Error(t, err, "building the MySQL client needs the CA bundle")
	assert.Contains(t, err.Error(), "absent.pem")

	// A RabbitMQ rotation does not care that the MySQL CA bundle is missing.
	e.rotate(t, arnMQApp, "mq-1")
}

// TestAdminRotationEventsRotateInPlace: the broker admin's and the master
// user's secrets rotate in place (same user, the service's own password
// change), the app rotations that follow use the new admin passwords, and no
// admin rotation logs the line the node refresh watch counts. The RDS master
// secret is refused: RDS rotates it.
func TestAdminRotationEventsRotateInPlace(t *testing.T) {
	e := newEnv(t)
	_, err := e.handle(t, e.deploy(t, withoutMySQL(t, e.event)))
	require.NoError(t, err)
	e.out.Reset()

	e.rotate(t, arnMQAdmin, "mq-admin-1")
	mq := current(t, e.store, arnMQAdmin, secrets.StageCurrent)
	assert.Equal(t, "mqadmin", mq.Username)
	assert.NotEqual(t, "Mq-admin-pw1", mq.Password)
	u, _ := e.rabbit.User("mqadmin")
	assert.Equal(t, rabbittest.User{Password: mq.Password, Tags: "administrator"}, u, "the tags stay")

	e.rotate(t, arnOSAdmin, "os-admin-1")
	master := current(t, e.store, arnOSAdmin, secrets.StageCurrent)
	assert.Equal(t, "master", master.Username)
	assert.Equal(t, master.Password, e.search.MasterPassword())
	assert.NotEqual(t, "Os-master-pw1", master.Password)

	assert.NotContains(t, e.out.String(), rotation.FinishedMessage, "admin rotations ask for no node refresh")
	assert.Equal(t, 2, strings.Count(e.out.String(), rotation.AdminFinishedMessage))
	for _, pw := range []string{mq.Password, master.Password, "Mq-admin-pw1", "Os-master-pw1"} {
		assert.NotContains(t, e.out.String(), pw)
	}

	// The app rotations read the new admin passwords.
	e.rotate(t, arnMQApp, "mq-1")
	e.rotate(t, arnOSApp, "os-1")
	assert.Equal(t, 2, strings.Count(e.out.String(), rotation.FinishedMessage))

	e.deploy(t, e.event)
	require.NoError(t, e.store.StartRotation(arnDBAdmin, "db-admin-1"))
	_, err = e.handle(t, rotationEvent(arnDBAdmin, "db-admin-1", "createSecret"))
	assert.ErrorContains(t, err, "RDS rotates it")
}

// TestLoginRotationWaitsOutAnAdminRotation: the secrets share one schedule,
// so a login rotation's setSecret can run in the seconds in which the broker
// admin already has its pending password but AWSCURRENT still names the old
// one. setSecret retries, re-reading the admin secret, and goes through once
// the admin rotation finished.
func TestLoginRotationWaitsOutAnAdminRotation(t *testing.T) {
	e := newEnv(t)
	ev := withoutMySQL(t, e.event)
	e.deploy(t, ev)
	_, err := e.handle(t, ev)
	require.NoError(t, err)

	require.NoError(t, e.store.StartRotation(arnMQAdmin, "mq-admin-1"))
	for _, step := range []string{"createSecret", "setSecret"} {
		_, err := e.handle(t, rotationEvent(arnMQAdmin, "mq-admin-1", step))
		require.NoError(t, err, step)
	}
	sleeps := 0
	e.retry = retry.Policy{Attempts: 3, Sleep: func(context.Context, time.Duration) error {
		sleeps++
		// Meanwhile the admin rotation finishes.
		for _, step := range []string{"testSecret", "finishSecret"} {
			if _, err := e.handle(t, rotationEvent(arnMQAdmin, "mq-admin-1", step)); err != nil {
				return err
			}
		}
		return nil
	}}
	e.deploy(t, ev)
	e.rotate(t, arnMQApp, "mq-1")
	assert.Equal(t, 1, sleeps, "one retry")
	assert.Equal(t, "morpheus_clone", current(t, e.store, arnMQApp, secrets.StageCurrent).Username)
	assert.Equal(t, "mqadmin", current(t, e.store, arnMQAdmin, secrets.StageCurrent).Username)
}

func TestEventsThatAreNeither(t *testing.T) {
	e := newEnv(t)
	for name, ev := range map[string]string{
		"not an object":  `"bootstrap"`,
		"unknown action": `{"action":"destroy"}`,
		"empty":          `{}`,
		"unknown secret": rotationEvent("arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-AbCdEf", "t", "createSecret"),
	} {
		_, err := e.handle(t, ev)
		assert.Error(t, err, name)
	}
}

func TestFromEnv(t *testing.T) {
	getenv := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	_, err := handler.FromEnv(secretstest.New(), nil, nil, nil, getenv(nil))
	assert.ErrorContains(t, err, "OPS_TARGETS is not set")
	_, err = handler.FromEnv(secretstest.New(), nil, nil, nil, getenv(map[string]string{"OPS_TARGETS": `{"mysql":{}}`}))
	assert.ErrorContains(t, err, "OPS_TARGETS: targets:")

	store := secretstest.New()
	store.Create(arnDBApp, `{"username":"morpheus","password":"x"}`)
	require.NoError(t, store.StartRotation(arnDBApp, "t"))
	tg := `{"mysql":{"host":"db","adminSecretArn":"` + arnDBAdmin + `","appSecretArn":"` + arnDBApp + `"}}`
	h, err := handler.FromEnv(store, nil, nil, nil, getenv(map[string]string{"OPS_TARGETS": tg, "LAMBDA_TASK_ROOT": "/var/task-test"}))
	require.NoError(t, err)
	_, err = h.Handle(context.Background(), json.RawMessage(rotationEvent(arnDBApp, "t", "createSecret")))
	assert.ErrorContains(t, err, "/var/task-test/rds-ca.pem", "the CA bundle defaults to the package root")

	dir := t.TempDir()
	bad := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(bad, []byte("no PEM here"), 0o600))
	h, err = handler.FromEnv(store, nil, nil, nil, getenv(map[string]string{"OPS_TARGETS": tg, "OPS_MYSQL_CA_FILE": bad}))
	require.NoError(t, err)
	_, err = h.Handle(context.Background(), json.RawMessage(rotationEvent(arnDBApp, "t", "createSecret")))
	assert.ErrorContains(t, err, "holds no PEM certificate")
}

// The handler's signature and result must survive the Lambda library's JSON
// round trip, as lambda.Start uses it.
func TestLambdaLibraryAcceptsTheHandler(t *testing.T) {
	e := newEnv(t)
	ev := e.deploy(t, withoutMySQL(t, e.event))
	lh := lambda.NewHandler(e.h.Handle)
	out, err := lh.Invoke(context.Background(), []byte(ev))
	require.NoError(t, err)
	var res struct {
		Action   string
		Outcomes []struct{ Service, User, Error string }
	}
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, "bootstrap", res.Action)
	require.Len(t, res.Outcomes, 2)
	assert.Equal(t, "morpheus", res.Outcomes[0].User)

	require.NoError(t, e.store.StartRotation(arnMQApp, "t"))
	out, err = lh.Invoke(context.Background(), []byte(rotationEvent(arnMQApp, "t", "createSecret")))
	require.NoError(t, err)
	assert.Equal(t, "null", string(out))
	_, err = lh.Invoke(context.Background(), []byte(`{"action":"destroy"}`))
	assert.Error(t, err)
}

const (
	brokerGroup = "/aws/amazonmq/broker/b-1234/general"
	logsKey     = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-logs"
)

// withLogs adds a logs section naming the broker's log group to event.
func withLogs(t *testing.T, event string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(event), &m))
	m["logs"] = map[string]any{"groups": []string{brokerGroup}, "retentionDays": 365, "kmsKeyArn": logsKey}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func TestBootstrapSetsTheBrokerLogGroupUp(t *testing.T) {
	e := newEnv(t)
	ev := e.deploy(t, withLogs(t, withoutMySQL(t, e.event)))
	out, err := e.handle(t, ev)
	require.NoError(t, err)
	res := out.(handler.Result)
	require.Len(t, res.LogGroups, 1)
	assert.Equal(t, brokerGroup, res.LogGroups[0].Group)
	assert.True(t, res.LogGroups[0].Created, "Amazon MQ had not created it yet")
	g, ok := e.logs.Get(brokerGroup)
	require.True(t, ok)
	assert.Equal(t, loggroupstest.Group{KMSKeyID: logsKey, RetentionDays: 365}, g)
	assert.Len(t, res.Outcomes, 2, "the services are bootstrapped too")

	out, err = e.handle(t, ev)
	require.NoError(t, err)
	assert.False(t, out.(handler.Result).LogGroups[0].Created, "a re-run finds the group")
}

func TestLogGroupFailureFailsTheBootstrapAfterTheServices(t *testing.T) {
	e := newEnv(t)
	e.logs.Err = errors.New("AccessDeniedException")
	out, err := e.handle(t, e.deploy(t, withLogs(t, withoutMySQL(t, e.event))))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AccessDeniedException")
	res := out.(handler.Result)
	for _, o := range res.Outcomes {
		assert.Empty(t, o.Error, "%s is bootstrapped anyway", o.Service)
	}
	_, ok := e.rabbit.User("morpheus")
	assert.True(t, ok)
}

func TestLogGroupsNeedAClient(t *testing.T) {
	e := newEnv(t)
	tg, err := targets.Decode([]byte(withLogs(t, withoutMySQL(t, `{"mysql":{}, "rabbitmq": {"managementUrl": "`+e.rabbit.URL+`", "adminSecretArn": "`+arnMQAdmin+`", "appSecretArn": "`+arnMQApp+`"}}`))))
	require.NoError(t, err)
	h := handler.New(handler.Config{Store: e.store, Targets: tg, HTTP: e.rabbit.Client()})
	ev, err := json.Marshal(struct {
		Action string `json:"action"`
		targets.Targets
	}{"bootstrap", tg})
	require.NoError(t, err)
	_, err = h.Handle(context.Background(), ev)
	assert.ErrorContains(t, err, "no CloudWatch Logs client")
}

// TestStackHeldMasterSecretRotatesInPlace: a master secret the stack holds (a
// global database member, where RDS cannot manage it) is rotated by the
// function as the MySQL admin, over the database's TLS settings; only an
// RDS-managed one is refused.
func TestStackHeldMasterSecretRotatesInPlace(t *testing.T) {
	const stackMaster = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/db-master-AbCdEf"
	assert.True(t, handler.RDSManaged(arnDBAdmin))
	assert.False(t, handler.RDSManaged(stackMaster))

	store := secretstest.New()
	store.Create(stackMaster, `{"username":"morpheusroot","password":"Db-master-pw1"}`)
	store.Create(arnDBApp, `{"username":"morpheus","password":"x"}`)
	require.NoError(t, store.StartRotation(stackMaster, "m-1"))
	tg := `{"mysql":{"host":"db","adminSecretArn":"` + stackMaster + `","appSecretArn":"` + arnDBApp + `"}}`
	h, err := handler.FromEnv(store, nil, nil, nil, func(k string) string {
		return map[string]string{"OPS_TARGETS": tg, "LAMBDA_TASK_ROOT": "/var/task-test"}[k]
	})
	require.NoError(t, err)
	_, err = h.Handle(context.Background(), json.RawMessage(rotationEvent(stackMaster, "m-1", "createSecret")))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "/var/task-test/rds-ca.pem", "routed to the MySQL admin, which needs the CA bundle")
	assert.NotContains(t, err.Error(), "RDS rotates it")
}
