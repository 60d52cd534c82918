// Package searchtest is a stateful fake of the OpenSearch security plugin's
// REST API for tests: it checks method, path, basic auth and request bodies
// the way the plugin does, keeps internal users, roles and role mappings, and
// answers authinfo for any user it knows. It also serves the snapshot API
// (_snapshot) to SigV4-signed requests only, as an IAM role that must be a
// backend role of manage_snapshots, the way a domain with fine-grained access
// control does.
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
	// backendRoles are the roles' mapped backend roles (IAM ARNs).
	backendRoles map[string][]string
	// signer is the IAM role a signed request acts as (SetSigner).
	signer    string
	region    string
	repos     map[string]map[string]any
	snapshots map[string][]string
	restoreState
}

// PredefinedRoles are roles the plugin ships with: they can be mapped but not
// defined.
var PredefinedRoles = []string{"all_access", "security_manager", "manage_snapshots"}

// SetSigner makes the fake treat SigV4-signed requests as coming from the IAM
// role roleARN, signed for region.
func (s *Server) SetSigner(roleARN, region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signer, s.region = roleARN, region
}

// BackendRoles returns the backend roles mapped to role.
func (s *Server) BackendRoles(role string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.backendRoles[role])
}

// Repository returns a registered repository's settings.
func (s *Server) Repository(name string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[name]
	return r, ok
}

// Snapshots returns the snapshots taken in repository, in order.
func (s *Server) Snapshots(repository string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.snapshots[repository])
}

// New starts a fake whose FGAC master user is masterUser/masterPassword. With
// useTLS it serves https with httptest's certificate (trust it via Client()).
func New(masterUser, masterPassword string, useTLS bool) *Server {
	s := &Server{
		master:       [2]string{masterUser, masterPassword},
		users:        map[string]string{},
		roles:        map[string]Role{},
		mappings:     map[string][]string{},
		backendRoles: map[string][]string{},
		repos:        map[string]map[string]any{},
		snapshots:    map[string][]string{},
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
	if s.serveIndices(w, r, rec, ok && user == s.master[0] && pw == s.master[1]) {
		return
	}
	if strings.HasPrefix(rec.Path, "/_snapshot/") {
		s.serveSnapshot(w, r, rec)
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
	if r.Method == http.MethodPut && rec.Path == api+"account" {
		s.changeOwnPassword(w, user, isMaster, rec.Body)
		return
	}
	kind, name, found := strings.Cut(strings.TrimPrefix(rec.Path, api), "/")
	if r.Method == http.MethodGet && kind == "rolesmapping" && isMaster {
		users, hasUsers := s.mappings[name]
		backend, hasBackend := s.backendRoles[name]
		if !hasUsers && !hasBackend {
			writeJSON(w, http.StatusNotFound, map[string]string{"status": "NOT_FOUND", "message": "'" + name + "' not found."})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{name: map[string]any{
			"users": nonNil(users), "backend_roles": nonNil(backend), "hosts": []string{}, "and_backend_roles": []string{}, "reserved": false,
		}})
		return
	}
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

// MasterPassword returns the master user's current password.
func (s *Server) MasterPassword() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.master[1]
}

// changeOwnPassword is the account API: any internal user, the master user
// included, changes its own password with its current one, and the body has
// exactly current_password and password.
func (s *Server) changeOwnPassword(w http.ResponseWriter, user string, isMaster bool, body map[string]any) {
	raw, _ := json.Marshal(body)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var b struct {
		Current  *string `json:"current_password"`
		Password *string `json:"password"`
	}
	if err := dec.Decode(&b); err != nil || b.Current == nil || b.Password == nil || *b.Password == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"status": "error", "reason": "want current_password and password only"})
		return
	}
	current := s.users[user]
	if isMaster {
		current = s.master[1]
	}
	if *b.Current != current {
		writeJSON(w, http.StatusForbidden, map[string]string{"status": "FORBIDDEN", "message": "Could not validate your current password."})
		return
	}
	if isMaster {
		s.master[1] = *b.Password
	} else {
		s.users[user] = *b.Password
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "OK", "message": "'" + user + "' updated."})
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
		if slices.Contains(PredefinedRoles, name) {
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
		if _, ok := s.roles[name]; !ok && !slices.Contains(PredefinedRoles, name) {
			return fmt.Errorf("role %s does not exist", name)
		}
		if m.Users == nil || m.BackendRoles == nil || m.Hosts == nil {
			return fmt.Errorf("role mapping: users, backend_roles and hosts must be lists")
		}
		s.mappings[name] = m.Users
		s.backendRoles[name] = m.BackendRoles
	default:
		return fmt.Errorf("unknown security API %s", kind)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// serveSnapshot answers the snapshot API: GET and PUT _snapshot/<repo> and
// _snapshot/<repo>/<snapshot>, for signed requests of a role mapped to
// manage_snapshots only.
func (s *Server) serveSnapshot(w http.ResponseWriter, r *http.Request, rec Request) {
	scope := "/" + s.region + "/es/aws4_request"
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=") || !strings.Contains(auth, scope) ||
		r.Header.Get("X-Amz-Date") == "" || r.Header.Get("X-Amz-Content-Sha256") == "" {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "the snapshot API needs a SigV4 signature for es in " + s.region})
		return
	}
	if s.signer == "" || !slices.Contains(s.backendRoles["manage_snapshots"], s.signer) {
		writeJSON(w, http.StatusForbidden, map[string]string{"status": "FORBIDDEN", "message": "no permissions for [cluster:admin/repository/put] and User [name=" + s.signer + "]"})
		return
	}
	repo, snap, hasSnap := strings.Cut(strings.TrimPrefix(rec.Path, "/_snapshot/"), "/")
	if s.serveRestore(w, r, rec, repo, snap) {
		return
	}
	switch {
	case !hasSnap && r.Method == http.MethodPut:
		if err := checkRepository(rec.Body, s.region); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"type": "repository_exception", "reason": err.Error()})
			return
		}
		s.repos[repo] = rec.Body["settings"].(map[string]any)
		writeJSON(w, http.StatusOK, map[string]bool{"acknowledged": true})
	case hasSnap && r.Method == http.MethodGet:
		if _, ok := s.repos[repo]; !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"type": "repository_missing_exception"})
		} else if !slices.Contains(s.snapshots[repo], snap) {
			writeJSON(w, http.StatusNotFound, map[string]string{"type": "snapshot_missing_exception"})
		} else {
			writeJSON(w, http.StatusOK, map[string]any{"snapshots": []map[string]string{{"snapshot": snap, "state": "SUCCESS"}}})
		}
	case hasSnap && r.Method == http.MethodPut:
		switch {
		case s.repos[repo] == nil:
			writeJSON(w, http.StatusNotFound, map[string]string{"type": "repository_missing_exception"})
		case slices.Contains(s.snapshots[repo], snap):
			writeJSON(w, http.StatusBadRequest, map[string]string{"type": "invalid_snapshot_name_exception", "reason": "snapshot with the same name already exists"})
		default:
			s.snapshots[repo] = append(s.snapshots[repo], snap)
			writeJSON(w, http.StatusOK, map[string]bool{"accepted": true})
		}
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "error", "reason": "no such endpoint in the fake: " + r.Method + " " + rec.Path})
	}
}

// checkRepository validates an S3 repository body as the domain does for the
// settings the ops function sends: an s3 type, a bucket, the domain's region,
// and a role ARN.
func checkRepository(body map[string]any, region string) error {
	if body["type"] != "s3" {
		return fmt.Errorf("type must be s3, got %v", body["type"])
	}
	settings, ok := body["settings"].(map[string]any)
	if !ok {
		return fmt.Errorf("settings missing")
	}
	if b, _ := settings["bucket"].(string); b == "" {
		return fmt.Errorf("settings.bucket missing")
	}
	if r, _ := settings["region"].(string); r != region {
		return fmt.Errorf("settings.region %v is not the domain's %s", settings["region"], region)
	}
	if arn, _ := settings["role_arn"].(string); !strings.HasPrefix(arn, "arn:aws:iam::") {
		return fmt.Errorf("settings.role_arn %v is not a role ARN", settings["role_arn"])
	}
	return nil
}
