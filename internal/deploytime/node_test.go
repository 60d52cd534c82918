package deploytime_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/morpheus-ha/morpheus-ha/internal/deploytime"
)

func TestNodePhases(t *testing.T) {
	phases := deploytime.NodePhases(deploytime.NodeInputs{
		InstanceType: "m6i.2xlarge", PackageMB: 2400, HealthyThreshold: 3, IntervalSeconds: 20,
	})
	var names []string
	minutes := map[string]float64{}
	for _, p := range phases {
		names = append(names, p.Name)
		minutes[p.Name] = p.Minutes
		assert.NotEmpty(t, p.Basis, p.Name)
	}
	assert.Equal(t, []string{
		deploytime.PhaseLaunch, deploytime.PhaseInstall, deploytime.PhaseBootstrap,
		deploytime.PhaseReconfigure, deploytime.PhasePing,
	}, names, "boot order")
	// (2400 + 250) MB at the 40 MB/s origin cap = 1.10 min; 1.5 min tools;
	// 2400 MB x 3 over 125 MB/s = 0.96 min.
	assert.InDelta(t, 3.6, minutes[deploytime.PhaseInstall], 1e-9)
	assert.InDelta(t, 4, minutes[deploytime.PhasePing], 1e-9) // 3 min + 3 x 20 s
	assert.InDelta(t, 1.5+3.6+2+15+4, deploytime.BootMinutes(phases), 1e-9)
	assert.InDelta(t, 19, deploytime.ReconfigureAndPingMinutes(phases), 1e-9)
}

// Without plan facts the model falls back to stated defaults, and says so.
func TestNodePhasesDefaults(t *testing.T) {
	phases := deploytime.NodePhases(deploytime.NodeInputs{InstanceType: "m6i.huge"})
	assert.Contains(t, phases[1].Basis, `unknown size of "m6i.huge"`)
	assert.Contains(t, phases[1].Basis, "assumed package size 1800 MB")
	assert.Contains(t, phases[4].Basis, "5 x 30 s") // the ELB API defaults
	assert.InDelta(t, 5.5, phases[4].Minutes, 1e-9)
}
