// Package rotation implements Secrets Manager's four-step rotation protocol
// with two strategies.
//
// Morpheus' service users (Rotate) alternate: each rotation moves the secret to
// the OTHER user of the pair <base>/<base>_clone with a new password. The user
// AWSCURRENT named until now keeps its password until the rotation after next,
// so app nodes still holding it (Morpheus reads passwords from morpheus.rb
// until it is re-rendered) keep working for a whole rotation period.
//
// The broker admin and the OpenSearch master user (RotateAdmin) rotate in
// place: the same user gets a new password, which it sets itself. Only the ops
// function uses them, and it reads the secret at every use, so no second user
// is needed to bridge the change.
//
// Every step re-reads the secret's state and is idempotent, and only
// finishSecret moves a staging label (in one atomic call), so a step that fails
// anywhere leaves AWSCURRENT on a working login and the retried step succeeds.
package rotation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/service"
)

// The steps, as Secrets Manager names them in the event.
const (
	StepCreate = "createSecret"
	StepSet    = "setSecret"
	StepTest   = "testSecret"
	StepFinish = "finishSecret"
)

// Event is the payload Secrets Manager invokes a rotation function with.
type Event struct {
	// SecretID is the secret's ARN.
	SecretID string `json:"SecretId"`
	// Token is the version id of the new (AWSPENDING) version.
	Token string `json:"ClientRequestToken"`
	// Step is one of the Step constants.
	Step string `json:"Step"`
}

// FinishedMessage is logged once AWSCURRENT moved to the new version of a
// Morpheus login: the stack counts these lines as finished rotations that the
// nodes must pick up (nodeRefreshOverdue alarm).
const FinishedMessage = "AWSCURRENT moved"

// AdminFinishedMessage is logged instead once an admin secret's AWSCURRENT
// moved. It must not contain FinishedMessage: the metric filter matches the
// term anywhere in a line, and the nodes never hold an admin password, so an
// admin rotation asks for no node refresh.
const AdminFinishedMessage = "admin password rotated"

// Rotator runs rotation steps against a secret store.
type Rotator struct {
	// Store reads and writes the secrets.
	Store secrets.Store
	// Log receives one line per decision; nil means slog.Default().
	Log *slog.Logger
	// Retry bounds the retries of a Morpheus login's setSecret (Ensure,
	// idempotent), which covers the seconds in which an in-place rotation of
	// the same service's admin has changed the admin password but not yet
	// moved its AWSCURRENT (the secrets share one schedule). The zero value
	// makes one attempt.
	Retry retry.Policy
}

func (r *Rotator) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

// Rotate runs step ev.Step for the Morpheus login secret of svc, with
// alternating users.
func (r *Rotator) Rotate(ctx context.Context, svc service.Service, ev Event) error {
	return r.run(ctx, alternating(svc, r.Retry), ev)
}

// RotateAdmin runs step ev.Step for the admin secret of adm, in place.
func (r *Rotator) RotateAdmin(ctx context.Context, adm Admin, ev Event) error {
	return r.run(ctx, singleUser(adm), ev)
}

func (r *Rotator) run(ctx context.Context, st strategy, ev Event) error {
	if ev.SecretID == "" || ev.Token == "" {
		return errors.New("rotation: event needs SecretId and ClientRequestToken")
	}
	log := r.log().With("secret", ev.SecretID, "token", ev.Token, "step", ev.Step, "service", st.service, "strategy", st.name)
	d, err := r.Store.Describe(ctx, ev.SecretID)
	if err != nil {
		return fmt.Errorf("rotation: %w", err)
	}
	if !d.RotationEnabled {
		return fmt.Errorf("rotation: secret %s does not have rotation enabled", ev.SecretID)
	}
	stages, ok := d.VersionStages[ev.Token]
	if !ok {
		return fmt.Errorf("rotation: secret %s has no version %s with a staging label", ev.SecretID, ev.Token)
	}
	if secrets.HasStage(stages, secrets.StageCurrent) {
		// This rotation already finished (a retried invocation): nothing to do.
		log.Info("version is already AWSCURRENT; nothing to do")
		return nil
	}
	if !secrets.HasStage(stages, secrets.StagePending) {
		return fmt.Errorf("rotation: version %s of secret %s is not AWSPENDING", ev.Token, ev.SecretID)
	}
	switch ev.Step {
	case StepCreate:
		err = r.create(ctx, st, ev, log)
	case StepSet:
		err = r.set(ctx, st, ev, log)
	case StepTest:
		err = r.test(ctx, st, ev, log)
	case StepFinish:
		err = r.finish(ctx, st, ev, d, log)
	default:
		return fmt.Errorf("rotation: unknown step %q", ev.Step)
	}
	if err != nil {
		return fmt.Errorf("rotation %s of %s: %w", ev.Step, ev.SecretID, err)
	}
	return nil
}

// create stores the pending version: the strategy's next user with a new
// password. A pending value already stored for this token is kept, so a retry
// after a lost response does not invent a second password.
func (r *Rotator) create(ctx context.Context, st strategy, ev Event, log *slog.Logger) error {
	cur, err := secrets.Current(ctx, r.Store, ev.SecretID)
	if err != nil {
		return err
	}
	_, err = r.Store.GetValue(ctx, ev.SecretID, ev.Token, secrets.StagePending)
	switch {
	case err == nil:
		log.Info("AWSPENDING value already stored for this token; keeping it")
		return nil
	case !errors.Is(err, secrets.ErrNotFound):
		return err
	}
	next, err := st.next(cur.Username)
	if err != nil {
		return err
	}
	pw, err := st.policy.Generate()
	if err != nil {
		return err
	}
	value, err := cur.WithLogin(next, pw).JSON()
	if err != nil {
		return err
	}
	if err := r.Store.PutValue(ctx, ev.SecretID, ev.Token, value, []string{secrets.StagePending}); err != nil {
		return err
	}
	log.Info("stored AWSPENDING", "from_user", cur.Username, "to_user", next)
	return nil
}

// pending reads the current and pending logins and checks that the pending one
// names the user the strategy rotates to (for alternating users, the other
// user of the pair, so that set never touches the login AWSCURRENT names) with
// a password the service's policy accepts.
func (r *Rotator) pending(ctx context.Context, st strategy, ev Event) (cur, pend secrets.Credentials, err error) {
	cur, err = secrets.Current(ctx, r.Store, ev.SecretID)
	if err != nil {
		return cur, pend, err
	}
	v, err := r.Store.GetValue(ctx, ev.SecretID, ev.Token, secrets.StagePending)
	if err != nil {
		return cur, pend, fmt.Errorf("reading AWSPENDING (did createSecret run?): %w", err)
	}
	pend, err = secrets.ParseCredentials(v.Value)
	if err != nil {
		return cur, pend, fmt.Errorf("AWSPENDING version %s: %w", ev.Token, err)
	}
	want, err := st.next(cur.Username)
	if err != nil {
		return cur, pend, err
	}
	if pend.Username != want {
		return cur, pend, fmt.Errorf("AWSPENDING user %q is not %q (AWSCURRENT user %q, %s rotation); %s", pend.Username, want, cur.Username, st.name, st.refuse)
	}
	if err := st.policy.Check(pend.Password); err != nil {
		return cur, pend, err
	}
	return cur, pend, nil
}

// set makes the pending login work on the service.
func (r *Rotator) set(ctx context.Context, st strategy, ev Event, log *slog.Logger) error {
	cur, pend, err := r.pending(ctx, st, ev)
	if err != nil {
		return err
	}
	return st.set(ctx, cur, pend, log)
}

// test logs in with the pending login.
//
// A pending version without a value is Secrets Manager's configuration test:
// RotateSecret with RotateImmediately false (how the stack enables rotation, so
// that the first rotation comes one period later) reserves an empty AWSPENDING
// version and runs testSecret alone, never createSecret. There is no new login
// to try then, so test checks the current one instead: that proves the function
// is invoked, reads the secret and reaches the service, and changes nothing.
func (r *Rotator) test(ctx context.Context, st strategy, ev Event, log *slog.Logger) error {
	_, err := r.Store.GetValue(ctx, ev.SecretID, ev.Token, secrets.StagePending)
	if errors.Is(err, secrets.ErrNotFound) {
		cur, err := secrets.Current(ctx, r.Store, ev.SecretID)
		if err != nil {
			return err
		}
		if err := st.check(ctx, cur); err != nil {
			return fmt.Errorf("configuration test (no AWSPENDING value), current login: %w", err)
		}
		log.Info("no AWSPENDING value (rotation configuration test); the current login works", "user", cur.Username)
		return nil
	}
	_, pend, err := r.pending(ctx, st, ev)
	if err != nil {
		return err
	}
	if err := st.check(ctx, pend); err != nil {
		return err
	}
	log.Info("pending login works", "user", pend.Username)
	return nil
}

// finish moves AWSCURRENT to the pending version in one call; Secrets Manager
// labels the old version AWSPREVIOUS. It first re-reads the pending login, so
// that an empty or foreign version (a test-only AWSPENDING, say) can never
// become current.
func (r *Rotator) finish(ctx context.Context, st strategy, ev Event, d secrets.Description, log *slog.Logger) error {
	cur := d.CurrentVersion()
	if cur == "" {
		return fmt.Errorf("secret %s has no AWSCURRENT version", ev.SecretID)
	}
	if _, _, err := r.pending(ctx, st, ev); err != nil {
		return fmt.Errorf("refusing to make version %s current: %w", ev.Token, err)
	}
	if err := r.Store.MoveStage(ctx, ev.SecretID, secrets.StageCurrent, ev.Token, cur); err != nil {
		return err
	}
	log.Info(st.finished, "from_version", cur)
	return nil
}
