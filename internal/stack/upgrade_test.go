package stack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// deployedRunning is a deployed prod stack whose nodes run version.
func deployedRunning(version string) map[string]any {
	d := deployedProd()
	d["morpheusVersion"] = version
	return d
}

// morpheusAt is the prod configuration asking for version, with strategy.
func morpheusAt(version, strategy string) map[string]string {
	m := `{"version":"` + version + `","packageUrl":"https://downloads.example.com/files/morpheus-appliance_` + version +
		`-1_amd64.deb","packageSha256":"` + testutil.TestPackageSHA256 + `"`
	if strategy != "" {
		m += `,"upgradeStrategy":"` + strategy + `"`
	}
	return testutil.With(testutil.BaseConfig("prod"), "morpheus", m+"}")
}

// TestMorpheusUpgrades: a documented rolling upgrade rolls; an undocumented
// one is refused unless upgradeStrategy is stopAll, which stops morpheus-ui on
// the running nodes (by instance id, never the new ones) before the group's
// refresh; a downgrade is refused whatever the strategy.
func TestMorpheusUpgrades(t *testing.T) {
	for _, tc := range []struct {
		name, running, wanted, strategy string
		wantErr                         string
		wantStop                        bool
	}{
		{"same version", "8.0.7", "8.0.7", "", "", false},
		{"rolling 8.0.5 to 8.0.7", "8.0.5", "8.0.7", "", "", false},
		{"8.0.4 to 8.0.7 without stopAll", "8.0.4", "8.0.7", "", "set morpheus.upgradeStrategy: stopAll", false},
		{"8.0.4 to 8.0.7 with stopAll", "8.0.4", "8.0.7", "stopAll", "", true},
		{"undocumented 8.0.7 to 8.0.8 without stopAll", "8.0.7", "8.0.8", "rolling", "documents no rolling upgrade", false},
		{"downgrade", "8.0.7", "8.0.5", "stopAll", "does not support downgrades", false},
		{"first deployment", "", "8.0.7", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deployed := deployedProd()
			if tc.running != "" {
				deployed = deployedRunning(tc.running)
			}
			rec, err := testutil.Run(stack.Run, testutil.Options{Config: morpheusAt(tc.wanted, tc.strategy), Deployed: deployed})
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "morpheus-ha:morpheus.version")
				assert.Contains(t, err.Error(), tc.wantErr)
				onlyReads(t, rec)
				return
			}
			require.NoError(t, err)
			assocs := rec.ByType("aws:ssm/association:Association")
			// Every allowed change reaches the nodes through the launch
			// template (the package in the user data) and the group's
			// rolling instance refresh.
			assert.Contains(t, userData(t, rec), "morpheus-appliance_"+tc.wanted+"-1_amd64.deb")
			asg := rec.ByType("aws:autoscaling/group:Group")[0]
			assert.Equal(t, "Rolling", asg.String("instanceRefresh", "strategy"))
			if !tc.wantStop {
				assert.Empty(t, assocs, "no node is stopped")
				return
			}
			require.Len(t, assocs, 1)
			a := assocs[0]
			assert.Equal(t, "AWS-RunShellScript", a.String("name"))
			assert.Equal(t, "morpheus-ctl stop morpheus-ui", a.String("parameters", "commands"))
			targets := a.Objects("targets")
			require.Len(t, targets, 1)
			assert.Equal(t, "InstanceIds", targets[0]["key"].StringValue(), "the running nodes by id: never the new ones")
			assert.Equal(t, "0", a.String("maxErrors"))
			assert.Contains(t, a.String("associationName"), "8-0-4-to-8-0-7")
			assert.Contains(t, asg.DependsOn, a.URN, "the refresh starts only after every old node stopped")
			_, breaker := asg.Prop("instanceRefresh", "preferences", "alarmSpecification")
			assert.False(t, breaker, "no circuit breaker while the old nodes are stopped on purpose")
		})
	}
}
