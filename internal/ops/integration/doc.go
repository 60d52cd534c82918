// Package integration holds the ops function's end-to-end tests: bootstrap run
// twice, then two full rotations, against real MariaDB (standing in for Aurora
// MySQL) and RabbitMQ servers when MORPHEUS_IT_* variables point at them (see
// .ci/services.sh and `make opsfn-it`), and against the OpenSearch security API
// fake always. Secrets Manager is the in-memory fake in every case.
package integration
