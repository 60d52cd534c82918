package config

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/cidrplan"
	"github.com/morpheus-ha/morpheus-ha/internal/valid"
)

var (
	labelRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// tagRE is the character set AWS accepts in tag keys and values.
	tagRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// logRetentionValues are the retention periods CloudWatch Logs accepts (0 = never
// expire is deliberately not offered: every log group here has a retention).
var logRetentionValues = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// rfc1918 are the private ranges a VPC CIDR must lie in.
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// standardTagKeys are set by the program; a user tag may not override them.
var standardTagKeys = []string{"Project", "Environment", "Stack", "Owner", "CostCenter", "ManagedBy"}

// ProdMinAuditRetentionDays is the shortest log retention prod accepts: VPC flow
// logs and the Aurora and OpenSearch audit logs are the evidence of an
// incident, which is often found months after it happened.
const ProdMinAuditRetentionDays = 365

// tagKeyFold is how AWS consoles, cost reports and most tools treat tag keys in
// practice: "costcenter", "Cost Center" and "CostCenter" read as one key, so a
// user tag must not differ from a standard one by case or spaces alone.
func tagKeyFold(k string) string {
	return strings.ToLower(strings.Join(strings.Fields(k), ""))
}

// validate applies every rule to a decoded configuration.
func validate(cfg *Config, c *collector) {
	validateIdentity(cfg, c)
	validateTags(cfg, c)
	validateNetwork(cfg, c)
	validateLogs(cfg, c)
	validateKeys(cfg, c)
	validateApp(cfg, c)
	validateSearch(cfg, c)
	validateStorage(cfg, c)
	validateMessaging(cfg, c)
	validateDatabase(cfg, c)
	validateMorpheus(cfg, c)
	validateNodePackages(cfg, c)
	validateAlerts(cfg, c)
	validateLoadBalancer(cfg, c)
	validateOps(cfg, c)
	validateBackup(cfg, c)
	validateMaintenance(cfg, c)
	validateWindowOverlaps(cfg, c)
	validateCapacity(cfg, c)
	validateSecurity(cfg, c)
	validateCost(cfg, c)
	validateDrills(cfg, c)
	validateRestore(cfg, c)
}

func validateIdentity(cfg *Config, c *collector) {
	switch {
	case cfg.Region == "":
		c.addForeign(RegionKey, "", "is not set; set the AWS region, e.g. `pulumi config set aws:region eu-west-1`")
	case !valid.Region(cfg.Region):
		c.addForeign(RegionKey, cfg.Region, "must be an AWS region name such as eu-west-1")
	}
	switch {
	case cfg.Domain == "":
		c.addf("domain", "", "is not set; set the FQDN Morpheus is reached on, e.g. morpheus.example.com")
	case !validDomain(cfg.Domain):
		c.addf("domain", cfg.Domain, "must be a lower-case fully qualified domain name (labels of a-z, 0-9 and '-', at least two labels, no trailing dot)")
	case len(cfg.ApplianceURL()) > valid.MaxApplianceURL:
		c.addf("domain", cfg.Domain, "appliance_url %q is %d characters; Morpheus allows at most %d, so the domain may have at most %d",
			cfg.ApplianceURL(), len(cfg.ApplianceURL()), valid.MaxApplianceURL, valid.MaxApplianceURL-len("https://"))
	case valid.ApplianceURL(cfg.ApplianceURL()) != "":
		c.addf("domain", cfg.Domain, "appliance_url %q %s", cfg.ApplianceURL(), valid.ApplianceURL(cfg.ApplianceURL()))
	}
	if strings.TrimSpace(cfg.Owner) == "" {
		c.addf("owner", cfg.Owner, "is not set; set the owning team; it becomes the Owner tag")
	}
	if strings.TrimSpace(cfg.CostCenter) == "" {
		c.addf("costCenter", cfg.CostCenter, "is not set; set the cost center; it becomes the CostCenter tag")
	}
}

func validDomain(d string) bool {
	if len(d) > 253 || strings.HasSuffix(d, ".") {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !labelRE.MatchString(l) {
			return false
		}
	}
	// The top-level label is never all digits; this rejects bare IP addresses.
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

func validateTags(cfg *Config, c *collector) {
	for k, v := range cfg.ExtraTags {
		key := "tags." + k
		std := slices.IndexFunc(standardTagKeys, func(s string) bool { return tagKeyFold(s) == tagKeyFold(k) })
		switch {
		case std >= 0:
			c.addf(key, v, "reads as %s, a standard tag the program sets (keys are compared ignoring case and spaces); choose another key", standardTagKeys[std])
		case tagKeyFold(k) == "name":
			c.addf(key, v, "Name is set per resource by the program; as a default tag it would give every untagged resource the same name")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			c.addf(key, v, "tag keys starting with aws: are reserved by AWS")
		case k == "" || len(k) > 128 || !tagRE.MatchString(k):
			c.addf(key, v, "tag keys must be 1-128 characters of letters, digits, spaces and _ . : / = + - @")
		case len(v) > 256 || !tagRE.MatchString(v):
			c.addf(key, v, "tag values must be at most 256 characters of letters, digits, spaces and _ . : / = + - @")
		}
	}
	for name, v := range map[string]string{"owner": cfg.Owner, "costCenter": cfg.CostCenter} {
		if len(v) > 256 || !tagRE.MatchString(v) {
			c.addf(name, v, "must be at most 256 characters of letters, digits, spaces and _ . : / = + - @ (it becomes a tag)")
		}
	}
}

func validateNetwork(cfg *Config, c *collector) {
	n := &cfg.Network
	vpc, err := netip.ParsePrefix(n.CIDR)
	cidrOK := false
	switch {
	case err != nil || !vpc.Addr().Is4():
		c.addf("network.cidr", n.CIDR, "must be an IPv4 CIDR block such as 10.40.0.0/16")
	case vpc != vpc.Masked():
		c.addf("network.cidr", n.CIDR, "has host bits set; the network address is %s", vpc.Masked())
	case vpc.Bits() < 16 || vpc.Bits() > 20:
		c.addf("network.cidr", n.CIDR, "prefix must be between /16 and /20")
	case !slices.ContainsFunc(rfc1918, func(p netip.Prefix) bool { return p.Overlaps(vpc) && p.Bits() <= vpc.Bits() }):
		c.addf("network.cidr", n.CIDR, "must lie in a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)")
	default:
		cidrOK = true
	}

	azOK := true
	switch {
	case n.AZCount != 2 && n.AZCount != 3:
		c.addf("network.azCount", n.AZCount, "must be 2 or 3")
		azOK = false
	case cfg.IsProd() && n.AZCount != 3:
		c.addf("network.azCount", n.AZCount, "prod must span 3 AZs to survive the loss of one with quorum intact")
		azOK = false
	}

	switch {
	case n.NATGateways != NATSingle && n.NATGateways != NATPerAZ:
		c.addf("network.natGateways", n.NATGateways, "must be %q or %q", NATSingle, NATPerAZ)
	case cfg.IsProd() && n.NATGateways != NATPerAZ:
		c.addf("network.natGateways", n.NATGateways, "prod needs %q: with one NAT gateway the loss of its AZ cuts every node's egress", NATPerAZ)
	}

	if azOK {
		validateAZNames(cfg, c)
	}

	if !cidrOK {
		return
	}
	if n.SubnetPrefixLength == 0 {
		n.SubnetPrefixLength = vpc.Bits() + defaultSubnetPrefixOffset
	}
	if !azOK {
		return
	}
	if _, err := cidrplan.Plan(vpc, n.SubnetPrefixLength, n.AZCount); err != nil {
		c.addf("network.subnetPrefixLength", n.SubnetPrefixLength, "the subnet plan does not fit %s: %v", n.CIDR, err)
	}
}

func validateLogs(cfg *Config, c *collector) {
	switch d := cfg.Logs.RetentionDays; {
	case !slices.Contains(logRetentionValues, d):
		c.addf("logs.retentionDays", d, "must be one of the CloudWatch Logs retention values %v", logRetentionValues)
	case cfg.IsProd() && d < ProdMinAuditRetentionDays:
		c.addf("logs.retentionDays", d, "prod keeps logs at least %d days: flow logs and the Aurora and OpenSearch audit logs are incident evidence", ProdMinAuditRetentionDays)
	}
}

func validateKeys(cfg *Config, c *collector) {
	switch d := cfg.Keys.DeletionWindowDays; {
	case d < 7 || d > 30:
		c.addf("keys.deletionWindowDays", d, "must be between 7 and 30 days")
	case cfg.IsProd() && d != 30:
		c.addf("keys.deletionWindowDays", d, "prod keeps the longest window, 30 days: a key scheduled for deletion by mistake strands every copy of the data it encrypts")
	}
	if d := cfg.Keys.RotationPeriodDays; d < 90 || d > 2560 {
		c.addf("keys.rotationPeriodDays", d, "must be between 90 and 2560 days")
	}
}
