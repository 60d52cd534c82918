// Package rabbitops manages Morpheus' vhost and user through the RabbitMQ
// management HTTP API (Amazon MQ serves it on 443): the vhost, an
// administrator-tagged user, and full permissions on the vhost, as the
// vendor's Amazon MQ guide does it
// (https://github.com/gomorpheus/morpheus-docs/blob/internal/installation/messaging/amazonmq-rabbitmq.rst).
package rabbitops

import (
	"context"
	"fmt"
	"net/http"

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

// EnsureUser creates user, or resets its password and tags, as an
// administrator: the tag the vendor guide gives Morpheus' queue user.
func (c *Client) EnsureUser(ctx context.Context, admin secrets.Credentials, user, pw string) error {
	_, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPut, Path: []string{"api", "users", user}, Auth: admin,
		Body:   map[string]any{"password": pw, "tags": "administrator"},
		Redact: []string{pw},
	}, nil)
	if err != nil {
		return fmt.Errorf("rabbitmq: creating user %s: %w", user, err)
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
	name, err := s.Client.WhoAmI(ctx, app)
	if err != nil {
		return err
	}
	if name != app.Username {
		return fmt.Errorf("rabbitmq: logged in as %q, want %q", name, app.Username)
	}
	return nil
}
