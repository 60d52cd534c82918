package config

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Search is the `search` config object: the Amazon OpenSearch Service domain.
type Search struct {
	// EngineVersion is the engine version, OpenSearch_<major>.<minor>; Morpheus lists 2.x only,
	// other majors need allowUnsupportedVersion, and Elasticsearch_* is
	// rejected.
	EngineVersion string `json:"engineVersion"`
	// AllowUnsupportedVersion admits OpenSearch majors Morpheus does not list
	// (1.x, 3.x).
	AllowUnsupportedVersion bool `json:"allowUnsupportedVersion"`
	// DataInstanceType is the data nodes' instance type: no instance-store
	// types, and no T2/T3 in prod.
	DataInstanceType string `json:"dataInstanceType"`
	// DataNodeCount is the number of data nodes, 1 to 30; more than one spreads
	// them over every AZ (zone awareness), so it must then be a multiple of
	// network.azCount; prod needs at least 3.
	DataNodeCount int `json:"dataNodeCount"`
	// DedicatedMasterCount is the number of dedicated master nodes: 0, 3 or 5;
	// prod needs 3 or 5.
	DedicatedMasterCount int `json:"dedicatedMasterCount"`
	// MasterInstanceType is the dedicated masters' instance type.
	MasterInstanceType string `json:"masterInstanceType"`
	// VolumeSize is each data node's gp3 volume in GiB, 10 to 1024; at most 100
	// on t3.small.search and 200 on t3.medium.search.
	VolumeSize int `json:"volumeSize"`
	// ReplicaCount is Morpheus' elasticsearch['replica_count']: the copies of
	// each shard besides its primary, each on another data node (and, with
	// zone awareness, in another AZ); at most dataNodeCount - 1; prod needs at
	// least 1.
	//
	// Unset, DefaultSearchReplicas applies.
	ReplicaCount *int `json:"replicaCount" docdefault:"dataNodeCount - 1, at most 2 (0 in dev, 2 otherwise)"`
}

// DefaultSearchReplicas is the replica count when search.replicaCount is not
// set: one copy of each shard per other data node, at most 2. Prod's three data
// nodes across three AZs get 2, a copy in every AZ, so losing an AZ leaves two
// copies of every shard and the cluster keeps taking writes at full
// redundancy; a single dev node gets 0, since a replica never shares a node
// with its primary and would stay unassigned (a permanently yellow cluster).
func DefaultSearchReplicas(dataNodes int) int {
	return max(0, min(maxDefaultSearchReplicas, dataNodes-1))
}

// maxDefaultSearchReplicas: two replicas already keep a copy in each of three
// AZs; more only multiply storage.
const maxDefaultSearchReplicas = 2

// Replicas is the resolved replica count (validation fills the default).
func (s Search) Replicas() int {
	if s.ReplicaCount == nil {
		return DefaultSearchReplicas(s.DataNodeCount)
	}
	return *s.ReplicaCount
}

// Search defaults. 2.19 is the newest OpenSearch 2.x on AWS (the OpenSearch Service developer guide,
// 2.7/3.2); the vendor guide runs 3 m6g.large.search data nodes and 3 masters of
// the same type (the vendor's OpenSearch 2.x guide: gomorpheus/morpheus-docs, internal/installation/logs/opensearch-2x.rst). Dev runs one t3.small.search, the
// smallest type that still offers encryption at rest, node-to-node encryption
// and fine-grained access control.
const (
	DefaultSearchEngineVersion = "OpenSearch_2.19"
	DefaultSearchInstanceType  = "m6g.large.search"
	DevSearchInstanceType      = "t3.small.search"
	defaultSearchVolumeSize    = 100
	devSearchVolumeSize        = 20
)

// searchDefaults returns the search defaults of env.
func searchDefaults(env Environment) Search {
	if env == Dev {
		return Search{
			EngineVersion:      DefaultSearchEngineVersion,
			DataInstanceType:   DevSearchInstanceType,
			DataNodeCount:      1,
			MasterInstanceType: DefaultSearchInstanceType,
			VolumeSize:         devSearchVolumeSize,
		}
	}
	return Search{
		EngineVersion:        DefaultSearchEngineVersion,
		DataInstanceType:     DefaultSearchInstanceType,
		DataNodeCount:        3,
		DedicatedMasterCount: 3,
		MasterInstanceType:   DefaultSearchInstanceType,
		VolumeSize:           defaultSearchVolumeSize,
	}
}

// Search limits.
const (
	// supportedSearchMajor is the OpenSearch major Morpheus 8.0.7 lists (morpheus-docs 8.0.7 release_notes/compatibility.rst).
	supportedSearchMajor = 2
	// maxSearchDataNodes is a sanity cap far above Morpheus's needs (the vendor runs 3).
	maxSearchDataNodes = 30
	// minSearchVolume is the smallest EBS volume OpenSearch Service attaches.
	minSearchVolume = 10
	// maxSearchVolume is this stack's per-node ceiling; the default
	// m6g.large.search accepts it, larger volumes need a larger type first.
	maxSearchVolume = 1024
)

var (
	searchVersionRE = regexp.MustCompile(`^OpenSearch_([0-9]{1,2})\.([0-9]{1,2})$`)
	searchTypeRE    = regexp.MustCompile(`^([a-z][a-z0-9]*)\.([a-z0-9]+)\.search$`)
	// instanceStoreFamilies carry local NVMe storage only and reject EBS volumes,
	// which this stack always attaches (gp3).
	instanceStoreFamilies = []string{"i3", "i4g", "i4i", "i8g", "im4gn", "r6gd", "r7gd"}
	// burstableMaxVolume are the EBS ceilings of the T3 types (GiB).
	burstableMaxVolume = map[string]int{"t3.small.search": 100, "t3.medium.search": 200}
)

func validateSearch(cfg *Config, c *collector) {
	s := cfg.Search
	validateSearchVersion(s, c)
	validateSearchType(cfg, c, "search.dataInstanceType", s.DataInstanceType)

	azs := cfg.Network.AZCount
	switch {
	case s.DataNodeCount < 1 || s.DataNodeCount > maxSearchDataNodes:
		c.addf("search.dataNodeCount", s.DataNodeCount, "must be between 1 and %d", maxSearchDataNodes)
	case cfg.IsProd() && s.DataNodeCount < 3:
		c.addf("search.dataNodeCount", s.DataNodeCount, "prod needs at least 3 data nodes, one per AZ, so losing a node or an AZ keeps every shard available (Opensearch.6)")
	case s.DataNodeCount > 1 && azs > 0 && s.DataNodeCount%azs != 0:
		c.addf("search.dataNodeCount", s.DataNodeCount, "more than one data node spreads them over every AZ (zone awareness), so the count must be a multiple of network.azCount (%d)", azs)
	}

	switch m := s.DedicatedMasterCount; {
	case m == 1 || m == 2:
		c.addf("search.dedicatedMasterCount", m, "must be 0, 3 or 5: a master quorum needs an odd count of at least 3 to survive losing one")
	case m == 4:
		c.addf("search.dedicatedMasterCount", m, "must be 0, 3 or 5: AWS rejects 4 dedicated masters, which tolerate no more failures than 3 (the OpenSearch Service developer guide, 3.2)")
	case m != 0 && m != 3 && m != 5:
		c.addf("search.dedicatedMasterCount", m, "must be 0, 3 or 5")
	case cfg.IsProd() && m == 0:
		c.addf("search.dedicatedMasterCount", m, "prod needs 3 or 5 dedicated masters so cluster management survives data-node load and loss (Opensearch.11)")
	case m > 0:
		validateSearchType(cfg, c, "search.masterInstanceType", s.MasterInstanceType)
	}

	v := s.VolumeSize
	maxV := maxSearchVolume
	if limit, ok := burstableMaxVolume[s.DataInstanceType]; ok {
		maxV = limit
	}
	if v < minSearchVolume || v > maxV {
		c.addf("search.volumeSize", v, "must be between %d and %d GiB per data node for %s", minSearchVolume, maxV, s.DataInstanceType)
	}
	validateSearchReplicas(cfg, c)
}

// validateSearchReplicas checks search.replicaCount against the data nodes:
// more replicas than other nodes stay unassigned, and prod without a replica
// loses the shards of an AZ with it (the cluster turns red and Morpheus'
// searches and logs fail).
func validateSearchReplicas(cfg *Config, c *collector) {
	const key = "search.replicaCount"
	s := &cfg.Search
	if s.ReplicaCount == nil {
		return
	}
	n := *s.ReplicaCount
	switch {
	case n < 0:
		c.addf(key, n, "must be 0 or more")
	case s.DataNodeCount >= 1 && n > s.DataNodeCount-1:
		c.addf(key, n, "is more than search.dataNodeCount - 1 (%d): a replica never shares a node with its primary, so the extra ones stay unassigned and the cluster yellow", s.DataNodeCount-1)
	case cfg.IsProd() && n < 1:
		c.addf(key, n, "prod needs at least 1 replica (default %d): without one, losing a data node or an AZ loses its shards and turns the cluster red", DefaultSearchReplicas(s.DataNodeCount))
	}
}

func validateSearchVersion(s Search, c *collector) {
	const key = "search.engineVersion"
	v := s.EngineVersion
	if strings.HasPrefix(v, "Elasticsearch_") {
		c.addf(key, v, "Elasticsearch on AWS stops at 7.10 and Morpheus 8.0.7 needs Elasticsearch 8.9+ or OpenSearch 2.x (morpheus-docs 8.0.7 release_notes/compatibility.rst); use OpenSearch_%d.x", supportedSearchMajor)
		return
	}
	m := searchVersionRE.FindStringSubmatch(v)
	if m == nil {
		c.addf(key, v, "must be OpenSearch_<major>.<minor>, e.g. %s", DefaultSearchEngineVersion)
		return
	}
	major, _ := strconv.Atoi(m[1])
	if major != supportedSearchMajor && !s.AllowUnsupportedVersion {
		c.addf(key, v, "Morpheus 8.0.7 lists OpenSearch %d.x only; %d.x is unconfirmed (morpheus-docs 8.0.7 release_notes/compatibility.rst). Set search.allowUnsupportedVersion to true to deploy it anyway", supportedSearchMajor, major)
	}
}

// validateSearchType checks one instance type key.
func validateSearchType(cfg *Config, c *collector, key, t string) {
	m := searchTypeRE.FindStringSubmatch(t)
	switch {
	case m == nil:
		c.addf(key, t, "must be an OpenSearch Service instance type such as %s", DefaultSearchInstanceType)
	case slices.Contains(instanceStoreFamilies, m[1]):
		c.addf(key, t, "%s types have instance storage only and do not take the gp3 EBS volumes this stack attaches", strings.ToUpper(m[1]))
	case cfg.IsProd() && (m[1] == "t2" || m[1] == "t3"):
		c.addf(key, t, "prod may not use burstable T2/T3 types: AWS recommends them for development only and they do not support Auto-Tune")
	}
}

// lastSearchMinor is the last minor of each OpenSearch major on AWS: a domain
// moves to the next major only from it (1.3 to 2.x, 2.19 to 3.x), per the
// OpenSearch Service developer guide's supported upgrade paths.
var lastSearchMinor = map[int]int{1: 3, 2: 19}

// checkSearchChange refuses an engine version the deployed domain cannot be
// upgraded to in place. The provider asks AWS for the domain's compatible
// versions and replaces the domain for any other (terraform-provider-aws,
// aws_opensearch_domain's ForceNewIf on engine_version), which deletes every
// index Morpheus holds.
func checkSearchChange(cfg *Config, d Deployed, c *collector) {
	const key = "search.engineVersion"
	to, from := cfg.Search.EngineVersion, d.SearchEngineVersion
	if from == "" || to == from {
		return
	}
	fm, tm := searchVersionRE.FindStringSubmatch(from), searchVersionRE.FindStringSubmatch(to)
	if fm == nil || tm == nil {
		return
	}
	fMajor, _ := strconv.Atoi(fm[1])
	fMinor, _ := strconv.Atoi(fm[2])
	tMajor, _ := strconv.Atoi(tm[1])
	tMinor, _ := strconv.Atoi(tm[2])
	const replaced = "the provider would replace the domain and every index in it"
	switch {
	case tMajor < fMajor || (tMajor == fMajor && tMinor < fMinor):
		c.addf(key, to, "is older than the deployed %s: OpenSearch domains cannot be downgraded, %s; keep %s", from, replaced, from)
	case tMajor == fMajor:
		// A later minor of the same major: an in-place upgrade.
	case tMajor > fMajor+1:
		c.addf(key, to, "skips a major version from the deployed %s: domains upgrade one major at a time, otherwise %s", from, replaced)
	case fMinor != lastSearchMinor[fMajor]:
		c.addf(key, to, "is not an upgrade target of the deployed %s: a domain moves to OpenSearch %d.x only from %d.%d, otherwise %s; upgrade to OpenSearch_%d.%d first",
			from, tMajor, fMajor, lastSearchMinor[fMajor], replaced, fMajor, lastSearchMinor[fMajor])
	}
}
