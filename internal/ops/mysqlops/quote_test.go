package mysqlops_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/mysqlops"
)

func TestQuoteString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "'plain'",
		"o'brien":                "'o''brien'",
		"''":                     "''''''",
		`a"b`:                    `'a"b'`,
		"100%_match":             "'100%_match'",
		"x'; DROP USER root; --": "'x''; DROP USER root; --'",
		"üñí":                    "'üñí'",
		"":                       "''",
	} {
		got, err := mysqlops.QuoteString(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{`back\slash`, "nul\x00", "new\nline", "tab\t", "del\x7f", "c1\u0085", "\xff\xfe"} {
		_, err := mysqlops.QuoteString(bad)
		require.Error(t, err, "%q", bad)
		assert.NotContains(t, err.Error(), bad, "errors give positions, not the text")
	}
}

func TestQuoteIdentifier(t *testing.T) {
	for in, want := range map[string]string{
		"morpheus": "`morpheus`",
		"we`ird":   "`we``ird`",
		"my db":    "`my db`",
	} {
		got, err := mysqlops.QuoteIdentifier(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for _, bad := range []string{"", "trailing ", `back\slash`, "nl\n", string(make([]byte, 65))} {
		_, err := mysqlops.QuoteIdentifier(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestAccount(t *testing.T) {
	got, err := mysqlops.Account("morpheus", "%")
	require.NoError(t, err)
	assert.Equal(t, "'morpheus'@'%'", got)
	got, err = mysqlops.Account("o'b", "%")
	require.NoError(t, err)
	assert.Equal(t, "'o''b'@'%'", got)
	_, err = mysqlops.Account("", "%")
	assert.Error(t, err)
	_, err = mysqlops.Account("a23456789012345678901234567890123", "%")
	assert.Error(t, err, "33 characters exceed MySQL's user name limit")
}
