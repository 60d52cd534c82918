package config

import "github.com/morpheus-ha/morpheus-ha/internal/valid"

// NodePackages is the `nodePackages` config object: the tools every app node
// installs before Morpheus, each pinned by URL and SHA-256 so that every node of
// a group runs the same bits and none installs an unverified file.
type NodePackages struct {
	// AWSCLI is the AWS CLI v2 bundle (a zip) the nodes read secrets with; its
	// URL must be https://, since the nodes read s3:// URLs with it.
	AWSCLI Artifact `json:"awsCli"`
	// EFSUtils is amazon-efs-utils for the node OS (.deb or .rpm), built from
	// its upstream repository: neither Ubuntu nor RHEL ships it, and TLS mounts
	// need it.
	EFSUtils Artifact `json:"efsUtils"`
	// CloudWatchAgent is the amazon-cloudwatch-agent package for the node OS.
	CloudWatchAgent Artifact `json:"cloudWatchAgent"`
}

// Artifact is a downloadable file pinned by its checksum.
type Artifact struct {
	// URL is where nodes download the file: https:// or s3:// (read with the
	// node role).
	URL string `json:"url"`
	// SHA256 is the file's SHA-256, 64 lower-case hex digits; nodes verify it
	// before installing.
	SHA256 string `json:"sha256"`
}

// validateNodePackages applies the user data's own rules (internal/valid): the
// AWS CLI is an https:// zip, because the nodes read s3:// URLs with it; the
// other two are packages of app.os's format, https:// or s3://.
func validateNodePackages(cfg *Config, c *collector) {
	ext := cfg.App.PackageExt()
	for _, p := range []struct {
		field   string
		a       Artifact
		ext     string
		allowS3 bool
		schemes string
	}{
		{"awsCli", cfg.NodePackages.AWSCLI, ".zip", false, "https://"},
		{"efsUtils", cfg.NodePackages.EFSUtils, ext, true, "https:// or s3://"},
		{"cloudWatchAgent", cfg.NodePackages.CloudWatchAgent, ext, true, "https:// or s3://"},
	} {
		key := "nodePackages." + p.field
		switch msg := valid.ArtifactURL(p.a.URL, p.ext, p.allowS3); {
		case p.a.URL == "":
			c.addf(key+".url", "", "is not set; set the %s URL the nodes download it from", p.schemes)
		case msg != "" && p.ext != ".zip":
			c.addf(key+".url", p.a.URL, "%s (app.os is %s)", msg, cfg.App.OS)
		case msg != "":
			c.addf(key+".url", p.a.URL, "%s", msg)
		}
		if !valid.SHA256(p.a.SHA256) {
			c.addf(key+".sha256", p.a.SHA256, "must be the file's SHA-256 as 64 lower-case hex digits; nodes verify it before installing")
		}
	}
}
