package integration_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/bootstrap"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rotation"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/service"
)

const (
	adminARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:it-admin-AbCdEf"
	appARN   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:it-app-AbCdEf"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// requireEnv returns the variables or skips the test, saying how to get them.
func requireEnv(t *testing.T, names ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			t.Skipf("%s is not set: run `make opsfn-it` (as root: .ci/services.sh starts the servers and writes build/ci-services.env)", n)
		}
		out[n] = v
	}
	return out
}

// adminFrom returns an Admin func reading the admin secret from store.
func adminFrom(store secrets.Store) func(context.Context) (secrets.Credentials, error) {
	return func(ctx context.Context) (secrets.Credentials, error) { return secrets.Current(ctx, store, adminARN) }
}

func newStore(t *testing.T, adminUser, adminPW, appUser, appPW string) *secretstest.Fake {
	t.Helper()
	store := secretstest.New()
	for arn, c := range map[string][2]string{adminARN: {adminUser, adminPW}, appARN: {appUser, appPW}} {
		v, err := secrets.Credentials{}.WithLogin(c[0], c[1]).JSON()
		require.NoError(t, err)
		store.Create(arn, v)
	}
	return store
}

func current(t *testing.T, store *secretstest.Fake, stage string) secrets.Credentials {
	t.Helper()
	v, ok := store.ValueAt(appARN, stage)
	require.True(t, ok, "no %s version", stage)
	c, err := secrets.ParseCredentials(v)
	require.NoError(t, err)
	return c
}

// runRotation starts a rotation of secret as Secrets Manager does and runs
// the four steps through run.
func runRotation(t *testing.T, store *secretstest.Fake, secret, token string, run func(*rotation.Rotator, rotation.Event) error) {
	t.Helper()
	require.NoError(t, store.StartRotation(secret, token))
	r := &rotation.Rotator{Store: store, Log: quiet}
	for _, step := range []string{rotation.StepCreate, rotation.StepSet, rotation.StepTest, rotation.StepFinish} {
		require.NoError(t, run(r, rotation.Event{SecretID: secret, Token: token, Step: step}), step)
	}
}

func rotate(t *testing.T, store *secretstest.Fake, svc service.Service, token string) {
	t.Helper()
	runRotation(t, store, appARN, token, func(r *rotation.Rotator, ev rotation.Event) error {
		return r.Rotate(context.Background(), svc, ev)
	})
}

func runBootstrap(t *testing.T, store *secretstest.Fake, svc service.Service) {
	t.Helper()
	out, err := bootstrap.Run(context.Background(), store, []bootstrap.Target{{Service: svc, AppSecretID: appARN}}, quiet)
	require.NoError(t, err)
	require.Len(t, out, 1)
}

// Logins are the logins a flow went through, oldest first.
type Logins struct {
	Original, First, Second secrets.Credentials
}

// flow is the scenario every service must pass: bootstrap twice, rotate, the
// new and the previous login both work, bootstrap again (as a later `pulumi up`
// would) without breaking either, rotate again back to the base user, and only
// the oldest login stops working.
func flow(t *testing.T, store *secretstest.Fake, svc service.Service, base string) Logins {
	t.Helper()
	ctx := context.Background()
	runBootstrap(t, store, svc)
	runBootstrap(t, store, svc)
	var l Logins
	l.Original = current(t, store, secrets.StageCurrent)
	require.Equal(t, base, l.Original.Username)
	require.NoError(t, svc.Check(ctx, l.Original), "bootstrap made the app login work")

	rotate(t, store, svc, "rotation-1")
	l.First = current(t, store, secrets.StageCurrent)
	assert.Equal(t, base+secrets.CloneSuffix, l.First.Username)
	assert.Equal(t, l.Original, current(t, store, secrets.StagePrevious))
	require.NoError(t, svc.Check(ctx, l.First), "the new login works")
	require.NoError(t, svc.Check(ctx, l.Original), "the login running nodes still hold works until the next rotation")

	runBootstrap(t, store, svc)
	require.NoError(t, svc.Check(ctx, l.First))
	require.NoError(t, svc.Check(ctx, l.Original), "a bootstrap after a rotation leaves the previous login alone")

	rotate(t, store, svc, "rotation-2")
	l.Second = current(t, store, secrets.StageCurrent)
	assert.Equal(t, base, l.Second.Username, "the second rotation flips back")
	assert.NotEqual(t, l.Original.Password, l.Second.Password)
	assert.Equal(t, l.First, current(t, store, secrets.StagePrevious))
	require.NoError(t, svc.Check(ctx, l.Second))
	require.NoError(t, svc.Check(ctx, l.First), "the first rotation's login works until the third rotation")
	assert.Error(t, svc.Check(ctx, l.Original), "the original password no longer works")
	return l
}

// rotateAdmin runs one in-place rotation of the admin secret at adminARN.
func rotateAdmin(t *testing.T, store *secretstest.Fake, adm rotation.Admin, token string) {
	t.Helper()
	runRotation(t, store, adminARN, token, func(r *rotation.Rotator, ev rotation.Event) error {
		return r.RotateAdmin(context.Background(), adm, ev)
	})
}

// adminFlow is the scenario every admin must pass: two in-place rotations,
// each leaving only the new password working, with the same user, and an app
// user still manageable with the rotated admin secret.
func adminFlow(t *testing.T, store *secretstest.Fake, adm rotation.Admin, svc service.Service) {
	t.Helper()
	ctx := context.Background()
	admin := func(stage string) secrets.Credentials {
		v, ok := store.ValueAt(adminARN, stage)
		require.True(t, ok, "no %s version", stage)
		c, err := secrets.ParseCredentials(v)
		require.NoError(t, err)
		return c
	}
	original := admin(secrets.StageCurrent)
	require.NoError(t, adm.CheckLogin(ctx, original))
	prev := original
	for _, token := range []string{"admin-rotation-1", "admin-rotation-2"} {
		rotateAdmin(t, store, adm, token)
		cur := admin(secrets.StageCurrent)
		assert.Equal(t, original.Username, cur.Username, "the same user")
		assert.Equal(t, prev, admin(secrets.StagePrevious))
		require.NoError(t, adm.CheckLogin(ctx, cur), token)
		assert.Error(t, adm.CheckLogin(ctx, prev), "%s: the previous password no longer works", token)
		prev = cur
	}
	runBootstrap(t, store, svc)
}
