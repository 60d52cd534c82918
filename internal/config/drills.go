package config

// Drills is the `drills` config object: AWS Fault Injection Service
// experiment templates that prove the stack survives losing an app node, the
// Aurora writer or one AZ (docs/runbooks/failover-testing.md). The templates
// do nothing until someone starts an experiment. The Aurora failover drill
// needs a reader to promote, so a single-instance cluster gets none.
type Drills struct {
	// Enabled creates the experiment templates, their role and log group.
	Enabled bool `json:"enabled"`
	// AzIndex picks the AZ whose private-app and private-data subnets the
	// network drill disconnects: 0 is the first of the stack's AZs in name
	// order (the azNames output), up to network.azCount - 1.
	AzIndex int `json:"azIndex"`
	// NetworkDisruptionMinutes is how long the network drill keeps the AZ's
	// subnets disconnected, 1 to 30; FIS restores them afterwards, or when a
	// stop condition fires.
	NetworkDisruptionMinutes int `json:"networkDisruptionMinutes"`
}

// maxDisruptionMinutes bounds the network drill: long enough for the ALB,
// Auto Scaling and Aurora to react (C.4 expects 5-10 minutes), short enough
// that a forgotten drill ends by itself.
const maxDisruptionMinutes = 30

// drillsDefaults: on in staging, which is laid out like prod and is where
// drills belong; off in dev (one AZ's worth of everything, nothing to fail
// over to) and prod (a drill there is a deliberate, announced change).
func drillsDefaults(env Environment) Drills {
	return Drills{Enabled: env == Staging, NetworkDisruptionMinutes: 10}
}

func validateDrills(cfg *Config, c *collector) {
	d := cfg.Drills
	if d.AzIndex < 0 || d.AzIndex >= cfg.Network.AZCount {
		c.addf("drills.azIndex", d.AzIndex, "must be between 0 and network.azCount - 1 (%d)", cfg.Network.AZCount-1)
	}
	if d.NetworkDisruptionMinutes < 1 || d.NetworkDisruptionMinutes > maxDisruptionMinutes {
		c.addf("drills.networkDisruptionMinutes", d.NetworkDisruptionMinutes, "must be between 1 and %d", maxDisruptionMinutes)
	}
}
