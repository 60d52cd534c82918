package handler_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/handler"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops/rabbittest"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

const (
	snapBucket   = "morpheus-ha-prod-snapshots-123456789012-eu-west-1"
	snapRole     = "arn:aws:iam::123456789012:role/morpheus-ha-prod-search-snapshots"
	functionRole = "arn:aws:iam::123456789012:role/morpheus-ha-prod-ops-function"
	dataKey      = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-data"
)

// day is the fixed clock of these tests.
var day = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)

// s3Put is one PutObject the fake S3 received.
type s3Put struct {
	path, auth, sse, key, contentType string
	body                              []byte
}

// fakeS3 answers path-style PutObject and records it.
type fakeS3 struct {
	*httptest.Server
	mu   sync.Mutex
	puts []s3Put
}

func newFakeS3(t *testing.T) *fakeS3 {
	f := &fakeS3{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut {
			http.Error(w, "only PutObject", http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.puts = append(f.puts, s3Put{
			path: r.URL.Path, auth: r.Header.Get("Authorization"), body: body,
			sse: r.Header.Get("X-Amz-Server-Side-Encryption"), key: r.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"),
			contentType: r.Header.Get("Content-Type"),
		})
		f.mu.Unlock()
		w.Header().Set("ETag", `"etag"`)
		w.Header().Set("X-Amz-Version-Id", "v1")
	}))
	t.Cleanup(f.Close)
	return f
}

// snapshotEnv is newEnv's services plus the snapshots section, a fake S3
// and static credentials, with the fake domain trusting the function's role.
func snapshotEnv(t *testing.T) (*env, *fakeS3) {
	t.Helper()
	e := newEnv(t)
	e.search.SetSigner(functionRole, "eu-west-1")
	objects := newFakeS3(t)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(e.event), &m))
	delete(m, "action")
	m["snapshots"] = json.RawMessage(`{"bucket":"` + snapBucket + `","region":"eu-west-1","roleArn":"` + snapRole +
		`","functionRoleArn":"` + functionRole + `","kmsKeyArn":"` + dataKey + `"}`)
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	tg, err := targets.Decode(raw)
	require.NoError(t, err)
	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")
	client := s3.New(s3.Options{
		Region: "eu-west-1", Credentials: creds, BaseEndpoint: aws.String(objects.URL), UsePathStyle: true,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	})
	e.h = handler.New(handler.Config{
		Store: e.store, Targets: tg, MySQLCAFile: e.caFile, HTTP: e.rabbit.Client(),
		Log: slog.New(slog.NewJSONHandler(e.out, nil)), Credentials: creds, Objects: client,
		Now: func() time.Time { return day },
	})
	return e, objects
}

// TestSnapshotMapsRegistersAndSnapshotsOnce: the function's role is mapped to
// manage_snapshots (as the master user), the repository registered with the
// bucket, region, base path and snapshot role (signed for es), and the day's
// snapshot taken once however often the action runs.
func TestSnapshotMapsRegistersAndSnapshotsOnce(t *testing.T) {
	e, _ := snapshotEnv(t)
	for i, wantStarted := range []bool{true, false} {
		out, err := e.handle(t, `{"action":"snapshot"}`)
		require.NoError(t, err, "run %d", i)
		res := out.(handler.SnapshotResult)
		assert.Equal(t, "daily-2026-12-07", res.Snapshot)
		assert.Equal(t, targets.DefaultRepository, res.Repository)
		assert.Equal(t, wantStarted, res.Started, "run %d", i)
		assert.Equal(t, i == 0, res.MappedFunctionRole, "run %d", i)
	}
	assert.Equal(t, []string{functionRole}, e.search.BackendRoles("manage_snapshots"))
	repo, ok := e.search.Repository(targets.DefaultRepository)
	require.True(t, ok)
	assert.Equal(t, map[string]any{
		"bucket": snapBucket, "region": "eu-west-1", "base_path": "opensearch", "role_arn": snapRole, "server_side_encryption": true,
	}, repo)
	assert.Equal(t, []string{"daily-2026-12-07"}, e.search.Snapshots(targets.DefaultRepository))

	for _, r := range e.search.Requests() {
		signed := strings.HasPrefix(r.Authorization, "AWS4-HMAC-SHA256 ")
		switch {
		case strings.HasPrefix(r.Path, "/_snapshot/"):
			assert.True(t, signed, "%s %s must be SigV4-signed", r.Method, r.Path)
			assert.Contains(t, r.Authorization, "/eu-west-1/es/aws4_request", "%s %s signed for es", r.Method, r.Path)
			assert.Empty(t, r.User, "no basic auth on the snapshot API")
		case strings.HasPrefix(r.Path, "/_plugins/_security/api/rolesmapping/"):
			assert.Equal(t, "master", r.User, "%s %s as the master user", r.Method, r.Path)
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.Path)
		}
	}
	body := e.search.Requests()
	var snapshotBody map[string]any
	for _, r := range body {
		if r.Method == http.MethodPut && r.Path == "/_snapshot/"+targets.DefaultRepository+"/daily-2026-12-07" {
			snapshotBody = r.Body
		}
	}
	assert.Equal(t, "*,-.kibana*,-.opendistro*", snapshotBody["indices"])
	assert.NotContains(t, e.out.String(), "Os-master-pw1")
}

// TestSnapshotKeepsOtherMappings: a backend role an operator mapped stays.
func TestSnapshotKeepsOtherMappings(t *testing.T) {
	e, _ := snapshotEnv(t)
	operator := "arn:aws:iam::123456789012:role/operator"
	req, err := http.NewRequest(http.MethodPut, e.search.URL+"/_plugins/_security/api/rolesmapping/manage_snapshots",
		strings.NewReader(`{"users":[],"backend_roles":["`+operator+`"],"hosts":[]}`))
	require.NoError(t, err)
	req.SetBasicAuth("master", "Os-master-pw1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.search.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	_, err = e.handle(t, `{"action":"snapshot"}`)
	require.NoError(t, err)
	assert.Equal(t, []string{operator, functionRole}, e.search.BackendRoles("manage_snapshots"))
}

// TestSnapshotFailures: each step's failure stops the action and names it.
func TestSnapshotFailures(t *testing.T) {
	for _, tc := range []struct {
		name, failPath string
		status         int
		want           string
	}{
		{"mapping refused", "/_plugins/_security/api/rolesmapping/manage_snapshots", http.StatusForbidden, "mapping of manage_snapshots"},
		{"registration refused", "/_snapshot/" + targets.DefaultRepository, http.StatusInternalServerError, "registering snapshot repository"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := snapshotEnv(t)
			e.search.FailNext(tc.failPath, tc.status)
			_, err := e.handle(t, `{"action":"snapshot"}`)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, e.search.Snapshots(targets.DefaultRepository))
		})
	}
}

// TestExportDefinitionsWritesEncryptedObject: the broker's definitions go to
// the day's key under rabbitmq/, SSE-KMS with the data key, signed for s3;
// neither the log nor the result holds a hash or a password.
func TestExportDefinitionsWritesEncryptedObject(t *testing.T) {
	e, objects := snapshotEnv(t)
	out, err := e.handle(t, `{"action":"exportDefinitions"}`)
	require.NoError(t, err)
	res := out.(handler.ExportResult)
	assert.Equal(t, "rabbitmq/definitions-2026-12-07.json", res.Key)
	assert.Equal(t, "v1", res.VersionID)
	require.Len(t, objects.puts, 1)
	p := objects.puts[0]
	assert.Equal(t, "/"+snapBucket+"/rabbitmq/definitions-2026-12-07.json", p.path)
	assert.Equal(t, "aws:kms", p.sse)
	assert.Equal(t, dataKey, p.key)
	assert.Equal(t, "application/json", p.contentType)
	assert.Contains(t, p.auth, "/eu-west-1/s3/aws4_request")
	assert.Equal(t, len(p.body), res.Bytes)

	var defs struct {
		Users []struct {
			Name         string `json:"name"`
			PasswordHash string `json:"password_hash"`
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal(p.body, &defs))
	require.NotEmpty(t, defs.Users)
	assert.False(t, bytes.Contains(p.body, []byte("Mq-admin-pw1")), "definitions carry hashes, not passwords")
	result, _ := json.Marshal(res)
	for _, u := range defs.Users {
		assert.NotContains(t, e.out.String(), u.PasswordHash, "the log never holds a hash")
		assert.NotContains(t, string(result), u.PasswordHash)
	}
	assert.Equal(t, rabbittest.HashOf("Mq-admin-pw1"), defs.Users[0].PasswordHash)
}

// TestScheduledActionsRefuse bad events and missing sections.
func TestScheduledActionsRefuse(t *testing.T) {
	for _, tc := range []struct {
		name, event string
		noSection   bool
		want        string
	}{
		{"snapshot with a field", `{"action":"snapshot","bucket":"elsewhere"}`, false, `unknown field "bucket"`},
		{"export with a field", `{"action":"exportDefinitions","key":"x"}`, false, `unknown field "key"`},
		{"snapshot without section", `{"action":"snapshot"}`, true, "no opensearch or snapshots section"},
		{"export without section", `{"action":"exportDefinitions"}`, true, "no rabbitmq or snapshots section"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, objects := snapshotEnv(t)
			if tc.noSection {
				e.deploy(t, e.event)
			}
			_, err := e.handle(t, tc.event)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, objects.puts)
			assert.Empty(t, e.search.Snapshots(targets.DefaultRepository))
		})
	}
}
