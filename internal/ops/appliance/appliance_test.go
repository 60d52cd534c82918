package appliance_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/appliance"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

const (
	adminArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/morpheus-admin-AbC123"
	password = "Adm1n-pw.~xyz"
)

// fakeAppliance answers the setup API like Morpheus: check tells whether setup
// is needed, init works once and answers 400 afterwards.
type fakeAppliance struct {
	mu          sync.Mutex
	needed      bool
	initStatus  int // forced init status, 0 for the real behaviour
	inits       []map[string]string
	authHeaders []string
}

func (f *fakeAppliance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.authHeaders = append(f.authHeaders, r.Header.Get("Authorization"))
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/setup/check":
		_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "setupNeeded": f.needed})
	case r.Method == http.MethodPost && r.URL.Path == "/api/setup/init":
		var body map[string]string
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.inits = append(f.inits, body)
		if f.initStatus != 0 {
			w.WriteHeader(f.initStatus)
			_, _ = w.Write([]byte(`{"success":false,"msg":"already set up"}`))
			return
		}
		if !f.needed {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.needed = false
		_ = json.NewEncoder(w).Encode(map[string]any{"success": true})
	default:
		http.NotFound(w, r)
	}
}

func setup(url string) appliance.Setup {
	return appliance.Setup{
		ApplianceName: "morpheus-ha-prod", ApplianceURL: url, AccountName: "Example",
		Username: "admin", Email: "ops@example.com", FirstName: "Ops", LastName: "Team", AdminSecretARN: adminArn,
	}
}

func newEnv(t *testing.T, f *fakeAppliance) (*httptest.Server, *secretstest.Fake) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	store := secretstest.New()
	store.Create(adminArn, `{"username":"admin","password":"`+password+`"}`)
	return srv, store
}

func TestSetupNeededInitsOnceWithTheRightBody(t *testing.T) {
	f := &fakeAppliance{needed: true}
	srv, store := newEnv(t, f)
	out, err := appliance.Run(context.Background(), srv.Client(), store, setup(srv.URL))
	require.NoError(t, err)
	assert.Equal(t, appliance.Outcome{SetupNeeded: true, Initialized: true}, out)
	require.Len(t, f.inits, 1)
	assert.Equal(t, map[string]string{
		"applianceName": "morpheus-ha-prod", "applianceUrl": srv.URL, "accountName": "Example",
		"username": "admin", "password": password, "email": "ops@example.com", "firstName": "Ops", "lastName": "Team",
	}, f.inits[0])

	out, err = appliance.Run(context.Background(), srv.Client(), store, setup(srv.URL))
	require.NoError(t, err)
	assert.Equal(t, appliance.Outcome{}, out, "a second run finds the appliance set up")
	assert.Len(t, f.inits, 1, "init runs once")
	for _, h := range f.authHeaders {
		assert.Empty(t, h, "the setup API is called without credentials")
	}
	b, _ := json.Marshal(out)
	assert.NotContains(t, string(b), password)
}

func TestSetupNotNeededCallsNoInit(t *testing.T) {
	f := &fakeAppliance{needed: false}
	srv, store := newEnv(t, f)
	out, err := appliance.Run(context.Background(), srv.Client(), store, setup(srv.URL))
	require.NoError(t, err)
	assert.False(t, out.SetupNeeded)
	assert.Empty(t, f.inits)
}

func TestInit400IsDoneOnlyIfTheCheckAgrees(t *testing.T) {
	// Another run initialised the appliance between check and init.
	f := &fakeAppliance{needed: true, initStatus: http.StatusBadRequest}
	srv, store := newEnv(t, f)
	raced := &racing{fakeAppliance: f}
	srv.Config.Handler = raced
	out, err := appliance.Run(context.Background(), srv.Client(), store, setup(srv.URL))
	require.NoError(t, err, "the second check says no setup is needed")
	assert.False(t, out.Initialized)

	// A 400 while the appliance still needs its setup is a real failure.
	f2 := &fakeAppliance{needed: true, initStatus: http.StatusBadRequest}
	srv2, store2 := newEnv(t, f2)
	_, err = appliance.Run(context.Background(), srv2.Client(), store2, setup(srv2.URL))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HTTP 400")
	assert.NotContains(t, err.Error(), password)
}

// racing marks the appliance set up as soon as init is called, as a
// concurrent run would have.
type racing struct{ *fakeAppliance }

func (r *racing) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.fakeAppliance.ServeHTTP(w, req)
	if req.URL.Path == "/api/setup/init" {
		r.mu.Lock()
		r.needed = false
		r.mu.Unlock()
	}
}

func TestUnreachableApplianceNamesTheCause(t *testing.T) {
	srv, store := newEnv(t, &fakeAppliance{})
	srv.Close()
	_, err := appliance.Run(context.Background(), srv.Client(), store, setup(srv.URL))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "while loadBalancer.setupComplete is false")
}
