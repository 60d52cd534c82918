package config

import (
	"regexp"
	"slices"
	"strings"
)

// Security is the `security` config object: who may still reach the admin
// secrets besides the ops function, and the account security services the
// stack turns on.
type Security struct {
	// BreakGlassRoleArns are IAM role ARNs (a `*` may stand for a generated
	// part, as in SSO roles; at most 10) admitted to the admin secrets
	// (mq-admin, opensearch-master, morpheus-admin) next to the ops function's
	// role; every other principal is denied reading and changing them. The role
	// that runs `pulumi up` and `pulumi refresh` must be listed: Pulumi reads
	// and writes those secrets' versions. Required in prod; without it the
	// secrets get no resource policy.
	BreakGlassRoleArns []string `json:"breakGlassRoleArns" docdefault:"none; prod requires it"`
	// SecurityHub turns on Security Hub CSPM for the account and Region
	// (docs/runbooks/account-security.md; import it where it is already on).
	SecurityHub SecurityHub `json:"securityHub"`
	// GuardDuty turns on GuardDuty for the account and Region (import the
	// detector where one exists).
	GuardDuty GuardDuty `json:"guardDuty"`
}

// SecurityHub is `security.securityHub`.
type SecurityHub struct {
	// Enabled turns on Security Hub CSPM with the AWS Foundational Security
	// Best Practices and CIS AWS Foundations standards, and sends HIGH and
	// CRITICAL findings to the alerts topic. Account-wide: retained when turned
	// off or destroyed.
	Enabled bool `json:"enabled"`
	// CISVersion is the CIS AWS Foundations Benchmark version subscribed to:
	// 1.4.0 or 3.0.0.
	CISVersion string `json:"cisVersion"`
}

// GuardDuty is `security.guardDuty`.
type GuardDuty struct {
	// Enabled turns on a GuardDuty detector with S3 data events, EBS malware
	// protection, RDS login events and Lambda network logs, and sends findings
	// of severity 7 or more to the alerts topic. Account-wide: retained when
	// turned off or destroyed.
	Enabled bool `json:"enabled"`
	// RuntimeMonitoring adds Runtime Monitoring, with GuardDuty installing its
	// agent on the nodes through Systems Manager (agent support for the node
	// OS is unconfirmed: check GuardDuty's list before turning it on).
	RuntimeMonitoring bool `json:"runtimeMonitoring"`
}

// DefaultCISVersion is the newest CIS benchmark Security Hub is known to offer
// as a regional standard (operations.md D.1).
const DefaultCISVersion = "3.0.0"

// CISVersions are the accepted security.securityHub.cisVersion values.
var CISVersions = []string{"1.4.0", DefaultCISVersion}

// securityDefaults: the account services stay off, since they are account-wide
// singletons another team may already run.
func securityDefaults() Security {
	return Security{SecurityHub: SecurityHub{CISVersion: DefaultCISVersion}}
}

// maxBreakGlassRoles keeps the admitted list reviewable (and far below the
// 20 KB resource policy limit).
const maxBreakGlassRoles = 10

// roleArnPatternRE is an IAM role ARN in any partition; `*` is allowed in the
// path and name for ArnLike patterns, never in the account.
var roleArnPatternRE = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/*-]{1,512}$`)

func validateSecurity(cfg *Config, c *collector) {
	validateBreakGlassRoles(cfg, c)
	s := cfg.Security
	if !slices.Contains(CISVersions, s.SecurityHub.CISVersion) {
		c.addf("security.securityHub.cisVersion", s.SecurityHub.CISVersion, "must be one of %s (the CIS AWS Foundations Benchmark versions Security Hub offers per Region)", strings.Join(CISVersions, ", "))
	}
	if s.GuardDuty.RuntimeMonitoring && !s.GuardDuty.Enabled {
		c.addf("security.guardDuty.runtimeMonitoring", true, "needs security.guardDuty.enabled")
	}
}

func validateBreakGlassRoles(cfg *Config, c *collector) {
	const key = "security.breakGlassRoleArns"
	roles := cfg.Security.BreakGlassRoleArns
	switch {
	case cfg.IsProd() && len(roles) == 0:
		c.addf(key, "[]", "prod needs at least one role: the admin secrets deny every principal but the ops function and these roles, and the role `pulumi up` and `pulumi refresh` run as must be one of them (Pulumi reads and writes those secrets)")
	case len(roles) > maxBreakGlassRoles:
		c.addf(key, roles, "lists %d roles; at most %d (keep break-glass access small)", len(roles), maxBreakGlassRoles)
	}
	for i, r := range roles {
		switch {
		case !roleArnPatternRE.MatchString(r):
			c.addf(key, r, "must be IAM role ARNs such as arn:aws:iam::123456789012:role/platform-deployer (`*` allowed in the role's path or name, not a user, group or root)")
		case slices.Contains(roles[:i], r):
			c.addf(key, r, "lists %s twice", r)
		}
	}
}
