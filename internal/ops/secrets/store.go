// Package secrets is the ops function's view of AWS Secrets Manager: the four
// calls the rotation protocol needs behind a small interface (so tests use an
// in-memory fake), the {"username","password"} credential document, and the
// alternating-users naming rule.
package secrets

import (
	"context"
	"errors"
)

// The staging labels Secrets Manager's rotation protocol uses.
const (
	// StageCurrent marks the version clients read.
	StageCurrent = "AWSCURRENT"
	// StagePending marks the version a rotation is preparing.
	StagePending = "AWSPENDING"
	// StagePrevious marks the version AWSCURRENT was last moved away from.
	StagePrevious = "AWSPREVIOUS"
)

// ErrNotFound reports that the requested secret version does not exist or holds
// no value yet (Secrets Manager reserves the AWSPENDING version id before the
// rotation function stores a value in it).
var ErrNotFound = errors.New("secret version not found")

// Description is what DescribeSecret reports that rotation decisions need.
type Description struct {
	// ARN is the secret's full ARN.
	ARN string
	// RotationEnabled is false when rotation was never configured or was cancelled.
	RotationEnabled bool
	// VersionStages maps every labelled version id to its staging labels.
	VersionStages map[string][]string
}

// CurrentVersion returns the id of the version labelled AWSCURRENT, or "".
func (d Description) CurrentVersion() string {
	for id, stages := range d.VersionStages {
		if HasStage(stages, StageCurrent) {
			return id
		}
	}
	return ""
}

// Version is one stored version of a secret.
type Version struct {
	// ID is the version id (the ClientRequestToken that created it).
	ID string
	// Stages are the labels attached to the version.
	Stages []string
	// Value is the secret string.
	Value string
}

// Store is the part of Secrets Manager the ops function calls. Implementations
// must return an error wrapping ErrNotFound from GetValue when the version is
// missing or empty, so callers can tell "not yet created" from a failure.
type Store interface {
	// Describe returns the secret's rotation state and version labels.
	Describe(ctx context.Context, secretID string) (Description, error)
	// GetValue returns the version with id versionID (if not empty) that carries
	// stage (if not empty).
	GetValue(ctx context.Context, secretID, versionID, stage string) (Version, error)
	// PutValue stores value as version versionID with exactly the given stages;
	// repeating the call with the same id and value succeeds without change.
	PutValue(ctx context.Context, secretID, versionID, value string, stages []string) error
	// MoveStage attaches stage to version toID and removes it from fromID; moving
	// AWSCURRENT makes Secrets Manager label fromID AWSPREVIOUS.
	MoveStage(ctx context.Context, secretID, stage, toID, fromID string) error
}

// HasStage reports whether stages contains stage.
func HasStage(stages []string, stage string) bool {
	for _, s := range stages {
		if s == stage {
			return true
		}
	}
	return false
}

// Current reads and parses the AWSCURRENT version of a credentials secret. It is
// called on every use, never cached, because admin secrets (the RDS-managed
// master secret above all) rotate on their own schedule.
func Current(ctx context.Context, store Store, secretID string) (Credentials, error) {
	v, err := store.GetValue(ctx, secretID, "", StageCurrent)
	if err != nil {
		return Credentials{}, err
	}
	c, err := ParseCredentials(v.Value)
	if err != nil {
		return Credentials{}, errorf("secret %s version %s: %w", secretID, v.ID, err)
	}
	return c, nil
}
