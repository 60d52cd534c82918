package mockengine_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/mockengine"
)

var region = map[string]string{"aws:region": "eu-west-1"}

func TestDuplicateURNFails(t *testing.T) {
	_, err := mockengine.Run(func(ctx *pulumi.Context) error {
		if _, err := kms.NewKey(ctx, "same", &kms.KeyArgs{}); err != nil {
			return err
		}
		_, err := kms.NewKey(ctx, "same", &kms.KeyArgs{})
		return err
	}, mockengine.Options{Config: region})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "duplicate resource URN")
}

func TestUnexpectedInvokeFails(t *testing.T) {
	_, err := mockengine.Run(func(ctx *pulumi.Context) error {
		_, err := aws.GetBillingServiceAccount(ctx, nil)
		return err
	}, mockengine.Options{Config: region})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unexpected invoke aws:index/getBillingServiceAccount")
}

func TestRecordsOptionsAndSecrets(t *testing.T) {
	rec, err := mockengine.Run(func(ctx *pulumi.Context) error {
		first, err := kms.NewKey(ctx, "first", &kms.KeyArgs{Description: pulumi.String("plain")})
		if err != nil {
			return err
		}
		_, err = kms.NewKey(ctx, "second", &kms.KeyArgs{
			Description: pulumi.ToSecret(pulumi.String("hidden")).(pulumi.StringOutput),
		}, pulumi.Protect(true), pulumi.RetainOnDelete(true), pulumi.DependsOn([]pulumi.Resource{first}))
		return err
	}, mockengine.Options{Config: region})
	require.NoError(t, err)

	second := rec.Find("aws:kms/key:Key", "second")
	require.NotNil(t, second)
	assert.True(t, second.Protect)
	assert.True(t, second.Retain)
	assert.Equal(t, []string{rec.Find("aws:kms/key:Key", "first").URN}, second.DependsOn)
	assert.True(t, second.IsSecret("description"))
	assert.Equal(t, "hidden", second.String("description"))
	assert.False(t, rec.Find("aws:kms/key:Key", "first").IsSecret("description"))
}

func TestAnswersDataSources(t *testing.T) {
	rec, err := mockengine.Run(func(ctx *pulumi.Context) error {
		id, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return err
		}
		if id.AccountId != mockengine.AccountID {
			t.Errorf("account %q", id.AccountId)
		}
		azs, err := aws.GetAvailabilityZones(ctx, nil)
		if err != nil {
			return err
		}
		if len(azs.Names) != 4 || azs.Names[1] != "eu-west-1a" {
			t.Errorf("zones %v", azs.Names)
		}
		return nil
	}, mockengine.Options{Config: region})
	require.NoError(t, err)
	assert.Len(t, rec.Invokes(), 2)
}
