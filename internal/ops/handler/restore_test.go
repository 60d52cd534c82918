package handler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops/rabbittest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops/searchtest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

const (
	// sourceBucket is the lost stack's snapshot bucket replica.
	sourceBucket = "morpheus-ha-old-snapshots-123456789012-eu-west-1"
	// exportsRegion is where the definitions exports are read.
	exportsRegion = "eu-central-1"
)

// memS3 is an in-memory object store: path-less keys per bucket, listed in
// pages of pageSize, recording the region each call was made for.
type memS3 struct {
	mu       sync.Mutex
	objects  map[string]map[string][]byte
	regions  []string
	pageSize int
}

func (m *memS3) put(bucket, key, body string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.objects == nil {
		m.objects = map[string]map[string][]byte{}
	}
	if m.objects[bucket] == nil {
		m.objects[bucket] = map[string][]byte{}
	}
	m.objects[bucket][key] = []byte(body)
}

func (m *memS3) region(optFns []func(*s3.Options)) {
	var o s3.Options
	for _, f := range optFns {
		f(&o)
	}
	m.regions = append(m.regions, o.Region)
}

func (m *memS3) PutObject(_ context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	body, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	m.put(aws.ToString(in.Bucket), aws.ToString(in.Key), string(body))
	return &s3.PutObjectOutput{}, nil
}

func (m *memS3) GetObject(_ context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.region(optFns)
	body, ok := m.objects[aws.ToString(in.Bucket)][aws.ToString(in.Key)]
	if !ok {
		return nil, &s3types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: aws.Int64(int64(len(body)))}, nil
}

func (m *memS3) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.region(optFns)
	var keys []string
	for k := range m.objects[aws.ToString(in.Bucket)] {
		if strings.HasPrefix(k, aws.ToString(in.Prefix)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	start, _ := strconv.Atoi(aws.ToString(in.ContinuationToken))
	end := min(start+m.pageSize, len(keys))
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(end < len(keys))}
	for _, k := range keys[start:end] {
		out.Contents = append(out.Contents, s3types.Object{Key: aws.String(k)})
	}
	if end < len(keys) {
		out.NextContinuationToken = aws.String(strconv.Itoa(end))
	}
	return out, nil
}

// oldExport is a lost broker's definitions: its admin (same name as this
// broker's, another password), Morpheus' user, an operator, and queue.
func oldExport(queue string) string {
	return `{"rabbit_version":"3.13.7",
	  "users":[{"name":"mqadmin","password_hash":"` + rabbittest.HashOf("Old-admin-pw") + `","tags":"administrator"},
	           {"name":"morpheus","password_hash":"` + rabbittest.HashOf("Old-app-pw") + `","tags":"administrator"},
	           {"name":"operator","password_hash":"` + rabbittest.HashOf("Operator-pw") + `","tags":"monitoring"}],
	  "vhosts":[{"name":"/"},{"name":"morpheus"}],
	  "permissions":[{"user":"morpheus","vhost":"morpheus","configure":".*","write":".*","read":".*"},
	                 {"user":"operator","vhost":"morpheus","configure":"","write":"","read":".*"}],
	  "queues":[{"name":"` + queue + `","vhost":"morpheus","durable":true,"auto_delete":false,"arguments":{}}],
	  "policies":[{"vhost":"morpheus","name":"ha","pattern":".*","apply-to":"queues","definition":{},"priority":0},
	              {"vhost":"/","name":"AWS-DEFAULT-POLICY-ALL","pattern":".*","apply-to":"all","definition":{},"priority":0}]}`
}

// restoreEnv is newEnv's services with a snapshots section and restore
// (the restore section's JSON), the fake domain trusting the function's role,
// and an object store holding the source stack's exports.
func restoreEnv(t *testing.T, restore string) (*env, *memS3) {
	t.Helper()
	e := newEnv(t)
	e.search.SetSigner(functionRole, "eu-west-1")
	objects := &memS3{pageSize: 2}
	for _, day := range []string{"2026-12-05", "2026-12-06"} {
		objects.put(sourceBucket, "rabbitmq/definitions-"+day+".json", oldExport("queue-"+day))
	}
	objects.put(sourceBucket, "rabbitmq/notes.txt", "not an export")
	objects.put(sourceBucket, "rabbitmq/old/definitions-2026-12-09.json", oldExport("nested"))
	objects.put(sourceBucket, "other/definitions-2026-12-10.json", oldExport("other"))

	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(e.event), &m))
	delete(m, "action")
	m["snapshots"] = json.RawMessage(`{"bucket":"` + snapBucket + `","region":"eu-west-1","roleArn":"` + snapRole +
		`","functionRoleArn":"` + functionRole + `","kmsKeyArn":"` + dataKey + `"}`)
	if restore != "" {
		m["restore"] = json.RawMessage(restore)
	}
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	tg, err := targets.Decode(raw)
	require.NoError(t, err)
	e.h = handler.New(handler.Config{
		Store: e.store, Targets: tg, MySQLCAFile: e.caFile, HTTP: e.rabbit.Client(),
		Log:         slog.New(slog.NewJSONHandler(e.out, nil)),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), Objects: objects,
	})
	return e, objects
}

func definitionsRestore(key string) string {
	return `{"definitions":{"bucket":"` + sourceBucket + `","region":"` + exportsRegion + `","key":"` + key + `"}}`
}

const searchRestore = `{"search":{"bucket":"` + sourceBucket + `","region":"eu-west-1"}}`

// seed puts the source stack's snapshots in the restore repository's bucket.
func seed(s *searchtest.Server) {
	indices := []string{"morpheus-logs-2026.12", "morpheus-stats", ".opendistro_security", ".kibana_1", ".plugins-ml-config"}
	s.SeedSnapshot(targets.DefaultRestoreRepository,
		searchtest.Snapshot{Name: "daily-2026-12-04", State: "SUCCESS", StartMillis: 400, Indices: indices[:1]},
		searchtest.Snapshot{Name: "daily-2026-12-05", State: "SUCCESS", StartMillis: 500, Indices: indices},
		searchtest.Snapshot{Name: "daily-2026-12-06", State: "FAILED", StartMillis: 600, Indices: indices},
		searchtest.Snapshot{Name: "daily-2026-12-07", State: "IN_PROGRESS", StartMillis: 700, Indices: indices},
	)
}

// imports returns the definitions imports the broker received.
func imports(s *rabbittest.Server) []rabbittest.Request {
	var out []rabbittest.Request
	for _, r := range s.Requests() {
		if r.Path == "/api/definitions" {
			out = append(out, r)
		}
	}
	return out
}

// TestRestoreDefinitionsNewestExport: without a key the newest export
// directly under the prefix is read (in its bucket's region, across list
// pages) and imported as the admin without the admin's and Morpheus' users;
// the admin still logs in, the operator gets its old hash, and a re-run is
// another harmless merge. Neither log nor result holds a hash.
func TestRestoreDefinitionsNewestExport(t *testing.T) {
	e, objects := restoreEnv(t, definitionsRestore(""))
	for run := range 2 {
		out, err := e.handle(t, `{"action":"restore"}`)
		require.NoError(t, err, "run %d", run)
		res := out.(handler.RestoreResult)
		assert.Equal(t, "restore", res.Action)
		assert.Nil(t, res.Search)
		require.NotNil(t, res.Definitions)
		d := res.Definitions
		assert.Equal(t, "rabbitmq/definitions-2026-12-06.json", d.Key)
		assert.Equal(t, sourceBucket, d.Bucket)
		assert.Equal(t, len(oldExport("queue-2026-12-06")), d.Bytes)
		assert.Equal(t, 2, d.VHosts)
		assert.Equal(t, 1, d.Users)
		assert.Equal(t, 1, d.Queues)
		assert.Equal(t, 1, d.Policies)
		assert.Equal(t, []string{"mqadmin", "morpheus"}, d.RemovedUsers)
		assert.Equal(t, []string{"AWS-DEFAULT-POLICY-ALL"}, d.RemovedPolicies)
		result, _ := json.Marshal(res)
		assert.NotContains(t, string(result), rabbittest.HashOf("Operator-pw"))
	}
	reqs := imports(e.rabbit)
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "mqadmin", r.User, "imported as the broker admin")
		var names []string
		for _, u := range r.Body["users"].([]any) {
			names = append(names, u.(map[string]any)["name"].(string))
		}
		assert.Equal(t, []string{"operator"}, names, "the admin and Morpheus' users are not imported")
		for _, p := range r.Body["permissions"].([]any) {
			assert.NotEqual(t, "morpheus", p.(map[string]any)["user"])
		}
	}
	assert.True(t, e.rabbit.HasQueue("morpheus", "queue-2026-12-06"))
	assert.False(t, e.rabbit.HasQueue("morpheus", "nested"))
	assert.True(t, e.rabbit.HasPolicy("morpheus", "ha"))
	admin, _ := e.rabbit.User("mqadmin")
	assert.Equal(t, "Mq-admin-pw1", admin.Password, "the admin keeps this broker's password")
	op, _ := e.rabbit.User("operator")
	assert.Equal(t, rabbittest.HashOf("Operator-pw"), op.Hash)
	_, hasApp := e.rabbit.User("morpheus")
	assert.False(t, hasApp, "Morpheus' user is the bootstrap's to create")
	for _, r := range objects.regions {
		assert.Equal(t, exportsRegion, r, "S3 calls go to the exports' region")
	}
	assert.GreaterOrEqual(t, len(objects.regions), 4, "three list pages and a get per run")
	for _, h := range []string{"Old-admin-pw", "Operator-pw", "Old-app-pw"} {
		assert.NotContains(t, e.out.String(), rabbittest.HashOf(h))
	}
	assert.Contains(t, e.out.String(), `"msg":"rabbitmq definitions imported"`)
}

func TestRestoreDefinitionsExplicitKey(t *testing.T) {
	e, _ := restoreEnv(t, definitionsRestore("rabbitmq/definitions-2026-12-05.json"))
	out, err := e.handle(t, `{"action":"restore"}`)
	require.NoError(t, err)
	assert.Equal(t, "rabbitmq/definitions-2026-12-05.json", out.(handler.RestoreResult).Definitions.Key)
	assert.True(t, e.rabbit.HasQueue("morpheus", "queue-2026-12-05"))
	assert.False(t, e.rabbit.HasQueue("morpheus", "queue-2026-12-06"))
}

func TestRestoreDefinitionsFailures(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		prepare   func(*memS3)
		want      string
	}{
		{"missing object", "rabbitmq/definitions-2026-12-01.json", nil,
			"restore: reading s3://" + sourceBucket + "/rabbitmq/definitions-2026-12-01.json"},
		{"no export under the prefix", "", func(m *memS3) { delete(m.objects, sourceBucket) },
			"restore: no definitions export (definitions-<date>.json) under s3://" + sourceBucket + "/rabbitmq/"},
		{"not a document", "rabbitmq/definitions-2026-12-05.json", func(m *memS3) {
			m.put(sourceBucket, "rabbitmq/definitions-2026-12-05.json", `["not", "an", "object"]`)
		}, "the definitions are not a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, objects := restoreEnv(t, definitionsRestore(tc.key))
			if tc.prepare != nil {
				tc.prepare(objects)
			}
			_, err := e.handle(t, `{"action":"restore"}`)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, imports(e.rabbit))
		})
	}
}

// TestRestoreSearchNewestSuccessfulSnapshot: the function's role is mapped,
// the source repository registered read-only (signed), and the newest SUCCESS
// snapshot restored without system indices or global state; a re-run finds
// the restored indices and skips.
func TestRestoreSearchNewestSuccessfulSnapshot(t *testing.T) {
	e, _ := restoreEnv(t, searchRestore)
	seed(e.search)
	e.search.AddIndex(".opendistro_security", ".kibana_1") // a new domain's own
	out, err := e.handle(t, `{"action":"restore"}`)
	require.NoError(t, err)
	res := out.(handler.RestoreResult)
	assert.Nil(t, res.Definitions)
	assert.Equal(t, &handler.SearchRestoreResult{Repository: "morpheus-restore", Snapshot: "daily-2026-12-05", Started: true, MappedFunctionRole: true}, res.Search)

	repo, ok := e.search.Repository(targets.DefaultRestoreRepository)
	require.True(t, ok)
	assert.Equal(t, map[string]any{
		"bucket": sourceBucket, "region": "eu-west-1", "base_path": "opensearch", "role_arn": snapRole,
		"server_side_encryption": true, "readonly": true,
	}, repo)
	assert.Equal(t, []searchtest.Restore{{Repository: "morpheus-restore", Snapshot: "daily-2026-12-05",
		Indices: []string{"morpheus-logs-2026.12", "morpheus-stats"}}}, e.search.Restores())
	var restoreReq *searchtest.Request
	for _, r := range e.search.Requests() {
		if strings.HasSuffix(r.Path, "/_restore") {
			restoreReq = &r
		}
	}
	require.NotNil(t, restoreReq)
	assert.Equal(t, http.MethodPost, restoreReq.Method)
	assert.Equal(t, "/_snapshot/morpheus-restore/daily-2026-12-05/_restore", restoreReq.Path)
	assert.Equal(t, map[string]any{"indices": searchops.RestoreIndices, "include_global_state": false}, restoreReq.Body)
	assert.Empty(t, restoreReq.Query, "does not wait for completion")
	assert.True(t, strings.HasPrefix(restoreReq.Authorization, "AWS4-HMAC-SHA256 "), "signed as the function's role")

	out, err = e.handle(t, `{"action":"restore"}`)
	require.NoError(t, err)
	assert.Equal(t, &handler.SearchRestoreResult{Repository: "morpheus-restore", Skipped: handler.SkippedIndicesExist, ExistingIndices: 2},
		out.(handler.RestoreResult).Search)
	assert.Len(t, e.search.Restores(), 1, "never restored twice")
	assert.Contains(t, e.out.String(), `"msg":"opensearch restore skipped"`)
}

// TestRestoreSearchSkipsLiveDomain: a domain holding an index of its own is
// left alone: no repository, no restore.
func TestRestoreSearchSkipsLiveDomain(t *testing.T) {
	e, _ := restoreEnv(t, searchRestore)
	seed(e.search)
	e.search.AddIndex("morpheus-logs-2026.12", ".kibana_1")
	out, err := e.handle(t, `{"action":"restore"}`)
	require.NoError(t, err)
	assert.Equal(t, handler.SkippedIndicesExist, out.(handler.RestoreResult).Search.Skipped)
	assert.Empty(t, e.search.Restores())
	for _, r := range e.search.Requests() {
		assert.Equal(t, "/_cat/indices", r.Path, "only the index listing")
		assert.Equal(t, "master", r.User)
		assert.Contains(t, r.Query, "format=json")
	}
}

func TestRestoreSearchSnapshotChoice(t *testing.T) {
	for _, tc := range []struct {
		name, snapshot string
		noSnapshots    bool
		want, err      string
	}{
		{name: "named", snapshot: "daily-2026-12-04", want: "daily-2026-12-04"},
		{name: "named failed", snapshot: "daily-2026-12-06", err: "snapshot morpheus-restore/daily-2026-12-06 is FAILED, not SUCCESS"},
		{name: "no snapshot at all", noSnapshots: true, err: "repository morpheus-restore has no SUCCESS snapshot to restore (it has 0 snapshots)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := restoreEnv(t, `{"search":{"bucket":"`+sourceBucket+`","region":"eu-west-1","snapshot":"`+tc.snapshot+`"}}`)
			if !tc.noSnapshots {
				seed(e.search)
			}
			out, err := e.handle(t, `{"action":"restore"}`)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.Empty(t, e.search.Restores())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, out.(handler.RestoreResult).Search.Snapshot)
		})
	}
}

// TestRestoreBothOneFailing: a failing definitions import does not hold back
// the search restore, and the invocation still fails.
func TestRestoreBothOneFailing(t *testing.T) {
	e, _ := restoreEnv(t, `{"search":{"bucket":"`+sourceBucket+`","region":"eu-west-1"},
	  "definitions":{"bucket":"`+sourceBucket+`","region":"`+exportsRegion+`","key":"rabbitmq/definitions-2026-12-01.json"}}`)
	seed(e.search)
	out, err := e.handle(t, `{"action":"restore"}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "definitions-2026-12-01.json")
	res := out.(handler.RestoreResult)
	assert.True(t, res.Search.Started)
	assert.Equal(t, "rabbitmq/definitions-2026-12-01.json", res.Definitions.Key)
	assert.Len(t, e.search.Restores(), 1)
}

func TestRestoreRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, restore, event, want string
	}{
		{"no restore section", "", `{"action":"restore"}`, "restore: OPS_TARGETS has no restore section"},
		{"event with a field", searchRestore, `{"action":"restore","snapshot":"daily-2026-12-05"}`, `unknown field "snapshot"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := restoreEnv(t, tc.restore)
			seed(e.search)
			_, err := e.handle(t, tc.event)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, e.search.Restores())
			assert.Empty(t, imports(e.rabbit))
			assert.Empty(t, e.search.Requests(), "no call at all")
		})
	}
}
