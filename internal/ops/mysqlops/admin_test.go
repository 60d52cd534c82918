package mysqlops_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/mysqlops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// recordingConn records statements and fails Exec with err.
type recordingConn struct {
	execs []string
	err   error
}

func (c *recordingConn) Exec(_ context.Context, q string) error {
	c.execs = append(c.execs, q)
	return c.err
}
func (c *recordingConn) SelectOne(context.Context) error { return c.err }
func (c *recordingConn) Close() error                    { return nil }
func (c *recordingConn) CurrentAccount(context.Context) (string, error) {
	return "morpheusroot@%", nil
}

// TestAdminChangesOnlyItsOwnPassword: the statement names no account, the
// password is quoted, and a server error never carries it.
func TestAdminChangesOnlyItsOwnPassword(t *testing.T) {
	conn := &recordingConn{}
	var dialedAs string
	a := &mysqlops.Admin{Dial: func(_ context.Context, _ mysqlops.Target, c secrets.Credentials, _ string) (mysqlops.Conn, error) {
		dialedAs = c.Username
		return conn, nil
	}}
	cur := secrets.Credentials{}.WithLogin("morpheusroot", "Old-pw-1")
	require.NoError(t, a.ChangePassword(context.Background(), cur, "It's-new-2"))
	assert.Equal(t, "morpheusroot", dialedAs, "the master user changes its own password")
	assert.Equal(t, []string{`ALTER USER 'morpheusroot'@'%' IDENTIFIED BY 'It''s-new-2'`}, conn.execs)
	_, err := mysqlops.ChangeOwnPasswordStatement("someone@%", "morpheusroot", "pw")
	assert.Error(t, err, "never another account than the secret's user")

	conn.err = &mysql.MySQLError{Number: 1064, Message: "syntax error near 'It\\'s-new-2'"}
	err = a.ChangePassword(context.Background(), cur, "It's-new-2")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "new-2")
	assert.Contains(t, err.Error(), "1064")

	conn.err = errors.New("connection reset")
	assert.Error(t, a.CheckLogin(context.Background(), cur))
}
