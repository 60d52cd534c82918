package rabbitops_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops/rabbittest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

func newService(t *testing.T) (*rabbitops.Service, *rabbittest.Server) {
	t.Helper()
	srv := rabbittest.New("mqadmin", "adminpw", false)
	t.Cleanup(srv.Close)
	c, err := rabbitops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	admin := secretstest.Credentials(t, "mqadmin", "adminpw")
	return &rabbitops.Service{Client: c, VHost: "morpheus", Admin: func(context.Context) (secrets.Credentials, error) { return admin, nil }}, srv
}

func TestEnsureCreatesVHostUserAndPermissions(t *testing.T) {
	svc, srv := newService(t)
	ctx := context.Background()
	app := secretstest.Credentials(t, "morpheus", "Pw-1")
	require.NoError(t, svc.Ensure(ctx, app))

	var calls []string
	for _, r := range srv.Requests() {
		assert.Equal(t, "mqadmin", r.User, "management calls authenticate as the broker admin")
		calls = append(calls, r.Method+" "+r.Path)
	}
	assert.Equal(t, []string{"PUT /api/vhosts/morpheus", "PUT /api/users/morpheus", "PUT /api/permissions/morpheus/morpheus"}, calls)
	reqs := srv.Requests()
	assert.Equal(t, map[string]any{"password": "Pw-1", "tags": "administrator"}, reqs[1].Body)
	assert.Equal(t, map[string]any{"configure": ".*", "write": ".*", "read": ".*"}, reqs[2].Body)
	assert.True(t, srv.HasVHost("morpheus"))
	assert.Equal(t, map[string]string{"configure": ".*", "write": ".*", "read": ".*"}, srv.Permissions("morpheus", "morpheus"))

	require.NoError(t, svc.Check(ctx, app))
	assert.Error(t, svc.Check(ctx, secretstest.Credentials(t, "morpheus", "wrong")))

	// Idempotent, and a second run resets the password.
	require.NoError(t, svc.Ensure(ctx, app.WithLogin("morpheus", "Pw-2")))
	u, _ := srv.User("morpheus")
	assert.Equal(t, rabbittest.User{Password: "Pw-2", Tags: "administrator"}, u)
}

func TestEnsureStopsAtTheFirstFailureAndRetrySucceeds(t *testing.T) {
	for _, prefix := range []string{"/api/vhosts/", "/api/users/", "/api/permissions/"} {
		t.Run(prefix, func(t *testing.T) {
			svc, srv := newService(t)
			ctx := context.Background()
			app := secretstest.Credentials(t, "morpheus", "Pw-1")
			srv.FailNext(prefix, http.StatusServiceUnavailable)
			err := svc.Ensure(ctx, app)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "HTTP 503")
			assert.NotContains(t, err.Error(), "Pw-1")
			require.NoError(t, svc.Ensure(ctx, app))
			require.NoError(t, svc.Check(ctx, app))
		})
	}
}

func TestEnsureRefusesTheAdminAndBadNames(t *testing.T) {
	svc, srv := newService(t)
	ctx := context.Background()
	assert.ErrorContains(t, svc.Ensure(ctx, secretstest.Credentials(t, "mqadmin", "x")), "must not be the broker admin")
	assert.Error(t, svc.Ensure(ctx, secretstest.Credentials(t, "no/slash", "x")))
	svc.Admin = func(context.Context) (secrets.Credentials, error) { return secrets.Credentials{}, errors.New("denied") }
	assert.ErrorContains(t, svc.Ensure(ctx, secretstest.Credentials(t, "morpheus", "x")), "admin secret")
	assert.Empty(t, srv.Requests())
}

func TestCheckWantsTheSameName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"name":"someone_else","tags":[]}`))
	}))
	defer srv.Close()
	c, err := rabbitops.New(srv.URL, nil)
	require.NoError(t, err)
	svc := &rabbitops.Service{Client: c, VHost: "morpheus"}
	assert.ErrorContains(t, svc.Check(context.Background(), secretstest.Credentials(t, "morpheus", "pw")), `logged in as "someone_else"`)
}

func TestPolicy(t *testing.T) {
	svc, _ := newService(t)
	assert.Equal(t, password.RabbitMQ, svc.Policy())
	assert.Equal(t, "rabbitmq", svc.Name())
}

// TestAdminChangesItsOwnPasswordKeepingItsTags: the broker admin reads its
// own user, then PUTs the new password with the tags it read, authenticated
// with its current password; afterwards only the new password logs in.
func TestAdminChangesItsOwnPasswordKeepingItsTags(t *testing.T) {
	for _, stringTags := range []bool{false, true} {
		t.Run(map[bool]string{false: "tags as a list", true: "tags as a string"}[stringTags], func(t *testing.T) {
			srv := rabbittest.New("mqadmin", "Old-pw-1", false)
			defer srv.Close()
			srv.StringTags = stringTags
			c, err := rabbitops.New(srv.URL, srv.Client())
			require.NoError(t, err)
			adm := &rabbitops.Admin{Client: c}
			ctx := context.Background()
			cur := secretstest.Credentials(t, "mqadmin", "Old-pw-1")
			require.NoError(t, adm.CheckLogin(ctx, cur))

			require.NoError(t, adm.ChangePassword(ctx, cur, "New-pw-2"))
			reqs := srv.Requests()
			require.Len(t, reqs, 3)
			assert.Equal(t, "GET /api/users/mqadmin", reqs[1].Method+" "+reqs[1].Path)
			assert.Equal(t, "PUT /api/users/mqadmin", reqs[2].Method+" "+reqs[2].Path)
			assert.Equal(t, map[string]any{"password": "New-pw-2", "tags": "administrator"}, reqs[2].Body)
			for _, r := range reqs {
				assert.Equal(t, "mqadmin", r.User)
			}
			u, _ := srv.User("mqadmin")
			assert.Equal(t, rabbittest.User{Password: "New-pw-2", Tags: "administrator"}, u)
			assert.NoError(t, adm.CheckLogin(ctx, cur.WithLogin("mqadmin", "New-pw-2")))
			assert.Error(t, adm.CheckLogin(ctx, cur))
		})
	}
}

func TestAdminPasswordChangeFailures(t *testing.T) {
	cur := secretstest.Credentials(t, "mqadmin", "Old-pw-1")
	t.Run("reading the user fails: nothing is written", func(t *testing.T) {
		srv := rabbittest.New("mqadmin", "Old-pw-1", false)
		defer srv.Close()
		c, err := rabbitops.New(srv.URL, srv.Client())
		require.NoError(t, err)
		srv.FailNext("/api/users/", http.StatusServiceUnavailable)
		require.ErrorContains(t, (&rabbitops.Admin{Client: c}).ChangePassword(context.Background(), cur, "New-pw-2"), "HTTP 503")
		assert.Len(t, srv.Requests(), 1)
		u, _ := srv.User("mqadmin")
		assert.Equal(t, "Old-pw-1", u.Password)
	})
	t.Run("the write fails: the error quotes neither password", func(t *testing.T) {
		// A broker that echoes the request in its error.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				_, _ = w.Write([]byte(`{"name":"mqadmin","tags":["administrator","management"]}`))
				return
			}
			_, pw, _ := r.BasicAuth()
			var body bytes.Buffer
			_, _ = body.ReadFrom(r.Body)
			http.Error(w, pw+" "+body.String(), http.StatusInternalServerError)
		}))
		defer srv.Close()
		c, err := rabbitops.New(srv.URL, nil)
		require.NoError(t, err)
		err = (&rabbitops.Admin{Client: c}).ChangePassword(context.Background(), cur, "New-pw-2")
		require.ErrorContains(t, err, "HTTP 500")
		assert.Contains(t, err.Error(), "administrator,management", "both tags were sent back")
		assert.NotContains(t, err.Error(), "Old-pw-1")
		assert.NotContains(t, err.Error(), "New-pw-2")
	})
}

func TestAdminPolicy(t *testing.T) {
	adm := &rabbitops.Admin{}
	assert.Equal(t, password.RabbitMQ, adm.Policy())
	assert.Equal(t, "rabbitmq", adm.Name())
}
