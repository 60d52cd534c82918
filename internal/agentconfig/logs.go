package agentconfig

// NodeLogPath is the node scripts' own log (internal/userdata writes it); it is
// shipped with cloud-init's logs so that a failed bootstrap can be read after
// the group has replaced the node.
const NodeLogPath = "/var/log/morpheus-node.log"

// LogGroups names the CloudWatch Logs groups the agent ships to. They must
// exist (the agent's role may not create them, and their retention and key are
// set where they are created).
type LogGroups struct {
	// MorpheusUI receives the Morpheus application log.
	MorpheusUI string
	// Nginx receives Morpheus' embedded nginx access and error logs.
	Nginx string
	// CloudInit receives the boot logs: cloud-init's and the node scripts'.
	CloudInit string
}

// Group selects one of the LogGroups.
type Group string

// The log groups a LogFile can go to.
const (
	MorpheusUIGroup Group = "MorpheusUI"
	NginxGroup      Group = "Nginx"
	CloudInitGroup  Group = "CloudInit"
)

// name returns the group's name in g.
func (g LogGroups) name(group Group) string {
	switch group {
	case MorpheusUIGroup:
		return g.MorpheusUI
	case NginxGroup:
		return g.Nginx
	case CloudInitGroup:
		return g.CloudInit
	}
	return ""
}

// LogFile is one file (or glob) the agent ships, and where to.
type LogFile struct {
	// Path is the file or glob on the node.
	Path string
	// Group is the log group it goes to.
	Group Group
	// Stream is the stream name; the agent replaces {instance_id}. Files that
	// share a group have distinct streams, so their lines never interleave.
	Stream string
}

// LogFiles are the files every node ships. Morpheus writes each service's log
// to /var/log/morpheus/<service>/current (runit svlogd); nginx writes its error
// log next to it under a name that is unconfirmed, hence the glob.
var LogFiles = []LogFile{
	{Path: "/var/log/morpheus/morpheus-ui/current", Group: MorpheusUIGroup, Stream: "{instance_id}/morpheus-ui"},
	{Path: "/var/log/morpheus/nginx/current", Group: NginxGroup, Stream: "{instance_id}/nginx"},
	{Path: "/var/log/morpheus/nginx/*error.log", Group: NginxGroup, Stream: "{instance_id}/nginx-error"},
	{Path: "/var/log/cloud-init-output.log", Group: CloudInitGroup, Stream: "{instance_id}/cloud-init-output"},
	{Path: "/var/log/cloud-init.log", Group: CloudInitGroup, Stream: "{instance_id}/cloud-init"},
	{Path: NodeLogPath, Group: CloudInitGroup, Stream: "{instance_id}/morpheus-node"},
}
