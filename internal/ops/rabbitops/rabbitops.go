// Package rabbitops manages Morpheus' vhost and user through the RabbitMQ
// management HTTP API (Amazon MQ serves it on 443): the vhost, an
// administrator-tagged user, and full permissions on the vhost, as the
// vendor's Amazon MQ guide does it
// (https://github.com/gomorpheus/morpheus-docs/blob/internal/installation/messaging/amazonmq-rabbitmq.rst).
package rabbitops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Client calls one broker's management API.
type Client struct {
	api *opshttp.Client
}

// New returns a client for the management API at baseURL, e.g.
// https://b-1234.mq.eu-west-1.amazonaws.com.
func New(baseURL string, hc *http.Client) (*Client, error) {
	api, err := opshttp.New(baseURL, hc)
	if err != nil {
		return nil, fmt.Errorf("rabbitmq: %w", err)
	}
	return &Client{api: api}, nil
}

// EnsureVHost creates vhost if it does not exist (PUT is idempotent).
func (c *Client) EnsureVHost(ctx context.Context, admin secrets.Credentials, vhost string) error {
	_, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodPut, Path: []string{"api", "vhosts", vhost}, Auth: admin, Body: map[string]any{}}, nil)
	if err != nil {
		return fmt.Errorf("rabbitmq: creating vhost %s: %w", vhost, err)
	}
	return nil
}

// AdministratorTag is the tag the vendor guide gives Morpheus' queue user, and
// the broker admin's.
const AdministratorTag = "administrator"

// EnsureUser creates user, or resets its password and tags, as an
// administrator: the tag the vendor guide gives Morpheus' queue user.
func (c *Client) EnsureUser(ctx context.Context, admin secrets.Credentials, user, pw string) error {
	if err := c.putUser(ctx, admin, user, pw, AdministratorTag); err != nil {
		return fmt.Errorf("rabbitmq: creating user %s: %w", user, err)
	}
	return nil
}

// putUser creates or replaces user with password pw and exactly tags (a
// comma-separated list, the form every broker version accepts).
func (c *Client) putUser(ctx context.Context, auth secrets.Credentials, user, pw, tags string) error {
	_, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPut, Path: []string{"api", "users", user}, Auth: auth,
		Body:   map[string]any{"password": pw, "tags": tags},
		Redact: []string{pw},
	}, nil)
	return err
}

// UserTags returns user's tags as a comma-separated list. Brokers before 3.9
// answer a string, later ones a list; both are read.
func (c *Client) UserTags(ctx context.Context, auth secrets.Credentials, user string) (string, error) {
	var out struct {
		Tags json.RawMessage `json:"tags"`
	}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodGet, Path: []string{"api", "users", user}, Auth: auth}, &out); err != nil {
		return "", fmt.Errorf("rabbitmq: reading user %s: %w", user, err)
	}
	var list []string
	if err := json.Unmarshal(out.Tags, &list); err == nil {
		return strings.Join(list, ","), nil
	}
	var tags string
	if err := json.Unmarshal(out.Tags, &tags); err != nil {
		return "", fmt.Errorf("rabbitmq: user %s: tags are neither a list nor a string", user)
	}
	return tags, nil
}

// ChangeOwnPassword logs in as cur and sets cur's own password to pw, keeping
// the user's tags (read first: a PUT replaces them). Amazon MQ for RabbitMQ
// manages users through the management API only, the broker admin included.
func (c *Client) ChangeOwnPassword(ctx context.Context, cur secrets.Credentials, pw string) error {
	tags, err := c.UserTags(ctx, cur, cur.Username)
	if err != nil {
		return err
	}
	if err := c.putUser(ctx, cur, cur.Username, pw, tags); err != nil {
		return fmt.Errorf("rabbitmq: changing the password of %s: %w", cur.Username, err)
	}
	return nil
}

// EnsurePermissions grants user configure, write and read on every resource of vhost.
func (c *Client) EnsurePermissions(ctx context.Context, admin secrets.Credentials, vhost, user string) error {
	_, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPut, Path: []string{"api", "permissions", vhost, user}, Auth: admin,
		Body: map[string]string{"configure": ".*", "write": ".*", "read": ".*"},
	}, nil)
	if err != nil {
		return fmt.Errorf("rabbitmq: granting %s on vhost %s: %w", user, vhost, err)
	}
	return nil
}

// MaxDefinitionsBytes bounds a definitions export: far above what a broker
// with Morpheus' few users, queues and policies holds, far below the
// function's memory.
const MaxDefinitionsBytes = 32 << 20

// Definitions returns the broker's definitions (users with password hashes,
// vhosts, permissions, parameters, policies, queues, exchanges, bindings) as
// the broker sent them. The document holds password hashes: callers store it
// encrypted and never log it.
func (c *Client) Definitions(ctx context.Context, admin secrets.Credentials) (json.RawMessage, error) {
	var out json.RawMessage
	if _, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodGet, Path: []string{"api", "definitions"}, Auth: admin, MaxBody: MaxDefinitionsBytes,
	}, &out); err != nil {
		return nil, fmt.Errorf("rabbitmq: exporting definitions: %w", err)
	}
	return out, nil
}

// WhoAmI logs in as creds and returns the name the broker authenticated.
func (c *Client) WhoAmI(ctx context.Context, creds secrets.Credentials) (string, error) {
	var out struct {
		Name string `json:"name"`
	}
	if _, err := c.api.Do(ctx, opshttp.Request{Method: http.MethodGet, Path: []string{"api", "whoami"}, Auth: creds}, &out); err != nil {
		return "", fmt.Errorf("rabbitmq: logging in as %s: %w", creds.Username, err)
	}
	return out.Name, nil
}

// Service is the broker as the bootstrap and rotation see it.
type Service struct {
	// Client calls the management API.
	Client *Client
	// VHost is Morpheus' vhost.
	VHost string
	// Admin returns the broker admin's current credentials.
	Admin func(context.Context) (secrets.Credentials, error)
}

// Name implements service.Service.
func (s *Service) Name() string { return "rabbitmq" }

// Policy implements service.Service.
func (s *Service) Policy() password.Policy { return password.RabbitMQ }

// Ensure implements service.Service: vhost, user with app's password, permissions.
func (s *Service) Ensure(ctx context.Context, app secrets.Credentials) error {
	if err := secrets.ValidateUsername(app.Username); err != nil {
		return fmt.Errorf("rabbitmq: %w", err)
	}
	admin, err := s.Admin(ctx)
	if err != nil {
		return fmt.Errorf("rabbitmq: reading the admin secret: %w", err)
	}
	if admin.Username == app.Username {
		return fmt.Errorf("rabbitmq: the app user %s must not be the broker admin", app.Username)
	}
	if err := s.Client.EnsureVHost(ctx, admin, s.VHost); err != nil {
		return err
	}
	if err := s.Client.EnsureUser(ctx, admin, app.Username, app.Password); err != nil {
		return err
	}
	return s.Client.EnsurePermissions(ctx, admin, s.VHost, app.Username)
}

// Check implements service.Service: the credentials log in as themselves.
func (s *Service) Check(ctx context.Context, app secrets.Credentials) error {
	return s.Client.CheckLogin(ctx, app)
}

// CheckLogin logs in as creds and fails unless the broker authenticated
// exactly that user.
func (c *Client) CheckLogin(ctx context.Context, creds secrets.Credentials) error {
	name, err := c.WhoAmI(ctx, creds)
	if err != nil {
		return err
	}
	if name != creds.Username {
		return fmt.Errorf("rabbitmq: logged in as %q, want %q", name, creds.Username)
	}
	return nil
}

// Admin is the broker admin as its in-place rotation sees it
// (rotation.Admin).
type Admin struct {
	// Client calls the management API.
	Client *Client
}

// Name implements rotation.Admin.
func (a *Admin) Name() string { return "rabbitmq" }

// Policy implements rotation.Admin.
func (a *Admin) Policy() password.Policy { return password.RabbitMQ }

// CheckLogin implements rotation.Admin.
func (a *Admin) CheckLogin(ctx context.Context, creds secrets.Credentials) error {
	return a.Client.CheckLogin(ctx, creds)
}

// ChangePassword implements rotation.Admin.
func (a *Admin) ChangePassword(ctx context.Context, cur secrets.Credentials, pw string) error {
	return a.Client.ChangeOwnPassword(ctx, cur, pw)
}
