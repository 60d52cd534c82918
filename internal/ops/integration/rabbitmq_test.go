package integration_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
)

const itVHost = "morpheus_it"

type rabbitEnv struct {
	url, user, pw string
}

func newRabbit(t *testing.T) rabbitEnv {
	t.Helper()
	env := requireEnv(t, "MORPHEUS_IT_RABBIT_URL", "MORPHEUS_IT_RABBIT_USER", "MORPHEUS_IT_RABBIT_PASSWORD")
	return rabbitEnv{url: env["MORPHEUS_IT_RABBIT_URL"], user: env["MORPHEUS_IT_RABBIT_USER"], pw: env["MORPHEUS_IT_RABBIT_PASSWORD"]}
}

// call makes a raw management API call as the admin.
func (e rabbitEnv) call(t *testing.T, method, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth(e.user, e.pw)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return resp
}

// put makes a raw management API PUT with a JSON body as the admin.
func (e rabbitEnv) put(t *testing.T, path string, body any) *http.Response {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPut, e.url+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(e.user, e.pw)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return resp
}

func (e rabbitEnv) reset(t *testing.T, users ...string) {
	t.Helper()
	drop := func() {
		for _, u := range users {
			e.call(t, http.MethodDelete, "/api/users/"+url.PathEscape(u)).Body.Close()
		}
		e.call(t, http.MethodDelete, "/api/vhosts/"+itVHost).Body.Close()
	}
	drop()
	t.Cleanup(drop)
}

func TestRabbitMQFlow(t *testing.T) {
	e := newRabbit(t)
	e.reset(t, "morpheus_it", "morpheus_it_clone")
	client, err := rabbitops.New(e.url, nil)
	require.NoError(t, err)
	pw, err := password.RabbitMQ.Generate()
	require.NoError(t, err)
	store := newStore(t, e.user, e.pw, "morpheus_it", pw)
	svc := &rabbitops.Service{Client: client, VHost: itVHost, Admin: adminFrom(store)}

	flow(t, store, svc, "morpheus_it")

	for _, u := range []string{"morpheus_it", "morpheus_it_clone"} {
		var perm struct{ Configure, Write, Read string }
		resp := e.call(t, http.MethodGet, "/api/permissions/"+itVHost+"/"+u)
		require.Equal(t, http.StatusOK, resp.StatusCode, u)
		require.NoError(t, decodeJSON(resp, &perm))
		assert.Equal(t, ".*", perm.Configure, u)
		assert.Equal(t, ".*", perm.Write, u)
		assert.Equal(t, ".*", perm.Read, u)

		var user struct{ Tags any }
		resp = e.call(t, http.MethodGet, "/api/users/"+u)
		require.Equal(t, http.StatusOK, resp.StatusCode, u)
		require.NoError(t, decodeJSON(resp, &user))
		assert.Contains(t, user.Tags, "administrator", u)
	}
}

// TestRabbitMQAdminRotation rotates a dedicated administrator in place (not
// the server's own admin, which the other tests use) and checks that it keeps
// its tags.
func TestRabbitMQAdminRotation(t *testing.T) {
	e := newRabbit(t)
	const itAdmin = "morpheus_it_admin"
	e.reset(t, itAdmin, "morpheus_it")
	client, err := rabbitops.New(e.url, nil)
	require.NoError(t, err)
	adminPW, err := password.RabbitMQ.Generate()
	require.NoError(t, err)
	resp := e.put(t, "/api/users/"+itAdmin, map[string]any{"password": adminPW, "tags": "administrator,monitoring"})
	require.Less(t, resp.StatusCode, 300, resp.Status)
	resp.Body.Close()
	// The management API needs permissions on a vhost only for vhost calls;
	// the bootstrap below creates its own vhost as this admin.
	appPW, err := password.RabbitMQ.Generate()
	require.NoError(t, err)
	store := newStore(t, itAdmin, adminPW, "morpheus_it", appPW)
	svc := &rabbitops.Service{Client: client, VHost: itVHost, Admin: adminFrom(store)}

	adminFlow(t, store, &rabbitops.Admin{Client: client}, svc)

	var user struct{ Tags any }
	resp = e.call(t, http.MethodGet, "/api/users/"+itAdmin)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, decodeJSON(resp, &user))
	assert.ElementsMatch(t, []any{"administrator", "monitoring"}, user.Tags, "the rotation kept the admin's tags")
}
