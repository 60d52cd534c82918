// Package httpfake is the request log and fault injection the fakes of the
// management APIs (RabbitMQ, OpenSearch) share in tests.
package httpfake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Request is one request a fake received.
type Request struct {
	// Method and Path (escaped) of the request.
	Method, Path string
	// User is the basic-auth user name.
	User string
	// Authorization is the raw Authorization header (a SigV4 signature for
	// the snapshot API, basic auth otherwise).
	Authorization string
	// Query is the raw query string.
	Query string
	// Body is the decoded JSON body, if any.
	Body map[string]any
}

// Recorder logs requests and answers injected failures. Embed it in a fake.
type Recorder struct {
	mu       sync.Mutex
	requests []Request
	fail     map[string][]int
}

// FailNext makes the next request whose path starts with prefix answer status.
func (r *Recorder) FailNext(prefix string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail == nil {
		r.fail = map[string][]int{}
	}
	r.fail[prefix] = append(r.fail[prefix], status)
}

// Requests returns the requests so far.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.requests)
}

// Record reads and logs req. It returns the logged request, the status of an
// injected failure for it (0 when none), and whether its body was not JSON; in
// either case the fake answers with that error and nothing else.
func (r *Recorder) Record(req *http.Request) (rec Request, injected int, badBody bool) {
	user, _, _ := req.BasicAuth()
	rec = Request{Method: req.Method, Path: req.URL.EscapedPath(), User: user,
		Authorization: req.Header.Get("Authorization"), Query: req.URL.RawQuery}
	if req.Body != nil {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(req.Body)
		if buf.Len() > 0 && json.Unmarshal(buf.Bytes(), &rec.Body) != nil {
			badBody = true
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, rec)
	if badBody {
		return rec, 0, true
	}
	for prefix, q := range r.fail {
		if len(q) > 0 && strings.HasPrefix(rec.Path, prefix) {
			r.fail[prefix] = q[1:]
			return rec, q[0], false
		}
	}
	return rec, 0, false
}
