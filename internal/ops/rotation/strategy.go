package rotation

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/service"
)

// Admin is a service administrator that the ops function rotates in place:
// rabbitops.Admin (the broker admin) and searchops.Admin (the FGAC master user).
type Admin interface {
	// Name is a short lower-case name for logs.
	Name() string
	// Policy is the service's password policy.
	Policy() password.Policy
	// CheckLogin logs in as creds and fails unless the service authenticated
	// exactly that user.
	CheckLogin(ctx context.Context, creds secrets.Credentials) error
	// ChangePassword logs in as cur and sets cur.Username's own password to
	// pw, keeping everything else about the user (tags, roles).
	ChangePassword(ctx context.Context, cur secrets.Credentials, pw string) error
}

// The strategies' names, as logged.
const (
	StrategyAlternating = "alternating-users"
	StrategySingleUser  = "single-user"
)

// strategy is what differs between the two ways a secret rotates; the
// protocol, the checks of the secret's state and the label moves are shared.
type strategy struct {
	// name and service are logged with every line.
	name, service string
	// policy generates and checks the pending password.
	policy password.Policy
	// next is the user an AWSPENDING version names, given AWSCURRENT's.
	next func(current string) (string, error)
	// refuse says why a pending version naming another user is refused.
	refuse string
	// set makes the pending login work on the service.
	set func(ctx context.Context, cur, pend secrets.Credentials, log *slog.Logger) error
	// check logs in with a login.
	check func(ctx context.Context, c secrets.Credentials) error
	// finished is logged once AWSCURRENT moved.
	finished string
}

// alternating rotates a Morpheus login between <base> and <base>_clone;
// setSecret's Ensure is retried under policy.
func alternating(svc service.Service, policy retry.Policy) strategy {
	return strategy{
		name: StrategyAlternating, service: svc.Name(), policy: svc.Policy(),
		next: func(current string) (string, error) {
			next := secrets.AlternateUsername(current)
			return next, secrets.ValidateUsername(next)
		},
		refuse: "changing it could lock out running nodes",
		set: func(ctx context.Context, _, pend secrets.Credentials, log *slog.Logger) error {
			err := retry.Do(ctx, policy, svc.Name()+" ensure "+pend.Username, log, func() error { return svc.Ensure(ctx, pend) })
			if err != nil {
				return err
			}
			log.Info("pending user set on the service", "user", pend.Username)
			return nil
		},
		check:    svc.Check,
		finished: FinishedMessage,
	}
}

// singleUser rotates an admin's password in place: the admin changes its own
// password from the current to the pending one. Between setSecret and
// finishSecret only the pending password works; every step is retried on
// failure, and setSecret tells "already changed" (a retry after a lost
// response) from "not yet changed" by trying the pending password first.
func singleUser(adm Admin) strategy {
	return strategy{
		name: StrategySingleUser, service: adm.Name(), policy: adm.Policy(),
		next:   func(current string) (string, error) { return current, nil },
		refuse: "an admin secret's rotation only changes the current user's password",
		set: func(ctx context.Context, cur, pend secrets.Credentials, log *slog.Logger) error {
			pendErr := adm.CheckLogin(ctx, pend)
			if pendErr == nil {
				log.Info("pending password already works; nothing to change", "user", pend.Username)
				return nil
			}
			if curErr := adm.CheckLogin(ctx, cur); curErr != nil {
				return fmt.Errorf("%s: neither the pending nor the current password of %s logs in, so the function cannot change it "+
					"(was the password changed outside the rotation? see docs/runbooks/secret-rotation.md): pending: %v; current: %w",
					adm.Name(), cur.Username, pendErr, curErr)
			}
			if err := adm.ChangePassword(ctx, cur, pend.Password); err != nil {
				return err
			}
			log.Info("password changed on the service", "user", pend.Username)
			return nil
		},
		check:    adm.CheckLogin,
		finished: AdminFinishedMessage,
	}
}
