package userdata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/valid"
)

// Patterns of the AWS identifiers the user data names. They are deliberately
// the documented character sets, so nothing needing quoting beyond the shell
// helper reaches a script, and a typo fails at preview rather than at boot.
var (
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@:-]+$`)
	paramPattern  = regexp.MustCompile(`^/[A-Za-z0-9/_.-]+$`)
	hookPattern   = regexp.MustCompile(`^[A-Za-z0-9_/-]{1,255}$`)
)

// maxNameLen is the longest secret name/ARN and parameter name AWS accepts.
const maxNameLen = 2048

// Validate reports every invalid field at once; each message names the field,
// the value and the rule. Zero IDs and ReadyTimeoutMinutes are valid (defaults).
// The rules on user-supplied values (package URLs and checksums, version,
// region, appliance URL) are internal/valid's, which config.Load applies first
// naming the config key; they run again here because these values end up in a
// shell script.
func (p Params) Validate() error {
	v := &collector{}
	p = p.withDefaults()

	if p.OS != Ubuntu && p.OS != RHEL {
		v.addf("OS", string(p.OS), "must be %q or %q", Ubuntu, RHEL)
	}
	ext := p.OS.packageExt()
	v.artifact("Morpheus", Artifact{URL: p.Morpheus.URL, SHA256: p.Morpheus.SHA256}, ext, true)
	if !valid.MorpheusVersion(p.Morpheus.Version) {
		v.addf("Morpheus.Version", p.Morpheus.Version, "must look like 8.0.7 or 8.0.7-1")
	}
	v.artifact("EFSUtils", p.EFSUtils, ext, true)
	v.artifact("AWSCLI", p.AWSCLI, ".zip", false)
	v.artifact("CloudWatchAgent", p.CloudWatchAgent, ext, true)

	if !valid.Region(p.Region) {
		v.addf("Region", p.Region, "must be an AWS region such as eu-west-1")
	}
	if msg := valid.ApplianceURL(p.ApplianceURL); msg != "" {
		v.addf("ApplianceURL", p.ApplianceURL, "%s", msg)
	}

	if p.SearchReplicas < 0 {
		v.addf("SearchReplicas", fmt.Sprint(p.SearchReplicas), "must be 0 or more")
	}
	v.match("Secrets.DB", p.Secrets.DB, secretPattern, "must be a Secrets Manager secret name or ARN")
	v.match("Secrets.MQ", p.Secrets.MQ, secretPattern, "must be a Secrets Manager secret name or ARN")
	v.match("Secrets.Search", p.Secrets.Search, secretPattern, "must be a Secrets Manager secret name or ARN")

	v.parameters(p.Parameters)

	v.match("Hooks.Launch", p.Hooks.Launch, hookPattern, "must be a lifecycle hook name ([A-Za-z0-9_/-], 1-255)")
	v.match("Hooks.Termination", p.Hooks.Termination, hookPattern, "must be a lifecycle hook name ([A-Za-z0-9_/-], 1-255)")
	if p.Hooks.Launch != "" && p.Hooks.Launch == p.Hooks.Termination {
		v.addf("Hooks.Termination", p.Hooks.Termination, "must differ from Hooks.Launch")
	}

	v.agent(p.Agent)

	v.ids(p.IDs)
	if p.ReadyTimeoutMinutes < 5 || p.ReadyTimeoutMinutes > 180 {
		v.addf("ReadyTimeoutMinutes", fmt.Sprint(p.ReadyTimeoutMinutes), "must be 5-180 (0 = %d)", DefaultReadyTimeoutMinutes)
	}
	if p.DataReadyTimeoutMinutes < 5 || p.DataReadyTimeoutMinutes > 180 {
		v.addf("DataReadyTimeoutMinutes", fmt.Sprint(p.DataReadyTimeoutMinutes), "must be 5-180 (0 = %d)", DefaultDataReadyTimeoutMinutes)
	}
	return v.err()
}

// collector gathers field errors so the caller sees all of them at once.
type collector struct{ errs []error }

func (c *collector) addf(field, value, rule string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("userdata: Params.%s = %q: %s", field, value, fmt.Sprintf(rule, args...)))
}

// match requires value to match re and be at most maxNameLen bytes (Go's
// regexp caps repeat counts at 1000, below some AWS limits).
func (c *collector) match(field, value string, re *regexp.Regexp, rule string) {
	if !re.MatchString(value) || len(value) > maxNameLen {
		c.addf(field, value, "%s", rule)
	}
}

func (c *collector) err() error { return errors.Join(c.errs...) }

// artifact checks a download's URL (valid.ArtifactURL) and checksum.
func (c *collector) artifact(field string, a Artifact, ext string, allowS3 bool) {
	if msg := valid.ArtifactURL(a.URL, ext, allowS3); msg != "" {
		c.addf(field+".URL", a.URL, "%s", msg)
	}
	if !valid.SHA256(a.SHA256) {
		c.addf(field+".SHA256", a.SHA256, "must be 64 lowercase hex digits")
	}
}

func (c *collector) parameters(p Parameters) {
	fields := []struct {
		name, value string
	}{
		{"DBEndpoint", p.DBEndpoint}, {"DBPort", p.DBPort}, {"DBName", p.DBName},
		{"MQHost", p.MQHost}, {"MQPort", p.MQPort}, {"MQVhost", p.MQVhost},
		{"SearchEndpoint", p.SearchEndpoint}, {"SearchDomain", p.SearchDomain}, {"EFSId", p.EFSId},
		{"Ready", p.Ready},
	}
	seen := map[string]string{}
	for _, f := range fields {
		c.match("Parameters."+f.name, f.value, paramPattern, "must be a Parameter Store name starting with /")
		if other, dup := seen[f.value]; dup && f.value != "" {
			c.addf("Parameters."+f.name, f.value, "must differ from Parameters.%s", other)
		}
		seen[f.value] = f.name
	}
}

// agent checks the two agent documents are what the bootstrap expects (see
// agentconfig's CheckLogs and CheckMetrics), and that the boot-time one ships
// LogPath: a failed bootstrap is only readable after the group replaced the
// node if its log was shipped.
func (c *collector) agent(a agentconfig.Config) {
	if err := a.Logs.CheckLogs(); err != nil {
		c.addf("Agent.Logs", compactJSON(a.Logs), "%v (render it with agentconfig.New)", err)
	} else if !ships(a.Logs, LogPath) {
		c.addf("Agent.Logs", compactJSON(a.Logs), "must ship %s, the bootstrap's log", LogPath)
	}
	if err := a.Metrics.CheckMetrics(); err != nil {
		c.addf("Agent.Metrics", compactJSON(a.Metrics), "%v (render it with agentconfig.New)", err)
	}
}

// ships reports whether d collects the file path.
func ships(d agentconfig.Document, path string) bool {
	return slices.ContainsFunc(d.Logs.LogsCollected.Files.CollectList, func(e agentconfig.CollectEntry) bool {
		return e.FilePath == path
	})
}

// compactJSON is d on one line, for an error message.
func compactJSON(d agentconfig.Document) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(d.JSON())); err != nil {
		return d.JSON()
	}
	return b.String()
}

// ids checks the pinned IDs are distinct system-range ids.
func (c *collector) ids(ids IDs) {
	fields := []struct {
		name string
		id   int
	}{{"IDs.App", ids.App}, {"IDs.Local", ids.Local}, {"IDs.Guacd", ids.Guacd}}
	seen := map[int]string{}
	for _, f := range fields {
		if f.id < 100 || f.id > 999 {
			c.addf(f.name, fmt.Sprint(f.id), "must be a system id, 100-999 (0 = default)")
		}
		if other, dup := seen[f.id]; dup {
			c.addf(f.name, fmt.Sprint(f.id), "must differ from %s", other)
		}
		seen[f.id] = f.name
	}
}
