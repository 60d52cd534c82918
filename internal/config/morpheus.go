package config

import (
	"slices"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/morpheusupgrade"
	"github.com/morpheus-ha/morpheus-ha/internal/valid"
)

// Morpheus is the `morpheus` config object: the Morpheus appliance package
// every node installs. All nodes run the same pinned version.
//
// Morpheus requires the same version on every node of a cluster:
// https://github.com/gomorpheus/morpheus-docs/blob/8.0.7/getting_started/maintenance/scaling.rst
type Morpheus struct {
	// Version is the Morpheus version the package holds, e.g. 8.0.7.
	Version string `json:"version"`
	// PackageURL is the https:// or s3:// URL of the morpheus-appliance package
	// for the node OS (s3:// is read with the node role); it must name the
	// version.
	PackageURL string `json:"packageUrl"`
	// PackageSHA256 is the package's SHA-256; nodes refuse any other file.
	PackageSHA256 string `json:"packageSha256"`
	// UpgradeStrategy is how a change of version reaches the nodes: rolling
	// (default; only where Morpheus documents a rolling upgrade between the
	// running and the new version) or stopAll (stop morpheus-ui on every node
	// before the instance refresh, so that two versions never serve together).
	UpgradeStrategy string `json:"upgradeStrategy"`
}

// DefaultMorpheusVersion is the LTS release the reference describes.
const DefaultMorpheusVersion = "8.0.7"

func validateMorpheus(cfg *Config, c *collector) {
	m := cfg.Morpheus
	if !valid.MorpheusVersion(m.Version) {
		c.addf("morpheus.version", m.Version, "must be a Morpheus version such as 8.0.7")
	}
	switch {
	case m.PackageURL == "":
		c.addf("morpheus.packageUrl", "", "is not set; set the https:// or s3:// URL of the morpheus-appliance package (from Morpheus Hub)")
	case valid.ArtifactURL(m.PackageURL, cfg.App.PackageExt(), true) != "":
		c.addf("morpheus.packageUrl", m.PackageURL, "%s (app.os is %s)", valid.ArtifactURL(m.PackageURL, cfg.App.PackageExt(), true), cfg.App.OS)
	case !strings.Contains(m.PackageURL, m.Version):
		c.addf("morpheus.packageUrl", m.PackageURL, "does not name version %s (morpheus.version); every node must run the same version", m.Version)
	}
	if !slices.Contains(morpheusupgrade.Strategies, morpheusupgrade.Strategy(m.UpgradeStrategy)) {
		c.addf("morpheus.upgradeStrategy", m.UpgradeStrategy, "must be %q or %q", morpheusupgrade.Rolling, morpheusupgrade.StopAll)
	}
	if !valid.SHA256(m.PackageSHA256) {
		c.addf("morpheus.packageSha256", m.PackageSHA256, "must be the package's SHA-256 as 64 lower-case hex digits; nodes verify it before installing")
	}
}

// checkMorpheusChange refuses a downgrade, and an upgrade Morpheus documents no
// rolling path for unless morpheus.upgradeStrategy is stopAll.
func checkMorpheusChange(cfg *Config, d Deployed, c *collector) {
	if d.MorpheusVersion == "" {
		return
	}
	dec, err := morpheusupgrade.Decide(d.MorpheusVersion, cfg.Morpheus.Version)
	switch {
	case err != nil || !dec.Change:
		return
	case !dec.Allowed:
		c.addf("morpheus.version", cfg.Morpheus.Version, "the nodes run %s: %s; keep %s", d.MorpheusVersion, dec.Reason, d.MorpheusVersion)
	case dec.Needs == morpheusupgrade.StopAll && cfg.Morpheus.UpgradeStrategy != string(morpheusupgrade.StopAll):
		c.addf("morpheus.version", cfg.Morpheus.Version,
			"the nodes run %s and %s; set morpheus.upgradeStrategy: stopAll (morpheus-ui stops on every node before the refresh: a short outage, see docs/runbooks/upgrade-morpheus.md)",
			d.MorpheusVersion, dec.Reason)
	}
}
