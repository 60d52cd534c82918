package config

import (
	"regexp"
	"slices"
)

// Security is the `security` config object: who may still reach the admin
// secrets besides the ops function.
type Security struct {
	// BreakGlassRoleArns are IAM role ARNs (a `*` may stand for a generated
	// part, as in SSO roles; at most 10) admitted to the admin secrets
	// (mq-admin, opensearch-master, morpheus-admin) next to the ops function's
	// role; every other principal is denied reading and changing them. The role
	// that runs `pulumi up` and `pulumi refresh` must be listed: Pulumi reads
	// and writes those secrets' versions. Required in prod; without it the
	// secrets get no resource policy.
	BreakGlassRoleArns []string `json:"breakGlassRoleArns" docdefault:"none; prod requires it"`
}

// maxBreakGlassRoles keeps the admitted list reviewable (and far below the
// 20 KB resource policy limit).
const maxBreakGlassRoles = 10

// roleArnPatternRE is an IAM role ARN in any partition; `*` is allowed in the
// path and name for ArnLike patterns, never in the account.
var roleArnPatternRE = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/*-]{1,512}$`)

func validateSecurity(cfg *Config, c *collector) {
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
