package userdata

import "github.com/morpheus-ha/morpheus-ha/internal/agentconfig"

// Files the user data installs on the node. The SSM node-refresh document runs
// RefreshScriptPath (or RenderScriptPath alone); keep these stable.
const (
	// BootstrapScriptPath runs once from cloud-init runcmd.
	BootstrapScriptPath = "/usr/local/sbin/morpheus-bootstrap"
	// RenderScriptPath writes MorpheusRBPath from Secrets Manager and Parameter
	// Store; safe to re-run at any time.
	RenderScriptPath = "/usr/local/sbin/morpheus-render-config"
	// WaitDataScriptPath waits (bounded, with lifecycle heartbeats) for the
	// data tier's readiness signal; the bootstrap runs it before it reads any
	// service parameter.
	WaitDataScriptPath = "/usr/local/sbin/morpheus-wait-data"
	// RefreshScriptPath re-renders morpheus.rb, runs morpheus-ctl reconfigure and
	// waits for /ping (the node-refresh step after a secret rotation).
	RefreshScriptPath = "/usr/local/sbin/morpheus-node-refresh"
	// TerminationWatchScriptPath runs as TerminationWatchUnit.
	TerminationWatchScriptPath = "/usr/local/sbin/morpheus-termination-watch"
	// TerminationWatchUnit is the systemd service polling the ASG target
	// lifecycle state.
	TerminationWatchUnit = "morpheus-termination-watch.service"
	// CloudWatchAgentLogsConfigPath is Params.Agent.Logs, which the bootstrap
	// starts the agent with before anything else can fail.
	CloudWatchAgentLogsConfigPath = "/etc/morpheus-node/amazon-cloudwatch-agent-logs.json"
	// CloudWatchAgentMetricsConfigPath is Params.Agent.Metrics, which the
	// bootstrap appends once Morpheus answers /ping.
	CloudWatchAgentMetricsConfigPath = "/etc/morpheus-node/amazon-cloudwatch-agent-metrics.json"
	// LogPath is the node scripts' log; the agent ships it with cloud-init's.
	LogPath = agentconfig.NodeLogPath
	// MorpheusRBPath is Morpheus' configuration file (mode 0600, root).
	MorpheusRBPath = "/etc/morpheus/morpheus.rb"
	// MountPoint is where the shared EFS file system is mounted (morpheus-docs 8.0.7 getting_started/installation/distributed/HA_Shared_Storage.rst).
	MountPoint = "/var/opt/morpheus/morpheus-ui"
)

// systemdUnitDir is where the termination watcher unit is written.
const systemdUnitDir = "/etc/systemd/system/"
