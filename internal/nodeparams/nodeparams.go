// Package nodeparams names the Parameter Store values an app node reads at boot,
// relative to the stack's prefix /<project>/<stack>/. The data tier writes them
// and the user data reads them, so both take the names from here.
package nodeparams

// Parameter names relative to the stack's parameter prefix.
const (
	DBEndpoint     = "db/endpoint"
	DBPort         = "db/port"
	DBName         = "db/name"
	MQHost         = "mq/host"
	MQPort         = "mq/port"
	MQVhost        = "mq/vhost"
	SearchEndpoint = "search/endpoint"
	SearchDomain   = "search/domain"
	EFSId          = "efs/id"
	// Ready is the data tier's readiness signal: the ops function writes it once
	// its bootstrap has created Morpheus' users, and a booting node waits for it
	// before it renders morpheus.rb.
	Ready = "ready/bootstrap"
)

// All lists every parameter, in a stable order.
var All = []string{
	DBEndpoint, DBPort, DBName, MQHost, MQPort, MQVhost,
	SearchEndpoint, SearchDomain, EFSId, Ready,
}
