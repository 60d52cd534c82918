package rabbittest

import (
	"encoding/json"
	"net/http"
)

// imported is what definitions imports added beyond users, vhosts and
// permissions: queues and policies, by vhost and name.
type imported struct {
	queues   map[[2]string]bool
	policies map[[2]string]bool
	imports  int
}

// hash is the user's password hash as an export shows it.
func (u User) hash() string {
	if u.Hash != "" {
		return u.Hash
	}
	return HashOf(u.Password)
}

func (u User) accepts(pw string) bool {
	if u.Hash != "" {
		return HashOf(pw) == u.Hash
	}
	return u.Password == pw
}

// Imports counts the definitions imports that succeeded.
func (s *Server) Imports() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.imports
}

// HasQueue reports whether an import created queue in vhost.
func (s *Server) HasQueue(vhost, queue string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queues[[2]string{vhost, queue}]
}

// HasPolicy reports whether an import created policy in vhost.
func (s *Server) HasPolicy(vhost, policy string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policies[[2]string{vhost, policy}]
}

// importDefinitions merges a definitions document the way the broker does
// for the fields the fake keeps: users (their hashes replace what was there,
// as the broker's import does), vhosts, permissions of existing users on
// existing vhosts, queues and policies. A document the broker would refuse is
// refused before anything changes.
func (s *Server) importDefinitions(w http.ResponseWriter, r *http.Request, rec Request) {
	fail := func(reason string) {
		http.Error(w, `{"error":"bad_request","reason":"`+reason+`"}`, http.StatusBadRequest)
	}
	if r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, `{"error":"bad_request","reason":"unsupported content type"}`, http.StatusUnsupportedMediaType)
		return
	}
	raw, _ := json.Marshal(rec.Body)
	var doc struct {
		Users  []map[string]any `json:"users"`
		VHosts []struct {
			Name string `json:"name"`
		} `json:"vhosts"`
		Permissions []struct {
			User, Vhost, Configure, Write, Read string
		} `json:"permissions"`
		Queues []struct {
			Name  string `json:"name"`
			VHost string `json:"vhost"`
		} `json:"queues"`
		Policies []struct {
			Name  string `json:"name"`
			VHost string `json:"vhost"`
		} `json:"policies"`
	}
	if rec.Body == nil || json.Unmarshal(raw, &doc) != nil {
		fail("not a definitions document")
		return
	}
	users := map[string]User{}
	for _, u := range doc.Users {
		name, _ := u["name"].(string)
		hash, _ := u["password_hash"].(string)
		tags, _ := u["tags"].(string)
		if name == "" || hash == "" {
			fail("a user needs name and password_hash")
			return
		}
		users[name] = User{Tags: tags, Hash: hash}
	}
	vhosts := map[string]bool{}
	for _, v := range doc.VHosts {
		vhosts[v.Name] = true
	}
	for _, p := range doc.Permissions {
		if _, ok := users[p.User]; !ok && s.users[p.User] == (User{}) {
			fail("user_not_found: " + p.User)
			return
		}
		if !vhosts[p.Vhost] && !s.vhosts[p.Vhost] {
			fail("vhost_not_found: " + p.Vhost)
			return
		}
	}
	for n, u := range users {
		s.users[n] = u
	}
	for v := range vhosts {
		s.vhosts[v] = true
	}
	for _, p := range doc.Permissions {
		s.permissions[[2]string{p.Vhost, p.User}] = map[string]string{"configure": p.Configure, "write": p.Write, "read": p.Read}
	}
	if s.queues == nil {
		s.queues, s.policies = map[[2]string]bool{}, map[[2]string]bool{}
	}
	for _, q := range doc.Queues {
		s.queues[[2]string{q.VHost, q.Name}] = true
	}
	for _, p := range doc.Policies {
		s.policies[[2]string{p.VHost, p.Name}] = true
	}
	s.imports++
	w.WriteHeader(http.StatusNoContent)
}
