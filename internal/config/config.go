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

// Config is the whole program's configuration.
type Config struct {
	// Project is the Pulumi project name; it prefixes names, paths and aliases.
	Project string
	// Stack is the Pulumi stack name.
	Stack string
	// Environment selects defaults and protection.
	Environment Environment
	// Region is the AWS region (aws:region).
	Region string
	// Domain is the FQDN users and agents reach Morpheus on.
	Domain string
	// Owner is the team that owns the stack (Owner tag).
	Owner string
	// CostCenter is charged for the stack (CostCenter tag).
	CostCenter string
	// ExtraTags are added to the standard tag set.
	ExtraTags map[string]string
	// AllowDestroy lifts protection from stateful resources for a deliberate teardown.
	AllowDestroy bool
	// Network sizes the VPC.
	Network Network
	// Logs sets log retention.
	Logs Logs
	// Keys tunes the KMS keys.
	Keys Keys
	// App sizes the Morpheus app node group.
	App App
	// Search sizes the OpenSearch domain.
	Search Search
	// Storage configures the shared EFS file system.
	Storage Storage
	// Messaging configures the RabbitMQ broker.
	Messaging Messaging
	// Database sizes and schedules the Aurora MySQL cluster.
	Database Database
	// Morpheus pins the appliance package.
	Morpheus Morpheus
	// NodePackages pins the tools every node installs.
	NodePackages NodePackages
	// Alerts configures alarm subscribers, thresholds and patterns.
	Alerts Alerts
	// LoadBalancer configures the ALB, its certificate, DNS and access logs.
	LoadBalancer LoadBalancer
	// Ops configures the ops function (bootstrap and secret rotation).
	Ops Ops
	// Security names the roles admitted to the admin secrets.
	Security Security
}

// Network is the `network` config object.
type Network struct {
	// CIDR is the VPC's IPv4 block, /16 to /20, in a private range.
	CIDR string `json:"cidr"`
	// AZCount is how many AZs the VPC spans: 2 or 3 (prod: 3).
	AZCount int `json:"azCount"`
	// NATGateways is NATSingle or NATPerAZ.
	NATGateways string `json:"natGateways"`
	// SubnetPrefixLength is the length of every subnet; 0 means VPC prefix + 4.
	SubnetPrefixLength int `json:"subnetPrefixLength"`
	// AZNames pins the AZs, in subnet order (azCount names of aws:region).
	// Required in prod; elsewhere, when empty, the stack keeps the zones of its
	// last deployment, or picks the first available ones on a first deploy.
	AZNames []string `json:"azNames"`
}

// Logs is the `logs` config object.
type Logs struct {
	// RetentionDays is how long every log group keeps events (a CloudWatch value).
	RetentionDays int `json:"retentionDays"`
}

// Keys is the `keys` config object.
type Keys struct {
	// DeletionWindowDays is the KMS key deletion window, 7 to 30.
	DeletionWindowDays int `json:"deletionWindowDays"`
	// RotationPeriodDays is the automatic key rotation period, 90 to 2560.
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
