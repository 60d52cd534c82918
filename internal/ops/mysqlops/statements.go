package mysqlops

import "fmt"

// UserHost is the host part of Morpheus' accounts: app nodes come and go with
// the Auto Scaling group, so any host; the security group limits who connects.
const UserHost = "%"

// Statement is one SQL statement and a form of it safe to log.
type Statement struct {
	// SQL is the text executed.
	SQL string
	// Display is SQL with the password replaced.
	Display string
	// HasSecret is true when SQL contains a password, so server errors (which may
	// quote the statement) must not be passed on verbatim.
	HasSecret bool
}

// EnsureStatements returns the idempotent statements that give user, with
// password pw, what Morpheus needs on database db: the database in
// utf8mb4/utf8mb4_general_ci, the user at any host with that password, ALL on
// the database WITH GRANT OPTION, and SELECT, PROCESS, SHOW DATABASES, RELOAD
// globally, as Morpheus' database guide lists them
// (https://github.com/gomorpheus/morpheus-docs/blob/8.0.7/getting_started/installation/database_configure_generic.rst).
func EnsureStatements(db, user, pw string) ([]Statement, error) {
	qdb, err := QuoteIdentifier(db)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	acct, err := Account(user, UserHost)
	if err != nil {
		return nil, err
	}
	qpw, err := QuoteString(pw)
	if err != nil {
		return nil, fmt.Errorf("password: %w", err)
	}
	const redacted = "'<redacted>'"
	withPW := func(format string) Statement {
		return Statement{
			SQL:       fmt.Sprintf(format, acct, qpw),
			Display:   fmt.Sprintf(format, acct, redacted),
			HasSecret: true,
		}
	}
	plainSt := func(sql string) Statement { return Statement{SQL: sql, Display: sql} }
	return []Statement{
		plainSt("CREATE DATABASE IF NOT EXISTS " + qdb + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
		// A database made elsewhere (a cluster's DatabaseName, say) gets the server's
		// default collation; Morpheus creates its schema with the database default.
		plainSt("ALTER DATABASE " + qdb + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
		withPW("CREATE USER IF NOT EXISTS %s IDENTIFIED BY %s"),
		// CREATE ... IF NOT EXISTS leaves an existing user's password alone.
		withPW("ALTER USER %s IDENTIFIED BY %s"),
		plainSt("GRANT ALL PRIVILEGES ON " + qdb + ".* TO " + acct + " WITH GRANT OPTION"),
		plainSt("GRANT SELECT, PROCESS, SHOW DATABASES, RELOAD ON *.* TO " + acct),
		plainSt("FLUSH PRIVILEGES"),
	}, nil
}

// String returns the loggable form.
func (s Statement) String() string { return s.Display }
