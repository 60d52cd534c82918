// Package aurora holds the Aurora MySQL rules that both the configuration and
// the database component enforce: which engine versions Morpheus can run on and
// what the backup and maintenance windows look like. Keeping them here lets a
// bad value fail at config load with its key, and the component still refuse it
// when called directly.
package aurora

import (
	"fmt"
	"regexp"
	"strconv"
)

// Engine is the RDS engine name of Aurora MySQL.
const Engine = "aurora-mysql"

// ParameterGroupFamily is the parameter group family of Aurora MySQL 3.
const ParameterGroupFamily = "aurora-mysql8.0"

// DefaultEngineVersion is the newest patch of the current long-term-support minor
// (3.10, MySQL 8.0.42) that AWS lists; see docs/decisions/database.md.
const DefaultEngineVersion = "8.0.mysql_aurora.3.10.3"

// MinVersion is the oldest Aurora MySQL 3 release Morpheus may run on.
var MinVersion = Version{Minor: 5, Patch: 2}

// Version is an Aurora MySQL 3 release, 3.<Minor>.<Patch>.
type Version struct {
	Minor int
	Patch int
}

// String renders the release as AWS writes it, e.g. "3.05.2".
func (v Version) String() string { return fmt.Sprintf("3.%02d.%d", v.Minor, v.Patch) }

// Less orders releases numerically (3.10.0 is newer than 3.09.9).
func (v Version) Less(o Version) bool {
	if v.Minor != o.Minor {
		return v.Minor < o.Minor
	}
	return v.Patch < o.Patch
}

var versionRE = regexp.MustCompile(`^8\.0\.mysql_aurora\.3\.([0-9]{2})\.([0-9]+)$`)

// ParseEngineVersion parses an engine version such as "8.0.mysql_aurora.3.10.3"
// and checks that Morpheus can run on it. The error says why a version is
// refused.
func ParseEngineVersion(s string) (Version, error) {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return Version{}, fmt.Errorf("must be an Aurora MySQL 3 engine version such as %s (8.0.mysql_aurora.3.MM.P): "+
			"Morpheus supports MySQL 8.0 only, so Aurora MySQL 2 (5.7) and 8.4-based releases are refused", DefaultEngineVersion)
	}
	minor, _ := strconv.Atoi(m[1])
	patch, _ := strconv.Atoi(m[2])
	v := Version{Minor: minor, Patch: patch}
	if v.Less(MinVersion) {
		return v, fmt.Errorf("Aurora MySQL %s is too old: Morpheus HA needs MySQL 8.0.32 or later and the vendor's Aurora guide names Aurora MySQL %s or later; use %s",
			v, MinVersion, DefaultEngineVersion)
	}
	return v, nil
}
