package secretstest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets/secretstest"
)

// The rotation tests trust the fake to move labels like Secrets Manager; these
// tests pin down those rules.
func TestFakeStagesFollowSecretsManagerRules(t *testing.T) {
	ctx := context.Background()
	f := secretstest.New()
	f.Create("s", "one")
	require.NoError(t, f.StartRotation("s", "t2"))
	assert.Equal(t, map[string][]string{"v1-s": {"AWSCURRENT"}, "t2": {"AWSPENDING"}}, f.Stages("s"))

	_, err := f.GetValue(ctx, "s", "t2", secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "a reserved version has no value yet")

	require.NoError(t, f.PutValue(ctx, "s", "t2", "two", []string{secrets.StagePending}))
	require.NoError(t, f.PutValue(ctx, "s", "t2", "two", []string{secrets.StagePending}), "same token and value is idempotent")
	assert.Error(t, f.PutValue(ctx, "s", "t2", "other", []string{secrets.StagePending}), "same token, other value is refused")

	assert.Error(t, f.StartRotation("s", "t3"), "AWSPENDING on a non-current version blocks a new rotation")
	require.NoError(t, f.StartRotation("s", "t2"), "the same token may start again")

	assert.Error(t, f.MoveStage(ctx, "s", secrets.StageCurrent, "t2", "t2"), "RemoveFromVersionId must hold the label")
	require.NoError(t, f.MoveStage(ctx, "s", secrets.StageCurrent, "t2", "v1-s"))
	assert.Equal(t, map[string][]string{"v1-s": {"AWSPREVIOUS"}, "t2": {"AWSCURRENT", "AWSPENDING"}}, f.Stages("s"))

	require.NoError(t, f.StartRotation("s", "t3"), "AWSPENDING on the current version does not block")
	assert.Equal(t, map[string][]string{"v1-s": {"AWSPREVIOUS"}, "t2": {"AWSCURRENT"}, "t3": {"AWSPENDING"}}, f.Stages("s"))
	require.NoError(t, f.PutValue(ctx, "s", "t3", "three", []string{secrets.StagePending}))
	require.NoError(t, f.MoveStage(ctx, "s", secrets.StageCurrent, "t3", "t2"))
	assert.Equal(t, map[string][]string{"t2": {"AWSPREVIOUS"}, "t3": {"AWSCURRENT", "AWSPENDING"}}, f.Stages("s"), "the oldest version loses its last label")
	v, ok := f.ValueAt("s", secrets.StageCurrent)
	assert.True(t, ok)
	assert.Equal(t, "three", v)
}

func TestFakeFailNextQueues(t *testing.T) {
	ctx := context.Background()
	f := secretstest.New()
	f.Create("s", "one")
	f.FailNext(secretstest.OpDescribe, nil)
	f.FailNext(secretstest.OpDescribe, nil)
	_, err := f.Describe(ctx, "s")
	assert.ErrorIs(t, err, secretstest.ErrInjected)
	_, err = f.Describe(ctx, "s")
	assert.ErrorIs(t, err, secretstest.ErrInjected)
	_, err = f.Describe(ctx, "s")
	assert.NoError(t, err)
	assert.Equal(t, []string{"Describe", "Describe", "Describe"}, f.Calls())
}
