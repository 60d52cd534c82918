package integration_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// body returns the object's bytes, leaving it readable again.
func body(t *testing.T, in *s3.PutObjectInput) []byte {
	t.Helper()
	r := in.Body.(io.ReadSeeker)
	_, err := r.Seek(0, io.SeekStart)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	_, err = r.Seek(0, io.SeekStart)
	require.NoError(t, err)
	return b
}

// GetObject returns the last object put under the key.
func (m *memObjects) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	for i := len(m.puts) - 1; i >= 0; i-- {
		p := m.puts[i]
		if aws.ToString(p.Bucket) == aws.ToString(in.Bucket) && aws.ToString(p.Key) == aws.ToString(in.Key) {
			r := p.Body.(io.ReadSeeker)
			if _, err := r.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
			b, err := io.ReadAll(r)
			return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(b))}, err
		}
	}
	return nil, &s3types.NoSuchKey{}
}

// ListObjectsV2 lists every key under the prefix in one page.
func (m *memObjects) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}
	for _, p := range m.puts {
		if aws.ToString(p.Bucket) == aws.ToString(in.Bucket) && strings.HasPrefix(aws.ToString(p.Key), aws.ToString(in.Prefix)) {
			out.Contents = append(out.Contents, s3types.Object{Key: p.Key})
		}
	}
	return out, nil
}

// rabbitHash is RabbitMQ's rabbit_password_hashing_sha256 of pw: base64 of a
// 4-byte salt and SHA-256(salt + pw).
func rabbitHash(pw string) string {
	salt := []byte{0x90, 0x8d, 0xc6, 0x0a}
	sum := sha256.Sum256(append(append([]byte{}, salt...), pw...))
	return base64.StdEncoding.EncodeToString(append(salt, sum[:]...))
}

// TestRabbitMQDefinitionsRestore exports a real broker's definitions, adds
// a vhost, a user with its grant, a queue and a policy to the document, makes
// the admin's and Morpheus' hashes another broker's, and imports it through
// the restore action twice: the broker has the additions, the new user logs
// in, and the admin and Morpheus' user keep their passwords.
//
// Were the admin not taken out of the document, the import would lock the
// admin out of this broker until .ci/services.sh runs again.
func TestRabbitMQDefinitionsRestore(t *testing.T) {
	const restoredVHost, restoredUser = "morpheus_it_restored", "it_restored"
	e := newDefinitionsEnv(t, &targets.Restore{Definitions: &targets.DefinitionsRestore{Bucket: "it-snapshots", Region: "eu-central-1"}}, restoredUser)
	dropVHost := func() { e.call(t, http.MethodDelete, "/api/vhosts/"+restoredVHost).Body.Close() }
	dropVHost()
	t.Cleanup(dropVHost)
	h, objects, client, svc, app := e.h, e.objects, e.client, e.svc, e.app
	_, err := h.Handle(context.Background(), json.RawMessage(`{"action":"exportDefinitions"}`))
	require.NoError(t, err)
	require.Len(t, objects.puts, 1)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(body(t, objects.puts[0]), &doc))
	var tags any = "monitoring" // as the broker exports them: a string, or a list from 3.12 on
	for _, u := range doc["users"].([]any) {
		if user := u.(map[string]any); user["name"] == e.user || user["name"] == "morpheus_it" {
			user["password_hash"] = rabbitHash("another-brokers-password")
			user["hashing_algorithm"] = "rabbit_password_hashing_sha256"
			if _, isList := user["tags"].([]any); isList {
				tags = []string{"monitoring"}
			}
		}
	}
	restoredPW := "Restored-pw-0123"
	add := func(field string, v map[string]any) { doc[field] = append(doc[field].([]any), v) }
	add("vhosts", map[string]any{"name": restoredVHost})
	add("users", map[string]any{"name": restoredUser, "password_hash": rabbitHash(restoredPW),
		"hashing_algorithm": "rabbit_password_hashing_sha256", "tags": tags})
	add("permissions", map[string]any{"user": restoredUser, "vhost": restoredVHost, "configure": "", "write": "", "read": ".*"})
	add("queues", map[string]any{"name": "it-restored-queue", "vhost": restoredVHost, "durable": true, "auto_delete": false, "arguments": map[string]any{}})
	add("policies", map[string]any{"name": "it-restored-policy", "vhost": restoredVHost, "pattern": "^it-", "apply-to": "queues",
		"definition": map[string]any{"max-length": 1000}, "priority": 0})
	modified, err := json.Marshal(doc)
	require.NoError(t, err)
	// A newer export than the day's: the restore picks it.
	objects.puts = append(objects.puts, &s3.PutObjectInput{
		Bucket: aws.String("it-snapshots"), Key: aws.String("rabbitmq/definitions-2026-12-08.json"), Body: bytes.NewReader(modified),
	})

	for run := range 2 {
		out, err := h.Handle(context.Background(), json.RawMessage(`{"action":"restore"}`))
		require.NoError(t, err, "run %d", run)
		d := out.(handler.RestoreResult).Definitions
		require.NotNil(t, d)
		assert.Equal(t, "rabbitmq/definitions-2026-12-08.json", d.Key)
		assert.Contains(t, d.RemovedUsers, e.user)
		assert.Contains(t, d.RemovedUsers, "morpheus_it")
		assert.GreaterOrEqual(t, d.VHosts, 2)
		assert.GreaterOrEqual(t, d.Queues, 1)
		assert.GreaterOrEqual(t, d.Policies, 1)
	}

	for _, path := range []string{"/api/vhosts/" + restoredVHost, "/api/queues/" + restoredVHost + "/it-restored-queue",
		"/api/policies/" + restoredVHost + "/it-restored-policy", "/api/permissions/" + restoredVHost + "/" + restoredUser} {
		resp := e.call(t, http.MethodGet, path)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
	}
	name, err := client.WhoAmI(context.Background(), secrets.Credentials{Username: restoredUser, Password: restoredPW})
	require.NoError(t, err, "the imported user logs in with the password of its hash")
	assert.Equal(t, restoredUser, name)
	_, err = client.WhoAmI(context.Background(), secrets.Credentials{Username: e.user, Password: e.pw})
	require.NoError(t, err, "the admin keeps this broker's password")
	require.NoError(t, svc.Check(context.Background(), app), "Morpheus' user keeps its password")
	assert.NotContains(t, e.logs.String(), rabbitHash(restoredPW))
}
