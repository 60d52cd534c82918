package integration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// memObjects keeps the objects the export writes.
type memObjects struct{ puts []*s3.PutObjectInput }

func (m *memObjects) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	body, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	in.Body = bytes.NewReader(body)
	m.puts = append(m.puts, in)
	return &s3.PutObjectOutput{VersionId: aws.String("v1")}, nil
}

// definitionsEnv is a real broker bootstrapped for Morpheus' user
// morpheus_it, and a handler whose targets are the broker, a snapshots
// section and restore, exporting to memory.
type definitionsEnv struct {
	rabbitEnv
	client  *rabbitops.Client
	svc     *rabbitops.Service
	app     secrets.Credentials
	h       *handler.Handler
	objects *memObjects
	logs    *strings.Builder
}

// newDefinitionsEnv drops morpheus_it, its clone and users at the start and
// the end of the test, then bootstraps morpheus_it.
func newDefinitionsEnv(t *testing.T, restore *targets.Restore, users ...string) definitionsEnv {
	t.Helper()
	e := definitionsEnv{rabbitEnv: newRabbit(t), objects: &memObjects{}, logs: &strings.Builder{}}
	e.reset(t, append([]string{"morpheus_it", "morpheus_it_clone"}, users...)...)
	var err error
	e.client, err = rabbitops.New(e.url, nil)
	require.NoError(t, err)
	pw, err := password.RabbitMQ.Generate()
	require.NoError(t, err)
	e.app = secrets.Credentials{Username: "morpheus_it", Password: pw}
	store := newStore(t, e.user, e.pw, e.app.Username, pw)
	e.svc = &rabbitops.Service{Client: e.client, VHost: itVHost, Admin: adminFrom(store)}
	require.NoError(t, e.svc.Ensure(context.Background(), e.app))

	tg := targets.Targets{
		RabbitMQ: &targets.RabbitMQ{ManagementURL: "https://broker.invalid", VHost: itVHost, AdminSecretARN: adminARN, AppSecretARN: appARN},
		Snapshots: &targets.Snapshots{
			Bucket: "it-snapshots", Region: "eu-west-1",
			RoleARN:         "arn:aws:iam::123456789012:role/it-snapshots",
			FunctionRoleARN: "arn:aws:iam::123456789012:role/it-ops",
			KMSKeyARN:       "arn:aws:kms:eu-west-1:123456789012:key/it",
		},
		Restore: restore,
	}
	require.NoError(t, tg.Normalize())
	// The broker under test may be plain http: Normalize insists on https for
	// real targets, so the URL is swapped in after validation.
	tg.RabbitMQ.ManagementURL = e.url
	e.h = handler.New(handler.Config{
		Store: store, Targets: tg, Objects: e.objects, Log: slog.New(slog.NewJSONHandler(e.logs, nil)),
		Now: func() time.Time { return time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC) },
	})
	return e
}

// TestRabbitMQDefinitionsExport exports a real broker's definitions after a
// bootstrap: the vhost and Morpheus' user are in it, with a password hash and
// never the password, and the log holds neither.
func TestRabbitMQDefinitionsExport(t *testing.T) {
	e := newDefinitionsEnv(t, nil)
	h, objects, logs, pw := e.h, e.objects, e.logs, e.app.Password
	out, err := h.Handle(context.Background(), json.RawMessage(`{"action":"exportDefinitions"}`))
	require.NoError(t, err)
	assert.Equal(t, "rabbitmq/definitions-2026-12-07.json", out.(handler.ExportResult).Key)
	require.Len(t, objects.puts, 1)
	body, err := io.ReadAll(objects.puts[0].Body)
	require.NoError(t, err)

	var defs struct {
		Vhosts []struct{ Name string } `json:"vhosts"`
		Users  []struct {
			Name         string `json:"name"`
			PasswordHash string `json:"password_hash"`
		} `json:"users"`
		Permissions []struct{ User, Vhost string } `json:"permissions"`
	}
	require.NoError(t, json.Unmarshal(body, &defs))
	var vhosts, users []string
	for _, v := range defs.Vhosts {
		vhosts = append(vhosts, v.Name)
	}
	for _, u := range defs.Users {
		users = append(users, u.Name)
		if u.Name == "morpheus_it" {
			assert.NotEmpty(t, u.PasswordHash)
			assert.NotContains(t, logs.String(), u.PasswordHash)
		}
	}
	assert.Contains(t, vhosts, itVHost)
	assert.Contains(t, users, "morpheus_it")
	assert.Contains(t, defs.Permissions, struct{ User, Vhost string }{"morpheus_it", itVHost})
	assert.NotContains(t, string(body), pw, "definitions hold hashes, never passwords")
	assert.NotContains(t, logs.String(), pw)
}
