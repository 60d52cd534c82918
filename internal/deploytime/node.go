package deploytime

import (
	"fmt"
	"math"
	"strings"
)

// Node boot assumptions. None of them is measured yet: each is the figure the
// estimate uses until a real first deploy's node log (/var/log/morpheus-node.log,
// one timestamped line per step) replaces it.
const (
	// LaunchMinutes covers RunInstances to cloud-init running the user data:
	// pending to running, kernel and systemd boot on a Nitro instance.
	LaunchMinutes = 1.5
	// DefaultPackageMB is the assumed size of the Morpheus appliance package
	// (morpheus-appliance 8.0.x bundles Java, nginx, Guacamole and the embedded
	// services it can run); the stack only pins its URL and checksum.
	DefaultPackageMB = 1800
	// ToolsMB is what the bootstrap downloads before Morpheus: AWS CLI v2,
	// CloudWatch agent, amazon-efs-utils and the OS packages they need.
	ToolsMB = 250
	// OriginMBps caps one HTTPS download from the vendor's CDN or S3 through a
	// NAT gateway, whatever the instance's network baseline.
	OriginMBps = 40
	// DiskMBps is the throughput of a gp3 root volume at its 125 MB/s baseline
	// (the launch template sets no extra throughput).
	DiskMBps = 125
	// UnpackFactor is how many bytes dpkg or rpm reads and writes per byte of
	// package while unpacking and configuring (compressed payload, then files).
	UnpackFactor = 3
	// ToolsInstallMinutes covers the package index update and installing the tools.
	ToolsInstallMinutes = 1.5
	// BootstrapWaitMinutes covers the bootstrap's waits outside install and
	// reconfigure: Ubuntu's first-boot apt-daily/unattended-upgrades holding the
	// dpkg lock, the EFS id lookup and TLS mount, completing the launch hook.
	// The wait for the data tier's readiness signal is not counted here: the
	// estimate models it from the signal's place in the graph.
	BootstrapWaitMinutes = 2
	// ReconfigureMinutes is `morpheus-ctl reconfigure` against external Aurora,
	// Amazon MQ and OpenSearch. Morpheus documents roughly 10 to 20 minutes; the
	// estimate takes the midpoint.
	ReconfigureMinutes = 15
	// UIStartMinutes is morpheus-ui starting after reconfigure until /ping answers
	// 200 (Morpheus' install guide: "wait for the banner ... 2-3+ min").
	UIStartMinutes = 3
)

// baselineGbps is the baseline (not burst) network bandwidth of the m6i sizes in
// AWS's "Amazon EC2 instance network bandwidth" tables; other general-purpose
// families of the same size are within a factor of two, which the origin cap
// hides anyway.
var baselineGbps = map[string]float64{
	"large": 0.781, "xlarge": 1.562, "2xlarge": 3.125, "4xlarge": 6.25, "8xlarge": 12.5,
	"12xlarge": 18.75, "16xlarge": 25, "24xlarge": 37.5, "32xlarge": 50, "metal": 50,
}

// NodeInputs are the facts, visible in the plan, that a node's boot depends on.
type NodeInputs struct {
	// InstanceType is the launch template's instance type (app.instanceType).
	InstanceType string `json:"instanceType"`
	// PackageMB is the Morpheus package size; zero means DefaultPackageMB.
	PackageMB float64 `json:"packageMB"`
	// HealthyThreshold and IntervalSeconds are the target group's health check:
	// the provider waits until the ALB counts the nodes healthy.
	HealthyThreshold int `json:"healthyThreshold"`
	IntervalSeconds  int `json:"intervalSeconds"`
}

// Phase is one step of a node's first boot.
type Phase struct {
	// Name is the step, in boot order.
	Name string `json:"name"`
	// Minutes is the step's typical duration.
	Minutes float64 `json:"minutes"`
	// Basis says how Minutes was derived.
	Basis string `json:"basis"`
}

// Phase names, exported so that the program can pick the ones a timeout covers
// (the launch hook's heartbeat covers everything after launch).
const (
	PhaseLaunch      = "launch"
	PhaseInstall     = "download and install"
	PhaseBootstrap   = "first-boot waits (apt lock, EFS mount, hook)"
	PhaseReconfigure = "reconfigure"
	PhasePing        = "/ping healthy"
)

// NodePhases models one node's first boot, from the Auto Scaling group's launch
// to the ALB counting the node healthy. Nodes of a group boot in parallel, so this
// is also the group's create time when the provider waits for capacity. The
// result is the table the program can size the group's wait and lifecycle hook
// timeouts from (with a margin: these are typical figures, not worst cases).
func NodePhases(in NodeInputs) []Phase {
	pkg := in.PackageMB
	pkgBasis := "package size from the plan"
	if pkg <= 0 {
		pkg, pkgBasis = DefaultPackageMB, fmt.Sprintf("assumed package size %d MB", DefaultPackageMB)
	}
	nic, nicBasis := nicMBps(in.InstanceType)
	rate := math.Min(nic, OriginMBps)
	download := (pkg + ToolsMB) / rate / 60
	install := ToolsInstallMinutes + pkg*UnpackFactor/DiskMBps/60
	threshold, interval := in.HealthyThreshold, in.IntervalSeconds
	if threshold <= 0 {
		threshold = 5 // the ELB API default
	}
	if interval <= 0 {
		interval = 30 // the ELB API default
	}
	healthy := float64(threshold*interval) / 60
	return []Phase{
		{PhaseLaunch, LaunchMinutes, "assumption: EC2 launch and OS boot to cloud-init"},
		{PhaseInstall, round1(download + install), fmt.Sprintf(
			"%s + %d MB tools at %.0f MB/s (%s, capped at the %d MB/s origin assumption), then %.1f min tools install and unpacking at %dx over a %d MB/s gp3 disk",
			pkgBasis, ToolsMB, rate, nicBasis, OriginMBps, ToolsInstallMinutes, UnpackFactor, DiskMBps)},
		{PhaseBootstrap, BootstrapWaitMinutes, "assumption: first-boot apt lock, EFS lookup and TLS mount, launch hook"},
		{PhaseReconfigure, ReconfigureMinutes, "assumption: Morpheus documents roughly 10-20 min for morpheus-ctl reconfigure; midpoint"},
		{PhasePing, round1(UIStartMinutes + healthy), fmt.Sprintf(
			"%d min morpheus-ui start (assumption) + target group %d x %d s healthy checks", UIStartMinutes, threshold, interval)},
	}
}

// PreReadinessMinutes is the part of a boot that needs no data tier: launch,
// download and install. The rest waits for the readiness signal.
func PreReadinessMinutes(phases []Phase) float64 {
	total := 0.0
	for _, p := range phases {
		if p.Name == PhaseLaunch || p.Name == PhaseInstall {
			total += p.Minutes
		}
	}
	return round1(total)
}

// BootMinutes sums the phases.
func BootMinutes(phases []Phase) float64 {
	total := 0.0
	for _, p := range phases {
		total += p.Minutes
	}
	return round1(total)
}

// ReconfigureAndPingMinutes is the tail of a node's boot that cannot start before
// the data services exist: reconfigure connects to them, then /ping.
func ReconfigureAndPingMinutes(phases []Phase) float64 {
	total := 0.0
	for _, p := range phases {
		if p.Name == PhaseReconfigure || p.Name == PhasePing {
			total += p.Minutes
		}
	}
	return round1(total)
}

// nicMBps is the instance type's baseline bandwidth in MB/s, by size. An unknown
// size gets the smallest baseline, so the estimate errs long, and says so.
func nicMBps(instanceType string) (float64, string) {
	_, size, ok := strings.Cut(instanceType, ".")
	if g, known := baselineGbps[size]; ok && known {
		return g * 1000 / 8, fmt.Sprintf("%s baseline %.3g Gbps", instanceType, g)
	}
	g := baselineGbps["large"]
	return g * 1000 / 8, fmt.Sprintf("unknown size of %q, assumed the large baseline %.3g Gbps", instanceType, g)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
