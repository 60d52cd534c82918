package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// ActionRestore fills a restore-mode stack's new, empty services from the
// source stack's recovery points (OPS_TARGETS' restore section): Pulumi
// invokes it with exactly {"action":"restore"} before the bootstrap.
const ActionRestore = "restore"

// SkippedIndicesExist is SearchRestoreResult.Skipped when the domain already
// holds data: a restore would collide with it (or a retry would restore twice).
const SkippedIndicesExist = "domain already has indices"

// RestoreResult is what the restore action returns; Pulumi keeps it in state,
// so it names objects and counts, never a password or a hash.
type RestoreResult struct {
	// Action is "restore".
	Action string `json:"action"`
	// Search is the OpenSearch restore; nil without restore.search.
	Search *SearchRestoreResult `json:"search,omitempty"`
	// Definitions is the RabbitMQ import; nil without restore.definitions.
	Definitions *DefinitionsRestoreResult `json:"definitions,omitempty"`
}

// SearchRestoreResult says which snapshot was restored, or why none was.
type SearchRestoreResult struct {
	// Repository is the source repository's registered name.
	Repository string `json:"repository"`
	// Snapshot is the snapshot restored (empty when skipped).
	Snapshot string `json:"snapshot,omitempty"`
	// Started is true when the run started the restore.
	Started bool `json:"started"`
	// Skipped says why nothing was restored (SkippedIndicesExist).
	Skipped string `json:"skipped,omitempty"`
	// ExistingIndices counts the domain's own indices when skipped.
	ExistingIndices int `json:"existingIndices,omitempty"`
	// MappedFunctionRole is true when the run added the function's role to manage_snapshots.
	MappedFunctionRole bool `json:"mappedFunctionRole"`
}

// DefinitionsRestoreResult says which export was imported and what it held.
type DefinitionsRestoreResult struct {
	// Bucket and Key locate the export imported.
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	// Bytes is the export's size.
	Bytes int `json:"bytes"`
	rabbitops.DefinitionsSummary
}

// exportName is an export's file name as exportDefinitions writes it: the
// names sort by date.
var exportName = regexp.MustCompile(`^definitions-[0-9]{4}-[0-9]{2}-[0-9]{2}\.json$`)

// restore imports the definitions and restores the search snapshot the
// restore section names, each only if its section is there. Both are safe to
// repeat: the import is a merge that leaves this stack's admin and Morpheus
// users alone, and the search restore runs only on a domain without indices.
// One failing does not stop the other.
func (h *Handler) restore(ctx context.Context, raw json.RawMessage) (any, error) {
	if err := decodeScheduled(raw, ActionRestore); err != nil {
		return nil, err
	}
	rs := h.cfg.Targets.Restore
	if rs == nil {
		return nil, fmt.Errorf("restore: %s has no restore section", EnvTargets)
	}
	res := RestoreResult{Action: ActionRestore}
	var errs []error
	if rs.Definitions != nil {
		var err error
		res.Definitions, err = h.restoreDefinitions(ctx, rs.Definitions)
		errs = append(errs, err)
	}
	if rs.Search != nil {
		var err error
		res.Search, err = h.restoreSearch(ctx, rs.Search)
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

// restoreDefinitions imports the export into the broker as its admin, without
// the admin's own user (the export's hash would replace this broker's admin
// password and lock the function out), without this stack's Morpheus users,
// whose passwords the bootstrap and rotation own (a later re-run would
// otherwise set them back to the source stack's), and without what Amazon MQ
// owns or refuses (rabbitops.PrepareImport).
func (h *Handler) restoreDefinitions(ctx context.Context, d *targets.DefinitionsRestore) (*DefinitionsRestoreResult, error) {
	r := h.cfg.Targets.RabbitMQ
	if r == nil {
		return nil, fmt.Errorf("restore: %s has restore.definitions but no rabbitmq section", EnvTargets)
	}
	admin, client, err := h.broker(ctx, ActionRestore, r)
	if err != nil {
		return nil, err
	}
	app, err := secrets.Current(ctx, h.cfg.Store, r.AppSecretARN)
	if err != nil {
		return nil, fmt.Errorf("restore: reading the broker app secret: %w", err)
	}
	inRegion := func(o *s3.Options) { o.Region = d.Region }
	res := &DefinitionsRestoreResult{Bucket: d.Bucket, Key: d.Key}
	if res.Key == "" {
		if res.Key, err = h.newestExport(ctx, d, inRegion); err != nil {
			return res, err
		}
	}
	doc, err := h.readExport(ctx, d.Bucket, res.Key, inRegion)
	if err != nil {
		return res, err
	}
	res.Bytes = len(doc)
	owned := secrets.UsernamePair(app.Username)
	doc, res.DefinitionsSummary, err = rabbitops.PrepareImport(doc, append([]string{admin.Username}, owned...), owned)
	if err != nil {
		return res, fmt.Errorf("restore: s3://%s/%s: %w", d.Bucket, res.Key, err)
	}
	if err := client.ImportDefinitions(ctx, admin, doc); err != nil {
		return res, fmt.Errorf("restore: s3://%s/%s: %w", d.Bucket, res.Key, err)
	}
	h.log.Info("rabbitmq definitions imported", "bucket", res.Bucket, "key", res.Key, "bytes", res.Bytes,
		"vhosts", res.VHosts, "users", res.Users, "queues", res.Queues, "policies", res.Policies,
		"removedUsers", res.RemovedUsers, "removedPolicies", res.RemovedPolicies)
	return res, nil
}

// newestExport returns the key of the newest export directly under d.Prefix.
func (h *Handler) newestExport(ctx context.Context, d *targets.DefinitionsRestore, inRegion func(*s3.Options)) (string, error) {
	pages := s3.NewListObjectsV2Paginator(h.cfg.Objects, &s3.ListObjectsV2Input{
		Bucket: aws.String(d.Bucket), Prefix: aws.String(d.Prefix + "/"),
	})
	newest := ""
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx, inRegion)
		if err != nil {
			return "", fmt.Errorf("restore: listing s3://%s/%s/: %w", d.Bucket, d.Prefix, err)
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			if path.Dir(key) == d.Prefix && exportName.MatchString(path.Base(key)) && key > newest {
				newest = key
			}
		}
	}
	if newest == "" {
		return "", fmt.Errorf("restore: no definitions export (definitions-<date>.json) under s3://%s/%s/", d.Bucket, d.Prefix)
	}
	return newest, nil
}

// readExport reads one export, bounded by rabbitops.MaxDefinitionsBytes.
func (h *Handler) readExport(ctx context.Context, bucket, key string, inRegion func(*s3.Options)) (json.RawMessage, error) {
	out, err := h.cfg.Objects.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}, inRegion)
	if err != nil {
		return nil, fmt.Errorf("restore: reading s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	doc, err := io.ReadAll(io.LimitReader(out.Body, rabbitops.MaxDefinitionsBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("restore: reading s3://%s/%s: %w", bucket, key, err)
	case len(doc) > rabbitops.MaxDefinitionsBytes:
		return nil, fmt.Errorf("restore: s3://%s/%s is larger than %d bytes", bucket, key, rabbitops.MaxDefinitionsBytes)
	}
	return doc, nil
}

// restoreSearch restores the source repository's snapshot into the domain
// unless the domain already holds indices of its own: then a restore would
// collide with live data, or this is a re-run after one was started.
func (h *Handler) restoreSearch(ctx context.Context, s *targets.SearchRestore) (*SearchRestoreResult, error) {
	o, sn := h.cfg.Targets.OpenSearch, h.cfg.Targets.Snapshots
	if o == nil || sn == nil {
		return nil, fmt.Errorf("restore: %s has restore.search but no opensearch or snapshots section", EnvTargets)
	}
	d, err := h.searchClients(ctx, ActionRestore, o, sn)
	if err != nil {
		return nil, err
	}
	res := &SearchRestoreResult{Repository: s.Repository}
	existing, err := d.security.UserIndices(ctx, d.admin)
	if err != nil {
		return res, err
	}
	if len(existing) > 0 {
		res.Skipped, res.ExistingIndices = SkippedIndicesExist, len(existing)
		h.log.Info("opensearch restore skipped", "reason", res.Skipped, "indices", len(existing))
		return res, nil
	}
	if res.MappedFunctionRole, err = d.mapFunctionRole(ctx, sn); err != nil {
		return res, err
	}
	if err := d.signed.RegisterRepository(ctx, searchops.Repository{
		Name: s.Repository, Bucket: s.Bucket, Region: s.Region, BasePath: s.BasePath, RoleARN: sn.RoleARN, ReadOnly: true,
	}); err != nil {
		return res, err
	}
	list, err := d.signed.Snapshots(ctx, s.Repository)
	if err != nil {
		return res, err
	}
	snap, err := searchops.PickSnapshot(list, s.Repository, s.Snapshot)
	if err != nil {
		return res, err
	}
	if err := d.signed.RestoreSnapshot(ctx, s.Repository, snap.Name); err != nil {
		return res, err
	}
	res.Snapshot, res.Started = snap.Name, true
	h.log.Info("opensearch restore started", "repository", res.Repository, "snapshot", res.Snapshot,
		"indices", searchops.RestoreIndices, "mappedFunctionRole", res.MappedFunctionRole)
	return res, nil
}
