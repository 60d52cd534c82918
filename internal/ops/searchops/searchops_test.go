package searchops_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops/searchtest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

func newService(t *testing.T) (*searchops.Service, *searchtest.Server) {
	t.Helper()
	srv := searchtest.New("master", "Master-pw1", false)
	t.Cleanup(srv.Close)
	c, err := searchops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	admin := secretstest.Credentials(t, "master", "Master-pw1")
	return &searchops.Service{
		Client: c,
		Role:   searchops.Role{Name: searchops.DefaultRole, IndexPatterns: searchops.DefaultIndexPatterns},
		Admin:  func(context.Context) (secrets.Credentials, error) { return admin, nil },
	}, srv
}

func TestEnsureSendsRoleUserAndMappingAsMaster(t *testing.T) {
	svc, srv := newService(t)
	ctx := context.Background()
	app := secretstest.Credentials(t, "morpheus", "Pw-1a")
	require.NoError(t, svc.Ensure(ctx, app))

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "PUT /_plugins/_security/api/roles/morpheus_role", reqs[0].Method+" "+reqs[0].Path)
	assert.Equal(t, map[string]any{
		"cluster_permissions": []any{"cluster_composite_ops", "cluster_monitor", "cluster_manage_index_templates"},
		"index_permissions":   []any{map[string]any{"index_patterns": []any{"*"}, "allowed_actions": []any{"indices_all"}}},
	}, reqs[0].Body)
	assert.Equal(t, "PUT /_plugins/_security/api/internalusers/morpheus", reqs[1].Method+" "+reqs[1].Path)
	assert.Equal(t, map[string]any{"password": "Pw-1a", "backend_roles": []any{}}, reqs[1].Body)
	assert.Equal(t, "PUT /_plugins/_security/api/rolesmapping/morpheus_role", reqs[2].Method+" "+reqs[2].Path)
	assert.Equal(t, map[string]any{"users": []any{"morpheus", "morpheus_clone"}, "backend_roles": []any{}, "hosts": []any{}}, reqs[2].Body,
		"both alternating users stay mapped, never the master")
	for _, r := range reqs {
		assert.Equal(t, "master", r.User)
	}

	require.NoError(t, svc.Check(ctx, app))
	assert.Error(t, svc.Check(ctx, app.WithLogin("morpheus", "wrong")))
}

func TestEnsureFailureAndRetry(t *testing.T) {
	for _, prefix := range []string{"/_plugins/_security/api/roles/", "/_plugins/_security/api/internalusers/", "/_plugins/_security/api/rolesmapping/"} {
		t.Run(prefix, func(t *testing.T) {
			svc, srv := newService(t)
			ctx := context.Background()
			app := secretstest.Credentials(t, "morpheus_clone", "Pw-1a")
			srv.FailNext(prefix, http.StatusInternalServerError)
			err := svc.Ensure(ctx, app)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "HTTP 500")
			assert.NotContains(t, err.Error(), "Pw-1a")
			require.NoError(t, svc.Ensure(ctx, app))
			require.NoError(t, svc.Check(ctx, app))
			assert.Equal(t, []string{"morpheus", "morpheus_clone"}, srv.Mapping(searchops.DefaultRole))
		})
	}
}

func TestNeverMapsTheMasterUser(t *testing.T) {
	svc, srv := newService(t)
	ctx := context.Background()
	svc.Admin = func(context.Context) (secrets.Credentials, error) {
		return secretstest.Credentials(t, "morpheus_clone", "x"), nil
	}
	assert.ErrorContains(t, svc.Ensure(ctx, secretstest.Credentials(t, "morpheus", "Pw-1a")), "must not include the master user")
	assert.Empty(t, srv.Requests())

	c, err := searchops.New(srv.URL, nil)
	require.NoError(t, err)
	err = c.EnsureRoleMapping(ctx, secretstest.Credentials(t, "master", "Master-pw1"), "morpheus_role", []string{"morpheus", "master"})
	assert.ErrorContains(t, err, "refusing to map the master user")
	assert.Empty(t, srv.Requests())
}

func TestCheckWantsTheRole(t *testing.T) {
	svc, srv := newService(t)
	ctx := context.Background()
	c, err := searchops.New(srv.URL, nil)
	require.NoError(t, err)
	admin := secretstest.Credentials(t, "master", "Master-pw1")
	require.NoError(t, c.EnsureInternalUser(ctx, admin, "morpheus", "Pw-1a"))
	assert.ErrorContains(t, svc.Check(ctx, secretstest.Credentials(t, "morpheus", "Pw-1a")), "lacks role morpheus_role")
}

func TestAdminSecretFailure(t *testing.T) {
	svc, _ := newService(t)
	svc.Admin = func(context.Context) (secrets.Credentials, error) { return secrets.Credentials{}, errors.New("denied") }
	assert.ErrorContains(t, svc.Ensure(context.Background(), secretstest.Credentials(t, "morpheus", "Pw-1a")), "master secret")
	assert.Equal(t, password.OpenSearch, svc.Policy())
	assert.Equal(t, "opensearch", svc.Name())
}

func TestFakeChecksAuth(t *testing.T) {
	// The fake must reject what the plugin rejects, or the tests above prove nothing.
	srv := searchtest.New("master", "Master-pw1", false)
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPut, srv.URL+"/_plugins/_security/api/internalusers/x", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("master:wrong")))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

// TestMasterChangesItsOwnPassword: the master user calls the account API as
// itself with its current password; afterwards only the new one logs in.
func TestMasterChangesItsOwnPassword(t *testing.T) {
	srv := searchtest.New("osmaster", "Old-pw-1a", false)
	defer srv.Close()
	c, err := searchops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	adm := &searchops.Admin{Client: c}
	ctx := context.Background()
	cur := secretstest.Credentials(t, "osmaster", "Old-pw-1a")
	require.NoError(t, adm.CheckLogin(ctx, cur))

	require.NoError(t, adm.ChangePassword(ctx, cur, "New-pw-2b"))
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "PUT /_plugins/_security/api/account", reqs[1].Method+" "+reqs[1].Path)
	assert.Equal(t, "osmaster", reqs[1].User)
	assert.Equal(t, map[string]any{"current_password": "Old-pw-1a", "password": "New-pw-2b"}, reqs[1].Body)
	assert.Equal(t, "New-pw-2b", srv.MasterPassword())
	assert.NoError(t, adm.CheckLogin(ctx, cur.WithLogin("osmaster", "New-pw-2b")))
	assert.Error(t, adm.CheckLogin(ctx, cur))
	assert.ErrorContains(t, adm.CheckLogin(ctx, cur.WithLogin("someone", "New-pw-2b")), "HTTP 401")
}

func TestMasterPasswordChangeFailureQuotesNoPassword(t *testing.T) {
	srv := searchtest.New("osmaster", "Old-pw-1a", false)
	defer srv.Close()
	c, err := searchops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	srv.FailNext("/_plugins/_security/api/account", http.StatusServiceUnavailable)
	err = (&searchops.Admin{Client: c}).ChangePassword(context.Background(), secretstest.Credentials(t, "osmaster", "Old-pw-1a"), "New-pw-2b")
	require.ErrorContains(t, err, "HTTP 503")
	assert.NotContains(t, err.Error(), "Old-pw-1a")
	assert.NotContains(t, err.Error(), "New-pw-2b")
	assert.Equal(t, "Old-pw-1a", srv.MasterPassword())
}

func TestAdminPolicy(t *testing.T) {
	adm := &searchops.Admin{}
	assert.Equal(t, password.OpenSearch, adm.Policy())
	assert.Equal(t, "opensearch", adm.Name())
}
