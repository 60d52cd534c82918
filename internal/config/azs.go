package config

import (
	"regexp"
	"slices"
	"strings"
)

// validateAZNames checks the pinned zones: one per AZ, in aws:region, each
// once. Prod must pin them: a zone picked afresh on each run (today's first
// available ones) could change and replace every subnet and data service.
func validateAZNames(cfg *Config, c *collector) {
	const key = "network.azNames"
	n := &cfg.Network
	if len(n.AZNames) == 0 {
		if cfg.IsProd() {
			c.addf(key, "[]", "prod must pin its %d AZs, e.g. %v; a stack already deployed must name the zones it runs in (`pulumi stack output azNames`)", n.AZCount, exampleAZs(cfg.Region, n.AZCount))
		}
		return
	}
	if len(n.AZNames) != n.AZCount {
		c.addf(key, n.AZNames, "lists %d zones; network.azCount is %d", len(n.AZNames), n.AZCount)
	}
	for i, az := range n.AZNames {
		switch {
		case cfg.Region != "" && !azNameRE.MatchString(strings.TrimPrefix(az, cfg.Region)):
			c.addf(key, az, "must be AZ names of %s such as %sa (Local and Wavelength Zones are not supported)", cfg.Region, cfg.Region)
		case slices.Contains(n.AZNames[:i], az):
			c.addf(key, az, "lists %s twice; each AZ holds one subnet of each tier", az)
		}
	}
}

// azNameRE is what an AZ name adds to its region's name: one letter.
var azNameRE = regexp.MustCompile(`^[a-z]$`)

// exampleAZs names the first count zones of region for a message.
func exampleAZs(region string, count int) []string {
	if region == "" {
		region = "eu-west-1"
	}
	out := make([]string, count)
	for i := range out {
		out[i] = region + string(rune('a'+i))
	}
	return out
}
