package loadcheck_test

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Credentials of the fake; distinctive so a leak is found by substring.
const (
	fakeUser     = `2\loadtester`
	fakePassword = "pw-Zq7!x9-never-print-me"
	fakeToken    = "tok-e1d62c34-never-print-me"
)

// pathBehaviour is how the fake answers one API path.
type pathBehaviour struct {
	// latency delays the answer.
	latency time.Duration
	// status, when set, is the answer's status.
	status int
	// hang answers only when the client gives up.
	hang bool
	// truncate sends headers promising a body it never finishes.
	truncate bool
}

// fakeMorpheus is Morpheus' token endpoint and API on 127.0.0.1 over TLS. It
// answers the login only for the form the API reference prescribes, and API
// paths other than /api/ping (public, as in Morpheus) only with the token as a
// Bearer header; it counts every request per path.
type fakeMorpheus struct {
	t      *testing.T
	srv    *httptest.Server
	caFile string
	paths  map[string]pathBehaviour

	mu           sync.Mutex
	hits         map[string]int
	arrivals     []time.Time
	logins       int
	loginProblem []string
	authFailures int
}

func newFakeMorpheus(t *testing.T, paths map[string]pathBehaviour) *fakeMorpheus {
	t.Helper()
	f := &fakeMorpheus{t: t, paths: paths, hits: map[string]int{}}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	// Client timeouts and truncations make the server log; keep test output clean.
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	f.caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw})
	if err := os.WriteFile(f.caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fakeMorpheus) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth/token" {
		f.login(w, r)
		return
	}
	f.mu.Lock()
	f.hits[r.URL.Path]++
	f.arrivals = append(f.arrivals, time.Now())
	f.mu.Unlock()
	if r.URL.Path != "/api/ping" && r.Header.Get("Authorization") != "Bearer "+fakeToken {
		f.mu.Lock()
		f.authFailures++
		f.mu.Unlock()
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
		return
	}
	b, ok := f.paths[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if b.hang {
		<-r.Context().Done()
		return
	}
	if b.latency > 0 {
		select {
		case <-time.After(b.latency):
		case <-r.Context().Done():
			return
		}
	}
	if b.truncate {
		hj, ok := w.(http.Hijacker)
		if !ok {
			f.t.Error("fake: cannot hijack")
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			f.t.Error(err)
			return
		}
		// Headers and part of the body, then the connection closes. A
		// connection reset before any byte would be retried by Go's transport
		// (GET is idempotent) and counted twice here.
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":")
		_ = buf.Flush()
		_ = conn.Close()
		return
	}
	if b.status != 0 {
		w.WriteHeader(b.status)
		_, _ = w.Write([]byte(`{"success":false}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"success":true,"instances":[]}`))
}

// login checks the request against the documented form
// (POST /oauth/token?grant_type=password&scope=write&client_id=morph-api,
// form-encoded username and password) and records every deviation.
func (f *fakeMorpheus) login(w http.ResponseWriter, r *http.Request) {
	var problems []string
	q := r.URL.Query()
	if r.Method != http.MethodPost {
		problems = append(problems, "method "+r.Method)
	}
	for k, want := range map[string]string{"grant_type": "password", "scope": "write", "client_id": "morph-api"} {
		if q.Get(k) != want {
			problems = append(problems, "query "+k+"="+q.Get(k))
		}
	}
	if q.Has("password") || q.Has("username") {
		problems = append(problems, "credentials in the query")
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		problems = append(problems, "content type "+ct)
	}
	if err := r.ParseForm(); err != nil {
		problems = append(problems, "form: "+err.Error())
	}
	f.mu.Lock()
	f.logins++
	f.loginProblem = append(f.loginProblem, problems...)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if len(problems) > 0 || r.PostForm.Get("username") != fakeUser || r.PostForm.Get("password") != fakePassword {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Bad credentials"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": fakeToken, "refresh_token": "refresh-never-print-me",
		"token_type": "bearer", "expires_in": 30463819, "scope": "write",
	})
}

// hitsByPath returns a copy of the per-path request counts.
func (f *fakeMorpheus) hitsByPath() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.hits {
		out[k] = v
	}
	return out
}

// arrivalTimes returns when each API request arrived, in order.
func (f *fakeMorpheus) arrivalTimes() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.arrivals...)
}

func (f *fakeMorpheus) totalHits() int {
	n := 0
	for _, v := range f.hitsByPath() {
		n += v
	}
	return n
}

// assertCleanLogin fails the test unless exactly n logins arrived, all in the
// documented form, and every API request carried the token.
func (f *fakeMorpheus) assertCleanLogin(n int) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logins != n || len(f.loginProblem) > 0 || f.authFailures > 0 {
		f.t.Errorf("fake: %d logins (want %d), problems %q, %d requests without the Bearer token",
			f.logins, n, f.loginProblem, f.authFailures)
	}
}

// env returns a getenv for Main with the given variables only.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}
