// Package rabbittest is a stateful fake of the RabbitMQ management API for
// tests: vhosts, users with tags (PUT and GET), permissions and whoami, with basic auth
// checked like the broker does (administrator tag for management calls).
package rabbittest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp/httpfake"
)

// User is a stored broker user.
type User struct {
	// Password is the user's password.
	Password string
	// Tags is the comma-separated tag list.
	Tags string
	// Hash is set instead of Password for a user a definitions import made:
	// it logs in with the password whose HashOf it is.
	Hash string
}

// Request is one request the fake received.
type Request = httpfake.Request

// Server is the fake. Create it with New; Close it when done.
type Server struct {
	*httptest.Server
	httpfake.Recorder

	// StringTags makes GET /api/users/<name> answer tags as one
	// comma-separated string, as brokers before 3.9 do; later ones (and the
	// fake by default) answer a list.
	StringTags bool

	mu          sync.Mutex
	users       map[string]User
	vhosts      map[string]bool
	permissions map[[2]string]map[string]string
	imported
}

// New starts a fake with one administrator, like an Amazon MQ broker's admin.
func New(adminUser, adminPassword string, useTLS bool) *Server {
	s := &Server{
		users:       map[string]User{adminUser: {Password: adminPassword, Tags: "administrator"}},
		vhosts:      map[string]bool{"/": true},
		permissions: map[[2]string]map[string]string{},
	}
	if useTLS {
		s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	} else {
		s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	}
	return s
}

// User returns a stored user.
func (s *Server) User(name string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[name]
	return u, ok
}

// HasVHost reports whether vhost exists.
func (s *Server) HasVHost(vhost string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vhosts[vhost]
}

// Permissions returns user's permissions on vhost.
func (s *Server) Permissions(vhost, user string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.permissions[[2]string{vhost, user}]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, pw, ok := r.BasicAuth()
	rec, injected, badBody := s.Record(r)
	switch {
	case badBody:
		http.Error(w, `{"error":"bad_request","reason":"not JSON"}`, http.StatusBadRequest)
		return
	case injected != 0:
		http.Error(w, `{"error":"injected"}`, injected)
		return
	}
	u, known := s.users[name]
	if !ok || !known || !u.accepts(pw) {
		http.Error(w, `{"error":"not_authorised","reason":"Login failed"}`, http.StatusUnauthorized)
		return
	}
	var segs []string
	for _, seg := range strings.Split(strings.TrimPrefix(rec.Path, "/"), "/") {
		v, err := url.PathUnescape(seg)
		if err != nil {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		segs = append(segs, v)
	}
	if r.Method == http.MethodGet && rec.Path == "/api/whoami" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"name": name, "tags": strings.Split(u.Tags, ",")})
		return
	}
	if u.Tags != "administrator" {
		http.Error(w, `{"error":"not_authorised","reason":"Not administrator user"}`, http.StatusForbidden)
		return
	}
	if r.Method == http.MethodGet && rec.Path == "/api/definitions" {
		// The broker's shape: users carry password hashes, never passwords.
		users := []map[string]any{}
		for n, u := range s.users {
			users = append(users, map[string]any{"name": n, "password_hash": u.hash(), "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": u.Tags})
		}
		vhosts := []map[string]string{}
		for v := range s.vhosts {
			vhosts = append(vhosts, map[string]string{"name": v})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"rabbit_version": "3.13.7", "users": users, "vhosts": vhosts, "permissions": []any{}, "policies": []any{}})
		return
	}
	if r.Method == http.MethodPost && rec.Path == "/api/definitions" {
		s.importDefinitions(w, r, rec)
		return
	}
	if r.Method == http.MethodGet && len(segs) == 3 && segs[0] == "api" && segs[1] == "users" {
		target, exists := s.users[segs[2]]
		if !exists {
			http.Error(w, `{"error":"Object Not Found","reason":"Not Found"}`, http.StatusNotFound)
			return
		}
		var tags any = strings.Split(target.Tags, ",")
		if target.Tags == "" {
			tags = []string{}
		}
		if s.StringTags {
			tags = target.Tags
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"name": segs[2], "password_hash": HashOf(target.Password), "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": tags, "limits": map[string]any{}})
		return
	}
	if r.Method != http.MethodPut || len(segs) < 3 || segs[0] != "api" {
		http.Error(w, `{"error":"Object Not Found","reason":"Not Found"}`, http.StatusNotFound)
		return
	}
	if r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, `{"error":"bad_request","reason":"unsupported content type"}`, http.StatusUnsupportedMediaType)
		return
	}
	status := http.StatusNoContent
	switch {
	case segs[1] == "vhosts" && len(segs) == 3:
		if !s.vhosts[segs[2]] {
			status = http.StatusCreated
		}
		s.vhosts[segs[2]] = true
	case segs[1] == "users" && len(segs) == 3:
		pwNew, _ := rec.Body["password"].(string)
		tags, _ := rec.Body["tags"].(string)
		if pwNew == "" || len(rec.Body) != 2 {
			http.Error(w, `{"error":"bad_request","reason":"want password and tags"}`, http.StatusBadRequest)
			return
		}
		if _, exists := s.users[segs[2]]; !exists {
			status = http.StatusCreated
		}
		s.users[segs[2]] = User{Password: pwNew, Tags: tags}
	case segs[1] == "permissions" && len(segs) == 4:
		if !s.vhosts[segs[2]] {
			http.Error(w, `{"error":"bad_request","reason":"vhost_not_found"}`, http.StatusBadRequest)
			return
		}
		if _, exists := s.users[segs[3]]; !exists {
			http.Error(w, `{"error":"bad_request","reason":"user_not_found"}`, http.StatusBadRequest)
			return
		}
		p := map[string]string{}
		for _, k := range []string{"configure", "write", "read"} {
			v, _ := rec.Body[k].(string)
			p[k] = v
		}
		s.permissions[[2]string{segs[2], segs[3]}] = p
	default:
		http.Error(w, `{"error":"Object Not Found","reason":"Not Found"}`, http.StatusNotFound)
		return
	}
	w.WriteHeader(status)
}

// HashOf stands in for the broker's salted password hash in definitions: not
// the password, so a test can check that an export carries no password.
func HashOf(pw string) string {
	sum := sha256.Sum256([]byte("salt" + pw))
	return base64.StdEncoding.EncodeToString(sum[:])
}
