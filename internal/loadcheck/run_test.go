package loadcheck_test

import (
	"bytes"
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/loadcheck"
)

// runAgainst logs in to f and runs cfg's load, filling in the URL, the
// credentials and the fake's CA.
func runAgainst(t *testing.T, f *fakeMorpheus, cfg loadcheck.Config) *loadcheck.Report {
	t.Helper()
	u, err := url.Parse(f.srv.URL)
	require.NoError(t, err)
	cfg.BaseURL, cfg.Username, cfg.Password, cfg.CAFile = u, fakeUser, fakePassword, f.caFile
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	client, err := loadcheck.NewHTTPClient(cfg.CAFile, cfg.Timeout, cfg.Concurrency)
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	token, err := loadcheck.Login(context.Background(), client, cfg.BaseURL, cfg.Username, cfg.Password)
	require.NoError(t, err)
	return loadcheck.Run(context.Background(), client, cfg, token)
}

// within asserts got is within ±tol (a fraction) of want.
func within(t *testing.T, want, got, tol float64, what string) {
	t.Helper()
	assert.InDelta(t, want, got, want*tol, "%s: want %g ±%.0f%%, got %g", what, want, tol*100, got)
}

func TestRunCountsMatchTheServerAndLoginIsTheDocumentedForm(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{
		"/api/ping": {}, "/api/whoami": {latency: 5 * time.Millisecond}, "/api/instances": {},
	})
	r := runAgainst(t, f, loadcheck.Config{
		Rate: 60, Concurrency: 4, Duration: 300 * time.Millisecond,
		Paths: []string{"/api/ping", "/api/whoami", "/api/instances?max=25"},
	})
	f.assertCleanLogin(1)
	hits := f.hitsByPath()
	assert.Equal(t, int64(18), r.Offered, "60/s × 0.3s")
	assert.Equal(t, r.Offered, r.Sent+r.Dropped)
	assert.Equal(t, int(r.Sent), f.totalHits(), "every request sent reached the server once")
	for _, p := range r.ByPath {
		u, _ := url.Parse(p.Path)
		assert.Equal(t, int(p.Sent), hits[u.Path], p.Path)
	}
	assert.Zero(t, r.Errors, "errors: %v", r.ErrorsByClass)
	assert.Equal(t, r.Sent, r.Succeeded)
	assert.Equal(t, int(r.Sent), r.Overall.Count)
	whoami := r.ByPath[1]
	require.Equal(t, "/api/whoami", whoami.Path)
	assert.GreaterOrEqual(t, time.Duration(whoami.Latency.P50), 5*time.Millisecond, "the injected latency is measured")
	r.Evaluate(loadcheck.Thresholds{MaxErrorRate: 0.01})
	assert.True(t, r.Passed, "violations: %v", r.Violations)
}

func TestRunClassifiesErrors(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{
		"/api/ping":      {},
		"/api/servers":   {status: 503},
		"/api/instances": {hang: true},
		"/api/whoami":    {truncate: true},
	})
	r := runAgainst(t, f, loadcheck.Config{
		Rate: 40, Concurrency: 10, Duration: 200 * time.Millisecond, Timeout: 150 * time.Millisecond,
		Paths: []string{"/api/ping", "/api/servers?max=25", "/api/instances?max=25", "/api/whoami"},
	})
	f.assertCleanLogin(1)
	require.Equal(t, int64(8), r.Offered)
	require.Zero(t, r.Dropped, "10 workers for 8 requests")
	assert.Equal(t, int(r.Sent), f.totalHits())
	assert.Equal(t, map[string]int64{"http_503": 2, loadcheck.ClassTimeout: 2, loadcheck.ClassTransport: 2}, r.ErrorsByClass)
	assert.Equal(t, int64(6), r.Errors)
	assert.Equal(t, int64(2), r.Succeeded)
	assert.Equal(t, map[string]int64{}, r.ByPath[0].ErrorsByClass)
	assert.Equal(t, map[string]int64{"http_503": 2}, r.ByPath[1].ErrorsByClass)
	assert.Equal(t, map[string]int64{loadcheck.ClassTimeout: 2}, r.ByPath[2].ErrorsByClass)
	assert.Equal(t, map[string]int64{loadcheck.ClassTransport: 2}, r.ByPath[3].ErrorsByClass)
	// Latency covers responses of any status, not failures without one.
	assert.Equal(t, 4, r.Overall.Count)
	assert.Equal(t, 2, r.ByPath[1].Latency.Count)
	assert.Zero(t, r.ByPath[2].Latency.Count)
	assert.InDelta(t, 0.75, r.ErrorRate, 1e-9)
	r.Evaluate(loadcheck.Thresholds{MaxErrorRate: 0.01})
	assert.False(t, r.Passed)
}

func TestRunHonoursTheRate(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{"/api/ping": {}})
	start := time.Now()
	r := runAgainst(t, f, loadcheck.Config{Rate: 50, Concurrency: 10, Duration: time.Second, Paths: []string{"/api/ping"}})
	// ±30% is robust on a loaded 2-core machine, yet a doubled or halved rate fails it.
	within(t, 50, float64(f.totalHits()), 0.3, "requests the server received in 1s at 50/s")
	within(t, 1, r.WindowSeconds, 0.3, "window")
	within(t, 50, r.OfferedRate, 0.3, "offered rate")
	assert.Equal(t, int(r.Sent), f.totalHits())
	// Paced, not bursted: about half arrive in each half of the window.
	arrivals := f.arrivalTimes()
	require.NotEmpty(t, arrivals)
	firstHalf := 0
	for _, a := range arrivals {
		if a.Before(arrivals[0].Add(500 * time.Millisecond)) {
			firstHalf++
		}
	}
	within(t, 25, float64(firstHalf), 0.4, "requests in the first 500 ms")
	assert.Less(t, arrivals[0].Sub(start), time.Second, "the login and first request are prompt")
}

func TestRunSlowServerDropsInsteadOfSlowingDown(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{"/api/whoami": {latency: 100 * time.Millisecond}})
	r := runAgainst(t, f, loadcheck.Config{Rate: 40, Concurrency: 1, Duration: 500 * time.Millisecond, Paths: []string{"/api/whoami"}})
	// One worker at 100 ms per request can take about 5 of the 20 offered.
	assert.Equal(t, int64(20), r.Offered, "the offered load does not follow the server")
	within(t, 40, r.OfferedRate, 0.3, "offered rate")
	assert.Equal(t, r.Offered, r.Sent+r.Dropped)
	assert.Greater(t, r.Dropped, int64(10))
	assert.LessOrEqual(t, r.Sent, int64(7))
	assert.Equal(t, int(r.Sent), f.totalHits())
	assert.Zero(t, r.Errors)
	r.Evaluate(loadcheck.Thresholds{MaxErrorRate: 0.01})
	assert.False(t, r.Passed, "dropped requests count against -max-error-rate")
}

func TestRunStopsOfferingWhenCancelled(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, map[string]pathBehaviour{"/api/ping": {}})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	u, err := url.Parse(f.srv.URL)
	require.NoError(t, err)
	cfg := loadcheck.Config{BaseURL: u, Rate: 20, Concurrency: 2, Duration: 10 * time.Second, Timeout: time.Second, Paths: []string{"/api/ping"}}
	client, err := loadcheck.NewHTTPClient(f.caFile, cfg.Timeout, cfg.Concurrency)
	require.NoError(t, err)
	start := time.Now()
	r := loadcheck.Run(ctx, client, cfg, "")
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.True(t, r.Interrupted)
	assert.Less(t, r.Offered, int64(10))
	assert.Equal(t, int(r.Sent), f.totalHits())
	var out bytes.Buffer
	require.NoError(t, r.WriteText(&out))
	assert.Contains(t, out.String(), "(interrupted)")
}

func TestUntrustedCertificateIsRefused(t *testing.T) {
	t.Parallel()
	f := newFakeMorpheus(t, nil)
	u, err := url.Parse(f.srv.URL)
	require.NoError(t, err)
	client, err := loadcheck.NewHTTPClient("", time.Second, 1) // system roots only
	require.NoError(t, err)
	_, err = loadcheck.Login(context.Background(), client, u, fakeUser, fakePassword)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.Contains(t, err.Error(), "-ca-file", "the error says how to trust a private CA")
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Zero(t, f.logins, "the password never reached an unverified server")
}
