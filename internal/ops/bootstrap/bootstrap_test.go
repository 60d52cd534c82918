package bootstrap_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/bootstrap"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

type fakeService struct {
	name      string
	users     map[string]string
	ensureErr error
	checkErr  error
}

func (s *fakeService) Name() string            { return s.name }
func (s *fakeService) Policy() password.Policy { return password.OpenSearch }

func (s *fakeService) Ensure(_ context.Context, app secrets.Credentials) error {
	if s.ensureErr != nil {
		return s.ensureErr
	}
	s.users[app.Username] = app.Password
	return nil
}

func (s *fakeService) Check(_ context.Context, app secrets.Credentials) error {
	if s.checkErr != nil {
		return s.checkErr
	}
	if s.users[app.Username] != app.Password {
		return fmt.Errorf("denied %s", app.Username)
	}
	return nil
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestRunEnsuresEachCurrentLoginAndIsIdempotent(t *testing.T) {
	store := secretstest.New()
	store.Create("db-app", `{"username":"morpheus","password":"Db-pw-1"}`)
	store.Create("mq-app", `{"username":"morpheus_clone","password":"Mq-pw-1"}`)
	db := &fakeService{name: "mysql", users: map[string]string{}}
	mq := &fakeService{name: "rabbitmq", users: map[string]string{}}
	targets := []bootstrap.Target{{Service: db, AppSecretID: "db-app"}, {Service: mq, AppSecretID: "mq-app"}}

	for range 2 {
		out, err := bootstrap.Run(context.Background(), store, targets, quiet)
		require.NoError(t, err)
		assert.Equal(t, []bootstrap.Outcome{{Service: "mysql", User: "morpheus"}, {Service: "rabbitmq", User: "morpheus_clone"}}, out)
	}
	assert.Equal(t, map[string]string{"morpheus": "Db-pw-1"}, db.users)
	assert.Equal(t, map[string]string{"morpheus_clone": "Mq-pw-1"}, mq.users, "the user AWSCURRENT names, after a rotation the clone")
}

func TestRunReportsEveryFailureAndCarriesOn(t *testing.T) {
	store := secretstest.New()
	store.Create("db-app", `{"username":"morpheus","password":"Db-pw-1"}`)
	store.Create("mq-app", `{"username":"morpheus","password":"Mq-pw-1"}`)
	store.Create("os-app", `{"username":"morpheus","password":"Os-pw-1"}`)
	db := &fakeService{name: "mysql", users: map[string]string{}, ensureErr: errors.New("access denied")}
	mq := &fakeService{name: "rabbitmq", users: map[string]string{}}
	search := &fakeService{name: "opensearch", users: map[string]string{}, checkErr: errors.New("401")}
	targets := []bootstrap.Target{
		{Service: db, AppSecretID: "db-app"},
		{Service: mq, AppSecretID: "mq-app"},
		{Service: search, AppSecretID: "os-app"},
		{Service: &fakeService{name: "missing", users: map[string]string{}}, AppSecretID: "nope"},
	}
	noWait := retry.Policy{Attempts: 3, Sleep: func(context.Context, time.Duration) error { return nil }}
	out, err := bootstrap.RunWith(context.Background(), store, targets, quiet, noWait)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bootstrap mysql: gave up after 3 attempts: access denied")
	assert.Contains(t, err.Error(), "bootstrap opensearch: gave up after 3 attempts: 401")
	assert.Contains(t, err.Error(), "bootstrap missing:")
	assert.Equal(t, "Mq-pw-1", mq.users["morpheus"], "a failing service does not stop the others")
	require.Len(t, out, 4)
	assert.Equal(t, bootstrap.Outcome{Service: "rabbitmq", User: "morpheus"}, out[1])
	assert.Equal(t, "gave up after 3 attempts: access denied", out[0].Error)

	b, jerr := json.Marshal(out)
	require.NoError(t, jerr)
	for _, pw := range []string{"Db-pw-1", "Mq-pw-1", "Os-pw-1"} {
		assert.NotContains(t, string(b), pw, "the result lands in Pulumi state")
	}
}

func TestRunNeedsTargets(t *testing.T) {
	_, err := bootstrap.Run(context.Background(), secretstest.New(), nil, nil)
	assert.Error(t, err)
}
