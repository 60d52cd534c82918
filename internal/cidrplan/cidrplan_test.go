package cidrplan

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanIsStableWhenAZsAreAdded(t *testing.T) {
	vpc := netip.MustParsePrefix("10.40.0.0/16")
	two, err := Plan(vpc, 20, 2)
	require.NoError(t, err)
	three, err := Plan(vpc, 20, 3)
	require.NoError(t, err)
	for _, s := range two {
		found := false
		for _, t3 := range three {
			if t3.Tier == s.Tier && t3.AZIndex == s.AZIndex {
				found = t3.CIDR == s.CIDR
			}
		}
		assert.True(t, found, "%v moved when a third AZ was added", s)
	}
	assert.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("10.40.128.0/20"), netip.MustParsePrefix("10.40.144.0/20"), netip.MustParsePrefix("10.40.160.0/20"),
	}, ByTier(three, Public))
}

func TestPlanRejects(t *testing.T) {
	for _, tc := range []struct {
		cidr   string
		prefix int
		azs    int
		want   string
	}{
		{"10.40.0.0/16", 19, 3, "fewer than 12"},
		{"10.40.0.0/20", 29, 3, "/28"},
		{"10.40.1.0/16", 20, 3, "host bits"},
		{"10.40.0.0/16", 20, 5, "AZ count"},
	} {
		_, err := Plan(netip.MustParsePrefix(tc.cidr), tc.prefix, tc.azs)
		require.Error(t, err, tc.cidr)
		assert.Contains(t, err.Error(), tc.want)
	}
}
