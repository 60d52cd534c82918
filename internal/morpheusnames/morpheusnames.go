// Package morpheusnames holds the names Morpheus itself fixes in its data
// services. It has no dependencies, so both the program (internal/contract) and
// the ops function (internal/ops/targets) take them from this one place.
package morpheusnames

const (
	// Database is Morpheus' MySQL schema (mysql['morpheus_db']). Not
	// configurable: renaming a live schema would lose its data.
	Database = "morpheus"
	// Vhost is Morpheus' RabbitMQ virtual host (rabbitmq['vhost']).
	Vhost = "morpheus"
)
