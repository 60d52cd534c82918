package storage

import (
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/efs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

var fileSystemID = regexp.MustCompile(`^fs-[0-9a-f]{8,40}$`)

// fileSystem creates the file system, or reads the one restore mode adopts.
//
// Created: regional (no availabilityZoneName: One Zone is lost with its AZ)
// and no lifecyclePolicies at all, since Morpheus requires its files to stay
// in Standard. EFS has no deletion protection; Protect stands in for it (see
// docs/decisions).
//
// Adopted: a read, not an import. The file system was made outside this
// stack (an AWS Backup restore job, or the source stack's replication), keeps
// the key it was encrypted with, and must outlive a failed or destroyed DR
// stack; an imported resource would be deleted with the stack, and importing
// needs every input to match what AWS reports, tags included.
func fileSystem(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) (*fileSystemRef, error) {
	if id := args.AdoptFileSystemId; id != "" {
		// Its own name: a stack that once created its file system must
		// not turn that resource into a read (the engine would delete it).
		// The id and ARN are the configured ones, known at plan time, so the
		// policies and mount targets never wait for, or depend on, the read.
		if _, err := efs.GetFileSystem(ctx, name+"-adopted-fs", pulumi.ID(id), nil, parent); err != nil {
			return nil, err
		}
		return &fileSystemRef{
			id:  pulumi.String(id).ToStringOutput(),
			arn: pulumi.String(args.Env.ARN("elasticfilesystem", "file-system/"+id)).ToStringOutput(),
		}, nil
	}
	fs, err := efs.NewFileSystem(ctx, name+"-fs", &efs.FileSystemArgs{
		Encrypted:       pulumi.Bool(true),
		KmsKeyId:        args.DataKeyArn,
		PerformanceMode: pulumi.String("generalPurpose"),
		ThroughputMode:  pulumi.String(args.ThroughputMode),
		Tags:            pulumi.StringMap{"Name": pulumi.String(args.Namer.Name(naming.Generic, "shared"))},
	}, parent, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	return &fileSystemRef{id: fs.ID().ToStringOutput(), arn: fs.Arn}, nil
}

// fileSystemRef is the file system's id and ARN, created or adopted.
type fileSystemRef struct {
	id, arn pulumi.StringOutput
}
