package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/sigv4"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// Scheduled actions: EventBridge sends {"action": ...} alone; everything they
// touch comes from OPS_TARGETS, so an event cannot point them elsewhere.
const (
	// ActionSnapshot registers the OpenSearch repository and takes the day's snapshot.
	ActionSnapshot = "snapshot"
	// ActionExportDefinitions writes the broker's definitions to the snapshot bucket.
	ActionExportDefinitions = "exportDefinitions"
)

// ObjectStore is the S3 calls the definitions export (PutObject) and the
// restore (ListObjectsV2, GetObject) make (*s3.Client).
type ObjectStore interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// SnapshotResult is what the snapshot action returns.
type SnapshotResult struct {
	// Action is "snapshot".
	Action string `json:"action"`
	// Repository and Snapshot name what was ensured.
	Repository string `json:"repository"`
	Snapshot   string `json:"snapshot"`
	// Started is false when the day's snapshot already existed.
	Started bool `json:"started"`
	// MappedFunctionRole is true when the run added the function's role to manage_snapshots.
	MappedFunctionRole bool `json:"mappedFunctionRole"`
}

// ExportResult is what the exportDefinitions action returns: where the export
// went and its size, never its content.
type ExportResult struct {
	// Action is "exportDefinitions".
	Action string `json:"action"`
	// Bucket and Key locate the export.
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	// Bytes is the export's size.
	Bytes int `json:"bytes"`
	// VersionID is the S3 object version written.
	VersionID string `json:"versionId,omitempty"`
}

// SnapshotName is the day's snapshot name: one per UTC day, so a retried or
// repeated invocation finds it instead of taking another.
func SnapshotName(now time.Time) string { return "daily-" + now.UTC().Format("2006-01-02") }

// DefinitionsKey is the day's definitions export key under prefix.
func DefinitionsKey(prefix string, now time.Time) string {
	return path.Join(prefix, "definitions-"+now.UTC().Format("2006-01-02")+".json")
}

// decodeScheduled accepts exactly {"action": want}.
func decodeScheduled(raw json.RawMessage, want string) error {
	var ev struct {
		Action string `json:"action"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return fmt.Errorf("%s event: %w (it takes no fields but action; its targets come from %s)", want, err, EnvTargets)
	}
	return nil
}

func (h *Handler) now() time.Time {
	if h.cfg.Now != nil {
		return h.cfg.Now()
	}
	return time.Now()
}

// snapshot maps the function's role to manage_snapshots (as the master user:
// only the security API can), then, signed as that role, registers the
// repository (passing the snapshot role) and starts the day's snapshot.
func (h *Handler) snapshot(ctx context.Context, raw json.RawMessage) (any, error) {
	if err := decodeScheduled(raw, ActionSnapshot); err != nil {
		return nil, err
	}
	o, sn := h.cfg.Targets.OpenSearch, h.cfg.Targets.Snapshots
	if o == nil || sn == nil {
		return nil, fmt.Errorf("snapshot: %s has no opensearch or snapshots section", EnvTargets)
	}
	d, err := h.searchClients(ctx, ActionSnapshot, o, sn)
	if err != nil {
		return nil, err
	}
	res := SnapshotResult{Action: ActionSnapshot, Repository: sn.Repository, Snapshot: SnapshotName(h.now())}
	if res.MappedFunctionRole, err = d.mapFunctionRole(ctx, sn); err != nil {
		return res, err
	}
	if err := d.signed.RegisterRepository(ctx, repository(sn)); err != nil {
		return res, err
	}
	if res.Started, err = d.signed.EnsureSnapshot(ctx, sn.Repository, res.Snapshot); err != nil {
		return res, err
	}
	h.log.Info("opensearch snapshot", "repository", res.Repository, "snapshot", res.Snapshot, "started", res.Started,
		"mappedFunctionRole", res.MappedFunctionRole)
	return res, nil
}

// searchDomain is a domain as the snapshot API needs it: the master user's
// client for the security API and index listing, and a client signing as the
// function's role for the snapshot API.
type searchDomain struct {
	admin    secrets.Credentials
	security *searchops.Client
	signed   *searchops.Client
}

// searchClients reads the master secret and builds both clients of o.
func (h *Handler) searchClients(ctx context.Context, action string, o *targets.OpenSearch, sn *targets.Snapshots) (*searchDomain, error) {
	if h.cfg.Credentials == nil {
		return nil, fmt.Errorf("%s: the handler has no AWS credentials to sign with", action)
	}
	admin, err := secrets.Current(ctx, h.cfg.Store, o.AdminSecretARN)
	if err != nil {
		return nil, fmt.Errorf("%s: reading the master secret: %w", action, err)
	}
	security, err := searchops.New(o.Endpoint, h.cfg.HTTP)
	if err != nil {
		return nil, err
	}
	base := h.cfg.HTTP
	if base == nil {
		base = opshttp.DefaultHTTPClient()
	}
	signed, err := searchops.New(o.Endpoint, sigv4.Client(base, h.cfg.Credentials, sigv4.ServiceOpenSearch, sn.Region))
	if err != nil {
		return nil, err
	}
	return &searchDomain{admin: admin, security: security, signed: signed}, nil
}

// mapFunctionRole maps the function's role to manage_snapshots, as the master
// user (only the security API can), so that the signed client may use the
// snapshot API; it reports whether the mapping changed.
func (d *searchDomain) mapFunctionRole(ctx context.Context, sn *targets.Snapshots) (bool, error) {
	return d.security.EnsureBackendRoleMapping(ctx, d.admin, searchops.SnapshotRole, sn.FunctionRoleARN)
}

func repository(sn *targets.Snapshots) searchops.Repository {
	return searchops.Repository{Name: sn.Repository, Bucket: sn.Bucket, Region: sn.Region, BasePath: sn.SearchPrefix, RoleARN: sn.RoleARN}
}

// exportDefinitions reads the broker's definitions as its admin and writes
// them, encrypted with the data key, to the day's key. The document holds
// password hashes, so only its size is logged or returned.
func (h *Handler) exportDefinitions(ctx context.Context, raw json.RawMessage) (any, error) {
	if err := decodeScheduled(raw, ActionExportDefinitions); err != nil {
		return nil, err
	}
	r, sn := h.cfg.Targets.RabbitMQ, h.cfg.Targets.Snapshots
	if r == nil || sn == nil {
		return nil, fmt.Errorf("exportDefinitions: %s has no rabbitmq or snapshots section", EnvTargets)
	}
	admin, client, err := h.broker(ctx, ActionExportDefinitions, r)
	if err != nil {
		return nil, err
	}
	defs, err := client.Definitions(ctx, admin)
	if err != nil {
		return nil, err
	}
	res := ExportResult{Action: ActionExportDefinitions, Bucket: sn.Bucket, Key: DefinitionsKey(sn.DefinitionsPrefix, h.now()), Bytes: len(defs)}
	out, err := h.cfg.Objects.PutObject(ctx, &s3.PutObjectInput{
		Bucket:               aws.String(sn.Bucket),
		Key:                  aws.String(res.Key),
		Body:                 bytes.NewReader(defs),
		ContentType:          aws.String("application/json"),
		ServerSideEncryption: s3types.ServerSideEncryptionAwsKms,
		SSEKMSKeyId:          aws.String(sn.KMSKeyARN),
		BucketKeyEnabled:     aws.Bool(true),
	})
	if err != nil {
		// The SDK's error names the operation, bucket and status, not the body.
		return res, fmt.Errorf("exportDefinitions: writing s3://%s/%s: %w", sn.Bucket, res.Key, err)
	}
	res.VersionID = aws.ToString(out.VersionId)
	h.log.Info("rabbitmq definitions exported", "bucket", res.Bucket, "key", res.Key, "bytes", res.Bytes, "versionId", res.VersionID)
	return res, nil
}

// broker checks that the handler has the S3 client the definitions move
// through, reads the broker admin's secret and returns the management client.
func (h *Handler) broker(ctx context.Context, action string, r *targets.RabbitMQ) (secrets.Credentials, *rabbitops.Client, error) {
	if h.cfg.Objects == nil {
		return secrets.Credentials{}, nil, fmt.Errorf("%s: the handler has no S3 client", action)
	}
	admin, err := secrets.Current(ctx, h.cfg.Store, r.AdminSecretARN)
	if err != nil {
		return secrets.Credentials{}, nil, fmt.Errorf("%s: reading the broker admin secret: %w", action, err)
	}
	client, err := rabbitops.New(r.ManagementURL, h.cfg.HTTP)
	if err != nil {
		return secrets.Credentials{}, nil, err
	}
	return admin, client, nil
}
