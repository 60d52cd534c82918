// Package loggroups gives log groups that a service creates itself (Amazon MQ's
// /aws/amazonmq/broker/<id>/general) the stack's retention and logs key. No
// Pulumi resource can own them: their name holds an id that exists only once
// the service has created its resource, and the service creates the group.
package loggroups

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// API is the subset of *cloudwatchlogs.Client used here; the function's role
// grants exactly these actions, on Amazon MQ's broker log groups only.
type API interface {
	CreateLogGroup(ctx context.Context, in *cloudwatchlogs.CreateLogGroupInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error)
	AssociateKmsKey(ctx context.Context, in *cloudwatchlogs.AssociateKmsKeyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.AssociateKmsKeyOutput, error)
	PutRetentionPolicy(ctx context.Context, in *cloudwatchlogs.PutRetentionPolicyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutRetentionPolicyOutput, error)
}

// Settings are what every group gets.
type Settings struct {
	// RetentionDays is the retention, one of CloudWatch Logs' values.
	RetentionDays int
	// KMSKeyARN is the key new events are encrypted with.
	KMSKeyARN string
}

// Outcome is what happened to one group (kept in Pulumi state: names only).
type Outcome struct {
	// Group is the log group's name.
	Group string `json:"group"`
	// Created is true when the group did not exist and was created here.
	Created bool `json:"created,omitempty"`
	// Error is set when the group failed.
	Error string `json:"error,omitempty"`
}

// EnsureAll runs Ensure on every group; one failing group does not stop the
// others and the error joins every failure.
func EnsureAll(ctx context.Context, api API, groups []string, s Settings, log *slog.Logger) ([]Outcome, error) {
	if log == nil {
		log = slog.Default()
	}
	var errs []error
	out := make([]Outcome, 0, len(groups))
	for _, g := range groups {
		created, err := Ensure(ctx, api, g, s)
		o := Outcome{Group: g, Created: created}
		if err != nil {
			o.Error = err.Error()
			errs = append(errs, err)
			log.Error("log group settings failed", "logGroup", g, "error", err)
		} else {
			log.Info("log group settings applied", "logGroup", g, "created", created, "retentionDays", s.RetentionDays)
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

// Ensure associates the key with group and sets its retention; a group that
// does not exist yet is created with the key, and the service then writes
// into it. Every call is idempotent (associating the key already associated
// and setting the same retention change nothing). It reports whether it
// created the group.
func Ensure(ctx context.Context, api API, group string, s Settings) (bool, error) {
	created := false
	_, err := api.AssociateKmsKey(ctx, &cloudwatchlogs.AssociateKmsKeyInput{LogGroupName: aws.String(group), KmsKeyId: aws.String(s.KMSKeyARN)})
	var notFound *types.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		created, err = create(ctx, api, group, s)
		if err != nil {
			return false, err
		}
	case err != nil:
		return false, fmt.Errorf("log group %s: associating the logs key: %w", group, err)
	}
	if _, err := api.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{
		LogGroupName: aws.String(group), RetentionInDays: aws.Int32(int32(s.RetentionDays)),
	}); err != nil {
		return created, fmt.Errorf("log group %s: setting the retention: %w", group, err)
	}
	return created, nil
}

// create makes the group with the key. If the service created it in the
// meantime, the key is associated instead.
func create(ctx context.Context, api API, group string, s Settings) (bool, error) {
	_, err := api.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group), KmsKeyId: aws.String(s.KMSKeyARN)})
	var exists *types.ResourceAlreadyExistsException
	if errors.As(err, &exists) {
		if _, err := api.AssociateKmsKey(ctx, &cloudwatchlogs.AssociateKmsKeyInput{LogGroupName: aws.String(group), KmsKeyId: aws.String(s.KMSKeyARN)}); err != nil {
			return false, fmt.Errorf("log group %s: associating the logs key: %w", group, err)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("log group %s: creating it: %w", group, err)
	}
	return true, nil
}
