package rules

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// exposureRules keep generated secrets out of the two places every EC2 and
// IAM reader can see: user data and tags (DEVELOPERS.md, Secrets).
func exposureRules() []Rule {
	return []Rule{
		{
			Name: "no-secret-in-user-data", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "User data holds no secret value and no literal credential (private key, access key, quoted password).",
			Why:         "User data is readable by anyone with ec2:DescribeLaunchTemplateVersions and from IMDS on the node; nodes read secrets with their role instead.",
			Check:       only(checkUserData, typeLaunchTemplate, "aws:ec2/instance:Instance"),
		},
		{
			Name: "no-secret-in-tags", Control: "DEVELOPERS.md", Level: Mandatory,
			Description: "No tag value (tags, tagsAll, ASG tags, launch template tagSpecifications, provider defaultTags) is a secret.",
			Why:         "Tags are readable by every principal with a Describe or tag:GetResources permission and land in billing reports.",
			Check:       checkTags,
		},
	}
}

// secretMarkers match literal credentials in rendered user data. They are
// narrow on purpose: scripts that name secrets ("fetch_secret db ...") or
// morpheus.rb keys ("mysql['morpheus_password']") must not match.
var secretMarkers = []struct {
	what string
	re   *regexp.Regexp
}{
	{"a private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)},
	{"an AWS access key id", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"an AWS secret access key", regexp.MustCompile(`(?i)aws_secret_access_key[ \t]*[=:][ \t]*['"]?[A-Za-z0-9/+]{40}`)},
	{"a quoted password literal", regexp.MustCompile(`(?i)(password|passwd|secret)['"]?\]?[ \t]*[=:][ \t]*['"][^'"$\s{}()\[\]]{8,}['"]`)},
	{"the secret redaction marker", regexp.MustCompile(regexp.QuoteMeta(Secret))},
}

// decodeUserData returns user data as text: base64 is decoded and gzip
// (cloud-init accepts both) is unpacked; anything else is taken as is.
func decodeUserData(s string) string {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
			if text, err := io.ReadAll(io.LimitReader(zr, 16<<20)); err == nil {
				return string(text)
			}
		}
	}
	return string(b)
}

func checkUserData(_ Context, r Resource) []string {
	var m msgs
	for _, k := range []string{"userData", "userDataBase64"} {
		v, ok := r.get(k)
		s, isStr := v.(string)
		if !ok || !isStr || isUnknown(s) {
			continue
		}
		if s == Secret {
			m = append(m, k+" is a secret value: a generated secret flows into user data")
			continue
		}
		text := decodeUserData(s)
		for _, marker := range secretMarkers {
			if loc := marker.re.FindStringIndex(text); loc != nil {
				line := strings.Count(text[:loc[0]], "\n") + 1
				m = append(m, fmt.Sprintf("%s contains %s (line %d)", k, marker.what, line))
			}
		}
	}
	return m
}

// tagMaps returns every tag map of r with the path it was found at.
func tagMaps(r Resource) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, k := range []string{"tags", "tagsAll", "defaultTags.tags"} {
		v, _ := r.get(k)
		if m, ok := v.(map[string]any); ok {
			out[k] = m
		}
	}
	for i, spec := range maps(r.list("tagSpecifications")) {
		if m, ok := spec["tags"].(map[string]any); ok {
			out[fmt.Sprintf("tagSpecifications[%d].tags", i)] = m
		}
	}
	// Auto Scaling groups take tags as a list of {key, value, propagateAtLaunch}.
	if r.is(typeAutoScalingGroup) {
		asg := map[string]any{}
		for _, t := range maps(r.list("tags")) {
			if k, ok := t["key"].(string); ok {
				asg[k] = t["value"]
			}
		}
		if len(asg) > 0 {
			out["tags"] = asg
		}
	}
	return out
}

func checkTags(_ Context, r Resource) []string {
	var m msgs
	for path, tags := range tagMaps(r) {
		for k, v := range tags {
			if s, _ := v.(string); s == Secret || strings.Contains(s, Secret) {
				m = append(m, fmt.Sprintf("%s[%q] is a secret value", path, k))
			}
		}
	}
	sort.Strings(m)
	return m
}
