package mysqlops

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Target is the database server and Morpheus' database on it.
type Target struct {
	// Addr is host:port of the writer endpoint.
	Addr string
	// Database is Morpheus' database name.
	Database string
	// TLS is required: Dial never connects in plain text.
	TLS *tls.Config
}

// TLSConfig trusts only the CA certificates in caPEM (for Aurora, the RDS CA
// bundle) and verifies that the server certificate names serverName.
func TLSConfig(caPEM []byte, serverName string) (*tls.Config, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("mysql: the CA bundle holds no PEM certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: serverName, MinVersion: tls.VersionTLS12}, nil
}

// Conn is one logged-in session; tests substitute it.
type Conn interface {
	// Exec runs a statement that returns no rows.
	Exec(ctx context.Context, sql string) error
	// SelectOne runs SELECT 1 and checks the answer.
	SelectOne(ctx context.Context) error
	// Close ends the session.
	Close() error
}

// DialFunc opens a session on t as creds, with database selected if not empty.
type DialFunc func(ctx context.Context, t Target, creds secrets.Credentials, database string) (Conn, error)

// Dial is the DialFunc that connects with the MySQL driver over verified TLS.
func Dial(ctx context.Context, t Target, creds secrets.Credentials, database string) (Conn, error) {
	if t.TLS == nil {
		return nil, errors.New("mysql: no TLS configuration; refusing to connect in plain text")
	}
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = creds.Username, creds.Password
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", t.Addr, database
	cfg.TLS = t.TLS.Clone()
	cfg.Timeout, cfg.ReadTimeout, cfg.WriteTimeout = 10*time.Second, 30*time.Second, 30*time.Second
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysql: %s", redact(err.Error(), creds.Password))
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1) // statements run in order on one session
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("mysql: connecting to %s as %s: %s", t.Addr, creds.Username, redact(err.Error(), creds.Password))
	}
	return &sqlConn{db: db}, nil
}

type sqlConn struct{ db *sql.DB }

func (c *sqlConn) Exec(ctx context.Context, q string) error {
	_, err := c.db.ExecContext(ctx, q)
	return err
}

func (c *sqlConn) SelectOne(ctx context.Context) error {
	var one int
	if err := c.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	if one != 1 {
		return fmt.Errorf("SELECT 1 returned %d", one)
	}
	return nil
}

func (c *sqlConn) Close() error { return c.db.Close() }

// CurrentAccount implements AccountReader.
func (c *sqlConn) CurrentAccount(ctx context.Context) (string, error) {
	var account string
	err := c.db.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&account)
	return account, err
}

// safeError turns a failure of st into an error that cannot carry its password:
// a server error on a statement with a password keeps only its code and state,
// because messages such as syntax errors quote the statement text.
func safeError(err error, st Statement, pw string) error {
	var me *mysql.MySQLError
	if st.HasSecret && errors.As(err, &me) {
		return fmt.Errorf("%s: MySQL error %d (SQLSTATE %s)", st.Display, me.Number, string(me.SQLState[:]))
	}
	return fmt.Errorf("%s: %s", st.Display, redact(err.Error(), pw))
}

func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "<redacted>")
}
