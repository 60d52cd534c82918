package userdata

import (
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/nodeparams"
	"github.com/morpheus-ha/morpheus-ha/internal/valid"
)

// OSFamily selects the package manager and package format of the node image.
type OSFamily string

// The operating system families Morpheus 8.0.7 supports and this package renders
// for (Ubuntu 22.04/24.04 or RHEL 8/9: morpheus-docs getting_started/requirements/applianceOsTable.rst).
const (
	Ubuntu OSFamily = "ubuntu"
	RHEL   OSFamily = "rhel"
)

// packageExt is the package file extension of the family (".deb" or ".rpm").
func (o OSFamily) packageExt() string { return valid.PackageExt(string(o)) }

// Artifact is a file the node downloads at boot: an https:// or s3:// URL and
// the lowercase hex SHA-256 it must have. s3:// URLs are fetched with the
// instance role after the AWS CLI is installed, so the AWS CLI itself must be
// https://.
type Artifact struct {
	URL    string
	SHA256 string
}

// MorpheusPackage is the pinned Morpheus appliance package (.deb on Ubuntu,
// .rpm on RHEL) and the version it installs, e.g. "8.0.7-1"; the bootstrap
// checks the installed package version starts with Version.
type MorpheusPackage struct {
	URL     string
	SHA256  string
	Version string
}

// Secrets names the Secrets Manager secrets (name or ARN) read on the node. Each
// secret's value is the JSON object {"username": "...", "password": "..."}.
type Secrets struct {
	// DB is the Morpheus database user (mysql['morpheus_db_user'/'morpheus_password']).
	DB string
	// MQ is the Morpheus broker user (rabbitmq['queue_user'/'queue_user_password']).
	MQ string
	// Search is the OpenSearch FGAC user (elasticsearch['auth_user'/'auth_password']).
	Search string
}

// Parameters holds the full Parameter Store names of the non-secret connection
// values. ParametersUnder fills them from one path prefix and the Param*
// relative names, which is what the data tier writes.
type Parameters struct {
	DBEndpoint     string // Aurora writer endpoint host name
	DBPort         string // Aurora port, e.g. 3306
	DBName         string // schema name, e.g. morpheus
	MQHost         string // broker host name, no amqps:// and no port
	MQPort         string // AMQPS port, 5671
	MQVhost        string // vhost, e.g. morpheus
	SearchEndpoint string // OpenSearch VPC endpoint host name, no https://
	SearchDomain   string // OpenSearch domain name (elasticsearch['cluster'])
	EFSId          string // EFS file system id, read at boot to mount it
	Ready          string // the data tier's readiness signal, awaited before anything else is read
}

// ParametersUnder returns the parameter names under prefix (for example
// "/morpheus-ha/prod/", the stack's naming.Namer.Path() + "/"); a missing
// trailing slash is added.
func ParametersUnder(prefix string) Parameters {
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return Parameters{
		DBEndpoint:     prefix + nodeparams.DBEndpoint,
		DBPort:         prefix + nodeparams.DBPort,
		DBName:         prefix + nodeparams.DBName,
		MQHost:         prefix + nodeparams.MQHost,
		MQPort:         prefix + nodeparams.MQPort,
		MQVhost:        prefix + nodeparams.MQVhost,
		SearchEndpoint: prefix + nodeparams.SearchEndpoint,
		SearchDomain:   prefix + nodeparams.SearchDomain,
		EFSId:          prefix + nodeparams.EFSId,
		Ready:          prefix + nodeparams.Ready,
	}
}

// All returns every parameter the node reads: the names morpheus.rb is
// rendered from and the EFS id the bootstrap mounts.
func (p Parameters) All() []string { return append(p.names(), p.EFSId, p.Ready) }

// names returns the names morpheus.rb is rendered from, in a fixed order (the
// EFS id is read once, by the bootstrap, to mount the file system).
func (p Parameters) names() []string {
	return []string{p.DBEndpoint, p.DBPort, p.DBName, p.MQHost, p.MQPort, p.MQVhost, p.SearchEndpoint, p.SearchDomain}
}

// Hooks names the Auto Scaling lifecycle hooks the node completes.
type Hooks struct {
	// Launch is completed with CONTINUE once Morpheus answers /ping, or with
	// ABANDON when the bootstrap fails.
	Launch string
	// Termination is completed with CONTINUE after morpheus-ui has stopped.
	Termination string
}

// IDs are the uid/gid pinned identically on every node (morpheus-docs 3-node HA app node guide: unpinned
// IDs count down from 999 and then differ between nodes sharing EFS). Each user's
// gid equals its uid. A zero field takes its default.
type IDs struct {
	App   int // morpheus-app, default 899
	Local int // morpheus-local, default 898
	Guacd int // guacd, default 894
}

// Default pinned IDs (morpheus-docs 8.0.7 getting_started/additional/morpheusRb.rst).
const (
	DefaultAppID   = 899
	DefaultLocalID = 898
	DefaultGuacdID = 894
)

// DefaultDataReadyTimeoutMinutes bounds a booting node's wait for the data
// tier's readiness signal: on a first deploy the slowest data service takes
// about 25 minutes, and the bootstrap runs after all of them.
const DefaultDataReadyTimeoutMinutes = 60

// DefaultReadyTimeoutMinutes bounds the wait for https://localhost/ping after
// reconfigure; the launch hook's heartbeat timeout must exceed the whole
// bootstrap (install + reconfigure + this wait).
const DefaultReadyTimeoutMinutes = 30

// Params is everything the user data of one app node group depends on. None of
// it is secret.
type Params struct {
	OS              OSFamily
	Morpheus        MorpheusPackage
	EFSUtils        Artifact // amazon-efs-utils package built and hosted by the platform team
	AWSCLI          Artifact // AWS CLI v2 bundled installer zip, https:// only
	CloudWatchAgent Artifact // amazon-cloudwatch-agent package for the OS family
	Region          string
	ApplianceURL    string // https://<fqdn>, no trailing slash, at most 64 characters
	Secrets         Secrets
	Parameters      Parameters
	Hooks           Hooks
	// Agent is the CloudWatch agent configuration, rendered by agentconfig.New
	// with the values the alarms were built from: Logs starts at boot, Metrics
	// is appended once Morpheus answers /ping.
	Agent agentconfig.Config
	IDs   IDs
	// SearchReplicas is elasticsearch['replica_count'], the copies of each
	// index shard Morpheus asks for besides the primary (config.Search.Replicas).
	SearchReplicas int
	// ReadyTimeoutMinutes bounds the wait for /ping (0 = DefaultReadyTimeoutMinutes).
	ReadyTimeoutMinutes int
	// DataReadyTimeoutMinutes bounds the wait for Parameters.Ready
	// (0 = DefaultDataReadyTimeoutMinutes).
	DataReadyTimeoutMinutes int
}

// withDefaults fills zero IDs and timeout.
func (p Params) withDefaults() Params {
	if p.IDs.App == 0 {
		p.IDs.App = DefaultAppID
	}
	if p.IDs.Local == 0 {
		p.IDs.Local = DefaultLocalID
	}
	if p.IDs.Guacd == 0 {
		p.IDs.Guacd = DefaultGuacdID
	}
	if p.ReadyTimeoutMinutes == 0 {
		p.ReadyTimeoutMinutes = DefaultReadyTimeoutMinutes
	}
	if p.DataReadyTimeoutMinutes == 0 {
		p.DataReadyTimeoutMinutes = DefaultDataReadyTimeoutMinutes
	}
	return p
}

// ReadyTimeout is the wait for /ping the rendered scripts use, in minutes.
func (p Params) ReadyTimeout() int { return p.withDefaults().ReadyTimeoutMinutes }

// DataReadyTimeout is the wait for the data tier's readiness signal, in minutes.
func (p Params) DataReadyTimeout() int { return p.withDefaults().DataReadyTimeoutMinutes }
