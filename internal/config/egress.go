package config

import (
	"regexp"
	"slices"
	"strings"
)

// Egress is `app.egress`: where the app nodes may open HTTPS (443) and HTTP
// (80) connections outside the VPC. The data services, the VPC interface
// endpoints and S3 (through its gateway endpoint) stay reachable in every mode.
type Egress struct {
	// Mode is open (443 and 80 to any address: Morpheus calls the APIs of the
	// clouds it manages, which have no fixed addresses, and downloads packages
	// during reconfigure) or allowList (443 and 80 only to cidrs and
	// prefixListIds: every managed cloud's API, the OS package mirrors and
	// Morpheus' own download hosts must then be listed, or those features fail).
	Mode string `json:"mode"`
	// Cidrs are the IPv4 CIDR blocks the nodes may reach on 443 and 80 in
	// allowList mode (no /0: that is mode open).
	Cidrs []string `json:"cidrs"`
	// PrefixListIds are the managed prefix lists (pl-...) the nodes may reach on
	// 443 and 80 in allowList mode.
	PrefixListIds []string `json:"prefixListIds"`
}

// Egress modes.
const (
	// EgressOpen lets the nodes reach any address on 443 and 80.
	EgressOpen = "open"
	// EgressAllowList lets the nodes reach only the listed networks on 443 and 80.
	EgressAllowList = "allowList"
)

// EgressModes lists the accepted app.egress.mode values.
var EgressModes = []string{EgressOpen, EgressAllowList}

var prefixListRE = regexp.MustCompile(`^pl-[0-9a-f]{8,17}$`)

// egressDefaults keeps the nodes' internet egress open: Morpheus cannot know
// in advance which clouds it will be asked to manage.
func egressDefaults() Egress {
	return Egress{Mode: EgressOpen, Cidrs: []string{}, PrefixListIds: []string{}}
}

func validateEgress(e Egress, c *collector) {
	switch e.Mode {
	case EgressOpen:
		if len(e.Cidrs)+len(e.PrefixListIds) > 0 {
			c.addf("app.egress.mode", e.Mode, "admits every address, so cidrs and prefixListIds would have no effect; set mode allowList to use them, or remove them")
		}
		return
	case EgressAllowList:
	default:
		c.addf("app.egress.mode", e.Mode, "must be one of %s", strings.Join(EgressModes, ", "))
		return
	}
	if len(e.Cidrs)+len(e.PrefixListIds) == 0 {
		c.addf("app.egress.cidrs", "[]", "allowList mode needs at least one CIDR block or prefix list, or the nodes cannot download their packages")
	}
	validateCidrList(c, "app.egress.cidrs", e.Cidrs)
	for _, s := range e.Cidrs {
		if s == DefaultAllowedCidr {
			c.addf("app.egress.cidrs", s, "admits every address; use mode open instead")
		}
	}
	for i, id := range e.PrefixListIds {
		switch {
		case !prefixListRE.MatchString(id):
			c.addf("app.egress.prefixListIds", id, "must be a managed prefix list id such as pl-0123456789abcdef0")
		case slices.Contains(e.PrefixListIds[:i], id):
			c.addf("app.egress.prefixListIds", id, "is listed twice")
		}
	}
}
