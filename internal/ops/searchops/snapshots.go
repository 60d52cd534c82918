package searchops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// SnapshotRole is the security plugin's predefined role that may register
// repositories and take and restore snapshots.
const SnapshotRole = "manage_snapshots"

// Repository is an S3 snapshot repository's registration.
type Repository struct {
	// Name is the repository's name.
	Name string
	// Bucket, Region and BasePath locate the snapshots in S3; the bucket must
	// be in the domain's region.
	Bucket, Region, BasePath string
	// RoleARN is the role OpenSearch assumes to reach the bucket.
	RoleARN string
	// ReadOnly registers it "readonly": another cluster's repository, which
	// this domain restores from and must never write.
	ReadOnly bool
}

// EnsureBackendRoleMapping adds backendRole (an IAM role ARN) to role's
// mapping, keeping the users, backend roles and hosts already mapped: a PUT
// replaces the mapping, and other backend roles (an operator's, say) may hold
// this one too. It reports whether it changed the mapping.
func (c *Client) EnsureBackendRoleMapping(ctx context.Context, admin secrets.Credentials, role, backendRole string) (bool, error) {
	type mapping struct {
		Users        []string `json:"users"`
		BackendRoles []string `json:"backend_roles"`
		Hosts        []string `json:"hosts"`
	}
	// A 404 (no mapping yet) has an error body, so only a 200 is decoded.
	var raw json.RawMessage
	status, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodGet, Path: securityPath("rolesmapping", role), Auth: admin,
		OK: []int{http.StatusOK, http.StatusNotFound},
	}, &raw)
	if err != nil {
		return false, fmt.Errorf("opensearch: reading the mapping of %s: %w", role, err)
	}
	var current map[string]mapping
	if status == http.StatusOK {
		if err := json.Unmarshal(raw, &current); err != nil {
			return false, fmt.Errorf("opensearch: decoding the mapping of %s: %w", role, err)
		}
	}
	m := current[role]
	if status == http.StatusOK && slices.Contains(m.BackendRoles, backendRole) {
		return false, nil
	}
	body := mapping{
		Users:        nonNil(m.Users),
		BackendRoles: append(nonNil(m.BackendRoles), backendRole),
		Hosts:        nonNil(m.Hosts),
	}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodPut, Path: securityPath("rolesmapping", role), Auth: admin, Body: body}, nil); err != nil {
		return false, fmt.Errorf("opensearch: mapping %s to role %s: %w", backendRole, role, err)
	}
	return true, nil
}

// nonNil keeps an empty list a JSON [] rather than null, which the plugin refuses.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RegisterRepository registers (or re-registers, idempotently) repo. The
// client must sign its requests as a principal that may pass repo.RoleARN and
// is mapped to SnapshotRole; basic auth cannot pass a role.
func (c *Client) RegisterRepository(ctx context.Context, repo Repository) error {
	settings := map[string]any{
		"bucket":                 repo.Bucket,
		"region":                 repo.Region,
		"base_path":              repo.BasePath,
		"role_arn":               repo.RoleARN,
		"server_side_encryption": true,
	}
	if repo.ReadOnly {
		settings["readonly"] = true
	}
	body := map[string]any{"type": "s3", "settings": settings}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodPut, Path: []string{"_snapshot", repo.Name}, Body: body}, nil); err != nil {
		return fmt.Errorf("opensearch: registering snapshot repository %s: %w", repo.Name, err)
	}
	return nil
}

// EnsureSnapshot starts snapshot name in repository unless it exists, and
// reports whether it started one. It does not wait for the snapshot to finish:
// a large domain takes longer than the function may run, and a later GET of
// the snapshot (or the next day's run) shows its state.
func (c *Client) EnsureSnapshot(ctx context.Context, repository, name string) (bool, error) {
	path := []string{"_snapshot", repository, name}
	status, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodGet, Path: path, OK: []int{http.StatusOK, http.StatusNotFound}}, nil)
	if err != nil {
		return false, fmt.Errorf("opensearch: looking up snapshot %s/%s: %w", repository, name, err)
	}
	if status == http.StatusOK {
		return false, nil
	}
	// Every index but the security plugin's and Dashboards' own: a restore must
	// exclude them anyway, and the security index is the domain's, not Morpheus'.
	body := map[string]any{"indices": "*,-.kibana*,-.opendistro*", "include_global_state": false}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodPut, Path: path, Body: body}, nil); err != nil {
		return false, fmt.Errorf("opensearch: starting snapshot %s/%s: %w", repository, name, err)
	}
	return true, nil
}
