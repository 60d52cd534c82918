// Package sigv4 signs HTTP requests with AWS Signature Version 4, for the one
// API the ops function must call as its IAM role rather than as a basic-auth
// user: OpenSearch's snapshot API, where registering an S3 repository passes
// the snapshot role (iam:PassRole), which only a signed request can do.
package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// ServiceOpenSearch is the signing name of Amazon OpenSearch Service domains.
const ServiceOpenSearch = "es"

// Transport signs every request with the credentials' current values before
// passing it to Base.
type Transport struct {
	// Base sends the signed request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Credentials are the function's role credentials (refreshed by the SDK).
	Credentials aws.CredentialsProvider
	// Service and Region form the signature's scope.
	Service, Region string
	// Now is the signing time; nil means time.Now (tests fix it).
	Now func() time.Time
}

// RoundTrip implements http.RoundTripper. It signs a clone, as RoundTrip must
// not modify the caller's request.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Credentials == nil || t.Service == "" || t.Region == "" {
		return nil, errors.New("sigv4: Credentials, Service and Region are required")
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, fmt.Errorf("sigv4: reading the body: %w", err)
		}
		_ = req.Body.Close()
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	signed := req.Clone(req.Context())
	signed.Body = io.NopCloser(bytes.NewReader(body))
	signed.ContentLength = int64(len(body))
	// OpenSearch checks the payload hash header for signed requests with a body.
	signed.Header.Set("X-Amz-Content-Sha256", hash)
	creds, err := t.Credentials.Retrieve(req.Context())
	if err != nil {
		return nil, fmt.Errorf("sigv4: retrieving credentials: %w", err)
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	if err := v4.NewSigner().SignHTTP(req.Context(), creds, signed, hash, t.Service, t.Region, now().UTC()); err != nil {
		return nil, fmt.Errorf("sigv4: signing: %w", err)
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(signed)
}

// Client wraps base (its transport and timeout) in a signing transport.
func Client(base *http.Client, creds aws.CredentialsProvider, service, region string) *http.Client {
	c := *base
	c.Transport = &Transport{Base: base.Transport, Credentials: creds, Service: service, Region: region}
	return &c
}
