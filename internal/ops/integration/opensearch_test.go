package integration_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops/searchtest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

// newSearch starts the security API fake, over TLS like the real domain, with
// a store holding its master and an app login, and the service on it.
func newSearch(t *testing.T) (*searchtest.Server, *searchops.Client, *secretstest.Fake, *searchops.Service) {
	t.Helper()
	srv := searchtest.New("master", "Os-master-pw1", true)
	t.Cleanup(srv.Close)
	client, err := searchops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	pw, err := password.OpenSearch.Generate()
	require.NoError(t, err)
	store := newStore(t, "master", "Os-master-pw1", "morpheus_it", pw)
	svc := &searchops.Service{Client: client, Role: searchops.Role{Name: "morpheus_role", IndexPatterns: []string{"*"}}, Admin: adminFrom(store)}
	return srv, client, store, svc
}

// OpenSearch has no Debian package: its security API is the stateful fake.
func TestOpenSearchFlow(t *testing.T) {
	srv, _, store, svc := newSearch(t)

	flow(t, store, svc, "morpheus_it")

	assert.Equal(t, []string{"morpheus_it", "morpheus_it_clone"}, srv.Mapping("morpheus_role"))
	for _, r := range srv.Requests() {
		if r.Path != "/_plugins/_security/authinfo" {
			assert.Equal(t, "master", r.User, "security API calls are made as the master user")
		}
	}
}

// TestOpenSearchMasterRotation rotates the master user in place through the
// account API of the fake.
func TestOpenSearchMasterRotation(t *testing.T) {
	srv, client, store, svc := newSearch(t)

	adminFlow(t, store, &searchops.Admin{Client: client}, svc)

	v, _ := store.ValueAt(adminARN, "AWSCURRENT")
	assert.Contains(t, v, srv.MasterPassword())
}
