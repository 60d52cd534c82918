// Package bootstrap prepares each data service for Morpheus before the first
// app node configures itself: database, vhost or role, and the user named in
// the service's app secret with that secret's current password. It is run by a
// Pulumi Lambda invocation whenever its inputs change, so every action is
// idempotent and a run may repeat any number of times.
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/service"
)

// Target is one service and the secret holding its Morpheus login.
type Target struct {
	// Service is the data service.
	Service service.Service
	// AppSecretID is the ARN of the secret whose AWSCURRENT login is ensured.
	AppSecretID string
}

// Outcome is what a run did for one service. It names users, never passwords:
// Pulumi keeps the invocation's result in its state.
type Outcome struct {
	// Service is the service's name.
	Service string `json:"service"`
	// User is the user ensured.
	User string `json:"user,omitempty"`
	// Error is set when the service failed.
	Error string `json:"error,omitempty"`
}

// Run ensures every target's current login and checks it works. One failing
// service does not stop the others; the error joins every failure.
func Run(ctx context.Context, store secrets.Store, targets []Target, log *slog.Logger) ([]Outcome, error) {
	if log == nil {
		log = slog.Default()
	}
	if len(targets) == 0 {
		return nil, errors.New("bootstrap: no services to bootstrap")
	}
	var errs []error
	out := make([]Outcome, 0, len(targets))
	for _, t := range targets {
		o := Outcome{Service: t.Service.Name()}
		user, err := one(ctx, store, t)
		o.User = user
		if err != nil {
			o.Error = err.Error()
			errs = append(errs, fmt.Errorf("bootstrap %s: %w", o.Service, err))
			log.Error("bootstrap failed", "service", o.Service, "user", user, "error", err)
		} else {
			log.Info("bootstrapped", "service", o.Service, "user", user)
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

func one(ctx context.Context, store secrets.Store, t Target) (string, error) {
	app, err := secrets.Current(ctx, store, t.AppSecretID)
	if err != nil {
		return "", err
	}
	if err := t.Service.Ensure(ctx, app); err != nil {
		return app.Username, err
	}
	return app.Username, t.Service.Check(ctx, app)
}
