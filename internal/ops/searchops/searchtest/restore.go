package searchtest

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
)

// Snapshot is a snapshot already in a repository's bucket (SeedSnapshot).
type Snapshot struct {
	// Name and State (SUCCESS, FAILED, IN_PROGRESS, PARTIAL) as listed.
	Name, State string
	// StartMillis is its start time in Unix milliseconds.
	StartMillis int64
	// Indices are the indices it holds.
	Indices []string
}

// Restore is one restore the fake started.
type Restore struct {
	// Repository and Snapshot name the restored snapshot.
	Repository, Snapshot string
	// Indices are the indices it restored.
	Indices []string
}

// restoreState is the fake's indices, seeded snapshots and restores.
type restoreState struct {
	indices  map[string]bool
	seeded   map[string]map[string]Snapshot
	restores []Restore
}

// SeedSnapshot puts snaps in repository's bucket, as another cluster wrote
// them: once the repository is registered, they are listed and restorable.
func (s *Server) SeedSnapshot(repository string, snaps ...Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded == nil {
		s.seeded = map[string]map[string]Snapshot{}
	}
	if s.seeded[repository] == nil {
		s.seeded[repository] = map[string]Snapshot{}
	}
	for _, sn := range snaps {
		s.seeded[repository][sn.Name] = sn
		s.snapshots[repository] = append(s.snapshots[repository], sn.Name)
	}
}

// AddIndex creates indices on the domain.
func (s *Server) AddIndex(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.indices == nil {
		s.indices = map[string]bool{}
	}
	for _, n := range names {
		s.indices[n] = true
	}
}

// Indices returns the domain's indices, sorted.
func (s *Server) Indices() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.indices))
	for n := range s.indices {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Restores returns the restores started, in order.
func (s *Server) Restores() []Restore {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.restores)
}

// serveIndices answers GET /_cat/indices as OpenSearch does for the master
// user (JSON only when asked with format=json); it reports whether the
// request was that.
func (s *Server) serveIndices(w http.ResponseWriter, r *http.Request, rec Request, isMaster bool) bool {
	if rec.Path != "/_cat/indices" {
		return false
	}
	q, _ := url.ParseQuery(rec.Query)
	switch {
	case r.Method != http.MethodGet:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "only GET"})
	case !isMaster:
		writeJSON(w, http.StatusForbidden, map[string]string{"status": "FORBIDDEN", "message": "no permissions for [indices:monitor/settings/get]"})
	case q.Get("format") != "json":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = fmt.Fprintln(w, "green open not-json")
	default:
		rows := []map[string]string{}
		for n := range s.indices {
			rows = append(rows, map[string]string{"index": n})
		}
		writeJSON(w, http.StatusOK, rows)
	}
	return true
}

// serveRestore answers, for a signed and mapped request, GET
// _snapshot/<repo>/_all, POST _snapshot/<repo>/<snapshot>/_restore, and a
// snapshot's creation in a readonly repository (refused); it reports whether
// it answered.
func (s *Server) serveRestore(w http.ResponseWriter, r *http.Request, rec Request, repo, rest string) bool {
	settings, registered := s.repos[repo]
	snap, isRestore := strings.CutSuffix(rest, "/_restore")
	switch {
	case rest == "_all" && r.Method == http.MethodGet:
		if !registered {
			writeJSON(w, http.StatusNotFound, map[string]string{"type": "repository_missing_exception"})
			return true
		}
		list := []map[string]any{}
		for _, name := range s.snapshots[repo] {
			info, ok := s.seeded[repo][name]
			if !ok {
				info = Snapshot{Name: name, State: "SUCCESS"}
			}
			list = append(list, map[string]any{"snapshot": info.Name, "state": info.State, "start_time_in_millis": info.StartMillis, "indices": nonNil(info.Indices)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"snapshots": list})
	case isRestore && r.Method == http.MethodPost:
		s.restore(w, rec, repo, snap)
	case !isRestore && rest != "" && r.Method == http.MethodPut && registered && settings["readonly"] == true:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"type": "repository_exception", "reason": "[" + repo + "] cannot create snapshot in a readonly repository"})
	default:
		return false
	}
	return true
}

// restore checks a restore request the way the domain does and restores the
// indices it selects.
func (s *Server) restore(w http.ResponseWriter, rec Request, repo, snap string) {
	bad := func(status int, format string, args ...any) {
		writeJSON(w, status, map[string]string{"type": "snapshot_restore_exception", "reason": fmt.Sprintf(format, args...)})
	}
	q, _ := url.ParseQuery(rec.Query)
	info, seeded := s.seeded[repo][snap]
	indices, _ := rec.Body["indices"].(string)
	for k := range rec.Body {
		if k != "indices" && k != "include_global_state" {
			bad(http.StatusBadRequest, "the fake takes indices and include_global_state only, got %s", k)
			return
		}
	}
	switch {
	case s.repos[repo] == nil:
		writeJSON(w, http.StatusNotFound, map[string]string{"type": "repository_missing_exception"})
		return
	case !seeded:
		writeJSON(w, http.StatusNotFound, map[string]string{"type": "snapshot_missing_exception"})
		return
	case info.State != "SUCCESS":
		bad(http.StatusInternalServerError, "[%s:%s] unsupported snapshot state [%s]", repo, snap, info.State)
		return
	case q.Get("wait_for_completion") == "true":
		bad(http.StatusBadRequest, "the function must not wait for the restore")
		return
	case rec.Body["include_global_state"] != false:
		bad(http.StatusBadRequest, "include_global_state must be false: the cluster state is the new domain's")
		return
	case indices == "":
		bad(http.StatusBadRequest, "indices must name what to restore")
		return
	}
	selected := selectIndices(info.Indices, indices)
	for _, n := range selected {
		if n == ".opendistro_security" {
			bad(http.StatusUnauthorized, "[%s:%s] restoring the security index .opendistro_security is not allowed", repo, snap)
			return
		}
		if s.indices[n] {
			bad(http.StatusInternalServerError, "[%s:%s] cannot restore index [%s] because an open index with same name already exists in the cluster", repo, snap, n)
			return
		}
	}
	if s.indices == nil {
		s.indices = map[string]bool{}
	}
	for _, n := range selected {
		s.indices[n] = true
	}
	s.restores = append(s.restores, Restore{Repository: repo, Snapshot: snap, Indices: selected})
	writeJSON(w, http.StatusOK, map[string]bool{"accepted": true})
}

// selectIndices resolves a comma-separated list of patterns, "-" excluding,
// against names, as a restore's indices are resolved against the snapshot's.
func selectIndices(names []string, patterns string) []string {
	keep := map[string]bool{}
	for _, p := range strings.Split(patterns, ",") {
		exclude := strings.HasPrefix(p, "-")
		p = strings.TrimPrefix(p, "-")
		for _, n := range names {
			if ok, _ := path.Match(p, n); ok {
				keep[n] = !exclude
			}
		}
	}
	var out []string
	for _, n := range names {
		if keep[n] {
			out = append(out, n)
		}
	}
	return out
}
