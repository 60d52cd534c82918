package patching

// Baseline is one operating system's patch baseline: what Patch Manager
// approves for the app nodes of that OS family.
type Baseline struct {
	// Family is the node OS family (config App.OSFamily): "ubuntu" or "rhel".
	Family string
	// OperatingSystem is Patch Manager's name for it.
	OperatingSystem string
	// Rules are the approval rules, each a set of filters ANDed together.
	Rules []Rule
}

// Rule is one approval rule.
type Rule struct {
	// Filters are Patch Manager filter keys and their values.
	Filters []Filter
	// ApproveAfterDays delays approval after a patch's release; nil where the
	// OS does not support delays (Ubuntu).
	ApproveAfterDays *int
	// ComplianceLevel is what a missing approved patch reports as.
	ComplianceLevel string
}

// Filter is one patch filter.
type Filter struct {
	Key    string
	Values []string
}

// RejectedPackages are never installed by the patch window, not even as a
// dependency (rejectedPatchesAction BLOCK): the Morpheus package's version is
// pinned by morpheus.version in the launch template and changes only through
// an instance refresh, never on one node behind the others' backs.
var RejectedPackages = []string{"morpheus-appliance"}

// rhelApproveAfterDays gives a RHEL erratum a week in the wild before it
// reaches a node: long enough for a broken update to be pulled, short enough
// for security fixes.
var rhelApproveAfterDays = 7

// Baselines are the supported node OS families' baselines (config
// NodeOperatingSystems: Ubuntu 22.04/24.04, RHEL 8/9). Both exist whatever
// app.os is, so switching the OS never leaves the patch group without a
// baseline; Patch Manager picks the one matching the node's OS.
var Baselines = []Baseline{
	{
		Family:          "ubuntu",
		OperatingSystem: "UBUNTU",
		// Ubuntu has no approval delay; the priorities are those Ubuntu ships
		// security and stable updates under.
		Rules: []Rule{{
			Filters: []Filter{
				{Key: "PRODUCT", Values: []string{"*"}},
				{Key: "SECTION", Values: []string{"*"}},
				{Key: "PRIORITY", Values: []string{"Required", "Important", "Standard"}},
			},
			ComplianceLevel: "HIGH",
		}},
	},
	{
		Family:          "rhel",
		OperatingSystem: "REDHAT_ENTERPRISE_LINUX",
		// As Amazon's own RHEL baseline: security errata rated Critical or
		// Important, and bug fixes.
		Rules: []Rule{
			{
				Filters: []Filter{
					{Key: "PRODUCT", Values: []string{"*"}},
					{Key: "CLASSIFICATION", Values: []string{"Security"}},
					{Key: "SEVERITY", Values: []string{"Critical", "Important"}},
				},
				ApproveAfterDays: &rhelApproveAfterDays,
				ComplianceLevel:  "HIGH",
			},
			{
				Filters: []Filter{
					{Key: "PRODUCT", Values: []string{"*"}},
					{Key: "CLASSIFICATION", Values: []string{"Bugfix"}},
				},
				ApproveAfterDays: &rhelApproveAfterDays,
				ComplianceLevel:  "MEDIUM",
			},
		},
	},
}
