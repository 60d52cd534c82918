// Package mysqlops creates Morpheus' database and user on Aurora MySQL (MariaDB
// in the integration tests) over verified TLS, with idempotent statements.
package mysqlops

import (
	"context"
	"fmt"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Service is the database as the bootstrap and rotation see it.
type Service struct {
	// Target is the server and database.
	Target Target
	// Admin returns the master user's current credentials (the RDS-managed
	// secret, read on every call because RDS rotates it weekly).
	Admin func(context.Context) (secrets.Credentials, error)
	// Dial opens sessions; nil means Dial.
	Dial DialFunc
}

// Name implements service.Service.
func (s *Service) Name() string { return "mysql" }

// Policy implements service.Service.
func (s *Service) Policy() password.Policy { return password.MySQL }

func (s *Service) dial(ctx context.Context, creds secrets.Credentials, database string) (Conn, error) {
	if s.Dial != nil {
		return s.Dial(ctx, s.Target, creds, database)
	}
	return Dial(ctx, s.Target, creds, database)
}

// Ensure implements service.Service: as the master user, run EnsureStatements
// for app. Every statement is idempotent, so a failed run is simply repeated.
func (s *Service) Ensure(ctx context.Context, app secrets.Credentials) error {
	if err := secrets.ValidateUsername(app.Username); err != nil {
		return fmt.Errorf("mysql: %w", err)
	}
	stmts, err := EnsureStatements(s.Target.Database, app.Username, app.Password)
	if err != nil {
		return fmt.Errorf("mysql: %w", err)
	}
	admin, err := s.Admin(ctx)
	if err != nil {
		return fmt.Errorf("mysql: reading the master secret: %w", err)
	}
	if admin.Username == app.Username {
		return fmt.Errorf("mysql: the app user %s must not be the master user", app.Username)
	}
	conn, err := s.dial(ctx, admin, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, st := range stmts {
		if err := conn.Exec(ctx, st.SQL); err != nil {
			return fmt.Errorf("mysql: %w", safeError(err, st, app.Password))
		}
	}
	return nil
}

// Check implements service.Service: app logs in with its database selected and
// runs SELECT 1.
func (s *Service) Check(ctx context.Context, app secrets.Credentials) error {
	conn, err := s.dial(ctx, app, s.Target.Database)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SelectOne(ctx); err != nil {
		return fmt.Errorf("mysql: SELECT 1 as %s: %s", app.Username, redact(err.Error(), app.Password))
	}
	return nil
}
