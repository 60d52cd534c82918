// Package searchtest is a stateful fake of the OpenSearch security plugin's
// REST API for tests: it checks method, path, basic auth and request bodies
// the way the plugin does, keeps internal users, roles and role mappings, and
// answers authinfo for any user it knows.
package searchtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp/httpfake"
)

// Request is one request the fake received.
type Request = httpfake.Request

// Role is a stored role definition.
type Role struct {
	// ClusterPermissions are the role's cluster action groups.
	ClusterPermissions []string `json:"cluster_permissions"`
	// IndexPermissions are the role's index patterns and their actions.
	IndexPermissions []struct {
		IndexPatterns  []string `json:"index_patterns"`
		AllowedActions []string `json:"allowed_actions"`
	} `json:"index_permissions"`
}

// Server is the fake. Create it with New; Close it when done.
type Server struct {
	*httptest.Server
	httpfake.Recorder

	mu       sync.Mutex
	master   [2]string
	users    map[string]string
	roles    map[string]Role
	mappings map[string][]string
}

// New starts a fake whose FGAC master user is masterUser/masterPassword. With
// useTLS it serves https with httptest's certificate (trust it via Client()).
func New(masterUser, masterPassword string, useTLS bool) *Server {
	s := &Server{
		master:   [2]string{masterUser, masterPassword},
		users:    map[string]string{},
		roles:    map[string]Role{},
		mappings: map[string][]string{},
	}
	if useTLS {
		s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	} else {
		s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	}
	return s
}

// Password returns the stored password of an internal user.
func (s *Server) Password(user string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pw, ok := s.users[user]
	return pw, ok
}

// Role returns a stored role.
func (s *Server) Role(name string) (Role, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.roles[name]
	return r, ok
}

// Mapping returns the users mapped to role.
func (s *Server) Mapping(role string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mappings[role])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	user, pw, ok := r.BasicAuth()
	rec, injected, badBody := s.Record(r)
	switch {
	case badBody:
		writeJSON(w, http.StatusBadRequest, map[string]string{"status": "error", "reason": "body is not a JSON object"})
		return
	case injected != 0:
		writeJSON(w, injected, map[string]string{"status": "error", "reason": "injected"})
		return
	}
	isMaster := ok && user == s.master[0] && pw == s.master[1]
	isUser := ok && !isMaster && s.users[user] != "" && s.users[user] == pw
	if !isMaster && !isUser {
		w.Header().Set("WWW-Authenticate", `Basic realm="OpenSearch Security"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if rec.Body != nil && r.Header.Get("Content-Type") != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"status": "error", "reason": "Content-Type must be application/json"})
		return
	}
	if r.Method == http.MethodGet && rec.Path == "/_plugins/_security/authinfo" {
		writeJSON(w, http.StatusOK, map[string]any{"user_name": user, "roles": s.rolesOf(user, isMaster)})
		return
	}
	const api = "/_plugins/_security/api/"
	kind, name, found := strings.Cut(strings.TrimPrefix(rec.Path, api), "/")
	if !strings.HasPrefix(rec.Path, api) || !found || name == "" || strings.Contains(name, "/") || r.Method != http.MethodPut {
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "error", "reason": "no such endpoint in the fake: " + r.Method + " " + rec.Path})
		return
	}
	if !isMaster {
		writeJSON(w, http.StatusForbidden, map[string]string{"status": "FORBIDDEN", "message": "no permissions for security API"})
		return
	}
	if err := s.put(kind, name, rec.Body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"status": "error", "reason": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "OK", "message": "'" + name + "' updated."})
}

func (s *Server) rolesOf(user string, master bool) []string {
	if master {
		return []string{"all_access", "security_manager"}
	}
	var roles []string
	for role, users := range s.mappings {
		if slices.Contains(users, user) {
			roles = append(roles, role)
		}
	}
	sort.Strings(roles)
	return roles
}

// put validates and stores a body the way the plugin's schema does for the
// fields the ops function sends.
func (s *Server) put(kind, name string, body map[string]any) error {
	if body == nil {
		return fmt.Errorf("request body required")
	}
	raw, _ := json.Marshal(body)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	switch kind {
	case "internalusers":
		var u struct {
			Password     *string   `json:"password"`
			BackendRoles *[]string `json:"backend_roles"`
		}
		if err := dec.Decode(&u); err != nil || u.Password == nil || *u.Password == "" || u.BackendRoles == nil {
			return fmt.Errorf("internal user needs password and backend_roles only")
		}
		if name == s.master[0] {
			return fmt.Errorf("the master user is reserved")
		}
		s.users[name] = *u.Password
	case "roles":
		var role Role
		if err := dec.Decode(&role); err != nil || len(role.ClusterPermissions) == 0 || len(role.IndexPermissions) == 0 {
			return fmt.Errorf("role needs cluster_permissions and index_permissions")
		}
		if name == "all_access" || name == "security_manager" {
			return fmt.Errorf("role %s is reserved", name)
		}
		s.roles[name] = role
	case "rolesmapping":
		var m struct {
			Users        []string `json:"users"`
			BackendRoles []string `json:"backend_roles"`
			Hosts        []string `json:"hosts"`
		}
		if err := dec.Decode(&m); err != nil {
			return fmt.Errorf("role mapping: %v", err)
		}
		if _, ok := s.roles[name]; !ok {
			return fmt.Errorf("role %s does not exist", name)
		}
		s.mappings[name] = m.Users
	default:
		return fmt.Errorf("unknown security API %s", kind)
	}
	return nil
}
