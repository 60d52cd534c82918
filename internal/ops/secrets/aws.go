package secrets

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// API is the subset of *secretsmanager.Client the AWS store calls; the IAM policy
// of the function grants exactly these actions.
type API interface {
	DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	PutSecretValue(ctx context.Context, in *secretsmanager.PutSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error)
	UpdateSecretVersionStage(ctx context.Context, in *secretsmanager.UpdateSecretVersionStageInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error)
}

// AWS is the Store backed by Secrets Manager.
type AWS struct {
	api API
}

// NewAWS returns a Store calling api.
func NewAWS(api API) *AWS { return &AWS{api: api} }

// Describe implements Store.
func (s *AWS) Describe(ctx context.Context, secretID string) (Description, error) {
	out, err := s.api.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(secretID)})
	if err != nil {
		return Description{}, fmt.Errorf("describing secret %s: %w", secretID, err)
	}
	return Description{
		ARN:             aws.ToString(out.ARN),
		RotationEnabled: aws.ToBool(out.RotationEnabled),
		VersionStages:   out.VersionIdsToStages,
	}, nil
}

// GetValue implements Store.
func (s *AWS) GetValue(ctx context.Context, secretID, versionID, stage string) (Version, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)}
	if versionID != "" {
		in.VersionId = aws.String(versionID)
	}
	if stage != "" {
		in.VersionStage = aws.String(stage)
	}
	out, err := s.api.GetSecretValue(ctx, in)
	if err != nil {
		var nf *types.ResourceNotFoundException
		if errors.As(err, &nf) {
			return Version{}, fmt.Errorf("secret %s version %q stage %q: %w", secretID, versionID, stage, ErrNotFound)
		}
		return Version{}, fmt.Errorf("reading secret %s version %q stage %q: %w", secretID, versionID, stage, err)
	}
	if out.SecretString == nil {
		// Binary secrets are not credentials documents.
		return Version{}, fmt.Errorf("secret %s version %s holds no string value", secretID, aws.ToString(out.VersionId))
	}
	return Version{ID: aws.ToString(out.VersionId), Stages: out.VersionStages, Value: *out.SecretString}, nil
}

// PutValue implements Store.
func (s *AWS) PutValue(ctx context.Context, secretID, versionID, value string, stages []string) error {
	_, err := s.api.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId:           aws.String(secretID),
		ClientRequestToken: aws.String(versionID),
		SecretString:       aws.String(value),
		VersionStages:      stages,
	})
	if err != nil {
		return fmt.Errorf("storing secret %s version %s: %w", secretID, versionID, err)
	}
	return nil
}

// MoveStage implements Store.
func (s *AWS) MoveStage(ctx context.Context, secretID, stage, toID, fromID string) error {
	in := &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String(secretID), VersionStage: aws.String(stage)}
	if toID != "" {
		in.MoveToVersionId = aws.String(toID)
	}
	if fromID != "" {
		in.RemoveFromVersionId = aws.String(fromID)
	}
	if _, err := s.api.UpdateSecretVersionStage(ctx, in); err != nil {
		return fmt.Errorf("moving %s of secret %s from %q to %q: %w", stage, secretID, fromID, toID, err)
	}
	return nil
}
