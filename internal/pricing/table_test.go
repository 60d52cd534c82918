package pricing_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/pricing"
)

func TestRegionsHaveTables(t *testing.T) {
	assert.Equal(t, []string{"eu-west-1", "us-east-1"}, pricing.Regions())
}

// TestShippedTables: every table is dated, says where each figure comes from
// (AWS's pricing pages, or that it is an assumption) and where to verify it, and
// prices the same keys as every other table, so a price added for one region
// cannot be forgotten in another.
func TestShippedTables(t *testing.T) {
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	var keys []string
	for i, region := range pricing.Regions() {
		t.Run(region, func(t *testing.T) {
			tbl, err := pricing.LoadTable(region)
			require.NoError(t, err)
			assert.Equal(t, region, tbl.Region)
			assert.Regexp(t, date, tbl.Date)
			assert.Contains(t, tbl.Source, "pricing pages")
			var got []string
			for key, p := range tbl.Prices {
				got = append(got, key)
				assert.Greater(t, p.USD, 0.0, key)
				assert.NotEmpty(t, p.Unit, key)
				switch p.Basis {
				case "S", "R":
					assert.True(t, strings.HasPrefix(p.Source, "AWS pricing ("+p.Basis), "%s: source %q must cite AWS pricing with basis %s", key, p.Source, p.Basis)
				case "A":
					assert.True(t, strings.HasPrefix(p.Source, "assumption, no published figure checked"), "%s: source %q must say the figure is an assumption", key, p.Source)
				default:
					t.Errorf("%s: basis %q is none of S, R, A", key, p.Basis)
				}
				assert.True(t, strings.HasPrefix(p.URL, "https://aws.amazon.com/"), "%s: url %q", key, p.URL)
			}
			sort.Strings(got)
			if i == 0 {
				keys = got
				return
			}
			assert.Equal(t, keys, got, "every region prices the same keys")
		})
	}
}

func TestLoadTableUnknownRegion(t *testing.T) {
	_, err := pricing.LoadTable("ap-south-1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"ap-south-1"`)
	assert.Contains(t, err.Error(), "eu-west-1, us-east-1")
}
