package opshttp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

func TestDoSendsEscapedPathAuthAndJSON(t *testing.T) {
	var gotPath, gotUser, gotPW, gotCT, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		gotUser, gotPW, _ = r.BasicAuth()
		gotCT = r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"name":"ok"}`))
	}))
	defer srv.Close()

	c, err := opshttp.New(srv.URL+"/prefix/", nil)
	require.NoError(t, err)
	var out struct{ Name string }
	code, err := c.Do(context.Background(), opshttp.Request{
		Method: http.MethodPut, Path: []string{"api", "vhosts", "a/b c"},
		Auth: secretstest.Credentials(t, "admin", "pw"), Body: map[string]string{"k": "v"},
	}, &out)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, code)
	assert.Equal(t, "ok", out.Name)
	assert.Equal(t, "/prefix/api/vhosts/a%2Fb%20c", gotPath, "a segment cannot add path segments")
	assert.Equal(t, "admin", gotUser)
	assert.Equal(t, "pw", gotPW)
	assert.Equal(t, "application/json", gotCT)
	assert.JSONEq(t, `{"k":"v"}`, gotBody)
}

func TestDoStatusErrorsRedactSecrets(t *testing.T) {
	const pw, bodyPW = "adminSecret-1", "userSecret-2"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		// A server that echoes the request and the auth header.
		_, _ = w.Write([]byte(`{"reason":"bad ` + string(b) + ` from ` + pw + `"}` + strings.Repeat("x", 2000)))
	}))
	defer srv.Close()
	c, err := opshttp.New(srv.URL, srv.Client())
	require.NoError(t, err)
	_, err = c.Do(context.Background(), opshttp.Request{
		Method: http.MethodPut, Path: []string{"api", "users", "u"}, Auth: secretstest.Credentials(t, "admin", pw),
		Body: map[string]string{"password": bodyPW}, Redact: []string{bodyPW},
	}, nil)
	require.Error(t, err)
	assert.True(t, opshttp.IsStatus(err, http.StatusBadRequest))
	assert.NotContains(t, err.Error(), pw)
	assert.NotContains(t, err.Error(), bodyPW)
	assert.Contains(t, err.Error(), "PUT /api/users/u: HTTP 400")
	assert.Less(t, len(err.Error()), 700, "error bodies are truncated")
}

func TestDoAcceptsOnlyListedStatuses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	c, err := opshttp.New(srv.URL, nil)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), opshttp.Request{Method: http.MethodGet, Path: []string{"x"}, OK: []int{http.StatusOK}}, nil)
	assert.True(t, opshttp.IsStatus(err, http.StatusNoContent))
	_, err = c.Do(context.Background(), opshttp.Request{Method: http.MethodGet, Path: []string{"x"}}, nil)
	assert.NoError(t, err)
}

func TestDoRejectsDotSegments(t *testing.T) {
	c, err := opshttp.New("http://127.0.0.1:1", nil)
	require.NoError(t, err)
	for _, seg := range []string{"", ".", ".."} {
		_, err := c.Do(context.Background(), opshttp.Request{Method: http.MethodGet, Path: []string{"api", seg}}, nil)
		assert.ErrorContains(t, err, "invalid path segment")
	}
}

func TestNewRejectsBadBaseURLs(t *testing.T) {
	for _, u := range []string{"", "example.com", "ftp://h", "https://user:pw@h", "https://h?x=1", "https://h#f"} {
		_, err := opshttp.New(u, nil)
		assert.Error(t, err, u)
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	c := opshttp.DefaultHTTPClient()
	assert.NotZero(t, c.Timeout)
	tr := c.Transport.(*http.Transport)
	assert.GreaterOrEqual(t, tr.TLSClientConfig.MinVersion, uint16(0x0303), "TLS 1.2 or newer")
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
}

// TestDoBoundsResponses: a body over the bound fails instead of being cut
// short; MaxBody raises the bound for one request.
func TestDoBoundsResponses(t *testing.T) {
	big := `"` + strings.Repeat("a", 2<<20) + `"`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(big)) }))
	defer srv.Close()
	c, err := opshttp.New(srv.URL, srv.Client())
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		maxBody int64
		wantErr bool
	}{
		{"default bound", 0, true},
		{"raised bound", 4 << 20, false},
		{"exact fit", int64(len(big)), false},
		{"one byte short", int64(len(big)) - 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out string
			_, err := c.Do(context.Background(), opshttp.Request{Method: http.MethodGet, Path: []string{"x"}, MaxBody: tc.maxBody}, &out)
			if tc.wantErr {
				assert.ErrorContains(t, err, "response larger than")
				return
			}
			require.NoError(t, err)
			assert.Len(t, out, len(big)-2)
		})
	}
}
