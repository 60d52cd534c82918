package integration_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/mysqlops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// TestMySQLAdminChangesItsOwnPassword: the stack-held master secret's
// rotation (a global database member) changes only the session user's own
// password, over verified TLS, and the old password stops working.
func TestMySQLAdminChangesItsOwnPassword(t *testing.T) {
	e := newMySQL(t)
	const user = "morpheus_it_master"
	e.reset(t, user)
	acct, err := mysqlops.Account(user, "%")
	require.NoError(t, err)
	oldPw, newPw := "Old-master-pw1!", "New-master-pw2~"
	quoted, err := mysqlops.QuoteString(oldPw)
	require.NoError(t, err)
	db := e.adminDB(t)
	_, err = db.Exec("CREATE USER " + acct + " IDENTIFIED BY " + quoted)
	require.NoError(t, err)
	// Like Aurora's master user, which holds CREATE USER: ALTER USER on one's
	// own account needs it in MariaDB (MySQL 8 lets any user change its own).
	_, err = db.Exec("GRANT CREATE USER ON *.* TO " + acct)
	require.NoError(t, err)

	ctx := context.Background()
	a := &mysqlops.Admin{Target: e.target}
	cur := secrets.Credentials{}.WithLogin(user, oldPw)
	require.NoError(t, a.CheckLogin(ctx, cur))
	require.NoError(t, a.ChangePassword(ctx, cur, newPw))
	assert.Error(t, a.CheckLogin(ctx, cur), "the old password no longer logs in")
	assert.NoError(t, a.CheckLogin(ctx, secrets.Credentials{}.WithLogin(user, newPw)))
	assert.NoError(t, a.CheckLogin(ctx, e.admin), "only the session's own user changed")
}
