package rabbitops_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

// export is an old broker's definitions: its admin, Morpheus' pair, an
// operator, and the grants of each.
const export = `{"rabbit_version":"3.13.7","global_parameters":[{"name":"cluster_name","value":"old"}],
  "users":[{"name":"mqadmin","password_hash":"OLDADMINHASH","hashing_algorithm":"rabbit_password_hashing_sha256","tags":["administrator"]},
           {"name":"morpheus","password_hash":"OLDAPPHASH","tags":["administrator"]},
           {"name":"morpheus_clone","password_hash":"OLDCLONEHASH","tags":["administrator"]},
           {"name":"operator","password_hash":"OPERATORHASH","tags":["monitoring"]},
           {"name":"guest","password_hash":"GUESTHASH","tags":["administrator"]}],
  "vhosts":[{"name":"/"},{"name":"morpheus"}],
  "permissions":[{"user":"mqadmin","vhost":"morpheus","configure":".*","write":".*","read":".*"},
                 {"user":"morpheus","vhost":"morpheus","configure":".*","write":".*","read":".*"},
                 {"user":"operator","vhost":"morpheus","configure":"","write":"","read":".*"},
                 {"user":"guest","vhost":"/","configure":".*","write":".*","read":".*"}],
  "topic_permissions":[{"user":"morpheus_clone","vhost":"morpheus","exchange":"","write":".*","read":".*"}],
  "queues":[{"name":"morpheusAgentActions","vhost":"morpheus","durable":true,"auto_delete":false,"arguments":{}}],
  "exchanges":[],"bindings":[],
  "policies":[{"vhost":"morpheus","name":"ha","pattern":".*","apply-to":"queues","definition":{"ha-mode":"all"},"priority":0},
              {"vhost":"/","name":"AWS-DEFAULT-POLICY-ALL","pattern":".*","apply-to":"all","definition":{"ha-mode":"all"},"priority":0}]}`

func TestPrepareImportRemovesAdminAndOwnedUsers(t *testing.T) {
	out, sum, err := rabbitops.PrepareImport(json.RawMessage(export), []string{"mqadmin", "morpheus", "morpheus_clone"}, []string{"morpheus", "morpheus_clone"})
	require.NoError(t, err)
	assert.Equal(t, rabbitops.DefinitionsSummary{VHosts: 2, Users: 1, Queues: 1, Policies: 1,
		RemovedUsers: []string{"mqadmin", "morpheus", "morpheus_clone", "guest"}, RemovedPolicies: []string{"AWS-DEFAULT-POLICY-ALL"}}, sum)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(out, &doc))
	assert.Equal(t, []any{map[string]any{"name": "operator", "password_hash": "OPERATORHASH", "tags": []any{"monitoring"}}}, doc["users"])
	var grantees []string
	for _, p := range doc["permissions"].([]any) {
		grantees = append(grantees, p.(map[string]any)["user"].(string))
	}
	assert.Equal(t, []string{"mqadmin", "operator"}, grantees, "the admin exists and keeps its grants; the owned users' and guest's go")
	assert.Len(t, doc["policies"], 1, "Amazon MQ's own policies are the new broker's")
	assert.Empty(t, doc["topic_permissions"])
	assert.Equal(t, "3.13.7", doc["rabbit_version"], "other fields stay")
	assert.NotContains(t, string(out), "OLDADMINHASH")
	assert.NotContains(t, string(out), "OLDAPPHASH")
}

func TestPrepareImportRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"not an object":      `[]`,
		"null":               `null`,
		"users not a list":   `{"users":{"name":"x"}}`,
		"user not an object": `{"users":["x"]}`,
		"queues not a list":  `{"queues":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := rabbitops.PrepareImport(json.RawMessage(doc), []string{"mqadmin"}, nil)
			require.Error(t, err)
		})
	}
}

func TestImportDefinitionsPostsDocumentAsAdmin(t *testing.T) {
	_, srv := newService(t)
	c, err := rabbitops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	admin := secretstest.Credentials(t, "mqadmin", "adminpw")
	doc, _, err := rabbitops.PrepareImport(json.RawMessage(export), []string{"mqadmin"}, nil)
	require.NoError(t, err)
	require.NoError(t, c.ImportDefinitions(context.Background(), admin, doc))

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/api/definitions", reqs[0].Path)
	assert.Equal(t, "mqadmin", reqs[0].User)
	assert.Len(t, reqs[0].Body["users"], 3, "all but the admin and guest")
	assert.True(t, srv.HasVHost("morpheus"))
	assert.True(t, srv.HasQueue("morpheus", "morpheusAgentActions"))
	assert.True(t, srv.HasPolicy("morpheus", "ha"))
	u, ok := srv.User("operator")
	require.True(t, ok)
	assert.Equal(t, "OPERATORHASH", u.Hash)
	_, err = c.WhoAmI(context.Background(), admin)
	assert.NoError(t, err, "the admin still logs in")
}

// TestImportDefinitionsErrorHidesHashes: the broker's refusal may quote the
// document; the error must not carry a hash.
func TestImportDefinitionsErrorHidesHashes(t *testing.T) {
	_, srv := newService(t)
	c, err := rabbitops.New(srv.URL, srv.Client())
	require.NoError(t, err)
	admin := secretstest.Credentials(t, "mqadmin", "adminpw")
	// The operator's grant on a vhost neither the document nor the broker has.
	doc := json.RawMessage(`{"users":[{"name":"operator","password_hash":"OPERATORHASH","tags":""}],
	  "permissions":[{"user":"operator","vhost":"OPERATORHASH","configure":"","write":"","read":""}]}`)
	err = c.ImportDefinitions(context.Background(), admin, doc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "importing definitions")
	assert.NotContains(t, err.Error(), "OPERATORHASH")
}
