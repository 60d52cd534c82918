package loadcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// NewHTTPClient returns the client for the login and the load. TLS is always
// verified: against the system roots, or only against caFile's CAs when it is
// set (a private CA or a node's own certificate). There is deliberately no way
// to skip verification, since the password and the token travel on this
// connection (docs/decisions.md, "Operations tools").
func NewHTTPClient(caFile string, timeout time.Duration, concurrency int) (*http.Client, error) {
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12} // the ALB's and the nodes' floor
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("-ca-file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-ca-file %s: no PEM certificate found", caFile)
		}
		tlsCfg.RootCAs = pool
	}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsCfg,
		TLSHandshakeTimeout: timeout,
		// One kept-alive connection per worker: the default of 2 idle
		// connections per host would make most requests pay a new TCP and TLS
		// handshake, measuring the handshake instead of Morpheus.
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		IdleConnTimeout:     90 * time.Second,
		// HTTP/1.1 (a custom TLS config leaves HTTP/2 off): each worker is
		// then one connection, like one API client (CLI, Terraform), instead
		// of every request sharing one multiplexed connection.
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		// A redirect from the API means a wrong URL or an expired session
		// (Morpheus sends browsers to its login page); counting it as the
		// 3xx it is beats silently measuring the login page instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// tokenQuery is the query of Morpheus' token endpoint, as the API reference
// gives it ("Get Access Token",
// https://apidocs.morpheusdata.com/#get-access-token, source
// gomorpheus/morpheus-apidoc source/includes/_authentication.md):
//
//	POST /oauth/token?grant_type=password&scope=write&client_id=morph-api
//	Content-Type: application/x-www-form-urlencoded (JSON is not accepted)
//	body: username=<user>&password=<password>
//
// The response's access_token goes in "Authorization: bearer <token>".
// A user has one token per client_id, so logging in returns the token other
// morph-api scripts of the same user hold; loadcheck never calls the refresh
// grant, which would invalidate that token for them.
var tokenQuery = url.Values{"grant_type": {"password"}, "scope": {"write"}, "client_id": {"morph-api"}}

// maxLoginBody bounds the token response read: it is a small JSON document.
const maxLoginBody = 64 << 10

// Login exchanges the username and password for an access token. Its errors
// carry the HTTP status and Morpheus' error code, never the password or token.
func Login(ctx context.Context, client *http.Client, base *url.URL, username string, password Secret) (Secret, error) {
	u := *base
	u.Path = base.Path + "/oauth/token"
	u.RawQuery = tokenQuery.Encode()
	form := url.Values{"username": {username}, "password": {password.Reveal()}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("login: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		// A url.Error names the URL, whose query holds no secret.
		if errors.As(err, new(*tls.CertificateVerificationError)) {
			return "", fmt.Errorf("login: %v (a private CA needs -ca-file)", err)
		}
		return "", fmt.Errorf("login: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLoginBody))
	if err != nil {
		return "", fmt.Errorf("login: reading the response: %v", err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	jsonErr := json.Unmarshal(body, &tok)
	if resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("login as %q failed: HTTP %d", username, resp.StatusCode)
		if jsonErr == nil && tok.Error != "" {
			// Quote only the error fields, scrubbed, not the body: a body is
			// the server's to fill, and could echo what it was sent.
			msg += fmt.Sprintf(" (%s: %s)", scrub(tok.Error, password), scrub(tok.Description, password))
		}
		return "", fmt.Errorf("%s", msg)
	}
	if jsonErr != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("login: HTTP 200 without an access_token in a JSON body; is -url the appliance URL?")
	}
	if !strings.EqualFold(tok.TokenType, "bearer") {
		return "", fmt.Errorf("login: token_type %q, want bearer", scrub(tok.TokenType, password))
	}
	return Secret(tok.AccessToken), nil
}

// scrub removes the password from text a server sent, in case it echoes it.
func scrub(s string, password Secret) string {
	if password == "" {
		return s
	}
	return strings.ReplaceAll(s, password.Reveal(), redacted)
}
