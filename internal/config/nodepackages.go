package config

// NodePackages is the `nodePackages` config object: the tools every app node
// installs before Morpheus, each pinned by URL and SHA-256 so that every node of
// a group runs the same bits and none installs an unverified file.
type NodePackages struct {
	// AWSCLI is the AWS CLI v2 bundle (a zip) the nodes read secrets with.
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

func validateNodePackages(cfg *Config, c *collector) {
	for field, a := range map[string]Artifact{
		"awsCli": cfg.NodePackages.AWSCLI, "efsUtils": cfg.NodePackages.EFSUtils, "cloudWatchAgent": cfg.NodePackages.CloudWatchAgent,
	} {
		key := "nodePackages." + field
		switch {
		case a.URL == "":
			c.addf(key+".url", "", "is not set; set the https:// or s3:// URL the nodes download it from")
		case !packageURLRE.MatchString(a.URL):
			c.addf(key+".url", a.URL, "must be an https:// or s3:// URL without spaces, quotes, $, backquotes or backslashes")
		}
		if !sha256RE.MatchString(a.SHA256) {
			c.addf(key+".sha256", a.SHA256, "must be the file's SHA-256 as 64 lower-case hex digits; nodes verify it before installing")
		}
	}
}
