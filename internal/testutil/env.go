package testutil

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/drregion"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Env is the account and Region components see in unit tests: AccountID in
// eu-west-1 of the aws partition, the Region the mocks answer for.
func Env() awsenv.Env {
	return awsenv.Env{AccountID: AccountID, Partition: "aws", Region: "eu-west-1", DNSSuffix: "amazonaws.com"}
}

// ProdNamer names resources as the stack `prod` of the project does.
func ProdNamer() naming.Namer { return naming.Namer{Project: Project, Stack: "prod"} }

// DRTarget registers an aws provider for DRRegion, named "aws-dr" as the
// stack names it, and returns the DR target of a component's copies with
// keyArn as the DR region's key.
func DRTarget(ctx *pulumi.Context, keyArn string) (*drregion.Target, error) {
	p, err := aws.NewProvider(ctx, "aws-dr", &aws.ProviderArgs{Region: pulumi.String(DRRegion)})
	if err != nil {
		return nil, err
	}
	return &drregion.Target{Region: DRRegion, Provider: p, KeyArn: pulumi.String(keyArn)}, nil
}
