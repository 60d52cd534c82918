// Package searchops manages Morpheus' internal user, role and role mapping
// through the OpenSearch security plugin's REST API, as the FGAC master user.
package searchops

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// DefaultRole is the role Morpheus' users are mapped to.
const DefaultRole = "morpheus_role"

// DefaultIndexPatterns is every index: Morpheus' index names are not documented
// (the vendor guide hands Morpheus the master user), and the security plugin's
// own index stays out of reach of index permissions anyway.
var DefaultIndexPatterns = []string{"*"}

// ClusterPermissions are the role's cluster-level action groups: bulk and
// multi-get/search (cluster_composite_ops), health and stats (cluster_monitor),
// and index templates, which a log store creates for its daily indices.
var ClusterPermissions = []string{"cluster_composite_ops", "cluster_monitor", "cluster_manage_index_templates"}

// IndexActions are the role's actions on its index patterns.
var IndexActions = []string{"indices_all"}

// Role is the role definition ensured for Morpheus.
type Role struct {
	// Name is the role's name.
	Name string
	// IndexPatterns are the indices the role may fully manage.
	IndexPatterns []string
}

// Client calls one domain's security API.
type Client struct {
	api *opshttp.Client
}

// New returns a client for the domain endpoint baseURL, e.g.
// https://vpc-morpheus-abc.eu-west-1.es.amazonaws.com.
func New(baseURL string, hc *http.Client) (*Client, error) {
	api, err := opshttp.New(baseURL, hc)
	if err != nil {
		return nil, fmt.Errorf("opensearch: %w", err)
	}
	return &Client{api: api}, nil
}

func securityPath(kind, name string) []string {
	return []string{"_plugins", "_security", "api", kind, name}
}

// EnsureInternalUser creates user in the internal user database or replaces its
// password; backend roles stay empty because access comes from the role mapping.
func (c *Client) EnsureInternalUser(ctx context.Context, admin secrets.Credentials, user, pw string) error {
	_, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPut, Path: securityPath("internalusers", user), Auth: admin,
		Body:   map[string]any{"password": pw, "backend_roles": []string{}},
		Redact: []string{pw},
	}, nil)
	if err != nil {
		return fmt.Errorf("opensearch: creating internal user %s: %w", user, err)
	}
	return nil
}

// EnsureRole creates or replaces the role.
func (c *Client) EnsureRole(ctx context.Context, admin secrets.Credentials, role Role) error {
	body := map[string]any{
		"cluster_permissions": ClusterPermissions,
		"index_permissions": []map[string]any{{
			"index_patterns":  role.IndexPatterns,
			"allowed_actions": IndexActions,
		}},
	}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodPut, Path: securityPath("roles", role.Name), Auth: admin, Body: body}, nil); err != nil {
		return fmt.Errorf("opensearch: creating role %s: %w", role.Name, err)
	}
	return nil
}

// EnsureRoleMapping maps exactly users to role. It refuses to map the admin
// user, whose access comes from the domain's master-user setting.
func (c *Client) EnsureRoleMapping(ctx context.Context, admin secrets.Credentials, role string, users []string) error {
	if slices.Contains(users, admin.Username) {
		return fmt.Errorf("opensearch: refusing to map the master user %s to role %s", admin.Username, role)
	}
	body := map[string]any{"users": users, "backend_roles": []string{}, "hosts": []string{}}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodPut, Path: securityPath("rolesmapping", role), Auth: admin, Body: body}, nil); err != nil {
		return fmt.Errorf("opensearch: mapping role %s: %w", role, err)
	}
	return nil
}

// AuthInfo logs in as creds and returns the authenticated user name and roles.
func (c *Client) AuthInfo(ctx context.Context, creds secrets.Credentials) (user string, roles []string, err error) {
	var out struct {
		UserName string   `json:"user_name"`
		Roles    []string `json:"roles"`
	}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodGet, Path: []string{"_plugins", "_security", "authinfo"}, Auth: creds}, &out); err != nil {
		return "", nil, fmt.Errorf("opensearch: logging in as %s: %w", creds.Username, err)
	}
	return out.UserName, out.Roles, nil
}

// ChangeOwnPassword logs in as cur and changes cur's own password to pw with
// the security plugin's account API, which any internal user may call for
// itself with its current password (the master user included, which needs no
// other user's rights for it).
func (c *Client) ChangeOwnPassword(ctx context.Context, cur secrets.Credentials, pw string) error {
	_, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPut, Path: []string{"_plugins", "_security", "api", "account"}, Auth: cur,
		Body:   map[string]string{"current_password": cur.Password, "password": pw},
		Redact: []string{pw},
	}, nil)
	if err != nil {
		return fmt.Errorf("opensearch: changing the password of %s: %w", cur.Username, err)
	}
	return nil
}

// CheckLogin logs in as creds and fails unless the domain authenticated
// exactly that user; it returns the user's roles.
func (c *Client) CheckLogin(ctx context.Context, creds secrets.Credentials) ([]string, error) {
	user, roles, err := c.AuthInfo(ctx, creds)
	if err != nil {
		return nil, err
	}
	if user != creds.Username {
		return nil, fmt.Errorf("opensearch: logged in as %q, want %q", user, creds.Username)
	}
	return roles, nil
}

// Admin is the FGAC master user as its in-place rotation sees it
// (rotation.Admin).
type Admin struct {
	// Client calls the security API.
	Client *Client
}

// Name implements rotation.Admin.
func (a *Admin) Name() string { return "opensearch" }

// Policy implements rotation.Admin.
func (a *Admin) Policy() password.Policy { return password.OpenSearch }

// CheckLogin implements rotation.Admin.
func (a *Admin) CheckLogin(ctx context.Context, creds secrets.Credentials) error {
	_, err := a.Client.CheckLogin(ctx, creds)
	return err
}

// ChangePassword implements rotation.Admin.
func (a *Admin) ChangePassword(ctx context.Context, cur secrets.Credentials, pw string) error {
	return a.Client.ChangeOwnPassword(ctx, cur, pw)
}

// Service is the domain as the bootstrap and rotation see it.
type Service struct {
	// Client calls the security API.
	Client *Client
	// Role is Morpheus' role.
	Role Role
	// Admin returns the master user's current credentials.
	Admin func(context.Context) (secrets.Credentials, error)
}

// Name implements service.Service.
func (s *Service) Name() string { return "opensearch" }

// Policy implements service.Service.
func (s *Service) Policy() password.Policy { return password.OpenSearch }

// Ensure implements service.Service: the role, the internal user with app's
// password, and a mapping of the role to BOTH alternating users, so that a
// mapping written for one never drops the other while nodes still use it.
func (s *Service) Ensure(ctx context.Context, app secrets.Credentials) error {
	if err := secrets.ValidateUsername(app.Username); err != nil {
		return fmt.Errorf("opensearch: %w", err)
	}
	admin, err := s.Admin(ctx)
	if err != nil {
		return fmt.Errorf("opensearch: reading the master secret: %w", err)
	}
	pair := secrets.UsernamePair(app.Username)
	if slices.Contains(pair, admin.Username) {
		return fmt.Errorf("opensearch: the app users %v must not include the master user", pair)
	}
	if err := s.Client.EnsureRole(ctx, admin, s.Role); err != nil {
		return err
	}
	if err := s.Client.EnsureInternalUser(ctx, admin, app.Username, app.Password); err != nil {
		return err
	}
	return s.Client.EnsureRoleMapping(ctx, admin, s.Role.Name, pair)
}

// Check implements service.Service: the credentials log in as themselves and
// hold the role.
func (s *Service) Check(ctx context.Context, app secrets.Credentials) error {
	roles, err := s.Client.CheckLogin(ctx, app)
	if err != nil {
		return err
	}
	if !slices.Contains(roles, s.Role.Name) {
		return fmt.Errorf("opensearch: %s is logged in but lacks role %s (roles %v)", app.Username, s.Role.Name, roles)
	}
	return nil
}
