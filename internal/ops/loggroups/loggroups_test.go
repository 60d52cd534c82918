package loggroups_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/loggroups"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/loggroups/loggroupstest"
)

const (
	group = "/aws/amazonmq/broker/b-1234/general"
	key   = "arn:aws:kms:eu-west-1:123456789012:key/logs"
)

var settings = loggroups.Settings{RetentionDays: 90, KMSKeyARN: key}

func TestExistingGroupGetsKeyAndRetention(t *testing.T) {
	f := loggroupstest.New()
	f.Put(group)
	for range 2 {
		created, err := loggroups.Ensure(context.Background(), f, group, settings)
		require.NoError(t, err)
		assert.False(t, created)
	}
	g, _ := f.Get(group)
	assert.Equal(t, loggroupstest.Group{KMSKeyID: key, RetentionDays: 90}, g)
	assert.NotContains(t, f.Calls(), "CreateLogGroup", "an existing group is never re-created")
}

func TestMissingGroupIsCreatedWithTheKey(t *testing.T) {
	f := loggroupstest.New()
	created, err := loggroups.Ensure(context.Background(), f, group, settings)
	require.NoError(t, err)
	assert.True(t, created)
	g, ok := f.Get(group)
	require.True(t, ok)
	assert.Equal(t, loggroupstest.Group{KMSKeyID: key, RetentionDays: 90}, g)
	assert.Equal(t, []string{"AssociateKmsKey", "CreateLogGroup", "PutRetentionPolicy"}, f.Calls())

	created, err = loggroups.Ensure(context.Background(), f, group, settings)
	require.NoError(t, err)
	assert.False(t, created, "the second run finds it")
}

func TestGroupCreatedByTheServiceMeanwhile(t *testing.T) {
	f := loggroupstest.New()
	f.CreateRace = true
	created, err := loggroups.Ensure(context.Background(), f, group, settings)
	require.NoError(t, err)
	assert.False(t, created)
	g, _ := f.Get(group)
	assert.Equal(t, loggroupstest.Group{KMSKeyID: key, RetentionDays: 90}, g, "the key is associated with the service's group")
}

func TestAPIErrorsSurface(t *testing.T) {
	f := loggroupstest.New()
	f.Put(group)
	f.Err = errors.New("AccessDeniedException: not authorized to perform logs:AssociateKmsKey")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	out, err := loggroups.EnsureAll(context.Background(), f, []string{group, "/other"}, settings, quiet)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "log group "+group+": associating the logs key: AccessDeniedException")
	assert.Contains(t, err.Error(), "log group /other:", "one failing group does not stop the others")
	require.Len(t, out, 2)
	assert.Contains(t, out[0].Error, "AccessDeniedException")
	g, _ := f.Get(group)
	assert.Equal(t, loggroupstest.Group{}, g)
}
