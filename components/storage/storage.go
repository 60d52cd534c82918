// Package storage creates the EFS file system Morpheus' app nodes share at
// /var/opt/morpheus/morpheus-ui: regional, encrypted with the data key, never
// tiered to IA or Archive, backed up automatically, reachable only over TLS
// from the app nodes' security group through a mount target in every AZ.
package storage

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/efs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:storage:Storage"

// NFSPort is the only port the mount targets listen on.
const NFSPort = 2049

// Throughput modes the component accepts (config.storage.throughputMode).
var throughputModes = []string{"elastic", "bursting"}

// Args configures the file system.
type Args struct {
	// Namer names the file system (Name tag).
	Namer naming.Namer
	// Env is the account (file system policy) and region (DNS name).
	Env awsenv.Env
	// VpcId is the VPC of the mount targets' security group.
	VpcId pulumi.StringInput
	// AZNames are the AZs of AppSubnetIds, in the same order (2 or 3, distinct).
	AZNames []string
	// AppSubnetIds are the private-app subnets, one per AZ: every node mounts
	// through the mount target in its own AZ.
	AppSubnetIds pulumi.StringArrayInput
	// ClientSecurityGroupIds may reach NFS (the app nodes' group).
	ClientSecurityGroupIds pulumi.StringArrayInput
	// DataKeyArn encrypts the file system at rest.
	DataKeyArn pulumi.StringInput
	// ThroughputMode is "elastic" or "bursting".
	ThroughputMode string
	// Protect guards the file system against deletion by Pulumi (prod).
	Protect bool
	// Replication, when set, replicates the file system to another region
	// (RPO of about 15 minutes for most file systems), where the replica is
	// read-only until a failover deletes the replication.
	Replication *Replication
	// AdoptFileSystemId, when set, uses that existing file system (restore
	// mode: a replication destination or an AWS Backup restore) instead of
	// creating one. The stack mounts, guards and backs it up, but reads it
	// rather than owning it, so no update or destroy can delete it.
	AdoptFileSystemId string
}

// Replication is the EFS replication destination.
type Replication struct {
	// Region is the destination region.
	Region string
	// KeyArn encrypts the replica; it cannot be changed later, so it is a
	// customer-managed key of that region.
	KeyArn pulumi.StringInput
}

// Storage is the component.
type Storage struct {
	pulumi.ResourceState

	// FileSystemId is the EFS id (fs-...).
	FileSystemId pulumi.StringOutput `pulumi:"fileSystemId"`
	// FileSystemArn is the EFS ARN; client roles are granted ClientStatement on it.
	FileSystemArn pulumi.StringOutput `pulumi:"fileSystemArn"`
	// SecurityGroupId guards the mount targets.
	SecurityGroupId pulumi.StringOutput `pulumi:"securityGroupId"`
	// DnsName is "<fs-id>.efs.<region>.<dnsSuffix>"; in each AZ it resolves to
	// that AZ's mount target.
	DnsName pulumi.StringOutput `pulumi:"dnsName"`
	// ReplicaFileSystemId is the replication destination's id; empty without
	// Replication.
	ReplicaFileSystemId pulumi.StringOutput `pulumi:"replicaFileSystemId"`
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		errs = append(errs, errors.New("storage: Namer needs a project and a stack"))
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.Region == "" || a.Env.DNSSuffix == "" {
		errs = append(errs, fmt.Errorf("storage: Env needs account, partition, region and DNS suffix, got %+v", a.Env))
	}
	if n := len(a.AZNames); n < 2 || n > 3 {
		errs = append(errs, fmt.Errorf("storage: %d AZs given, need 2 or 3 (a mount target per AZ the nodes run in)", n))
	}
	seen := map[string]bool{}
	for _, az := range a.AZNames {
		if az == "" || seen[az] {
			errs = append(errs, fmt.Errorf("storage: AZ names must be distinct and non-empty, got %v", a.AZNames))
			break
		}
		seen[az] = true
	}
	if r := a.Replication; r != nil && (r.Region == "" || r.Region == a.Env.Region || r.KeyArn == nil) {
		errs = append(errs, fmt.Errorf("storage: Replication needs a key and a region other than %s, got %q", a.Env.Region, r.Region))
	}
	if a.AdoptFileSystemId != "" && !fileSystemID.MatchString(a.AdoptFileSystemId) {
		errs = append(errs, fmt.Errorf("storage: AdoptFileSystemId %q is not a file system id (fs-...)", a.AdoptFileSystemId))
	}
	if a.VpcId == nil || a.AppSubnetIds == nil || a.ClientSecurityGroupIds == nil {
		errs = append(errs, errors.New("storage: VpcId, AppSubnetIds and ClientSecurityGroupIds are required"))
	}
	if a.DataKeyArn == nil {
		errs = append(errs, errors.New("storage: DataKeyArn is required (the file system is encrypted with the data key)"))
	}
	if !slices.Contains(throughputModes, a.ThroughputMode) {
		errs = append(errs, fmt.Errorf("storage: ThroughputMode %q must be one of %v", a.ThroughputMode, throughputModes))
	}
	return errors.Join(errs...)
}

// NewStorage creates the file system, its policies, security group and mount targets.
func NewStorage(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Storage, error) {
	if args == nil {
		return nil, errors.New("storage: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Storage{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	fs, err := fileSystem(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}
	fsArn := fs.arn

	// Automatic backups (EFS.7): AWS Backup keeps daily recovery points for 35
	// days in aws/efs/automatic-backup-vault, and they outlive the file system.
	if _, err := efs.NewBackupPolicy(ctx, name+"-backup-policy", &efs.BackupPolicyArgs{
		FileSystemId: fs.id,
		BackupPolicy: &efs.BackupPolicyBackupPolicyArgs{Status: pulumi.String("ENABLED")},
	}, parent); err != nil {
		return nil, err
	}

	env := args.Env
	policy := fsArn.ApplyT(func(arn string) string { return Policy(arn, env).JSON() }).(pulumi.StringOutput)
	if _, err := efs.NewFileSystemPolicy(ctx, name+"-policy", &efs.FileSystemPolicyArgs{
		FileSystemId: fs.id,
		Policy:       policy,
	}, parent); err != nil {
		return nil, err
	}

	// No egress rules: NFS replies ride the tracked inbound connection.
	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcId,
		Description: pulumi.String("EFS mount targets: NFS from the Morpheus app nodes only"),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("NFS over TLS from client security groups (app nodes)"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(NFSPort),
			ToPort:         pulumi.Int(NFSPort),
			SecurityGroups: args.ClientSecurityGroupIds,
		}},
		Tags: pulumi.StringMap{"Name": pulumi.String(args.Namer.Prefix() + "-efs")},
	}, parent)
	if err != nil {
		return nil, err
	}

	subnets := perAZ(args.AppSubnetIds, args.AZNames)
	for i, az := range args.AZNames {
		if _, err := efs.NewMountTarget(ctx, fmt.Sprintf("%s-mount-%s", name, az), &efs.MountTargetArgs{
			FileSystemId:   fs.id,
			SubnetId:       subnets.Index(pulumi.Int(i)),
			SecurityGroups: pulumi.StringArray{sg.ID()},
		}, parent); err != nil {
			return nil, err
		}
	}

	c.ReplicaFileSystemId = pulumi.String("").ToStringOutput()
	if r := args.Replication; r != nil {
		// Protected with the file system: deleting the configuration is the
		// failover itself (the replica becomes writable), never a side effect.
		replication, err := efs.NewReplicationConfiguration(ctx, name+"-replication", &efs.ReplicationConfigurationArgs{
			SourceFileSystemId: fs.id,
			Destination: &efs.ReplicationConfigurationDestinationArgs{
				Region:   pulumi.String(r.Region),
				KmsKeyId: r.KeyArn,
			},
		}, parent, pulumi.Protect(args.Protect))
		if err != nil {
			return nil, err
		}
		c.ReplicaFileSystemId = replication.Destination.FileSystemId().Elem()
	}

	c.FileSystemId = fs.id
	c.FileSystemArn = fsArn
	c.SecurityGroupId = sg.ID().ToStringOutput()
	c.DnsName = pulumi.Sprintf("%s.efs.%s.%s", fs.id, env.Region, env.DNSSuffix)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"fileSystemId":        c.FileSystemId,
		"fileSystemArn":       c.FileSystemArn,
		"securityGroupId":     c.SecurityGroupId,
		"dnsName":             c.DnsName,
		"replicaFileSystemId": c.ReplicaFileSystemId,
	})
}

// perAZ checks, once the ids are known, that there is exactly one subnet per
// AZ: indexing a short list would silently yield an empty subnet id.
func perAZ(ids pulumi.StringArrayInput, azs []string) pulumi.StringArrayOutput {
	return ids.ToStringArrayOutput().ApplyT(func(v []string) ([]string, error) {
		if len(v) != len(azs) {
			return nil, fmt.Errorf("storage: %d app subnets for %d AZs %v; need one per AZ", len(v), len(azs), azs)
		}
		return v, nil
	}).(pulumi.StringArrayOutput)
}
