// Package config is the one typed configuration of the program: every key the
// stack reads, its environment-aware default and its validation live here, so a
// bad value fails before any resource is registered.
package config

// Environment is the deployment class of a stack; it selects the defaults.
type Environment string

const (
	// Dev is cost-minimal: two AZs, one NAT gateway, single-instance services.
	Dev Environment = "dev"
	// Staging is laid out like prod (three AZs, HA services) without protection.
	Staging Environment = "staging"
	// Prod is fully HA across three AZs and protects every stateful resource.
	Prod Environment = "prod"
)

// Environments lists the allowed environments.
var Environments = []Environment{Dev, Staging, Prod}

// NAT gateway layouts.
const (
	// NATSingle runs one NAT gateway for the whole VPC (dev: cheap, not AZ-resilient).
	NATSingle = "single"
	// NATPerAZ runs one NAT gateway per AZ so losing an AZ never cuts egress.
	NATPerAZ = "perAz"
)

// Config is the whole program's configuration. The json tags name each field's
// config key; internal/configdoc generates the README table and Pulumi.yaml's
// descriptions from them and from these comments, whose first paragraph is
// written for users.
type Config struct {
	// Project is the Pulumi project name; it prefixes names, paths and aliases.
	Project string `json:"-"`
	// Stack is the Pulumi stack name.
	Stack string `json:"-"`
	// Environment is the deployment class, one of dev, staging, prod. It selects
	// the defaults: dev is cost-minimal (2 AZs, one NAT gateway, 14-day logs);
	// staging and prod are HA across 3 AZs; prod also protects every stateful
	// resource.
	Environment Environment `json:"environment"`
	// Region is the AWS region the stack deploys to.
	Region string `json:"aws:region"`
	// Domain is the FQDN users and agents reach Morpheus on, e.g.
	// morpheus.example.com; Morpheus' appliance_url is https://<domain>, at most
	// 64 characters.
	Domain string `json:"domain"`
	// Owner is the owning team; it becomes the Owner tag on every resource.
	Owner string `json:"owner"`
	// CostCenter is the cost center charged for the stack; it becomes the
	// CostCenter tag on every resource.
	CostCenter string `json:"costCenter"`
	// ExtraTags are extra tags (string to string) added to the standard set
	// (Project, Environment, Stack, Owner, CostCenter, ManagedBy), which they
	// may not override.
	ExtraTags map[string]string `json:"tags"`
	// AllowDestroy lifts pulumi protect and provider-side deletion protection
	// from stateful resources for a deliberate teardown (see the README); in
	// prod Aurora still takes its final snapshot and secrets keep their 30-day
	// recovery window. Keep it false.
	AllowDestroy bool `json:"allowDestroy"`
	// Network sizes the VPC.
	Network Network `json:"network"`
	// Logs sets log retention.
	Logs Logs `json:"logs"`
	// Keys tunes the KMS keys.
	Keys Keys `json:"keys"`
	// App sizes the Morpheus app node group.
	App App `json:"app"`
	// Search sizes the OpenSearch domain.
	Search Search `json:"search"`
	// Storage configures the shared EFS file system.
	Storage Storage `json:"storage"`
	// Messaging configures the RabbitMQ broker.
	Messaging Messaging `json:"messaging"`
	// Database sizes and schedules the Aurora MySQL cluster.
	Database Database `json:"database"`
	// Morpheus pins the appliance package.
	Morpheus Morpheus `json:"morpheus"`
	// NodePackages pins the tools every node installs.
	NodePackages NodePackages `json:"nodePackages"`
	// Alerts configures alarm subscribers, thresholds and patterns.
	Alerts Alerts `json:"alerts"`
	// LoadBalancer configures the ALB, its certificate, DNS and access logs.
	LoadBalancer LoadBalancer `json:"loadBalancer"`
	// Ops configures the ops function (bootstrap and secret rotation).
	Ops Ops `json:"ops"`
	// Backup configures AWS Backup and the copies to the DR region.
	Backup Backup `json:"backup"`
	// Maintenance schedules the stack's own maintenance: the OS patch window.
	Maintenance Maintenance `json:"maintenance"`
	// Security names the roles admitted to the admin secrets and opts in to
	// the account's security services.
	Security Security `json:"security"`
	// Cost configures the budget, cost anomaly alerts and cost allocation tags.
	Cost Cost `json:"cost"`
	// Drills configures the AWS FIS failure drills.
	Drills Drills `json:"drills"`
	// Restore builds the stateful tier from another stack's recovery points
	// (restore mode, the pilot-light DR stack).
	Restore Restore `json:"restore"`
}

// Network is the `network` config object: the VPC's layout.
type Network struct {
	// CIDR is the VPC's IPv4 block, /16 to /20, in a private (RFC 1918) range.
	CIDR string `json:"cidr"`
	// AZCount is how many AZs the VPC spans: 2 or 3; prod requires 3.
	AZCount int `json:"azCount"`
	// NATGateways is the NAT layout: single (one NAT gateway for the VPC) or
	// perAz (one per AZ, so losing an AZ never cuts egress); prod requires perAz.
	NATGateways string `json:"natGateways"`
	// SubnetPrefixLength is the prefix length of every subnet, at most 28.
	SubnetPrefixLength int `json:"subnetPrefixLength" docdefault:"VPC prefix + 4"`
	// AZNames pins the AZs the subnets go in, in order: azCount AZ names of
	// aws:region; required in prod. Unset elsewhere, a stack keeps the zones of
	// its last deployment or picks the first available ones and warns. On a
	// deployed stack the zones, cidr and subnetPrefixLength cannot change
	// (nor azCount shrink) unless allowDestroy is true.
	AZNames []string `json:"azNames" docdefault:"none; prod requires it"`
}

// Logs is the `logs` config object: the stack's CloudWatch log groups.
type Logs struct {
	// RetentionDays is how long every log group keeps events (a CloudWatch Logs
	// retention value).
	RetentionDays int `json:"retentionDays"`
}

// Keys is the `keys` config object: the customer-managed KMS keys.
type Keys struct {
	// DeletionWindowDays is the KMS key deletion window, 7 to 30 days.
	DeletionWindowDays int `json:"deletionWindowDays"`
	// RotationPeriodDays is the automatic key rotation period, 90 to 2560 days.
	RotationPeriodDays int `json:"rotationPeriodDays"`
}

// IsProd reports whether the stack is a production stack.
func (c *Config) IsProd() bool { return c.Environment == Prod }

// Protect reports whether stateful resources get pulumi.Protect and provider-side
// deletion protection: in prod, unless a deliberate teardown was configured.
func (c *Config) Protect() bool { return c.IsProd() && !c.AllowDestroy }

// NATGatewayCount is how many NAT gateways the VPC runs.
func (c *Config) NATGatewayCount() int {
	if c.Network.NATGateways == NATPerAZ {
		return c.Network.AZCount
	}
	return 1
}

// ApplianceURL is the URL Morpheus is configured with (appliance_url).
func (c *Config) ApplianceURL() string { return "https://" + c.Domain }
