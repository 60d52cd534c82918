package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// parse parses env's base configuration with the given search object (JSON;
// empty for none) and extra project keys.
func parse(env, search string, extra ...string) (*config.Config, error) {
	if search != "" {
		extra = append(extra, "search", search)
	}
	return parseWith(env, extra...)
}

func TestSearchDefaults(t *testing.T) {
	cases := []struct {
		env          string
		instanceType string
		dataNodes    int
		masters      int
		volumeSize   int
	}{
		{"dev", "t3.small.search", 1, 0, 20},
		{"staging", "m6g.large.search", 3, 3, 100},
		{"prod", "m6g.large.search", 3, 3, 100},
	}
	for _, tc := range cases {
		t.Run(tc.env, func(t *testing.T) {
			cfg, err := parse(tc.env, "")
			require.NoError(t, err)
			s := cfg.Search
			assert.Equal(t, "OpenSearch_2.19", s.EngineVersion)
			assert.False(t, s.AllowUnsupportedVersion)
			assert.Equal(t, tc.instanceType, s.DataInstanceType)
			assert.Equal(t, tc.dataNodes, s.DataNodeCount)
			assert.Equal(t, tc.masters, s.DedicatedMasterCount)
			assert.Equal(t, "m6g.large.search", s.MasterInstanceType)
			assert.Equal(t, tc.volumeSize, s.VolumeSize)
		})
	}
}

func TestSearchAccepted(t *testing.T) {
	cases := map[string]struct {
		env, search string
		extra       []string
	}{
		"3.x with the override":     {"prod", `{"engineVersion":"OpenSearch_3.1","allowUnsupportedVersion":true}`, nil},
		"1.x with the override":     {"dev", `{"engineVersion":"OpenSearch_1.3","allowUnsupportedVersion":true}`, nil},
		"older 2.x":                 {"prod", `{"engineVersion":"OpenSearch_2.13"}`, nil},
		"five masters in prod":      {"prod", `{"dedicatedMasterCount":5}`, nil},
		"six data nodes over 3 AZs": {"prod", `{"dataNodeCount":6}`, nil},
		"two nodes over 2 AZs":      {"dev", `{"dataNodeCount":2}`, nil},
		"staging without masters":   {"staging", `{"dedicatedMasterCount":0}`, nil},
		"t3 medium in dev at 200":   {"dev", `{"dataInstanceType":"t3.medium.search","volumeSize":200}`, nil},
		"largest volume":            {"prod", `{"volumeSize":1024}`, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parse(tc.env, tc.search, tc.extra...)
			assert.NoError(t, err)
		})
	}
}

func TestSearchRejected(t *testing.T) {
	cases := map[string]struct {
		env, search string
		extra       []string
		key, rule   string
	}{
		"OpenSearch 1.x": {env: "prod", search: `{"engineVersion":"OpenSearch_1.3"}`,
			key: "search.engineVersion", rule: "lists OpenSearch 2.x only"},
		"OpenSearch 3.x without override": {env: "prod", search: `{"engineVersion":"OpenSearch_3.1"}`,
			key: "search.engineVersion", rule: "allowUnsupportedVersion"},
		"Elasticsearch": {env: "prod", search: `{"engineVersion":"Elasticsearch_7.10"}`,
			key: "search.engineVersion", rule: "Elasticsearch on AWS stops at 7.10"},
		"Elasticsearch even with override": {env: "dev", search: `{"engineVersion":"Elasticsearch_7.10","allowUnsupportedVersion":true}`,
			key: "search.engineVersion", rule: "Elasticsearch"},
		"version without minor": {env: "prod", search: `{"engineVersion":"OpenSearch_2"}`,
			key: "search.engineVersion", rule: "OpenSearch_<major>.<minor>"},
		"two masters": {env: "staging", search: `{"dedicatedMasterCount":2}`,
			key: "search.dedicatedMasterCount", rule: "odd count of at least 3"},
		"one master": {env: "dev", search: `{"dedicatedMasterCount":1}`,
			key: "search.dedicatedMasterCount", rule: "odd count of at least 3"},
		"four masters": {env: "prod", search: `{"dedicatedMasterCount":4}`,
			key: "search.dedicatedMasterCount", rule: "AWS rejects 4"},
		"prod without masters": {env: "prod", search: `{"dedicatedMasterCount":0}`,
			key: "search.dedicatedMasterCount", rule: "prod needs 3 or 5"},
		"prod with one data node": {env: "prod", search: `{"dataNodeCount":1}`,
			key: "search.dataNodeCount", rule: "prod needs at least 3 data nodes"},
		"data nodes not a multiple of the AZs": {env: "prod", search: `{"dataNodeCount":4}`,
			key: "search.dataNodeCount", rule: "multiple of network.azCount (3)"},
		"three nodes over two AZs": {env: "dev", search: `{"dataNodeCount":3}`,
			key: "search.dataNodeCount", rule: "multiple of network.azCount (2)"},
		"no data nodes": {env: "dev", search: `{"dataNodeCount":0}`,
			key: "search.dataNodeCount", rule: "between 1 and"},
		"volume too small": {env: "prod", search: `{"volumeSize":5}`,
			key: "search.volumeSize", rule: "between 10 and 1024"},
		"volume too large": {env: "prod", search: `{"volumeSize":5000}`,
			key: "search.volumeSize", rule: "between 10 and 1024"},
		"volume beyond t3.small's limit": {env: "dev", search: `{"volumeSize":150}`,
			key: "search.volumeSize", rule: "between 10 and 100 GiB"},
		"burstable data nodes in prod": {env: "prod", search: `{"dataInstanceType":"t3.medium.search"}`,
			key: "search.dataInstanceType", rule: "burstable"},
		"burstable masters in prod": {env: "prod", search: `{"masterInstanceType":"t3.small.search"}`,
			key: "search.masterInstanceType", rule: "burstable"},
		"instance-store type": {env: "staging", search: `{"dataInstanceType":"i3.large.search"}`,
			key: "search.dataInstanceType", rule: "instance storage only"},
		"not a search type": {env: "staging", search: `{"dataInstanceType":"m6g.large"}`,
			key: "search.dataInstanceType", rule: "OpenSearch Service instance type"},
		"unknown field": {env: "dev", search: `{"engineVerison":"OpenSearch_2.19"}`,
			key: "search.engineVerison", rule: "unknown field"},
		"wrong type": {env: "dev", search: `{"dataNodeCount":"three"}`,
			key: "search.dataNodeCount", rule: "integer"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parse(tc.env, tc.search, tc.extra...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), testutil.Project+":"+tc.key)
			assert.Contains(t, err.Error(), tc.rule)
		})
	}
}
