// Package valid holds the rules for values that both the configuration and the
// user data depend on, so that the two can never disagree: config applies them
// while loading (naming the config key), and the user data renderer applies
// the same functions again before it writes anything into a shell script.
package valid

import (
	"net/url"
	"regexp"
	"strings"
)

var (
	sha256Pattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)?$`)
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$`)
	// hostPattern is a DNS name of at least two labels.
	hostPattern     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
	s3BucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// urlCharsPattern keeps every URL free of what a shell or a YAML document
	// would interpret: no spaces, quotes, $, backquotes, backslashes, query or
	// fragment.
	urlCharsPattern = regexp.MustCompile(`^[A-Za-z0-9:/_.+~%=-]+$`)
)

// MaxApplianceURL is Morpheus' limit on appliance_url: longer values break the
// agent install commands it generates.
const MaxApplianceURL = 64

// SHA256 reports whether s is a SHA-256 as 64 lower-case hex digits.
func SHA256(s string) bool { return sha256Pattern.MatchString(s) }

// MorpheusVersion reports whether s looks like 8.0.7 or 8.0.7-1.
func MorpheusVersion(s string) bool { return versionPattern.MatchString(s) }

// Region reports whether s is shaped like an AWS region name (eu-west-1,
// us-gov-west-1).
func Region(s string) bool { return regionPattern.MatchString(s) }

// ArtifactURL returns what is wrong with a node package URL, or "" when it is
// fine: https:// (or s3:// when allowS3) with a path ending in ext, of
// [A-Za-z0-9:/_.+~%=-] only. The AWS CLI itself must be https://, because the
// nodes read s3:// URLs with it.
func ArtifactURL(raw, ext string, allowS3 bool) string {
	schemes := "an https://"
	if allowS3 {
		schemes = "an https:// or s3://"
	}
	if !urlCharsPattern.MatchString(raw) {
		return "must be " + schemes + " URL of the characters A-Z a-z 0-9 : / _ . + ~ % = - (no spaces, quotes, query or fragment)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "must be " + schemes + " URL"
	}
	switch {
	case u.Scheme == "https" && hostPattern.MatchString(u.Host):
	case u.Scheme == "s3" && allowS3 && s3BucketPattern.MatchString(u.Host):
	default:
		return "must be " + schemes + " URL"
	}
	if !strings.HasSuffix(u.Path, ext) {
		return "must name a " + ext + " file"
	}
	return ""
}

// ApplianceURL returns what is wrong with Morpheus' appliance_url, or "": it
// must be https://<fqdn> with no port, path or trailing slash, and at most
// MaxApplianceURL characters.
func ApplianceURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme != "https" || !hostPattern.MatchString(u.Host):
		return "must be https://<fqdn> (no port, path or trailing slash)"
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "/"):
		return "must be https://<fqdn> (no port, path or trailing slash)"
	case len(raw) > MaxApplianceURL:
		return "must be at most 64 characters"
	}
	return ""
}

// PackageExt is the package file extension of an OS family: ".rpm" for "rhel",
// ".deb" otherwise (Ubuntu).
func PackageExt(family string) string {
	if family == "rhel" {
		return ".rpm"
	}
	return ".deb"
}
