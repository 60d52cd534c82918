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

// fakeConn records statements and fails the statement numbered failAt (1-based).
type fakeConn struct {
	log     *[]string
	failAt  int
	failErr error
	closed  *bool
}

func (c fakeConn) Exec(_ context.Context, q string) error {
	*c.log = append(*c.log, q)
	if len(*c.log) == c.failAt {
		return c.failErr
	}
	return nil
}

func (c fakeConn) SelectOne(context.Context) error {
	*c.log = append(*c.log, "SELECT 1")
	if c.failAt == -1 {
		return c.failErr
	}
	return nil
}

func (c fakeConn) Close() error { *c.closed = true; return nil }

type dialRecord struct {
	user, password, database string
}

func newService(t *testing.T, failAt int, failErr error, dialErr error) (*mysqlops.Service, *[]string, *[]dialRecord, *bool) {
	t.Helper()
	var log []string
	var dials []dialRecord
	closed := false
	svc := &mysqlops.Service{
		Target: mysqlops.Target{Addr: "db:3306", Database: "morpheus"},
		Admin: func(context.Context) (secrets.Credentials, error) {
			return secrets.ParseCredentials(`{"username":"admin","password":"adminpw"}`)
		},
		Dial: func(_ context.Context, tg mysqlops.Target, c secrets.Credentials, db string) (mysqlops.Conn, error) {
			assert.Equal(t, "db:3306", tg.Addr)
			dials = append(dials, dialRecord{c.Username, c.Password, db})
			if dialErr != nil {
				return nil, dialErr
			}
			return fakeConn{log: &log, failAt: failAt, failErr: failErr, closed: &closed}, nil
		},
	}
	return svc, &log, &dials, &closed
}

func app(t *testing.T, user, pw string) secrets.Credentials {
	t.Helper()
	c, err := secrets.ParseCredentials(`{"username":"` + user + `","password":"` + pw + `"}`)
	require.NoError(t, err)
	return c
}

func TestEnsureRunsEveryStatementAsTheMasterUser(t *testing.T) {
	svc, log, dials, closed := newService(t, 0, nil, nil)
	require.NoError(t, svc.Ensure(context.Background(), app(t, "morpheus", "Pw-1234567890abcdefghijklmnopqrs")))
	assert.Equal(t, []dialRecord{{"admin", "adminpw", ""}}, *dials)
	want, err := mysqlops.EnsureStatements("morpheus", "morpheus", "Pw-1234567890abcdefghijklmnopqrs")
	require.NoError(t, err)
	require.Len(t, *log, len(want))
	for i, st := range want {
		assert.Equal(t, st.SQL, (*log)[i])
	}
	assert.True(t, *closed)
}

func TestEnsureFailuresNeverLeakThePassword(t *testing.T) {
	const pw = "Pw-1234567890abcdefghijklmnopqrs"
	syntax := &mysql.MySQLError{Number: 1064, SQLState: [5]byte{'4', '2', '0', '0', '0'}, Message: "You have an error near '" + pw[:20] + "' at line 1"}
	cases := map[string]struct {
		failAt  int
		err     error
		dialErr error
		want    string
	}{
		"dial fails":                  {dialErr: errors.New("mysql: connecting: access denied"), want: "access denied"},
		"CREATE DATABASE fails":       {failAt: 1, err: &mysql.MySQLError{Number: 1044, Message: "Access denied for user 'admin'@'%' to database 'morpheus'"}, want: "Access denied for user 'admin'"},
		"CREATE USER fails (secret)":  {failAt: 3, err: syntax, want: "CREATE USER IF NOT EXISTS 'morpheus'@'%' IDENTIFIED BY '<redacted>': MySQL error 1064 (SQLSTATE 42000)"},
		"ALTER USER fails (secret)":   {failAt: 4, err: syntax, want: "ALTER USER 'morpheus'@'%' IDENTIFIED BY '<redacted>': MySQL error 1064"},
		"GRANT fails":                 {failAt: 5, err: errors.New("bad connection"), want: "GRANT ALL PRIVILEGES ON `morpheus`.* TO 'morpheus'@'%' WITH GRANT OPTION: bad connection"},
		"network error echoes secret": {failAt: 4, err: errors.New("i/o timeout writing " + pw), want: "<redacted>"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			svc, log, _, _ := newService(t, tc.failAt, tc.err, tc.dialErr)
			err := svc.Ensure(context.Background(), app(t, "morpheus", pw))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), pw[:20])
			if tc.failAt > 0 {
				assert.Len(t, *log, tc.failAt, "statements stop at the first failure")
			}
		})
	}
}

func TestEnsureRefusesBadInput(t *testing.T) {
	svc, _, dials, _ := newService(t, 0, nil, nil)
	assert.ErrorContains(t, svc.Ensure(context.Background(), app(t, "admin", "pw")), "must not be the master user")
	assert.Error(t, svc.Ensure(context.Background(), app(t, "bad-name", "pw")))
	assert.Error(t, svc.Ensure(context.Background(), app(t, "morpheus", `back\\slash`)))
	assert.Empty(t, *dials, "nothing connects for input that cannot work")

	svc.Admin = func(context.Context) (secrets.Credentials, error) {
		return secrets.Credentials{}, errors.New("AccessDenied")
	}
	assert.ErrorContains(t, svc.Ensure(context.Background(), app(t, "morpheus", "pw")), "master secret")
}

func TestCheckLogsInWithTheDatabaseSelected(t *testing.T) {
	svc, log, dials, closed := newService(t, 0, nil, nil)
	require.NoError(t, svc.Check(context.Background(), app(t, "morpheus_clone", "pw")))
	assert.Equal(t, []dialRecord{{"morpheus_clone", "pw", "morpheus"}}, *dials)
	assert.Equal(t, []string{"SELECT 1"}, *log)
	assert.True(t, *closed)

	svc, _, _, _ = newService(t, -1, errors.New("lost"), nil)
	assert.ErrorContains(t, svc.Check(context.Background(), app(t, "morpheus", "pw")), "SELECT 1 as morpheus: lost")
	svc, _, _, _ = newService(t, 0, nil, errors.New("Access denied"))
	assert.ErrorContains(t, svc.Check(context.Background(), app(t, "morpheus", "pw")), "Access denied")
}

func TestDialRefusesPlainText(t *testing.T) {
	_, err := mysqlops.Dial(context.Background(), mysqlops.Target{Addr: "127.0.0.1:1"}, app(t, "morpheus", "pw"), "")
	assert.ErrorContains(t, err, "refusing to connect in plain text")
}

func TestTLSConfig(t *testing.T) {
	_, err := mysqlops.TLSConfig([]byte("not a certificate"), "db")
	assert.Error(t, err)
}
