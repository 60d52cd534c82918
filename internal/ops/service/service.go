// Package service defines what the bootstrap and the rotation need from each
// data service: one idempotent "make this login work with exactly Morpheus'
// rights" and one "log in as this".
package service

import (
	"context"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Service is one data service whose Morpheus user the ops function manages.
// mysqlops.Service, rabbitops.Service and searchops.Service implement it.
type Service interface {
	// Name is a short lower-case name for logs and results.
	Name() string
	// Policy is the service's password policy.
	Policy() password.Policy
	// Ensure creates the user in app, or resets its password, and gives it
	// Morpheus' grants, tags, permissions or role mapping, creating the
	// database, vhost or role as needed. It must be idempotent: a failed call
	// is retried as a whole.
	Ensure(ctx context.Context, app secrets.Credentials) error
	// Check logs in as app and fails unless that works.
	Check(ctx context.Context, app secrets.Credentials) error
}
