// Package awsenv resolves, once per run, the facts about the target AWS account
// that policies and ARNs need: account id, partition and region.
package awsenv

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Env is the account, partition and region the stack deploys into.
type Env struct {
	AccountID string
	Partition string
	Region    string
	// DNSSuffix is the partition's service domain (amazonaws.com).
	DNSSuffix string
}

// Lookup asks the provider who it deploys as. The calls are plain invokes, so the
// values are known at preview time and can go into policies as plain strings.
func Lookup(ctx *pulumi.Context, region string, opts ...pulumi.InvokeOption) (Env, error) {
	id, err := aws.GetCallerIdentity(ctx, nil, opts...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the AWS account: %w", err)
	}
	part, err := aws.GetPartition(ctx, nil, opts...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the AWS partition: %w", err)
	}
	return Env{AccountID: id.AccountId, Partition: part.Partition, Region: region, DNSSuffix: part.DnsSuffix}, nil
}

// RootARN is the account principal that key policies delegate to IAM.
func (e Env) RootARN() string {
	return fmt.Sprintf("arn:%s:iam::%s:root", e.Partition, e.AccountID)
}

// ServicePrincipal returns "<service>.<dnsSuffix>", e.g. "logs.eu-west-1.amazonaws.com".
func (e Env) ServicePrincipal(service string) string {
	return service + "." + e.DNSSuffix
}

// ARN builds "arn:<partition>:<service>:<region>:<account>:<resource>".
func (e Env) ARN(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", e.Partition, service, e.Region, e.AccountID, resource)
}

// BucketARN builds an S3 bucket's ARN, which has neither region nor account.
func (e Env) BucketARN(bucket string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", e.Partition, bucket)
}

// GlobalARN builds an ARN of a global service (IAM): no region.
func (e Env) GlobalARN(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s::%s:%s", e.Partition, service, e.AccountID, resource)
}
