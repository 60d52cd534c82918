package sigv4_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/sigv4"
)

// TestSignsWithScopeAndPayloadHash: the request reaches the server signed for
// the service and region, with the session token and the body intact.
func TestSignsWithScopeAndPayloadHash(t *testing.T) {
	for _, tc := range []struct {
		name, method, body string
	}{
		{"put with body", http.MethodPut, `{"type":"s3"}`},
		{"get without body", http.MethodGet, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *http.Request
			var gotBody string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r
				b, _ := io.ReadAll(r.Body)
				gotBody = string(b)
			}))
			defer srv.Close()
			creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "session-token")
			c := sigv4.Client(srv.Client(), creds, sigv4.ServiceOpenSearch, "eu-west-1")
			c.Transport.(*sigv4.Transport).Now = func() time.Time { return time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC) }
			req, err := http.NewRequest(tc.method, srv.URL+"/_snapshot/repo", strings.NewReader(tc.body))
			require.NoError(t, err)
			resp, err := c.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			auth := got.Header.Get("Authorization")
			assert.True(t, strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-west-1/es/aws4_request"), auth)
			assert.Contains(t, auth, "SignedHeaders=")
			assert.Contains(t, auth, "x-amz-content-sha256")
			assert.Equal(t, "20261207T030000Z", got.Header.Get("X-Amz-Date"))
			assert.Equal(t, "session-token", got.Header.Get("X-Amz-Security-Token"))
			assert.Equal(t, tc.body, gotBody)
		})
	}
}

// TestRefusesWithoutScope: an unsigned request never leaves.
func TestRefusesWithoutScope(t *testing.T) {
	tr := &sigv4.Transport{Credentials: aws.AnonymousCredentials{}}
	_, err := tr.RoundTrip(httptest.NewRequest(http.MethodGet, "https://example.com/", nil))
	assert.ErrorContains(t, err, "Service and Region are required")
}
