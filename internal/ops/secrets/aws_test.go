package secrets_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// fakeAPI records the inputs the AWS store sends and returns canned outputs.
type fakeAPI struct {
	describeIn *secretsmanager.DescribeSecretInput
	getIn      *secretsmanager.GetSecretValueInput
	putIn      *secretsmanager.PutSecretValueInput
	updateIn   *secretsmanager.UpdateSecretVersionStageInput
	getOut     *secretsmanager.GetSecretValueOutput
	err        error
}

func (f *fakeAPI) DescribeSecret(_ context.Context, in *secretsmanager.DescribeSecretInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	f.describeIn = in
	if f.err != nil {
		return nil, f.err
	}
	return &secretsmanager.DescribeSecretOutput{
		ARN: aws.String("arn:x"), RotationEnabled: aws.Bool(true),
		VersionIdsToStages: map[string][]string{"v1": {"AWSCURRENT"}},
	}, nil
}

func (f *fakeAPI) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.getIn = in
	return f.getOut, f.err
}

func (f *fakeAPI) PutSecretValue(_ context.Context, in *secretsmanager.PutSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.PutSecretValueOutput, error) {
	f.putIn = in
	return &secretsmanager.PutSecretValueOutput{}, f.err
}

func (f *fakeAPI) UpdateSecretVersionStage(_ context.Context, in *secretsmanager.UpdateSecretVersionStageInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.UpdateSecretVersionStageOutput, error) {
	f.updateIn = in
	return &secretsmanager.UpdateSecretVersionStageOutput{}, f.err
}

func TestAWSStoreMapsCalls(t *testing.T) {
	ctx := context.Background()
	api := &fakeAPI{getOut: &secretsmanager.GetSecretValueOutput{VersionId: aws.String("v2"), VersionStages: []string{"AWSPENDING"}, SecretString: aws.String("{}")}}
	s := secrets.NewAWS(api)

	d, err := s.Describe(ctx, "arn:x")
	require.NoError(t, err)
	assert.Equal(t, secrets.Description{ARN: "arn:x", RotationEnabled: true, VersionStages: map[string][]string{"v1": {"AWSCURRENT"}}}, d)

	v, err := s.GetValue(ctx, "arn:x", "v2", "AWSPENDING")
	require.NoError(t, err)
	assert.Equal(t, secrets.Version{ID: "v2", Stages: []string{"AWSPENDING"}, Value: "{}"}, v)
	assert.Equal(t, "v2", aws.ToString(api.getIn.VersionId))
	assert.Equal(t, "AWSPENDING", aws.ToString(api.getIn.VersionStage))

	_, err = s.GetValue(ctx, "arn:x", "", "AWSCURRENT")
	require.NoError(t, err)
	assert.Nil(t, api.getIn.VersionId, "an empty version id is not sent")

	require.NoError(t, s.PutValue(ctx, "arn:x", "tok", `{"a":1}`, []string{"AWSPENDING"}))
	assert.Equal(t, "tok", aws.ToString(api.putIn.ClientRequestToken))
	assert.Equal(t, `{"a":1}`, aws.ToString(api.putIn.SecretString))
	assert.Equal(t, []string{"AWSPENDING"}, api.putIn.VersionStages)

	require.NoError(t, s.MoveStage(ctx, "arn:x", "AWSCURRENT", "tok", "v1"))
	assert.Equal(t, "AWSCURRENT", aws.ToString(api.updateIn.VersionStage))
	assert.Equal(t, "tok", aws.ToString(api.updateIn.MoveToVersionId))
	assert.Equal(t, "v1", aws.ToString(api.updateIn.RemoveFromVersionId))
}

func TestAWSStoreNotFoundIsErrNotFound(t *testing.T) {
	api := &fakeAPI{err: &types.ResourceNotFoundException{Message: aws.String("no such version")}}
	_, err := secrets.NewAWS(api).GetValue(context.Background(), "arn:x", "tok", "AWSPENDING")
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	api.err = errors.New("AccessDeniedException")
	_, err = secrets.NewAWS(api).GetValue(context.Background(), "arn:x", "tok", "AWSPENDING")
	require.Error(t, err)
	assert.NotErrorIs(t, err, secrets.ErrNotFound, "other failures must not look like a missing version")
}

func TestAWSStoreRejectsBinarySecrets(t *testing.T) {
	api := &fakeAPI{getOut: &secretsmanager.GetSecretValueOutput{VersionId: aws.String("v1"), SecretBinary: []byte{1}}}
	_, err := secrets.NewAWS(api).GetValue(context.Background(), "arn:x", "", "AWSCURRENT")
	assert.ErrorContains(t, err, "no string value")
}
