package config

import "maps"

// Tags is the tag set every resource carries, applied through the aws provider's
// defaultTags (and, where defaultTags do not reach, copied explicitly).
func (c *Config) Tags() map[string]string {
	tags := maps.Clone(c.ExtraTags)
	if tags == nil {
		tags = map[string]string{}
	}
	tags["Project"] = c.Project
	tags["Environment"] = string(c.Environment)
	tags["Stack"] = c.Stack
	tags["Owner"] = c.Owner
	tags["CostCenter"] = c.CostCenter
	tags["ManagedBy"] = "pulumi"
	return tags
}
