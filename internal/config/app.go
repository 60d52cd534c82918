package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/valid"
)

// App is the `app` config object: the Morpheus app nodes, an Auto Scaling group
// behind the ALB.
type App struct {
	// MinNodes is the Auto Scaling group's minimum; prod needs at least one node
	// per AZ.
	MinNodes int `json:"minNodes"`
	// MaxNodes is the Auto Scaling group's maximum, at most 12; the database
	// sizes its connection limit from it.
	MaxNodes int `json:"maxNodes"`
	// InstanceType is the nodes' EC2 type: x86_64 M, R or C families, no
	// burstable T, at least 4 vCPU and 16 GiB.
	InstanceType string `json:"instanceType"`
	// OS is the node operating system: ubuntu-22.04, ubuntu-24.04, rhel-8 or
	// rhel-9 (Morpheus 8.0.7 supports these; Amazon Linux 2023 is not listed).
	OS string `json:"os"`
	// AmiID pins the nodes' AMI (ami-...); when empty, every `pulumi up` looks
	// up the newest image of os, and a newer image rolls the group.
	AmiID string `json:"amiId"`
	// RootVolumeGiB is the size of the encrypted gp3 root volume, at least 200
	// (Morpheus' minimum disk).
	RootVolumeGiB int `json:"rootVolumeGiB"`
	// CPUTargetPercent is the average CPU the group scales to hold, 10 to 90.
	CPUTargetPercent int `json:"cpuTargetPercent"`
	// RequestsPerTarget is the ALB requests per node and minute the group scales
	// to hold.
	RequestsPerTarget int `json:"requestsPerTarget"`
	// ScheduledScaleIn shrinks a non-prod group outside working hours.
	ScheduledScaleIn ScheduledScaleIn `json:"scheduledScaleIn"`
	// Egress limits where the nodes may connect outside the VPC on 443 and 80.
	Egress Egress `json:"egress"`
}

// Supported node operating systems (Morpheus 8.0.7's OS table: morpheus-docs getting_started/requirements/applianceOsTable.rst).
const (
	OSUbuntu2204 = "ubuntu-22.04"
	OSUbuntu2404 = "ubuntu-24.04"
	OSRHEL8      = "rhel-8"
	OSRHEL9      = "rhel-9"
)

// OSFamily is "rhel" for the RHEL systems and "ubuntu" for the others: what
// selects the package manager and the package format.
func (a App) OSFamily() string {
	if strings.HasPrefix(a.OS, "rhel") {
		return "rhel"
	}
	return "ubuntu"
}

// PackageExt is the package format of OS: ".deb" or ".rpm".
func (a App) PackageExt() string { return valid.PackageExt(a.OSFamily()) }

// MaxConnectionsFor is the smallest max_connections that serves maxNodes app
// nodes plus one node's worth of headroom (a replacement node during a rolling
// update, the ops function, operators).
func MaxConnectionsFor(maxNodes int) int { return ConnectionsPerNode * (maxNodes + 1) }

// NodeOperatingSystems lists the selectable node operating systems.
var NodeOperatingSystems = []string{OSUbuntu2204, OSUbuntu2404, OSRHEL8, OSRHEL9}

// App limits and defaults.
const (
	// MaxAppNodes bounds the group: every node adds ConnectionsPerNode database
	// connections, and the node refresh's automation is sized for this many.
	MaxAppNodes = 12
	// ConnectionsPerNode is Morpheus' connection pool per app node (mysql['max_active']).
	ConnectionsPerNode = 150
	// minRootVolumeGiB is Morpheus's minimum disk (morpheus-docs 8.0.7 getting_started/requirements/requirements.rst).
	minRootVolumeGiB = 200
	maxRootVolumeGiB = 16384
	minNodeVCPU      = 4
	minNodeMemoryGiB = 16
)

// appDefaults: dev and staging run the vendor's baseline node (4 vCPU, 16 GiB);
// prod runs 8 vCPU and 32 GiB, the vendor's 20k-workload size, so the two nodes
// left after an AZ loss still carry the load.
func appDefaults(env Environment, p profile) App {
	a := App{
		MinNodes: p.minNodes, MaxNodes: p.maxNodes, InstanceType: "m6i.xlarge", OS: OSUbuntu2404,
		RootVolumeGiB: minRootVolumeGiB, CPUTargetPercent: 60, RequestsPerTarget: 1000,
		ScheduledScaleIn: scheduleDefaults(), Egress: egressDefaults(),
	}
	if env == Prod {
		a.InstanceType, a.RootVolumeGiB = "m6i.2xlarge", 400
	}
	return a
}

// instanceFamilies maps the x86_64, non-burstable families the nodes may use to
// their GiB of memory per vCPU.
var instanceFamilies = map[string]int{
	"m5": 4, "m5a": 4, "m5n": 4, "m6i": 4, "m6a": 4, "m6in": 4, "m7i": 4, "m7a": 4,
	"r5": 8, "r5a": 8, "r5n": 8, "r6i": 8, "r6a": 8, "r7i": 8, "r7a": 8,
	"c5": 2, "c5a": 2, "c5n": 2, "c6i": 2, "c6a": 2, "c7i": 2, "c7a": 2,
}

// sizeVCPU maps instance sizes to vCPUs (the same in every family above).
var sizeVCPU = map[string]int{
	"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64, "24xlarge": 96,
}

var (
	instanceTypeRE = regexp.MustCompile(`^([a-z][a-z0-9-]*)\.([0-9a-z]+)$`)
	amiRE          = regexp.MustCompile(`^ami-[0-9a-f]{8,17}$`)
	// gravitonRE matches Arm families (m6g, c7gn, r8g...): Morpheus ships amd64 packages.
	gravitonRE = regexp.MustCompile(`^[a-z]+[0-9]+g[a-z]*$`)
)

// NodeShape returns the vCPUs and GiB of an allowed instance type, or an error
// that says why the type is refused.
func NodeShape(instanceType string) (vcpu, memGiB int, err error) {
	m := instanceTypeRE.FindStringSubmatch(instanceType)
	if m == nil {
		return 0, 0, fmt.Errorf("must be an EC2 instance type such as m6i.xlarge")
	}
	family, size := m[1], m[2]
	switch {
	case strings.HasPrefix(family, "t"):
		return 0, 0, fmt.Errorf("burstable T types run out of CPU credits under Morpheus's steady load; use an M, R or C type")
	case gravitonRE.MatchString(family):
		return 0, 0, fmt.Errorf("%s is an Arm (Graviton) family; Morpheus packages are amd64 only", family)
	}
	perVCPU, ok := instanceFamilies[family]
	if !ok {
		return 0, 0, fmt.Errorf("family %s is not one of the supported x86_64 families %s", family, strings.Join(sortedKeys(instanceFamilies), ", "))
	}
	vcpu, ok = sizeVCPU[size]
	if !ok {
		return 0, 0, fmt.Errorf("size %s is not one of %s", size, strings.Join(sortedKeys(sizeVCPU), ", "))
	}
	return vcpu, vcpu * perVCPU, nil
}

func validateApp(cfg *Config, c *collector) {
	a := cfg.App
	switch {
	case a.MinNodes < 1:
		c.addf("app.minNodes", a.MinNodes, "must be at least 1")
	case cfg.IsProd() && a.MinNodes < cfg.Network.AZCount:
		c.addf("app.minNodes", a.MinNodes, "prod needs at least one node per AZ (%d) to survive an AZ loss", cfg.Network.AZCount)
	}
	if a.MaxNodes < a.MinNodes || a.MaxNodes > MaxAppNodes {
		c.addf("app.maxNodes", a.MaxNodes, "must be between app.minNodes (%d) and %d", a.MinNodes, MaxAppNodes)
	}
	if vcpu, mem, err := NodeShape(a.InstanceType); err != nil {
		c.addf("app.instanceType", a.InstanceType, "%v", err)
	} else if vcpu < minNodeVCPU || mem < minNodeMemoryGiB {
		c.addf("app.instanceType", a.InstanceType, "has %d vCPU and %d GiB; a Morpheus node needs at least %d vCPU and %d GiB",
			vcpu, mem, minNodeVCPU, minNodeMemoryGiB)
	}
	if !slices.Contains(NodeOperatingSystems, a.OS) {
		c.addf("app.os", a.OS, "must be one of %s (Morpheus 8.0.7 supports these; Amazon Linux 2023 is not listed)", strings.Join(NodeOperatingSystems, ", "))
	}
	if a.AmiID != "" && !amiRE.MatchString(a.AmiID) {
		c.addf("app.amiId", a.AmiID, "must be an AMI id such as ami-0123456789abcdef0, or empty for the newest image of app.os")
	}
	if a.RootVolumeGiB < minRootVolumeGiB || a.RootVolumeGiB > maxRootVolumeGiB {
		c.addf("app.rootVolumeGiB", a.RootVolumeGiB, "must be between %d (Morpheus's minimum) and %d", minRootVolumeGiB, maxRootVolumeGiB)
	}
	if a.CPUTargetPercent < 10 || a.CPUTargetPercent > 90 {
		c.addf("app.cpuTargetPercent", a.CPUTargetPercent, "must be between 10 and 90")
	}
	if a.RequestsPerTarget < 1 {
		c.addf("app.requestsPerTarget", a.RequestsPerTarget, "must be at least 1")
	}
	validateScheduledScaleIn(cfg, c)
	validateEgress(a.Egress, c)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
