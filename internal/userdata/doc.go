// Package userdata renders the cloud-init user data of a Morpheus app node from
// typed Params. It is pure Go (no Pulumi types) so the launch template, the
// offline plan and the node-refresh SSM document can all share it.
//
// The user data is a single #cloud-config document. write_files installs the
// node scripts (bootstrap, morpheus.rb render, refresh, termination watcher), the
// two CloudWatch agent documents of Params.Agent (rendered by internal/agentconfig,
// the contract the alarms query) and a systemd unit; runcmd runs the bootstrap.
// The scripts are text/template files embedded in the binary; every value they
// receive is shell-quoted by the template, and none of them is a secret: the user
// data only names the Secrets Manager secrets and Parameter Store parameters that
// the render script reads on the node with the instance role.
package userdata
