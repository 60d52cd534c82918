package rotation_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rotation"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

const secretID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:morpheus-db-AbCdEf"

// fakeService is a data service with a user table. Ensure can fail after
// changing the password (a half-done setSecret), Check can fail outright.
type fakeService struct {
	users       map[string]string
	failEnsure  int
	failCheck   int
	ensureCalls []string
}

func (s *fakeService) Name() string            { return "fake" }
func (s *fakeService) Policy() password.Policy { return password.MySQL }

func (s *fakeService) Ensure(_ context.Context, app secrets.Credentials) error {
	s.ensureCalls = append(s.ensureCalls, app.Username)
	s.users[app.Username] = app.Password
	if s.failEnsure > 0 {
		s.failEnsure--
		return errors.New("grant failed after the password changed")
	}
	return nil
}

func (s *fakeService) Check(_ context.Context, app secrets.Credentials) error {
	if s.failCheck > 0 {
		s.failCheck--
		return errors.New("connection reset")
	}
	if pw, ok := s.users[app.Username]; !ok || pw != app.Password {
		return fmt.Errorf("access denied for %s", app.Username)
	}
	return nil
}

type fixture struct {
	store *secretstest.Fake
	svc   *fakeService
	r     *rotation.Rotator
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := secretstest.New()
	f.Create(secretID, `{"username":"morpheus","password":"Initial-pw-0","engine":"mysql"}`)
	return &fixture{
		store: f,
		svc:   &fakeService{users: map[string]string{"morpheus": "Initial-pw-0"}},
		r:     &rotation.Rotator{Store: f, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
	}
}

func (x *fixture) step(step, token string) error {
	return x.r.Rotate(context.Background(), x.svc, rotation.Event{SecretID: secretID, Token: token, Step: step})
}

func (x *fixture) rotateAll(t *testing.T, token string) {
	t.Helper()
	require.NoError(t, x.store.StartRotation(secretID, token))
	for _, s := range []string{rotation.StepCreate, rotation.StepSet, rotation.StepTest, rotation.StepFinish} {
		require.NoError(t, x.step(s, token), s)
	}
}

func (x *fixture) creds(t *testing.T, stage string) secrets.Credentials {
	t.Helper()
	v, ok := x.store.ValueAt(secretID, stage)
	require.True(t, ok, "no value at %s", stage)
	c, err := secrets.ParseCredentials(v)
	require.NoError(t, err)
	return c
}

// assertConsistent checks what must hold after any failure: one AWSCURRENT
// version whose login works on the service, at most one AWSPENDING.
func (x *fixture) assertConsistent(t *testing.T) {
	t.Helper()
	var current, pending int
	for _, stages := range x.store.Stages(secretID) {
		if slices.Contains(stages, secrets.StageCurrent) {
			current++
		}
		if slices.Contains(stages, secrets.StagePending) {
			pending++
		}
	}
	assert.Equal(t, 1, current, "exactly one AWSCURRENT")
	assert.LessOrEqual(t, pending, 1, "at most one AWSPENDING")
	assert.NoError(t, x.svc.Check(context.Background(), x.creds(t, secrets.StageCurrent)), "AWSCURRENT must log in")
}

func TestTwoRotationsAlternateUsersAndKeepThePreviousLoginValid(t *testing.T) {
	x := newFixture(t)
	ctx := context.Background()

	x.rotateAll(t, "t1")
	cur := x.creds(t, secrets.StageCurrent)
	prev := x.creds(t, secrets.StagePrevious)
	assert.Equal(t, "morpheus_clone", cur.Username)
	assert.NoError(t, password.MySQL.Check(cur.Password))
	assert.Equal(t, "morpheus", prev.Username)
	assert.Equal(t, "Initial-pw-0", prev.Password)
	assert.NoError(t, x.svc.Check(ctx, cur), "the new login works")
	assert.NoError(t, x.svc.Check(ctx, prev), "the login running nodes hold still works")
	assert.Equal(t, map[string][]string{"v1-" + secretID: {"AWSPREVIOUS"}, "t1": {"AWSCURRENT", "AWSPENDING"}}, x.store.Stages(secretID))
	out, _ := x.store.ValueAt(secretID, secrets.StageCurrent)
	assert.Contains(t, out, `"engine":"mysql"`, "other keys survive rotation")

	x.rotateAll(t, "t2")
	cur2 := x.creds(t, secrets.StageCurrent)
	prev2 := x.creds(t, secrets.StagePrevious)
	assert.Equal(t, "morpheus", cur2.Username, "the second rotation flips back")
	assert.NotEqual(t, "Initial-pw-0", cur2.Password)
	assert.Equal(t, cur, prev2)
	assert.NoError(t, x.svc.Check(ctx, cur2))
	assert.NoError(t, x.svc.Check(ctx, prev2), "the first rotation's login works until the next rotation")
	assert.Error(t, x.svc.Check(ctx, prev), "the oldest login is gone")
	assert.Equal(t, []string{"morpheus_clone", "morpheus"}, x.svc.ensureCalls, "setSecret only ever touches the pending user")
}

func TestEveryStepIsIdempotent(t *testing.T) {
	x := newFixture(t)
	require.NoError(t, x.store.StartRotation(secretID, "t1"))
	for _, s := range []string{rotation.StepCreate, rotation.StepCreate} {
		require.NoError(t, x.step(s, "t1"))
	}
	pending := x.creds(t, secrets.StagePending)
	puts := 0
	for _, c := range x.store.Calls() {
		if c == secretstest.OpPutValue {
			puts++
		}
	}
	assert.Equal(t, 1, puts, "createSecret reuses the AWSPENDING value stored for the same token")
	for _, s := range []string{rotation.StepSet, rotation.StepSet, rotation.StepTest, rotation.StepTest, rotation.StepFinish, rotation.StepFinish} {
		require.NoError(t, x.step(s, "t1"), s)
	}
	assert.Equal(t, pending, x.creds(t, secrets.StageCurrent))
	// A late duplicate of any step after finishing changes nothing.
	before := x.store.Stages(secretID)
	for _, s := range []string{rotation.StepCreate, rotation.StepSet, rotation.StepTest, rotation.StepFinish} {
		require.NoError(t, x.step(s, "t1"), s)
	}
	assert.Equal(t, before, x.store.Stages(secretID))
	x.assertConsistent(t)
}

func TestStoreFailuresLeaveStagesConsistentAndRetrySucceeds(t *testing.T) {
	cases := []struct {
		name string
		step string
		op   string
		skip int // successful calls of op before the failure, within the step
	}{
		{"create: describe", rotation.StepCreate, secretstest.OpDescribe, 0},
		{"create: read current", rotation.StepCreate, secretstest.OpGetValue, 0},
		{"create: read pending", rotation.StepCreate, secretstest.OpGetValue, 1},
		{"create: store pending", rotation.StepCreate, secretstest.OpPutValue, 0},
		{"set: describe", rotation.StepSet, secretstest.OpDescribe, 0},
		{"set: read current", rotation.StepSet, secretstest.OpGetValue, 0},
		{"set: read pending", rotation.StepSet, secretstest.OpGetValue, 1},
		{"test: read pending", rotation.StepTest, secretstest.OpGetValue, 1},
		{"finish: describe", rotation.StepFinish, secretstest.OpDescribe, 0},
		{"finish: move AWSCURRENT", rotation.StepFinish, secretstest.OpMoveStage, 0},
	}
	steps := []string{rotation.StepCreate, rotation.StepSet, rotation.StepTest, rotation.StepFinish}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := newFixture(t)
			require.NoError(t, x.store.StartRotation(secretID, "t1"))
			for _, s := range steps {
				if s == tc.step {
					break
				}
				require.NoError(t, x.step(s, "t1"))
			}
			before := x.store.Stages(secretID)
			pendingBefore, hadPending := x.store.ValueAt(secretID, secrets.StagePending)
			// Let tc.skip calls of tc.op through, then fail the next one.
			x.failAfter(tc.op, tc.skip)
			err := x.step(tc.step, "t1")
			require.Error(t, err)
			assert.ErrorIs(t, err, secretstest.ErrInjected)
			assert.Equal(t, before, x.store.Stages(secretID), "a failed step moves no label")
			pendingAfter, hasPending := x.store.ValueAt(secretID, secrets.StagePending)
			assert.Equal(t, hadPending, hasPending)
			assert.Equal(t, pendingBefore, pendingAfter)
			x.assertConsistent(t)

			// Secrets Manager retries the failed step, then carries on.
			started := false
			for _, s := range steps {
				started = started || s == tc.step
				if started {
					require.NoError(t, x.step(s, "t1"), s)
				}
			}
			assert.Equal(t, "morpheus_clone", x.creds(t, secrets.StageCurrent).Username)
			x.assertConsistent(t)
			assert.NoError(t, x.svc.Check(context.Background(), x.creds(t, secrets.StagePrevious)))
		})
	}
}

// failAfter makes the (skip+1)-th next call of op fail. The fake only queues
// failures for the very next calls, so a proxy store counts calls.
func (x *fixture) failAfter(op string, skip int) {
	x.r.Store = &countingStore{Fake: x.store, op: op, skip: skip}
}

type countingStore struct {
	*secretstest.Fake
	op   string
	skip int
	done bool
}

func (c *countingStore) hit(op string) error {
	if c.done || op != c.op {
		return nil
	}
	if c.skip > 0 {
		c.skip--
		return nil
	}
	c.done = true
	return secretstest.ErrInjected
}

func (c *countingStore) Describe(ctx context.Context, id string) (secrets.Description, error) {
	if err := c.hit(secretstest.OpDescribe); err != nil {
		return secrets.Description{}, err
	}
	return c.Fake.Describe(ctx, id)
}

func (c *countingStore) GetValue(ctx context.Context, id, v, s string) (secrets.Version, error) {
	if err := c.hit(secretstest.OpGetValue); err != nil {
		return secrets.Version{}, err
	}
	return c.Fake.GetValue(ctx, id, v, s)
}

func (c *countingStore) PutValue(ctx context.Context, id, v, val string, st []string) error {
	if err := c.hit(secretstest.OpPutValue); err != nil {
		return err
	}
	return c.Fake.PutValue(ctx, id, v, val, st)
}

func (c *countingStore) MoveStage(ctx context.Context, id, st, to, from string) error {
	if err := c.hit(secretstest.OpMoveStage); err != nil {
		return err
	}
	return c.Fake.MoveStage(ctx, id, st, to, from)
}

func TestServiceFailuresLeaveStagesConsistentAndRetrySucceeds(t *testing.T) {
	t.Run("setSecret half done", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		require.NoError(t, x.step(rotation.StepCreate, "t1"))
		before := x.store.Stages(secretID)
		x.svc.failEnsure = 1
		require.Error(t, x.step(rotation.StepSet, "t1"))
		assert.Equal(t, before, x.store.Stages(secretID))
		x.assertConsistent(t)
		require.NoError(t, x.step(rotation.StepSet, "t1"))
		require.NoError(t, x.step(rotation.StepTest, "t1"))
		require.NoError(t, x.step(rotation.StepFinish, "t1"))
		x.assertConsistent(t)
	})
	t.Run("testSecret cannot log in", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		require.NoError(t, x.step(rotation.StepCreate, "t1"))
		require.NoError(t, x.step(rotation.StepSet, "t1"))
		before := x.store.Stages(secretID)
		x.svc.failCheck = 1
		require.ErrorContains(t, x.step(rotation.StepTest, "t1"), "connection reset")
		assert.Equal(t, before, x.store.Stages(secretID))
		x.assertConsistent(t)
		require.NoError(t, x.step(rotation.StepTest, "t1"))
		require.NoError(t, x.step(rotation.StepFinish, "t1"))
		x.assertConsistent(t)
	})
	t.Run("testSecret before setSecret", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		require.NoError(t, x.step(rotation.StepCreate, "t1"))
		require.ErrorContains(t, x.step(rotation.StepTest, "t1"), "access denied for morpheus_clone")
		x.assertConsistent(t)
	})
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("rotation disabled", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		x.store.SetRotationEnabled(secretID, false)
		assert.ErrorContains(t, x.step(rotation.StepCreate, "t1"), "rotation enabled")
	})
	t.Run("unknown token", func(t *testing.T) {
		x := newFixture(t)
		assert.ErrorContains(t, x.step(rotation.StepCreate, "nope"), "no version nope")
	})
	t.Run("token not pending", func(t *testing.T) {
		x := newFixture(t)
		x.rotateAll(t, "t1")
		x.rotateAll(t, "t2")
		// v1 now has no label, t1 is AWSPREVIOUS only.
		assert.ErrorContains(t, x.step(rotation.StepSet, "t1"), "is not AWSPENDING")
	})
	t.Run("unknown step", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		assert.ErrorContains(t, x.step("explodeSecret", "t1"), `unknown step "explodeSecret"`)
	})
	t.Run("missing ids", func(t *testing.T) {
		x := newFixture(t)
		assert.Error(t, x.r.Rotate(ctx, x.svc, rotation.Event{Step: rotation.StepCreate}))
	})
	t.Run("setSecret before createSecret", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		assert.ErrorContains(t, x.step(rotation.StepSet, "t1"), "did createSecret run?")
		assert.Empty(t, x.svc.ensureCalls)
	})
	t.Run("pending names the current user", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		require.NoError(t, x.store.PutValue(ctx, secretID, "t1", `{"username":"morpheus","password":"Aa1-aaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`, []string{secrets.StagePending}))
		assert.ErrorContains(t, x.step(rotation.StepSet, "t1"), "could lock out running nodes")
		assert.Empty(t, x.svc.ensureCalls, "the current user's password is never touched")
		x.assertConsistent(t)
	})
	t.Run("pending password breaks the policy", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		require.NoError(t, x.store.PutValue(ctx, secretID, "t1", `{"username":"morpheus_clone","password":"short@"}`, []string{secrets.StagePending}))
		assert.ErrorContains(t, x.step(rotation.StepSet, "t1"), "mysql password")
		assert.Empty(t, x.svc.ensureCalls)
	})
	t.Run("current secret unreadable", func(t *testing.T) {
		x := newFixture(t)
		x.store.Create(secretID, `not json`)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		assert.ErrorContains(t, x.step(rotation.StepCreate, "t1"), "not a JSON object")
		_, has := x.store.ValueAt(secretID, secrets.StagePending)
		assert.False(t, has)
	})
	t.Run("clone name too long", func(t *testing.T) {
		x := newFixture(t)
		x.store.Create(secretID, `{"username":"a234567890123456789012345678","password":"x"}`)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		assert.ErrorContains(t, x.step(rotation.StepCreate, "t1"), "too long")
		_, has := x.store.ValueAt(secretID, secrets.StagePending)
		assert.False(t, has)
	})
	t.Run("no AWSCURRENT at finish", func(t *testing.T) {
		x := newFixture(t)
		require.NoError(t, x.store.StartRotation(secretID, "t1"))
		require.NoError(t, x.step(rotation.StepCreate, "t1"))
		require.NoError(t, x.store.MoveStage(ctx, secretID, secrets.StageCurrent, "", "v1-"+secretID))
		assert.ErrorContains(t, x.step(rotation.StepFinish, "t1"), "no AWSCURRENT")
	})
}

// TestConfigurationTestChecksTheCurrentLogin: RotateSecret with
// RotateImmediately false runs testSecret alone on an empty AWSPENDING version.
// The step must pass when the current login works, fail when it does not, and
// change nothing either way.
func TestConfigurationTestChecksTheCurrentLogin(t *testing.T) {
	x := newFixture(t)
	require.NoError(t, x.store.StartRotation(secretID, "probe"))
	before := x.store.Stages(secretID)

	require.NoError(t, x.step(rotation.StepTest, "probe"))
	assert.Equal(t, before, x.store.Stages(secretID), "no label moved")
	assert.Empty(t, x.svc.ensureCalls, "no user touched")
	_, pendingValue := x.store.ValueAt(secretID, secrets.StagePending)
	assert.False(t, pendingValue, "no value stored")

	x.svc.failCheck = 1
	err := x.step(rotation.StepTest, "probe")
	require.Error(t, err)
	assert.ErrorContains(t, err, "configuration test")
	x.assertConsistent(t)
}

// TestFinishRefusesAnEmptyPendingVersion: finishSecret never makes a version
// current that createSecret did not fill, whatever called it.
func TestFinishRefusesAnEmptyPendingVersion(t *testing.T) {
	x := newFixture(t)
	require.NoError(t, x.store.StartRotation(secretID, "t1"))
	err := x.step(rotation.StepFinish, "t1")
	require.Error(t, err)
	assert.ErrorContains(t, err, "refusing to make version t1 current")
	x.assertConsistent(t)
	assert.Equal(t, "morpheus", x.creds(t, secrets.StageCurrent).Username)
}

// TestSetSecretRetriesEnsure: with a retry policy, a failing Ensure is
// retried within the step (it is idempotent) and the rotation goes on.
func TestSetSecretRetriesEnsure(t *testing.T) {
	x := newFixture(t)
	var waits []time.Duration
	x.r.Retry = retry.Policy{Attempts: 3, Base: time.Second, Sleep: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	require.NoError(t, x.store.StartRotation(secretID, "t1"))
	require.NoError(t, x.step(rotation.StepCreate, "t1"))
	x.svc.failEnsure = 2
	require.NoError(t, x.step(rotation.StepSet, "t1"))
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, waits)
	assert.Equal(t, []string{"morpheus_clone", "morpheus_clone", "morpheus_clone"}, x.svc.ensureCalls)

	x.svc.failEnsure = 3
	assert.ErrorContains(t, x.step(rotation.StepSet, "t1"), "gave up after 3 attempts")
}
