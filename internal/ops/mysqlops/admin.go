package mysqlops

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// ChangePassword implements rotation.Admin: as cur, ALTER USER on the
// session's own account (CURRENT_USER(), read first and named explicitly:
// MariaDB accepts ALTER USER CURRENT_USER() but changes nothing) to pw,
// keeping the user's grants.
func (a *Admin) ChangePassword(ctx context.Context, cur secrets.Credentials, pw string) error {
	conn, err := a.dial(ctx, cur)
	if err != nil {
		return err
	}
	defer conn.Close()
	reader, ok := conn.(AccountReader)
	if !ok {
		return errors.New("mysql: the session cannot read its own account")
	}
	account, err := reader.CurrentAccount(ctx)
	if err != nil {
		return fmt.Errorf("mysql: reading CURRENT_USER(): %s", redact(err.Error(), cur.Password))
	}
	st, err := ChangeOwnPasswordStatement(account, cur.Username, pw)
	if err != nil {
		return fmt.Errorf("mysql: %w", err)
	}
	if err := conn.Exec(ctx, st.SQL); err != nil {
		return safeError(err, st, pw)
	}
	return nil
}

// AccountReader is a session that can tell its own account (user@host), as
// CURRENT_USER() reports it.
type AccountReader interface {
	CurrentAccount(ctx context.Context) (string, error)
}

// ChangeOwnPasswordStatement is the statement ChangePassword runs for the
// session's account ("user@host" from CURRENT_USER()), which must be user's.
func ChangeOwnPasswordStatement(account, user, pw string) (Statement, error) {
	i := strings.LastIndex(account, "@")
	if i < 0 || account[:i] != user {
		return Statement{}, fmt.Errorf("the session's account %q is not user %q's", account, user)
	}
	acct, err := Account(user, account[i+1:])
	if err != nil {
		return Statement{}, err
	}
	quoted, err := QuoteString(pw)
	if err != nil {
		return Statement{}, err
	}
	return Statement{
		SQL:       "ALTER USER " + acct + " IDENTIFIED BY " + quoted,
		Display:   "ALTER USER " + acct + " IDENTIFIED BY '<redacted>'",
		HasSecret: true,
	}, nil
}
