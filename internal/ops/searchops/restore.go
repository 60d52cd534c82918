package searchops

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// RestoreIndices is what a restore takes from a snapshot: every index but the
// dot-prefixed system and plugin ones. Amazon OpenSearch Service refuses to
// restore the security index (.opendistro_security), and .kibana*,
// .opensearch-* and .plugins-* already exist on the new domain, where an open
// index of the same name fails the whole restore.
const RestoreIndices = "*,-.*"

// SnapshotStateSuccess is the state of a complete snapshot.
const SnapshotStateSuccess = "SUCCESS"

// MaxSnapshotListBytes bounds GET _snapshot/<repo>/_all: each snapshot lists
// its indices, and a repository keeps a year of daily snapshots or more.
const MaxSnapshotListBytes = 32 << 20

// SnapshotInfo is one snapshot as GET _snapshot/<repo>/_all lists it.
type SnapshotInfo struct {
	// Name is the snapshot's name.
	Name string `json:"snapshot"`
	// State is SUCCESS, IN_PROGRESS, PARTIAL, FAILED or INCOMPATIBLE.
	State string `json:"state"`
	// StartMillis is when it started, in Unix milliseconds.
	StartMillis int64 `json:"start_time_in_millis"`
}

// Snapshots lists repository's snapshots. The client must sign as a principal
// mapped to SnapshotRole.
func (c *Client) Snapshots(ctx context.Context, repository string) ([]SnapshotInfo, error) {
	var out struct {
		Snapshots []SnapshotInfo `json:"snapshots"`
	}
	if _, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodGet, Path: []string{"_snapshot", repository, "_all"}, MaxBody: MaxSnapshotListBytes,
	}, &out); err != nil {
		return nil, fmt.Errorf("opensearch: listing the snapshots of %s: %w", repository, err)
	}
	return out.Snapshots, nil
}

// PickSnapshot returns the snapshot named name, which must be complete, or,
// with name empty, the newest complete one: a snapshot that failed, is partial
// or still running would restore less than it claims.
func PickSnapshot(list []SnapshotInfo, repository, name string) (SnapshotInfo, error) {
	var best SnapshotInfo
	found := false
	for _, s := range list {
		if name != "" && s.Name == name {
			if s.State != SnapshotStateSuccess {
				return SnapshotInfo{}, fmt.Errorf("opensearch: snapshot %s/%s is %s, not %s", repository, name, s.State, SnapshotStateSuccess)
			}
			return s, nil
		}
		if name == "" && s.State == SnapshotStateSuccess &&
			(!found || s.StartMillis > best.StartMillis || (s.StartMillis == best.StartMillis && s.Name > best.Name)) {
			best, found = s, true
		}
	}
	switch {
	case name != "":
		return SnapshotInfo{}, fmt.Errorf("opensearch: repository %s has no snapshot %s (it has %d)", repository, name, len(list))
	case !found:
		return SnapshotInfo{}, fmt.Errorf("opensearch: repository %s has no %s snapshot to restore (it has %d snapshots)", repository, SnapshotStateSuccess, len(list))
	}
	return best, nil
}

// UserIndices returns the domain's open and closed indices that are not
// dot-prefixed system or plugin indices: the data a restore would collide
// with. It reads as admin (the master user): the snapshot role may not list
// indices.
func (c *Client) UserIndices(ctx context.Context, admin secrets.Credentials) ([]string, error) {
	var rows []struct {
		Index string `json:"index"`
	}
	if _, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodGet, Path: []string{"_cat", "indices"}, Auth: admin,
		Query: url.Values{"format": {"json"}, "h": {"index"}, "expand_wildcards": {"open,closed"}},
	}, &rows); err != nil {
		return nil, fmt.Errorf("opensearch: listing indices: %w", err)
	}
	var out []string
	for _, r := range rows {
		if !strings.HasPrefix(r.Index, ".") {
			out = append(out, r.Index)
		}
	}
	return out, nil
}

// RestoreSnapshot starts restoring snapshot's RestoreIndices from repository,
// without the cluster state (templates, persistent settings: the new domain's
// own). It does not wait: a large restore outlasts the function, and the
// indices' recovery (GET _cat/recovery, or _cluster/health) shows its
// progress. The client must sign as a principal mapped to SnapshotRole.
func (c *Client) RestoreSnapshot(ctx context.Context, repository, snapshot string) error {
	body := map[string]any{"indices": RestoreIndices, "include_global_state": false}
	if _, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPost, Path: []string{"_snapshot", repository, snapshot, "_restore"}, Body: body,
	}, nil); err != nil {
		return fmt.Errorf("opensearch: restoring snapshot %s/%s: %w", repository, snapshot, err)
	}
	return nil
}
