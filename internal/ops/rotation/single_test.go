package rotation_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rotation"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

const adminSecretID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/morpheus-ha/prod/mq-admin-AbCdEf"

// fakeAdmin is one service administrator with a password. ChangePassword can
// fail before or after it changed the password (a lost response).
type fakeAdmin struct {
	user, pw     string
	failCheck    int
	failChange   int
	changeLost   bool
	changes      int
	changedAsPwd []string
}

func (a *fakeAdmin) Name() string            { return "fakeadmin" }
func (a *fakeAdmin) Policy() password.Policy { return password.RabbitMQ }

func (a *fakeAdmin) CheckLogin(_ context.Context, c secrets.Credentials) error {
	if a.failCheck > 0 {
		a.failCheck--
		return errors.New("connection reset")
	}
	if c.Username != a.user || c.Password != a.pw {
		return fmt.Errorf("login failed for %s", c.Username)
	}
	return nil
}

func (a *fakeAdmin) ChangePassword(_ context.Context, cur secrets.Credentials, pw string) error {
	if cur.Username != a.user || cur.Password != a.pw {
		return fmt.Errorf("login failed for %s", cur.Username)
	}
	if a.failChange > 0 {
		a.failChange--
		if a.changeLost {
			a.pw = pw
			a.changes++
		}
		return errors.New("gateway timeout")
	}
	a.changedAsPwd = append(a.changedAsPwd, cur.Password)
	a.pw = pw
	a.changes++
	return nil
}

type adminFixture struct {
	store *secretstest.Fake
	adm   *fakeAdmin
	r     *rotation.Rotator
	logs  *bytes.Buffer
}

func newAdminFixture(t *testing.T) *adminFixture {
	t.Helper()
	f := secretstest.New()
	f.Create(adminSecretID, `{"username":"morpheusadmin","password":"Initial-admin-0"}`)
	logs := &bytes.Buffer{}
	return &adminFixture{
		store: f,
		adm:   &fakeAdmin{user: "morpheusadmin", pw: "Initial-admin-0"},
		r:     &rotation.Rotator{Store: f, Log: slog.New(slog.NewJSONHandler(logs, nil))},
		logs:  logs,
	}
}

func (x *adminFixture) step(step, token string) error {
	return x.r.RotateAdmin(context.Background(), x.adm, rotation.Event{SecretID: adminSecretID, Token: token, Step: step})
}

func (x *adminFixture) creds(t *testing.T, stage string) secrets.Credentials {
	t.Helper()
	v, ok := x.store.ValueAt(adminSecretID, stage)
	require.True(t, ok, "no value at %s", stage)
	c, err := secrets.ParseCredentials(v)
	require.NoError(t, err)
	return c
}

var allSteps = []string{rotation.StepCreate, rotation.StepSet, rotation.StepTest, rotation.StepFinish}

// TestAdminRotationSteps: the single-user steps from a fresh run, with steps
// retried, after lost responses and when nothing logs in. Whatever happens,
// AWSCURRENT only moves in finishSecret, to a password that logs in.
func TestAdminRotationSteps(t *testing.T) {
	cases := []struct {
		name string
		// before runs between createSecret and setSecret.
		before func(x *adminFixture)
		// repeat runs every step this many times.
		repeat int
		// setErr, when set, is setSecret's first error; the run then retries.
		setErr string
		// changes is how many password changes the service saw.
		changes int
	}{
		{name: "fresh run", repeat: 1, changes: 1},
		{name: "every step retried", repeat: 2, changes: 1},
		{
			name: "pending already set (a retry after a lost response)", repeat: 1, changes: 1,
			before: func(x *adminFixture) {
				x.adm.failChange, x.adm.changeLost = 1, true
			},
			setErr: "gateway timeout",
		},
		{
			name: "change fails before it happened", repeat: 1, changes: 1,
			before: func(x *adminFixture) { x.adm.failChange = 1 },
			setErr: "gateway timeout",
		},
		{
			name: "neither password logs in", repeat: 1, changes: 1,
			before: func(x *adminFixture) { x.adm.pw = "Changed-by-hand-9" },
			setErr: "neither the pending nor the current password of morpheusadmin logs in",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := newAdminFixture(t)
			ctx := context.Background()
			original := x.creds(t, secrets.StageCurrent)
			require.NoError(t, x.store.StartRotation(adminSecretID, "t1"))
			for i := 0; i < tc.repeat; i++ {
				require.NoError(t, x.step(rotation.StepCreate, "t1"))
			}
			pend := x.creds(t, secrets.StagePending)
			assert.Equal(t, "morpheusadmin", pend.Username, "the same user")
			assert.NoError(t, password.RabbitMQ.Check(pend.Password), "the service's password rule")
			assert.NotEqual(t, original.Password, pend.Password)

			if tc.before != nil {
				tc.before(x)
			}
			stages := x.store.Stages(adminSecretID)
			if tc.setErr != "" {
				err := x.step(rotation.StepSet, "t1")
				require.ErrorContains(t, err, tc.setErr)
				assert.NotContains(t, err.Error(), pend.Password)
				assert.NotContains(t, err.Error(), original.Password)
				assert.Equal(t, stages, x.store.Stages(adminSecretID), "a failed setSecret moves no label")
				if x.adm.pw == "Changed-by-hand-9" {
					assert.Equal(t, 0, x.adm.changes, "nothing is changed when nothing logs in")
					// Someone restores the password the secret names.
					x.adm.pw = original.Password
				}
			}
			for _, s := range allSteps[1:] {
				for i := 0; i < tc.repeat; i++ {
					require.NoError(t, x.step(s, "t1"), s)
				}
			}
			assert.Equal(t, tc.changes, x.adm.changes, "the password changed exactly once")
			cur := x.creds(t, secrets.StageCurrent)
			assert.Equal(t, pend, cur)
			assert.Equal(t, original, x.creds(t, secrets.StagePrevious))
			assert.NoError(t, x.adm.CheckLogin(ctx, cur))
			assert.Error(t, x.adm.CheckLogin(ctx, original), "the old password no longer works")
			for _, pw := range x.adm.changedAsPwd {
				assert.Equal(t, original.Password, pw, "the change authenticates with the current password")
			}
			assert.NotContains(t, x.logs.String(), pend.Password, "no password is logged")
			assert.NotContains(t, x.logs.String(), original.Password, "no password is logged")
		})
	}
}

// TestAdminRotationIsNoMorpheusLoginRotation: an admin rotation's finish
// logs AdminFinishedMessage, never FinishedMessage, which the stack's metric
// filter counts as a finished rotation the nodes must pick up; a Morpheus
// login's rotation does log it.
func TestAdminRotationIsNoMorpheusLoginRotation(t *testing.T) {
	require.NotContains(t, rotation.AdminFinishedMessage, rotation.FinishedMessage)

	x := newAdminFixture(t)
	require.NoError(t, x.store.StartRotation(adminSecretID, "t1"))
	for _, s := range allSteps {
		require.NoError(t, x.step(s, "t1"), s)
	}
	assert.NotContains(t, x.logs.String(), rotation.FinishedMessage, "the overdue node refresh filter matches the term anywhere in a line")
	assert.Contains(t, x.logs.String(), rotation.AdminFinishedMessage)
	assert.Contains(t, x.logs.String(), `"strategy":"single-user"`)

	app := newFixture(t)
	var logs bytes.Buffer
	app.r.Log = slog.New(slog.NewJSONHandler(&logs, nil))
	app.rotateAll(t, "t1")
	assert.Equal(t, 1, strings.Count(logs.String(), rotation.FinishedMessage), "one finished Morpheus login rotation")
	assert.Contains(t, logs.String(), `"strategy":"alternating-users"`)
}

// TestAdminConfigurationTestChecksTheCurrentLogin: the empty AWSPENDING of
// RotateSecret with RotateImmediately false checks the current password and
// changes nothing.
func TestAdminConfigurationTestChecksTheCurrentLogin(t *testing.T) {
	x := newAdminFixture(t)
	require.NoError(t, x.store.StartRotation(adminSecretID, "probe"))
	before := x.store.Stages(adminSecretID)
	require.NoError(t, x.step(rotation.StepTest, "probe"))
	assert.Equal(t, before, x.store.Stages(adminSecretID))
	assert.Equal(t, 0, x.adm.changes)

	x.adm.pw = "Changed-by-hand-9"
	require.ErrorContains(t, x.step(rotation.StepTest, "probe"), "configuration test")
	assert.Equal(t, before, x.store.Stages(adminSecretID))
}

func TestAdminRotationRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("pending names another user", func(t *testing.T) {
		x := newAdminFixture(t)
		require.NoError(t, x.store.StartRotation(adminSecretID, "t1"))
		require.NoError(t, x.store.PutValue(ctx, adminSecretID, "t1", `{"username":"morpheusadmin_clone","password":"Aa1-aaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`, []string{secrets.StagePending}))
		for _, s := range []string{rotation.StepSet, rotation.StepTest, rotation.StepFinish} {
			assert.ErrorContains(t, x.step(s, "t1"), "only changes the current user's password", s)
		}
		assert.Equal(t, 0, x.adm.changes)
		assert.Equal(t, "Initial-admin-0", x.creds(t, secrets.StageCurrent).Password)
	})
	t.Run("pending password breaks the policy", func(t *testing.T) {
		x := newAdminFixture(t)
		require.NoError(t, x.store.StartRotation(adminSecretID, "t1"))
		require.NoError(t, x.store.PutValue(ctx, adminSecretID, "t1", `{"username":"morpheusadmin","password":"Aa1-a:aaaaaaaaaaaaaaaaaaaaaaaaaaa"}`, []string{secrets.StagePending}))
		assert.ErrorContains(t, x.step(rotation.StepSet, "t1"), "rabbitmq password")
		assert.Equal(t, 0, x.adm.changes)
	})
	t.Run("testSecret before setSecret", func(t *testing.T) {
		x := newAdminFixture(t)
		require.NoError(t, x.store.StartRotation(adminSecretID, "t1"))
		require.NoError(t, x.step(rotation.StepCreate, "t1"))
		require.ErrorContains(t, x.step(rotation.StepTest, "t1"), "login failed")
		assert.Equal(t, "Initial-admin-0", x.adm.pw)
	})
	t.Run("finish refuses an empty pending version", func(t *testing.T) {
		x := newAdminFixture(t)
		require.NoError(t, x.store.StartRotation(adminSecretID, "t1"))
		require.ErrorContains(t, x.step(rotation.StepFinish, "t1"), "refusing to make version t1 current")
		assert.Equal(t, "Initial-admin-0", x.creds(t, secrets.StageCurrent).Password)
	})
}
