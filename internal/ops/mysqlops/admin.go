package mysqlops

import (
	"context"
	"fmt"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Admin is the master user of a cluster whose master password the stack
// holds (a member of an Aurora global database, where RDS cannot manage it):
// it implements rotation.Admin, changing its own password in place.
type Admin struct {
	// Target locates the cluster.
	Target Target
	// Dial opens sessions; nil means Dial.
	Dial DialFunc
}

// Name implements rotation.Admin.
func (a *Admin) Name() string { return "mysql" }

// Policy implements rotation.Admin.
func (a *Admin) Policy() password.Policy { return password.MySQL }

func (a *Admin) dial(ctx context.Context, creds secrets.Credentials) (Conn, error) {
	if a.Dial != nil {
		return a.Dial(ctx, a.Target, creds, "")
	}
	return Dial(ctx, a.Target, creds, "")
}

// CheckLogin implements rotation.Admin: a session as creds answers SELECT 1.
func (a *Admin) CheckLogin(ctx context.Context, creds secrets.Credentials) error {
	conn, err := a.dial(ctx, creds)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SelectOne(ctx); err != nil {
		return fmt.Errorf("mysql: %s", redact(err.Error(), creds.Password))
	}
	return nil
}

// ChangePassword implements rotation.Admin: as cur, ALTER USER CURRENT_USER()
// to pw. It names no account, so it can only ever change the session's own
// password, and it keeps the user's grants.
func (a *Admin) ChangePassword(ctx context.Context, cur secrets.Credentials, pw string) error {
	st, err := ChangeOwnPasswordStatement(pw)
	if err != nil {
		return fmt.Errorf("mysql: %w", err)
	}
	conn, err := a.dial(ctx, cur)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Exec(ctx, st.SQL); err != nil {
		return safeError(err, st, pw)
	}
	return nil
}

// ChangeOwnPasswordStatement is the statement ChangePassword runs.
func ChangeOwnPasswordStatement(pw string) (Statement, error) {
	quoted, err := QuoteString(pw)
	if err != nil {
		return Statement{}, err
	}
	return Statement{
		SQL:       "ALTER USER CURRENT_USER() IDENTIFIED BY " + quoted,
		Display:   "ALTER USER CURRENT_USER() IDENTIFIED BY '<redacted>'",
		HasSecret: true,
	}, nil
}
