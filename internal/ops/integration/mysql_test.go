package integration_test

import (
	"context"
	"database/sql"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/mysqlops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

const itDatabase = "morpheus_it"

type mysqlEnv struct {
	target        mysqlops.Target
	admin         secrets.Credentials
	adminUser, pw string
}

// newMySQL reads MORPHEUS_IT_MYSQL_* and builds a target that verifies the
// server's certificate against MORPHEUS_IT_MYSQL_CA_FILE: the same TLS code path
// the function uses with the RDS CA bundle, no skip-verify.
func newMySQL(t *testing.T) mysqlEnv {
	t.Helper()
	env := requireEnv(t, "MORPHEUS_IT_MYSQL_ADDR", "MORPHEUS_IT_MYSQL_USER", "MORPHEUS_IT_MYSQL_PASSWORD", "MORPHEUS_IT_MYSQL_CA_FILE")
	pem, err := os.ReadFile(env["MORPHEUS_IT_MYSQL_CA_FILE"])
	require.NoError(t, err)
	host, _, err := net.SplitHostPort(env["MORPHEUS_IT_MYSQL_ADDR"])
	require.NoError(t, err)
	tlsCfg, err := mysqlops.TLSConfig(pem, host)
	require.NoError(t, err)
	admin := secrets.Credentials{}.WithLogin(env["MORPHEUS_IT_MYSQL_USER"], env["MORPHEUS_IT_MYSQL_PASSWORD"])
	return mysqlEnv{
		target: mysqlops.Target{Addr: env["MORPHEUS_IT_MYSQL_ADDR"], Database: itDatabase, TLS: tlsCfg},
		admin:  admin, adminUser: admin.Username, pw: admin.Password,
	}
}

// adminDB opens a raw session as the admin for setup and inspection.
func (e mysqlEnv) adminDB(t *testing.T) *sql.DB {
	t.Helper()
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.TLS = e.adminUser, e.pw, "tcp", e.target.Addr, e.target.TLS.Clone()
	conn, err := mysql.NewConnector(cfg)
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, db.Ping())
	return db
}

// reset drops what the tests create, before (a crashed earlier run) and after.
func (e mysqlEnv) reset(t *testing.T, users ...string) {
	t.Helper()
	db := e.adminDB(t)
	drop := func() {
		for _, u := range users {
			acct, err := mysqlops.Account(u, "%")
			require.NoError(t, err)
			_, err = db.Exec("DROP USER IF EXISTS " + acct)
			require.NoError(t, err)
		}
		_, err := db.Exec("DROP DATABASE IF EXISTS " + itDatabase)
		require.NoError(t, err)
	}
	drop()
	t.Cleanup(drop)
}

func grants(t *testing.T, db *sql.DB, user string) []string {
	t.Helper()
	acct, err := mysqlops.Account(user, "%")
	require.NoError(t, err)
	rows, err := db.Query("SHOW GRANTS FOR " + acct)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g string
		require.NoError(t, rows.Scan(&g))
		// Compare grants across the two users: drop the name and the password hash.
		// MariaDB and MySQL 8 quote accounts with backticks, older servers with '.
		g = strings.NewReplacer("`"+user+"`@`%`", "<acct>", "'"+user+"'@'%'", "<acct>").Replace(g)
		if i := strings.Index(g, " IDENTIFIED BY PASSWORD"); i >= 0 {
			g = g[:i]
		}
		out = append(out, g)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestMySQLFlow(t *testing.T) {
	e := newMySQL(t)
	e.reset(t, "morpheus_it", "morpheus_it_clone")
	pw, err := password.MySQL.Generate()
	require.NoError(t, err)
	store := newStore(t, e.adminUser, e.pw, "morpheus_it", pw)
	svc := &mysqlops.Service{Target: e.target, Admin: adminFrom(store)}

	flow(t, store, svc, "morpheus_it")

	db := e.adminDB(t)
	var charset, collation string
	require.NoError(t, db.QueryRow(
		"SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", itDatabase,
	).Scan(&charset, &collation))
	assert.Equal(t, "utf8mb4", charset)
	assert.Equal(t, "utf8mb4_general_ci", collation)

	base := grants(t, db, "morpheus_it")
	assert.Equal(t, base, grants(t, db, "morpheus_it_clone"), "both alternating users have the same grants")
	joined := strings.Join(base, "\n")
	assert.Contains(t, joined, "GRANT SELECT, RELOAD, PROCESS, SHOW DATABASES ON *.* TO <acct>")
	assert.Contains(t, joined, "GRANT ALL PRIVILEGES ON `morpheus_it`.* TO <acct> WITH GRANT OPTION")
}

// The quoting helper against the real parser: a password with every quote and
// wildcard character still logs in, and a hostile one creates nothing else.
func TestMySQLQuotingAgainstTheServer(t *testing.T) {
	e := newMySQL(t)
	e.reset(t, "morpheus_it", "x")
	store := newStore(t, e.adminUser, e.pw, "morpheus_it", "unused")
	svc := &mysqlops.Service{Target: e.target, Admin: adminFrom(store)}
	ctx := context.Background()
	for _, pw := range []string{`it's "quoted" %_ ; -- #`, `x'@'%' IDENTIFIED BY 'y`, "ünïcödé`back`tick"} {
		app := secrets.Credentials{}.WithLogin("morpheus_it", pw)
		require.NoError(t, svc.Ensure(ctx, app))
		require.NoError(t, svc.Check(ctx, app))
		assert.Error(t, svc.Check(ctx, app.WithLogin("morpheus_it", pw+"!")))
	}
	var n int
	require.NoError(t, e.adminDB(t).QueryRow("SELECT COUNT(*) FROM mysql.user WHERE User = 'x'").Scan(&n))
	assert.Zero(t, n, "an injected account must not exist")
}

// The function verifies the server certificate: a name the certificate does not
// carry fails, so a CA bundle that verifies nothing would be noticed.
func TestMySQLVerifiesTheServerCertificate(t *testing.T) {
	e := newMySQL(t)
	wrong := e.target
	wrong.TLS = e.target.TLS.Clone()
	wrong.TLS.ServerName = "not-the-server.example"
	_, err := mysqlops.Dial(context.Background(), wrong, e.admin, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.NotContains(t, err.Error(), e.pw)

	// And the server refuses plain text (require_secure_transport), like Aurora
	// with the parameter set.
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr = e.adminUser, e.pw, "tcp", e.target.Addr
	conn, err := mysql.NewConnector(cfg)
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	assert.Error(t, db.Ping(), "a plain-text login must be refused")
}
