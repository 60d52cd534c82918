// Package opshttp is the small JSON-over-HTTPS client the RabbitMQ management
// API and the OpenSearch security API share: basic auth, escaped path segments,
// bounded responses, and errors that never carry a password.
package opshttp

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// maxBody bounds how much of a response is read: these APIs answer with small
// documents, and an error body is quoted in the error.
const maxBody = 1 << 20

// maxErrorBody bounds how much of an error body an error quotes.
const maxErrorBody = 512

// DefaultHTTPClient is the client production uses: TLS 1.2 or newer, verified
// against the system roots, and a deadline on every request.
func DefaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	tr.Proxy = nil // the function calls in-VPC endpoints only
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// StatusError is a response with an unexpected status code.
type StatusError struct {
	// Method and Path name the request.
	Method, Path string
	// Status is the HTTP status code.
	Status int
	// Body is the start of the response body, with known secrets replaced.
	Body string
}

// Error implements error; the body was redacted when the error was made.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// IsStatus reports whether err is a StatusError with the given code.
func IsStatus(err error, code int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == code
}

// Client calls one API base URL.
type Client struct {
	base *url.URL
	http *http.Client
}

// New returns a client for baseURL (scheme and host, optionally a path prefix).
// The scheme is not checked here: callers that take URLs from events insist on
// https; tests may use plain http.
func New(baseURL string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("API base URL %q must be an absolute http(s) URL", baseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("API base URL %q must not carry credentials, a query or a fragment", baseURL)
	}
	if hc == nil {
		hc = DefaultHTTPClient()
	}
	return &Client{base: u, http: hc}, nil
}

// Request is one API call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the list of path segments under the base URL; each is escaped, so a
	// user or vhost name cannot add segments.
	Path []string
	// Query is the query string, if any (OpenSearch's _cat format, say).
	Query url.Values
	// Auth is the basic-auth login; its password is redacted from errors.
	Auth secrets.Credentials
	// Body, if not nil, is sent as JSON.
	Body any
	// Redact lists further strings (passwords inside Body) to keep out of errors.
	Redact []string
	// OK lists the acceptable status codes; empty means any 2xx.
	OK []int
	// MaxBody raises the response bound above the default 1 MiB for the one
	// large document read (RabbitMQ's definitions); 0 keeps the default.
	MaxBody int64
}

// Do sends r and decodes a JSON response into out (if not nil). It returns the
// status code; a status outside r.OK is a *StatusError.
func (c *Client) Do(ctx context.Context, r Request, out any) (int, error) {
	u := *c.base
	escaped := make([]string, len(r.Path))
	for i, seg := range r.Path {
		if seg == "" || seg == "." || seg == ".." {
			return 0, fmt.Errorf("invalid path segment %q", seg)
		}
		escaped[i] = url.PathEscape(seg)
	}
	u.Path = strings.TrimSuffix(c.base.Path, "/") + "/" + strings.Join(r.Path, "/")
	u.RawPath = strings.TrimSuffix(c.base.EscapedPath(), "/") + "/" + strings.Join(escaped, "/")
	u.RawQuery = r.Query.Encode()
	display := "/" + strings.Join(escaped, "/")

	var body io.Reader
	if r.Body != nil {
		b, err := json.Marshal(r.Body)
		if err != nil {
			return 0, fmt.Errorf("%s %s: encoding body: %w", r.Method, display, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), body)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", r.Method, display, err)
	}
	req.Header.Set("Accept", "application/json")
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Auth.Username != "" {
		// Unauthenticated APIs (Morpheus' setup) get no Authorization header.
		req.SetBasicAuth(r.Auth.Username, r.Auth.Password)
	}

	secretsToHide := append([]string{r.Auth.Password}, r.Redact...)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %s", r.Method, display, redact(err.Error(), secretsToHide))
	}
	defer resp.Body.Close()
	limit := int64(maxBody)
	if r.MaxBody > 0 {
		limit = r.MaxBody
	}
	// One byte over the limit tells a truncated body from one that fits.
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err == nil && int64(len(data)) > limit {
		return resp.StatusCode, fmt.Errorf("%s %s: response larger than %d bytes", r.Method, display, limit)
	}
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: reading response: %s", r.Method, display, redact(err.Error(), secretsToHide))
	}
	if !accepted(resp.StatusCode, r.OK) {
		text := redact(string(data), secretsToHide)
		if len(text) > maxErrorBody {
			text = text[:maxErrorBody] + "..."
		}
		return resp.StatusCode, &StatusError{Method: r.Method, Path: display, Status: resp.StatusCode, Body: strings.TrimSpace(text)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decoding response: %w", r.Method, display, err)
		}
	}
	return resp.StatusCode, nil
}

func accepted(code int, ok []int) bool {
	if len(ok) == 0 {
		return code >= 200 && code < 300
	}
	for _, c := range ok {
		if c == code {
			return true
		}
	}
	return false
}

// redact replaces every non-empty secret in s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "<redacted>")
		}
	}
	return s
}
