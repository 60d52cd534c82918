package handler_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/appliance"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

const arnMorpheusAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/morpheus-admin-AbC123"

// setupServer answers /api/setup/check with needed and records init bodies.
type setupServer struct {
	mu     sync.Mutex
	needed bool
	inits  []map[string]string
}

func (s *setupServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.URL.Path {
	case "/api/setup/check":
		_ = json.NewEncoder(w).Encode(map[string]any{"setupNeeded": s.needed})
	case "/api/setup/init":
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		s.inits = append(s.inits, body)
		s.needed = false
		_ = json.NewEncoder(w).Encode(map[string]any{"success": true})
	default:
		http.NotFound(w, r)
	}
}

func setupEvent(url string, extra string) string {
	return `{"action":"setup","applianceUrl":"` + url + `","applianceName":"morpheus-ha-prod","accountName":"Example",
	  "username":"admin","email":"admin@example.com","firstName":"Ada","lastName":"Lovelace",
	  "adminSecretArn":"` + arnMorpheusAdmin + `","appGroup":"morpheus-ha-prod-app"` + extra + `}`
}

func newSetupHandler(t *testing.T, needed bool) (*handler.Handler, *setupServer, string) {
	t.Helper()
	srv := &setupServer{needed: needed}
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	store := secretstest.New()
	store.Create(arnMorpheusAdmin, `{"username":"admin","password":"Adm1n-pw.~xyz"}`)
	return handler.New(handler.Config{Store: store, HTTP: ts.Client()}), srv, ts.URL
}

// TestSetupInitialisesOnce: the event's values and the secret's password go
// to init; a second event finds the appliance set up and changes nothing.
func TestSetupInitialisesOnce(t *testing.T) {
	h, srv, url := newSetupHandler(t, true)
	res, err := h.Handle(context.Background(), json.RawMessage(setupEvent(url, "")))
	require.NoError(t, err)
	assert.Equal(t, handler.SetupResult{Action: "setup", Outcome: outcome(true, true)}, res)
	require.Len(t, srv.inits, 1)
	assert.Equal(t, map[string]string{
		"applianceName": "morpheus-ha-prod", "applianceUrl": url, "accountName": "Example", "username": "admin",
		"password": "Adm1n-pw.~xyz", "email": "admin@example.com", "firstName": "Ada", "lastName": "Lovelace",
	}, srv.inits[0])

	res, err = h.Handle(context.Background(), json.RawMessage(setupEvent(url, "")))
	require.NoError(t, err)
	assert.Equal(t, handler.SetupResult{Action: "setup", Outcome: outcome(false, false)}, res)
	assert.Len(t, srv.inits, 1)

	b, err := json.Marshal(res)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "Adm1n", "the result (kept in state) has no password")
}

// TestSetupEventIsStrict: a password in the event, an unknown field or a
// missing value is refused before any call.
func TestSetupEventIsStrict(t *testing.T) {
	h, srv, url := newSetupHandler(t, true)
	for name, tc := range map[string]struct{ event, want string }{
		"password":      {setupEvent(url, `,"password":"x"`), `unknown field "password"`},
		"unknown field": {setupEvent(url, `,"license":"x"`), `unknown field "license"`},
		"no secret":     {strings.Replace(setupEvent(url, ""), arnMorpheusAdmin, "", 1), "adminSecretArn is required"},
		"no email":      {strings.Replace(setupEvent(url, ""), "admin@example.com", "", 1), "email is required"},
		"no group":      {strings.Replace(setupEvent(url, ""), "morpheus-ha-prod-app", "", 1), "appGroup is required"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := h.Handle(context.Background(), json.RawMessage(tc.event))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.Empty(t, srv.inits)
}

func outcome(needed, initialized bool) appliance.Outcome {
	return appliance.Outcome{SetupNeeded: needed, Initialized: initialized}
}
