package config

// EFS throughput modes the stack offers.
const (
	// ThroughputElastic scales throughput with the workload and bills per GB moved.
	ThroughputElastic = "elastic"
	// ThroughputBursting earns credits in proportion to the stored size.
	ThroughputBursting = "bursting"
)

// LifecycleNone is the only EFS lifecycle transition Morpheus allows.
const LifecycleNone = "none"

// Storage is the `storage` config object: the EFS file system Morpheus shares
// between its app nodes (/var/opt/morpheus/morpheus-ui).
type Storage struct {
	// LifecycleTransition must stay none, the only accepted value: Morpheus
	// requires that its shared files never move to the IA or Archive storage
	// classes.
	//
	// The key exists so that someone looking for the setting finds the reason
	// instead of a knob.
	LifecycleTransition string `json:"lifecycleTransition"`
	// ThroughputMode is the EFS throughput mode: elastic or bursting; prod
	// requires elastic.
	ThroughputMode string `json:"throughputMode"`
}

// storageDefaults are the same in every environment: elastic throughput costs
// nothing while idle, which suits dev as well as it suits prod.
func storageDefaults(Environment) Storage {
	return Storage{LifecycleTransition: LifecycleNone, ThroughputMode: ThroughputElastic}
}

func validateStorage(cfg *Config, c *collector) {
	s := cfg.Storage
	if s.LifecycleTransition != LifecycleNone {
		c.addf("storage.lifecycleTransition", s.LifecycleTransition,
			"must be %q: Morpheus requires its shared file system to have no IA or Archive lifecycle transitions (vendor EFS guide: gomorpheus/morpheus-docs, internal/installation/storage/amazon-efs.rst)", LifecycleNone)
	}
	switch {
	case s.ThroughputMode != ThroughputElastic && s.ThroughputMode != ThroughputBursting:
		c.addf("storage.throughputMode", s.ThroughputMode,
			"must be %q or %q (provisioned throughput is not offered: it bills a fixed rate around the clock for a bursty workload that elastic serves)", ThroughputElastic, ThroughputBursting)
	case cfg.IsProd() && s.ThroughputMode != ThroughputElastic:
		c.addf("storage.throughputMode", s.ThroughputMode,
			"prod needs %q: a bursting file system of Morpheus' size (about 50 GB) falls to a baseline of about 2.5 MiB/s once its credits are spent", ThroughputElastic)
	}
}
