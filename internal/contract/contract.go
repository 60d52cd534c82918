// Package contract is the stack contract: every physical name, path, port and
// node input of one stack, computed once from the validated configuration.
//
// The data flows one way: config → contract → components. A component takes
// the names it needs from here as plain arguments and derives none itself, so
// the user data, the alarms, the IAM policies and the resources can never
// disagree on a name.
package contract

import (
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/morpheusnames"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/userdata"
)

// Service ports that are fixed by the services themselves.
const (
	// AMQPSPort is Amazon MQ's AMQP over TLS port, the only one Morpheus uses.
	AMQPSPort = 5671
	// HTTPSPort serves the RabbitMQ management API, OpenSearch and the ALB.
	HTTPSPort = 443
	// NFSPort is EFS' NFS over TLS port.
	NFSPort = 2049
)

// PatchGroupTagKey is the tag Patch Manager reads a node's patch group from.
// Not "Patch Group": instance metadata tags are on, and tag keys with spaces
// cannot be read through the metadata service.
const PatchGroupTagKey = "PatchGroup"

// Purposes of the app tier's log groups (each becomes Namer.LogGroup(purpose)).
const (
	// MorpheusUILog holds the Morpheus application log.
	MorpheusUILog = "morpheus-ui"
	// NginxLog holds Morpheus' embedded nginx log.
	NginxLog = "nginx"
	// CloudInitLog holds the nodes' boot logs.
	CloudInitLog = "cloud-init"
)

// RefreshLogPurpose names the node refresh's output log group.
const RefreshLogPurpose = "node-refresh"

// AppLogPurposes lists the app tier's log groups in creation order.
var AppLogPurposes = []string{MorpheusUILog, NginxLog, CloudInitLog}

// NodeSecretPurposes are the secrets a node renders into morpheus.rb: Morpheus'
// own logins. Only these are readable by the node role.
var NodeSecretPurposes = secrets.MorpheusLogins

// Contract is every name and node input of one stack.
type Contract struct {
	// Namer is the stack's naming (project and stack).
	Namer naming.Namer
	// ParameterPrefix is "/<project>/<stack>/", under which the data tier writes
	// and the nodes read every parameter.
	ParameterPrefix string
	// App names the node group and what the nodes ship their logs to.
	App App
	// Database is what Morpheus needs of Aurora.
	Database Database
	// Vhost is Morpheus' RabbitMQ virtual host.
	Vhost string
	// SecretNames maps every credential's purpose to its secret's name.
	SecretNames map[secrets.Purpose]string
	// MaxNodes is the most app nodes the group may run (app.maxNodes).
	MaxNodes int
	// Node is what runs on a node that other parts of the stack call.
	Node Node
	// UserData is the nodes' user data input, fully derived from the above.
	UserData userdata.Params
}

// RefreshCircuitBreakerAlarms are the catalog alarms that stop and roll back
// an instance refresh when a new node makes Morpheus unhealthy: the ALB's own
// 5xx and the target group's unhealthy hosts. (The Route 53 health check's
// alarm lives in us-east-1, where an instance refresh cannot see it.)
var RefreshCircuitBreakerAlarms = []string{"albElb5xx", "albUnhealthyHosts"}

// App is the app tier's physical names.
type App struct {
	// GroupName is the Auto Scaling group.
	GroupName string
	// LaunchHook is completed by the node once Morpheus answers /ping.
	LaunchHook string
	// TerminateHook is completed by the node after morpheus-ui has stopped.
	TerminateHook string
	// PatchGroup is the nodes' PatchGroup tag value, which selects this
	// stack's patch baselines (the group's name: one patch group per stack).
	PatchGroup string
	// LogGroups are the groups the nodes' agent ships to, by purpose.
	LogGroups map[string]string
	// RefreshAlarmNames are RefreshCircuitBreakerAlarms' physical names.
	RefreshAlarmNames []string
	// LogMetricsNamespace is the namespace of the metric filters on the app logs:
	// one per stack, because filters on unstructured logs cannot add dimensions.
	LogMetricsNamespace string
}

// Node names the scripts and limits on an app node that the node refresh
// runs remotely.
type Node struct {
	// RefreshScriptPath re-renders morpheus.rb, reconfigures and waits for /ping.
	RefreshScriptPath string
	// ReadyTimeoutMinutes bounds that script's wait for /ping.
	ReadyTimeoutMinutes int
	// DataReadyTimeoutMinutes bounds a booting node's wait for the data tier's
	// readiness signal (UserData.Parameters.Ready).
	DataReadyTimeoutMinutes int
	// CapacityWaitMinutes is how long `pulumi up` waits for the first nodes to
	// be healthy: installing, waiting for the data tier, reconfiguring and
	// /ping, each at its bound, so a slow first deploy does not time out.
	CapacityWaitMinutes int
	// RefreshLogGroup keeps the refresh's Run Command output: the node
	// refresh creates it, the node role writes to it.
	RefreshLogGroup string
	// RefreshSignal is the metric, in App.LogMetricsNamespace, through which a
	// finished rotation (a metric filter on the ops function's log) and a
	// completed refresh of the whole group (written by the refresh automation)
	// meet in the nodeRefreshOverdue alarm (monitoring.RefreshWatch).
	RefreshSignal string
}

// installBoundMinutes bounds the packages' download and install before the
// node starts waiting for the data tier.
const installBoundMinutes = 30

// RotationFinishedLogTerm is what the ops function logs once a rotation moved
// AWSCURRENT (internal/ops/rotation.FinishedMessage); a stack test holds the
// two equal, as the program must not link the function's packages.
const RotationFinishedLogTerm = "AWSCURRENT moved"

// Database is what Morpheus needs of the Aurora cluster.
type Database struct {
	// Name is the schema.
	Name string
	// Port is the cluster's port (database.port).
	Port int
	// MaxConnections is max_connections, sized for MaxNodes (see
	// config.MaxConnectionsFor).
	MaxConnections int
}

// New derives the contract from a validated configuration. It fails only when
// the derived user data is inconsistent, which config validation prevents for
// every user-supplied value; an error here is a bug in the program.
func New(cfg *config.Config) (*Contract, error) {
	namer := naming.Namer{Project: cfg.Project, Stack: cfg.Stack}
	c := &Contract{
		Namer:           namer,
		ParameterPrefix: namer.Path() + "/",
		App: App{
			GroupName:           namer.Name(naming.Generic, "app"),
			LaunchHook:          "morpheus-node-ready",
			TerminateHook:       "morpheus-node-drain",
			PatchGroup:          namer.Name(naming.Generic, "app"),
			LogGroups:           map[string]string{},
			LogMetricsNamespace: "Morpheus/" + namer.Prefix(),
		},
		Database: Database{
			Name:           morpheusnames.Database,
			Port:           cfg.Database.Port,
			MaxConnections: config.MaxConnectionsFor(cfg.App.MaxNodes),
		},
		Vhost:       morpheusnames.Vhost,
		SecretNames: map[secrets.Purpose]string{},
		MaxNodes:    cfg.App.MaxNodes,
	}
	for _, p := range AppLogPurposes {
		c.App.LogGroups[p] = namer.LogGroup(p)
	}
	for _, key := range RefreshCircuitBreakerAlarms {
		name, err := monitoring.AlarmName(monitoring.Plan{Namer: namer}, key)
		if err != nil {
			return nil, err
		}
		c.App.RefreshAlarmNames = append(c.App.RefreshAlarmNames, name)
	}
	for _, p := range append(append([]secrets.Purpose(nil), secrets.Purposes...), secrets.MorpheusAdmin) {
		c.SecretNames[p] = secrets.SecretName(namer, p)
	}
	params, err := c.nodeParams(cfg)
	if err != nil {
		return nil, err
	}
	c.UserData = params
	c.Node = Node{
		RefreshScriptPath:       userdata.RefreshScriptPath,
		ReadyTimeoutMinutes:     params.ReadyTimeout(),
		DataReadyTimeoutMinutes: params.DataReadyTimeout(),
		CapacityWaitMinutes:     installBoundMinutes + params.DataReadyTimeout() + params.ReadyTimeout(),
		RefreshLogGroup:         namer.LogGroup(RefreshLogPurpose),
		RefreshSignal:           "NodeRefreshSignal",
	}
	return c, nil
}

// AgentLogGroups is App.LogGroups in the agent's terms.
func (c *Contract) AgentLogGroups() agentconfig.LogGroups {
	return agentconfig.LogGroups{
		MorpheusUI: c.App.LogGroups[MorpheusUILog],
		Nginx:      c.App.LogGroups[NginxLog],
		CloudInit:  c.App.LogGroups[CloudInitLog],
	}
}

// Parameter is the full name of a node parameter (a nodeparams name).
func (c *Contract) Parameter(relative string) string { return c.ParameterPrefix + relative }

// nodeParams derives the nodes' user data inputs from the configuration alone:
// every name in them (secrets, parameters, hooks, log groups) is fixed by the
// stack's naming, so the user data never waits on, or changes with, a resource.
func (c *Contract) nodeParams(cfg *config.Config) (userdata.Params, error) {
	agent, err := agentconfig.New(c.AgentLogGroups(), cfg.Alerts.ProcessPattern, cfg.Alerts.DiskPaths)
	if err != nil {
		return userdata.Params{}, err
	}
	artifact := func(a config.Artifact) userdata.Artifact { return userdata.Artifact{URL: a.URL, SHA256: a.SHA256} }
	p := userdata.Params{
		OS:              userdata.OSFamily(cfg.App.OSFamily()),
		Morpheus:        userdata.MorpheusPackage{URL: cfg.Morpheus.PackageURL, SHA256: cfg.Morpheus.PackageSHA256, Version: cfg.Morpheus.Version},
		EFSUtils:        artifact(cfg.NodePackages.EFSUtils),
		AWSCLI:          artifact(cfg.NodePackages.AWSCLI),
		CloudWatchAgent: artifact(cfg.NodePackages.CloudWatchAgent),
		Region:          cfg.Region,
		ApplianceURL:    cfg.ApplianceURL(),
		Secrets: userdata.Secrets{
			// Each a NodeSecretPurposes entry.
			DB:     c.SecretNames[secrets.DBMorpheus],
			MQ:     c.SecretNames[secrets.MQMorpheus],
			Search: c.SecretNames[secrets.OpenSearchMorpheus],
		},
		Parameters: userdata.ParametersUnder(c.ParameterPrefix),
		Hooks:      userdata.Hooks{Launch: c.App.LaunchHook, Termination: c.App.TerminateHook},
		Agent:      agent,

		SearchReplicas: cfg.Search.Replicas(),
	}
	return p, p.Validate()
}

// NodeSecretNames are the names of the secrets the nodes read (NodeSecretPurposes).
func (c *Contract) NodeSecretNames() []string {
	out := make([]string, len(NodeSecretPurposes))
	for i, p := range NodeSecretPurposes {
		out[i] = c.SecretNames[p]
	}
	return out
}
