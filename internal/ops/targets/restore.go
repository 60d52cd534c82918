package targets

import (
	"regexp"
	"strings"
)

var (
	// snapshotName is an OpenSearch snapshot name: lower case, no white space
	// or the characters the API refuses, not starting with _ or -.
	snapshotName = regexp.MustCompile(`^[a-z0-9][a-z0-9._+-]{0,254}$`)
	// objectName is one key segment, as the exports are named
	// (definitions-<date>.json).
	objectName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$`)
)

// normalizeRestore fills the restore section's defaults and validates it
// against the sections it needs; call it after the others are normalized.
func (t *Targets) normalizeRestore(bad func(field, format string, args ...any)) {
	rs := t.Restore
	if rs == nil {
		return
	}
	if rs.Search == nil && rs.Definitions == nil {
		bad("restore", "name search, definitions or both")
	}
	if s := rs.Search; s != nil {
		if s.BasePath == "" {
			s.BasePath = DefaultSearchPrefix
		}
		if s.Repository == "" {
			s.Repository = DefaultRestoreRepository
		}
		bucketAndRegion(bad, "restore.search", s.Bucket, s.Region)
		checkPrefix(bad, "restore.search.basePath", s.BasePath)
		if !repository.MatchString(s.Repository) {
			bad("restore.search.repository", "%q: want lower-case letters, digits, _ or -, at most 64", s.Repository)
		}
		if s.Snapshot != "" && !snapshotName.MatchString(s.Snapshot) {
			bad("restore.search.snapshot", "%q is not a snapshot name (lower case, no spaces, not starting with _ or -)", s.Snapshot)
		}
		if t.OpenSearch == nil {
			bad("restore.search", "needs the opensearch section: the domain to restore into")
		}
		if sn := t.Snapshots; sn == nil {
			bad("restore.search", "needs the snapshots section: OpenSearch reads the repository as its roleArn, the function signs as its functionRoleArn")
		} else {
			if s.Region != sn.Region {
				bad("restore.search.region", "%q must be snapshots.region %q: OpenSearch reads repositories in its own region only", s.Region, sn.Region)
			}
			if s.Repository == sn.Repository {
				bad("restore.search.repository", "must differ from snapshots.repository: the source is registered read-only next to this stack's own repository")
			}
			if s.Bucket == sn.Bucket && s.BasePath == sn.SearchPrefix {
				bad("restore.search.basePath", "s3://%s/%s is this stack's own repository (snapshots.bucket, snapshots.searchPrefix): restore from the source stack's", s.Bucket, s.BasePath)
			}
		}
	}
	if d := rs.Definitions; d != nil {
		if d.Prefix == "" {
			d.Prefix = DefaultDefinitionsPrefix
		}
		bucketAndRegion(bad, "restore.definitions", d.Bucket, d.Region)
		checkPrefix(bad, "restore.definitions.prefix", d.Prefix)
		if name, under := strings.CutPrefix(d.Key, d.Prefix+"/"); d.Key != "" && (!under || !objectName.MatchString(name)) {
			bad("restore.definitions.key", "%q: want %s/<name>, one key segment under restore.definitions.prefix", d.Key, d.Prefix)
		}
		if t.RabbitMQ == nil {
			bad("restore.definitions", "needs the rabbitmq section: the broker to import into")
		}
	}
}

func bucketAndRegion(bad func(field, format string, args ...any), section, bucket, reg string) {
	if !bucketName.MatchString(bucket) {
		bad(section+".bucket", "%q is not an S3 bucket name", bucket)
	}
	if !region.MatchString(reg) {
		bad(section+".region", "%q is not an AWS region", reg)
	}
}

func checkPrefix(bad func(field, format string, args ...any), field, p string) {
	if !keyPrefix.MatchString(p) {
		bad(field, "%q: want one key segment of letters, digits, _, . or -", p)
	}
}
