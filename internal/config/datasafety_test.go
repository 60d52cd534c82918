package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// TestBreakGlassRoles: prod must name who besides the ops function may reach
// the admin secrets; every entry must be a role ARN.
func TestBreakGlassRoles(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/platform-deployer"
	cases := []struct {
		name, env, security string
		wantErr             string
	}{
		{"prod default (BaseConfig)", "prod", "", ""},
		{"prod without roles", "prod", `{"breakGlassRoleArns":[]}`, "prod needs at least one role"},
		{"dev without roles", "dev", `{}`, ""},
		{"sso role pattern", "prod", `{"breakGlassRoleArns":["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*"]}`, ""},
		{"gov partition", "dev", `{"breakGlassRoleArns":["arn:aws-us-gov:iam::123456789012:role/deployer"]}`, ""},
		{"user, not role", "prod", `{"breakGlassRoleArns":["arn:aws:iam::123456789012:user/alice"]}`, "must be IAM role ARNs"},
		{"root", "prod", `{"breakGlassRoleArns":["arn:aws:iam::123456789012:root"]}`, "must be IAM role ARNs"},
		{"wildcard account", "prod", `{"breakGlassRoleArns":["arn:aws:iam::*:role/deployer"]}`, "must be IAM role ARNs"},
		{"duplicate", "prod", `{"breakGlassRoleArns":["` + role + `","` + role + `"]}`, "twice"},
		{"too many", "prod", `{"breakGlassRoleArns":["` + role + `1","` + role + `2","` + role + `3","` + role + `4","` + role + `5","` + role + `6","` + role + `7","` + role + `8","` + role + `9","` + role + `10","` + role + `11"]}`, "at most 10"},
		{"not a list", "prod", `{"breakGlassRoleArns":"` + role + `"}`, "must be of type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var kv []string
			if tc.security != "" {
				kv = []string{"security", tc.security}
			}
			cfg, err := parseWith(tc.env, kv...)
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.NotNil(t, cfg)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:security.breakGlassRoleArns")
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestAZNames: prod pins its zones; pinned zones must fit azCount and region.
func TestAZNames(t *testing.T) {
	cases := []struct {
		name, env, network string
		wantErr            string
		want               []string
	}{
		{"prod pinned (BaseConfig)", "prod", "", "", []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}},
		{"prod unpinned", "prod", `{"cidr":"10.40.0.0/16"}`, "prod must pin its 3 AZs", nil},
		{"dev unpinned", "dev", `{}`, "", nil},
		{"dev pinned", "dev", `{"azNames":["eu-west-1b","eu-west-1a"]}`, "", []string{"eu-west-1b", "eu-west-1a"}},
		{"count mismatch", "dev", `{"azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`, "network.azCount is 2", nil},
		{"other region", "dev", `{"azNames":["eu-west-1a","us-east-1a"]}`, "must be AZ names of eu-west-1", nil},
		{"zone id, not name", "dev", `{"azNames":["euw1-az1","euw1-az2"]}`, "must be AZ names of eu-west-1", nil},
		{"local zone", "dev", `{"azNames":["eu-west-1a","eu-west-1-lax-1a"]}`, "must be AZ names of eu-west-1", nil},
		{"repeated", "dev", `{"azNames":["eu-west-1a","eu-west-1a"]}`, "twice", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var kv []string
			if tc.network != "" {
				kv = []string{"network", tc.network}
			}
			cfg, err := parseWith(tc.env, kv...)
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, cfg.Network.AZNames)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:network.azNames")
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestSearchReplicas: Morpheus' replica count defaults to a copy per other
// data node (at most 2) and may never leave replicas unassigned or prod
// without one.
func TestSearchReplicas(t *testing.T) {
	cases := []struct {
		name, env, search string
		want              int
		wantErr           string
	}{
		{"dev default: one node, no replica", "dev", "", 0, ""},
		{"staging default", "staging", "", 2, ""},
		{"prod default: a copy in every AZ", "prod", "", 2, ""},
		{"prod six nodes still 2", "prod", `{"dataNodeCount":6}`, 2, ""},
		{"dev two nodes", "dev", `{"dataNodeCount":2}`, 1, ""},
		{"prod one replica", "prod", `{"replicaCount":1}`, 1, ""},
		{"prod without replica", "prod", `{"replicaCount":0}`, 0, "prod needs at least 1 replica"},
		{"more replicas than other nodes", "prod", `{"replicaCount":3}`, 0, "more than search.dataNodeCount - 1 (2)"},
		{"dev single node with a replica", "dev", `{"replicaCount":1}`, 0, "more than search.dataNodeCount - 1 (0)"},
		{"negative", "dev", `{"replicaCount":-1}`, 0, "0 or more"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parse(tc.env, tc.search)
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.want, cfg.Search.Replicas())
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:search.replicaCount")
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestCheckChanges: each change that would replace (or fail to update) a
// stateful resource of a deployed stack is refused naming its key; upgrades
// along AWS's paths, a first deployment and a deliberate rebuild pass.
func TestCheckChanges(t *testing.T) {
	deployed := config.Deployed{
		HasDataTier:            true,
		NetworkCIDR:            "10.40.0.0/16",
		SubnetPrefixLength:     20,
		AZNames:                []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		SearchEngineVersion:    "OpenSearch_2.19",
		DatabaseEngineVersion:  "8.0.mysql_aurora.3.10.3",
		MessagingEngineVersion: "3.13",
	}
	at := func(mutate func(*config.Deployed)) config.Deployed {
		d := deployed
		mutate(&d)
		return d
	}
	cases := []struct {
		name     string
		kv       []string
		deployed config.Deployed
		wantKey  string
		wantMsg  string
	}{
		{"unchanged", nil, deployed, "", ""},
		{"first deployment", []string{"network", `{"cidr":"10.50.0.0/16","azNames":["eu-west-1b","eu-west-1c","eu-west-1a"]}`, "search", `{"engineVersion":"OpenSearch_2.11"}`}, config.Deployed{}, "", ""},

		{"search downgrade", []string{"search", `{"engineVersion":"OpenSearch_2.17"}`}, deployed, "search.engineVersion", "cannot be downgraded"},
		{"search minor upgrade", []string{"search", `{"engineVersion":"OpenSearch_2.19"}`}, at(func(d *config.Deployed) { d.SearchEngineVersion = "OpenSearch_2.13" }), "", ""},
		{"search next major from the last minor", []string{"search", `{"engineVersion":"OpenSearch_3.1","allowUnsupportedVersion":true}`}, deployed, "", ""},
		{"search next major from an earlier minor", []string{"search", `{"engineVersion":"OpenSearch_3.1","allowUnsupportedVersion":true}`}, at(func(d *config.Deployed) { d.SearchEngineVersion = "OpenSearch_2.17" }), "search.engineVersion", "upgrade to OpenSearch_2.19 first"},
		{"search skips a major", []string{"search", `{"engineVersion":"OpenSearch_3.1","allowUnsupportedVersion":true}`}, at(func(d *config.Deployed) { d.SearchEngineVersion = "OpenSearch_1.3" }), "search.engineVersion", "one major at a time"},
		{"search major downgrade", []string{"search", `{"engineVersion":"OpenSearch_2.19"}`}, at(func(d *config.Deployed) { d.SearchEngineVersion = "OpenSearch_3.1" }), "search.engineVersion", "cannot be downgraded"},

		{"aurora downgrade", []string{"database", `{"engineVersion":"8.0.mysql_aurora.3.08.2"}`}, deployed, "database.engineVersion", "cannot be downgraded"},
		{"aurora patch downgrade", []string{"database", `{"engineVersion":"8.0.mysql_aurora.3.10.2"}`}, deployed, "database.engineVersion", "cannot be downgraded"},
		{"aurora upgrade", []string{"database", `{"engineVersion":"8.0.mysql_aurora.3.10.3"}`}, at(func(d *config.Deployed) { d.DatabaseEngineVersion = "8.0.mysql_aurora.3.08.2" }), "", ""},

		{"broker downgrade", nil, at(func(d *config.Deployed) { d.MessagingEngineVersion = "4.2" }), "messaging.engineVersion", "cannot downgrade a broker"},
		{"broker major upgrade on the path", []string{"messaging", `{"engineVersion":"4.2","allowUnsupportedVersion":true}`}, deployed, "", ""},
		{"broker major upgrade off the path", []string{"messaging", `{"engineVersion":"4.3","allowUnsupportedVersion":true}`}, deployed, "messaging.engineVersion", "the only major upgrade from it is to 4.2"},

		{"cidr change", []string{"network", `{"cidr":"10.50.0.0/16","azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`}, deployed, "network.cidr", "differs from the deployed 10.40.0.0/16"},
		{"cidr change with allowDestroy", []string{"allowDestroy", "true", "network", `{"cidr":"10.50.0.0/16","azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`}, deployed, "", ""},
		{"cidr change without a data tier", []string{"network", `{"cidr":"10.50.0.0/16","azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`}, at(func(d *config.Deployed) { d.HasDataTier = false }), "", ""},
		{"subnet size change", []string{"network", `{"subnetPrefixLength":21,"azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`}, deployed, "network.subnetPrefixLength", "differs from the deployed /20"},
		{"az moved", []string{"network", `{"azNames":["eu-west-1a","eu-west-1b","eu-west-1d"]}`}, deployed, "network.azNames", "must start with the deployed zones"},
		{"az reordered", []string{"network", `{"azNames":["eu-west-1b","eu-west-1a","eu-west-1c"]}`}, deployed, "network.azNames", "must start with the deployed zones"},
		{"az added", []string{"environment", "staging", "network", `{"azCount":3,"azNames":["eu-west-1a","eu-west-1b","eu-west-1c"]}`}, at(func(d *config.Deployed) { d.AZNames = d.AZNames[:2] }), "", ""},
		{"az removed", []string{"environment", "dev", "network", `{"azNames":["eu-west-1a","eu-west-1b"]}`}, deployed, "network.azCount", "removing an AZ"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseWith("prod", tc.kv...)
			require.NoError(t, err, "the configuration itself is valid")
			err = config.CheckChanges(cfg, tc.deployed)
			if tc.wantKey == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "morpheus-ha:"+tc.wantKey)
			assert.Contains(t, err.Error(), tc.wantMsg)
		})
	}
}
