package deploytime

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTableRows(t *testing.T) {
	seen := map[string]bool{}
	for _, row := range table {
		assert.False(t, seen[row.Type], "%s is listed twice; the second row would silently win", row.Type)
		seen[row.Type] = true
		assert.True(t, strings.Contains(row.Type, ":"), "%q is not a type token", row.Type)
		assert.NotEmpty(t, row.Source, row.Type)
		assert.GreaterOrEqual(t, row.Minutes, 0.0, row.Type)
		assert.True(t, row.NodeBoot || row.Minutes > 0 || strings.HasPrefix(row.Source, srcLocal),
			"%s: only types without a cloud call may take 0 min", row.Type)
	}
	rows := Table()
	assert.Len(t, rows, len(table))
	for _, row := range rows {
		assert.Equal(t, TableDate, row.Date, row.Type)
	}
}
