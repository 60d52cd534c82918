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

	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
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

// Run ensures every target's current login and checks it works, retrying a
// failing service with retry.Default. One failing service does not stop the
// others; the error joins every failure.
func Run(ctx context.Context, store secrets.Store, targets []Target, log *slog.Logger) ([]Outcome, error) {
	return RunWith(ctx, store, targets, log, retry.Default)
}

// RunWith is Run with the retry policy p.
func RunWith(ctx context.Context, store secrets.Store, targets []Target, log *slog.Logger, p retry.Policy) ([]Outcome, error) {
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
		user, err := one(ctx, store, t, log, p)
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

// one ensures and checks one service's login; Ensure is idempotent, so the
// pair is retried as a whole while the service is unreachable.
func one(ctx context.Context, store secrets.Store, t Target, log *slog.Logger, p retry.Policy) (string, error) {
	app, err := secrets.Current(ctx, store, t.AppSecretID)
	if err != nil {
		return "", err
	}
	return app.Username, retry.Do(ctx, p, t.Service.Name(), log, func() error {
		if err := t.Service.Ensure(ctx, app); err != nil {
			return err
		}
		return t.Service.Check(ctx, app)
	})
}
