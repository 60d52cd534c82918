package config

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// LoadBalancer is the `loadBalancer` config object: the Application Load
// Balancer in front of the Morpheus nodes, its certificate, DNS name and access
// logs. Set exactly one of hostedZoneId and certificateArn.
type LoadBalancer struct {
	// Internal places the ALB in the private-app subnets without public
	// addresses.
	Internal bool `json:"internal"`
	// AllowedCidrs are the IPv4 CIDR blocks allowed on ports 443 and 80; agents
	// must be inside them.
	AllowedCidrs []string `json:"allowedCidrs"`
	// SslPolicy is the HTTPS listener's TLS 1.2+ security policy; the
	// TLS13-1-3 policies shut out TLS 1.2-only agents.
	SslPolicy string `json:"sslPolicy"`
	// CertificateArn is an existing ACM certificate for the domain in
	// aws:region, set instead of hostedZoneId; no DNS record is created, so
	// point the domain at the ALB yourself.
	CertificateArn string `json:"certificateArn"`
	// HostedZoneId is the Route 53 zone of the domain (Z...): the program
	// requests a DNS-validated ACM certificate and creates the alias record
	// there.
	HostedZoneId string `json:"hostedZoneId" docdefault:"required unless certificateArn is set"`
	// DesyncMitigationMode is how the ALB treats ambiguous requests: defensive
	// or strictest (Security Hub ELB.12).
	DesyncMitigationMode string `json:"desyncMitigationMode"`
	// IdleTimeoutSeconds is the ALB idle timeout, 60 to 4000; agents hold a
	// websocket open.
	IdleTimeoutSeconds int `json:"idleTimeoutSeconds"`
	// AccessLogRetentionDays is how long the access-log bucket keeps logs, 1 to
	// 3653 days.
	AccessLogRetentionDays int `json:"accessLogRetentionDays"`
	// Waf attaches an AWS WAF web ACL with AWS managed rule groups (IP
	// reputation, known bad inputs, common rule set).
	Waf bool `json:"waf"`
	// SetupComplete opens the listener to AllowedCidrs. Until then Morpheus
	// serves its unauthenticated one-time POST /api/setup/init, so the ALB
	// admits only SetupCidrs and, when the ops function runs the setup, the
	// function's own path (the NAT gateways' addresses or the ops group).
	SetupComplete bool `json:"setupComplete"`
	// SetupCidrs may reach ports 443 and 80 while SetupComplete is false: the
	// network of the person who runs Morpheus' setup (IPv4 CIDR blocks, no /0).
	SetupCidrs []string `json:"setupCidrs"`
}

// Load balancer defaults and bounds.
const (
	// DefaultSSLPolicy is TLS 1.2 and 1.3 with forward secrecy only, the policy
	// Security Hub ELB.17 names first (Elastic Load Balancing "Security policies for your Application Load Balancer").
	DefaultSSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// DefaultDesyncMitigationMode blocks the requests RFC 7230 calls ambiguous
	// without breaking compliant but unusual clients (ELB.12 passes).
	DefaultDesyncMitigationMode = "defensive"
	// DefaultIdleTimeoutSeconds keeps an idle agent websocket open for almost six
	// minutes, as long as the AWS NAT gateway in front of most agents keeps an idle
	// flow (350 s); see docs/decisions.
	DefaultIdleTimeoutSeconds = 350
	// MinIdleTimeoutSeconds is the ALB default; shorter only breaks websockets.
	MinIdleTimeoutSeconds = 60
	// MaxIdleTimeoutSeconds is the largest value the ALB accepts.
	MaxIdleTimeoutSeconds = 4000
	// MaxAccessLogRetentionDays bounds the log lifecycle at ten years.
	MaxAccessLogRetentionDays = 3653
	// DefaultAllowedCidr admits everyone: agents connect from wherever workloads run.
	DefaultAllowedCidr = "0.0.0.0/0"
	// ProdMinAccessLogRetentionDays keeps a year of ALB access logs in prod: they
	// are the record of who reached the appliance, kept as long as the audit logs.
	ProdMinAccessLogRetentionDays = 365
)

// TLSPolicies are the listener policies accepted: TLS 1.2 minimum with forward
// secrecy. The first six pass Security Hub ELB.17; the 2025-09 post-quantum set
// is AWS's newest (its ELB.17 standing is unconfirmed). The "Ext"
// variants, which add legacy CBC ciphers, are left out. The TLS13-1-3 policies
// refuse TLS 1.2 clients, such as agents on older Windows.
var TLSPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
}

// DesyncMitigationModes are the modes that pass ELB.12 ("monitor" does not).
var DesyncMitigationModes = []string{"defensive", "strictest"}

var (
	// hostedZoneRE is a Route 53 zone id as the API returns it without the
	// "/hostedzone/" prefix.
	hostedZoneRE = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	// acmARNRE is an ACM certificate ARN: partition, region, account, uuid.
	acmARNRE = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):acm:([a-z0-9-]+):([0-9]{12}):certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// defaultLoadBalancer returns fresh defaults: the slice is new on every call
// because decoding the user's list writes into the default's backing array.
func defaultLoadBalancer(p profile) LoadBalancer {
	return LoadBalancer{
		AllowedCidrs:           []string{DefaultAllowedCidr},
		SslPolicy:              DefaultSSLPolicy,
		DesyncMitigationMode:   DefaultDesyncMitigationMode,
		IdleTimeoutSeconds:     DefaultIdleTimeoutSeconds,
		AccessLogRetentionDays: p.logRetentionDays,
	}
}

func validateLoadBalancer(cfg *Config, c *collector) {
	lb := &cfg.LoadBalancer
	if len(lb.AllowedCidrs) == 0 {
		c.addf("loadBalancer.allowedCidrs", "[]", "list at least one IPv4 CIDR block (default %s)", DefaultAllowedCidr)
	}
	validateCidrList(c, "loadBalancer.allowedCidrs", lb.AllowedCidrs)
	if lb.Internal && slices.Contains(lb.AllowedCidrs, DefaultAllowedCidr) {
		c.addf("loadBalancer.allowedCidrs", DefaultAllowedCidr, "admits every network that can route to the VPC (peerings, transit gateways, VPNs) to an internal ALB; list the networks of your users and agents instead")
	}
	validateSetupWindow(cfg, c)
	if !slices.Contains(TLSPolicies, lb.SslPolicy) {
		c.addf("loadBalancer.sslPolicy", lb.SslPolicy, "must be a TLS 1.2+ policy, one of %s", strings.Join(TLSPolicies, ", "))
	}
	validateCertificateSource(cfg, c)
	if !slices.Contains(DesyncMitigationModes, lb.DesyncMitigationMode) {
		c.addf("loadBalancer.desyncMitigationMode", lb.DesyncMitigationMode, "must be one of %s (monitor lets desync attacks through, Security Hub ELB.12)", strings.Join(DesyncMitigationModes, ", "))
	}
	if t := lb.IdleTimeoutSeconds; t < MinIdleTimeoutSeconds || t > MaxIdleTimeoutSeconds {
		c.addf("loadBalancer.idleTimeoutSeconds", t, "must be between %d and %d seconds", MinIdleTimeoutSeconds, MaxIdleTimeoutSeconds)
	}
	switch d := lb.AccessLogRetentionDays; {
	case d < 1 || d > MaxAccessLogRetentionDays:
		c.addf("loadBalancer.accessLogRetentionDays", d, "must be between 1 and %d days", MaxAccessLogRetentionDays)
	case cfg.IsProd() && d < ProdMinAccessLogRetentionDays:
		c.addf("loadBalancer.accessLogRetentionDays", d, "prod keeps access logs at least %d days, as long as its audit logs", ProdMinAccessLogRetentionDays)
	}
}

// validateCidrList checks a list of IPv4 CIDR blocks: well formed, no host
// bits, no duplicates.
func validateCidrList(c *collector, key string, cidrs []string) {
	seen := map[netip.Prefix]bool{}
	for _, s := range cidrs {
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !p.Addr().Is4():
			c.addf(key, s, "must be an IPv4 CIDR block such as 203.0.113.0/24 (this stack is IPv4 only)")
		case p != p.Masked():
			c.addf(key, s, "has host bits set; the network address is %s", p.Masked())
		case seen[p]:
			c.addf(key, s, "is listed twice")
		}
		seen[p] = true
	}
}

// validateSetupWindow requires someone to be able to finish Morpheus' setup
// while the listener is closed to everyone else: a setup network, or the ops
// function's automated setup. Neither would leave the ALB admitting nobody, and
// an existing stack upgraded without the key would silently lose its users,
// so the program refuses rather than guesses.
func validateSetupWindow(cfg *Config, c *collector) {
	lb := &cfg.LoadBalancer
	validateCidrList(c, "loadBalancer.setupCidrs", lb.SetupCidrs)
	for _, s := range lb.SetupCidrs {
		if p, err := netip.ParsePrefix(s); err == nil && p.Bits() == 0 {
			c.addf("loadBalancer.setupCidrs", s, "would open Morpheus' unauthenticated setup to everyone; list the network of the person running the setup")
		}
	}
	if lb.SetupComplete || len(lb.SetupCidrs) > 0 || cfg.Ops.ApplianceSetup.Enabled {
		return
	}
	c.addf("loadBalancer.setupComplete", false, "leaves nobody able to reach the ALB: until Morpheus' one-time setup is done the listener admits only loadBalancer.setupCidrs (and the ops function when ops.applianceSetup.enabled is true). "+
		"Set loadBalancer.setupCidrs to your admin network or enable ops.applianceSetup; on a stack whose setup is already done, set loadBalancer.setupComplete to true")
}

// PublicHealthCheck reports whether Route 53's checkers can reach the ALB: an
// internet-facing ALB whose listener is open to 0.0.0.0/0. Otherwise a public
// health check would report the stack down permanently (and page for it).
func (c *Config) PublicHealthCheck() bool {
	lb := c.LoadBalancer
	return !lb.Internal && lb.SetupComplete && slices.Contains(lb.AllowedCidrs, DefaultAllowedCidr)
}

// validateCertificateSource requires exactly one way to get a certificate: an
// existing ACM certificate, or a Route 53 zone to validate a new one in (and to
// hold the alias record).
func validateCertificateSource(cfg *Config, c *collector) {
	lb := &cfg.LoadBalancer
	switch {
	case lb.CertificateArn == "" && lb.HostedZoneId == "":
		c.addf("loadBalancer.hostedZoneId", "", "set exactly one of loadBalancer.hostedZoneId (the program requests a DNS-validated certificate for %q and creates its alias record) or loadBalancer.certificateArn (an existing ACM certificate; you point DNS at the ALB yourself)", cfg.Domain)
		return
	case lb.CertificateArn != "" && lb.HostedZoneId != "":
		c.addf("loadBalancer.certificateArn", lb.CertificateArn, "set only one of loadBalancer.certificateArn and loadBalancer.hostedZoneId (hostedZoneId %q is also set)", lb.HostedZoneId)
		return
	}
	if z := lb.HostedZoneId; z != "" && !hostedZoneRE.MatchString(z) {
		c.addf("loadBalancer.hostedZoneId", z, "must be a Route 53 hosted zone id: Z followed by upper-case letters and digits, without /hostedzone/")
	}
	if a := lb.CertificateArn; a != "" {
		m := acmARNRE.FindStringSubmatch(a)
		switch {
		case m == nil:
			c.addf("loadBalancer.certificateArn", a, "must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>")
		case cfg.Region != "" && m[2] != cfg.Region:
			c.addf("loadBalancer.certificateArn", a, "is in region %s; an ALB can only use an ACM certificate of its own region (%s)", m[2], cfg.Region)
		}
	}
}
