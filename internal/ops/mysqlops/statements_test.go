package mysqlops_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/mysqlops"
)

func TestEnsureStatements(t *testing.T) {
	st, err := mysqlops.EnsureStatements("morpheus", "morpheus", "pa'ss")
	require.NoError(t, err)
	var sqls, displays []string
	for _, s := range st {
		sqls = append(sqls, s.SQL)
		displays = append(displays, s.Display)
		assert.Equal(t, s.HasSecret, s.SQL != s.Display, s.Display)
		assert.NotContains(t, s.Display, "pa'ss")
		assert.NotContains(t, s.String(), "pa''ss")
	}
	assert.Equal(t, []string{
		"CREATE DATABASE IF NOT EXISTS `morpheus` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
		"ALTER DATABASE `morpheus` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
		"CREATE USER IF NOT EXISTS 'morpheus'@'%' IDENTIFIED BY 'pa''ss'",
		"ALTER USER 'morpheus'@'%' IDENTIFIED BY 'pa''ss'",
		"GRANT ALL PRIVILEGES ON `morpheus`.* TO 'morpheus'@'%' WITH GRANT OPTION",
		"GRANT SELECT, PROCESS, SHOW DATABASES, RELOAD ON *.* TO 'morpheus'@'%'",
		"FLUSH PRIVILEGES",
	}, sqls)
	assert.Equal(t, "ALTER USER 'morpheus'@'%' IDENTIFIED BY '<redacted>'", displays[3])
}

func TestEnsureStatementsRejectsUnquotable(t *testing.T) {
	_, err := mysqlops.EnsureStatements("morpheus", "morpheus", `a\b`)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), `a\b`)
	_, err = mysqlops.EnsureStatements("", "morpheus", "pw")
	assert.Error(t, err)
	_, err = mysqlops.EnsureStatements("morpheus", "", "pw")
	assert.Error(t, err)
}
