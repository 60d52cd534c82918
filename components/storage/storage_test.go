package storage_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	fsType     = "aws:efs/fileSystem:FileSystem"
	mountType  = "aws:efs/mountTarget:MountTarget"
	backupType = "aws:efs/backupPolicy:BackupPolicy"
	policyType = "aws:efs/fileSystemPolicy:FileSystemPolicy"
	sgType     = "aws:ec2/securityGroup:SecurityGroup"
	region     = "eu-west-1"
	dataKey    = "arn:aws:kms:eu-west-1:123456789012:key/data-key"
	logsKey    = "arn:aws:kms:eu-west-1:123456789012:key/logs-key"
	appSG      = "sg-app-nodes"
	opsSG      = "sg-ops-function"
)

var env = awsenv.Env{AccountID: testutil.AccountID, Partition: "aws", Region: region, DNSSuffix: "amazonaws.com"}

// outputs are the component's outputs, read after the run.
type outputs struct{ id, arn, sg, dns string }

func args(azs []string, protect bool, mode string) *storage.Args {
	subnets := pulumi.StringArray{}
	for _, az := range azs {
		subnets = append(subnets, pulumi.String("subnet-app-"+az))
	}
	return &storage.Args{
		Namer:                  naming.Namer{Project: "morpheus-ha", Stack: "test"},
		Env:                    env,
		VpcId:                  pulumi.String("vpc-1"),
		AZNames:                azs,
		AppSubnetIds:           subnets,
		ClientSecurityGroupIds: pulumi.StringArray{pulumi.String(appSG), pulumi.String(opsSG)},
		DataKeyArn:             pulumi.String(dataKey),
		ThroughputMode:         mode,
		Protect:                protect,
	}
}

func run(t *testing.T, a *storage.Args) (*testutil.Recorder, *outputs) {
	t.Helper()
	out := &outputs{}
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		s, err := storage.NewStorage(ctx, "storage", a)
		if err != nil {
			return err
		}
		s.FileSystemId.ApplyT(func(v string) string { out.id = v; return v })
		s.FileSystemArn.ApplyT(func(v string) string { out.arn = v; return v })
		s.SecurityGroupId.ApplyT(func(v string) string { out.sg = v; return v })
		s.DnsName.ApplyT(func(v string) string { out.dns = v; return v })
		return nil
	}, testutil.Options{Config: map[string]string{"aws:region": region}})
	return rec, out
}

func TestFileSystem(t *testing.T) {
	for _, tc := range []struct {
		env     string
		azs     []string
		protect bool
		mode    string
	}{
		{env: "prod", azs: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, protect: true, mode: "elastic"},
		{env: "dev", azs: []string{"eu-west-1a", "eu-west-1b"}, protect: false, mode: "bursting"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			rec, out := run(t, args(tc.azs, tc.protect, tc.mode))
			fss := rec.ByType(fsType)
			require.Len(t, fss, 1)
			fs := fss[0]
			component := rec.Find(storage.TypeToken, "storage")
			require.NotNil(t, component)
			assert.Equal(t, component.URN, fs.Parent)

			in := fs.Inputs
			assert.True(t, in["encrypted"].BoolValue(), "encrypted at rest")
			assert.Equal(t, dataKey, in["kmsKeyId"].StringValue(), "encrypted with the data key, not the AWS-managed one")
			assert.Equal(t, "generalPurpose", in["performanceMode"].StringValue())
			assert.Equal(t, tc.mode, in["throughputMode"].StringValue())
			assert.False(t, in.HasValue("availabilityZoneName"), "regional, not One Zone")
			if v, ok := in["lifecyclePolicies"]; ok {
				assert.True(t, v.IsNull() || (v.IsArray() && len(v.ArrayValue()) == 0),
					"Morpheus requires no IA/Archive transitions, got %v", v)
			}
			assert.Equal(t, tc.protect, fs.Protect, "protect flag")

			bps := rec.ByType(backupType)
			require.Len(t, bps, 1)
			assert.Equal(t, "ENABLED", bps[0].Inputs["backupPolicy"].ObjectValue()["status"].StringValue())
			assert.Equal(t, out.id, bps[0].Inputs["fileSystemId"].StringValue())

			assert.Equal(t, out.id+".efs."+region+".amazonaws.com", out.dns)
			assert.Equal(t, "storage-fs-id", out.id)
			assert.Equal(t, "storage-sg-id", out.sg)
		})
	}
}

func TestMountTargetInEveryAppSubnet(t *testing.T) {
	azs := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	rec, out := run(t, args(azs, true, "elastic"))
	mts := rec.ByType(mountType)
	require.Len(t, mts, len(azs))
	for _, az := range azs {
		mt := rec.Find(mountType, "storage-mount-"+az)
		require.NotNil(t, mt, "mount target in %s", az)
		assert.Equal(t, "subnet-app-"+az, mt.Inputs["subnetId"].StringValue(), "each AZ mounts from its own app subnet")
		assert.Equal(t, out.id, mt.Inputs["fileSystemId"].StringValue())
		assert.Equal(t, []string{out.sg}, testutil.Strs(mt.Inputs, "securityGroups"), "behind the component's own group only")
		assert.False(t, mt.Protect, "mount targets hold no data")
	}
}

func TestSubnetCountMustMatchAZs(t *testing.T) {
	a := args([]string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, false, "elastic")
	a.AppSubnetIds = pulumi.StringArray{pulumi.String("subnet-a"), pulumi.String("subnet-b")}
	_, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := storage.NewStorage(ctx, "storage", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": region}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "need one per AZ")
}

func TestSecurityGroupAllowsNFSFromClientGroupsOnly(t *testing.T) {
	rec, _ := run(t, args([]string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, true, "elastic"))
	sg := rec.Find(sgType, "storage-sg")
	require.NotNil(t, sg)
	assert.Equal(t, "vpc-1", sg.Inputs["vpcId"].StringValue())
	ingress := sg.Inputs["ingress"].ArrayValue()
	require.Len(t, ingress, 1)
	rule := ingress[0].ObjectValue()
	assert.Equal(t, "tcp", rule["protocol"].StringValue())
	assert.Equal(t, float64(storage.NFSPort), rule["fromPort"].NumberValue())
	assert.Equal(t, float64(storage.NFSPort), rule["toPort"].NumberValue())
	assert.Equal(t, []string{appSG, opsSG}, testutil.Strs(rule, "securityGroups"))
	assert.Empty(t, testutil.Strs(rule, "cidrBlocks"), "no CIDR sources")
	assert.Empty(t, testutil.Strs(rule, "ipv6CidrBlocks"), "no CIDR sources")
	assert.NotEmpty(t, rule["description"].StringValue())
	assert.Empty(t, sg.Inputs["egress"].V, "no egress rules")
}

func TestFileSystemPolicy(t *testing.T) {
	rec, out := run(t, args([]string{"eu-west-1a", "eu-west-1b"}, false, "elastic"))
	pols := rec.ByType(policyType)
	require.Len(t, pols, 1)
	assert.Equal(t, out.id, pols[0].Inputs["fileSystemId"].StringValue())
	assert.False(t, pols[0].Inputs.HasValue("bypassPolicyLockoutSafetyCheck"), "keep the lockout safety check")

	var doc iampolicy.Document
	require.NoError(t, json.Unmarshal([]byte(pols[0].Inputs["policy"].StringValue()), &doc))
	assert.Equal(t, iampolicy.Version, doc.Version)

	var tlsDeny, allow *iampolicy.Statement
	for i, s := range doc.Statement {
		assert.Equal(t, []string{out.arn}, s.Resource, "%s names this file system", s.Sid)
		for _, keys := range s.Condition {
			assert.NotContains(t, keys, "aws:PrincipalAccount", "EFS does not enforce that key for NFS clients")
		}
		switch {
		case s.Effect == "Deny" && s.Condition["Bool"]["aws:SecureTransport"] == "false":
			tlsDeny = &doc.Statement[i]
		case s.Effect == "Allow":
			require.Nil(t, allow, "one Allow statement")
			allow = &doc.Statement[i]
		}
	}
	require.NotNil(t, tlsDeny, "a statement denies non-TLS access")
	assert.Equal(t, map[string]any{"AWS": "*"}, tlsDeny.Principal, "whoever asks")
	assert.Equal(t, []string{"*"}, tlsDeny.Action, "every action")

	require.NotNil(t, allow)
	root := fmt.Sprintf("arn:aws:iam::%s:root", testutil.AccountID)
	assert.Equal(t, map[string]any{"AWS": root}, allow.Principal, "only this account's principals, never anonymous")
	assert.ElementsMatch(t, storage.ClientActions, allow.Action)
	assert.Contains(t, allow.Action, "elasticfilesystem:ClientRootAccess", "morpheus-ctl chowns as root")
	assert.Equal(t, "true", allow.Condition["Bool"]["elasticfilesystem:AccessedViaMountTarget"])
}

func TestClientStatementGrantsMountThroughMountTargets(t *testing.T) {
	arn := "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1"
	s := storage.ClientStatement(arn)
	assert.Equal(t, "Allow", s.Effect)
	assert.Nil(t, s.Principal, "an identity-policy statement names no principal")
	assert.Equal(t, []string{arn}, s.Resource)
	assert.ElementsMatch(t, storage.ClientActions, s.Action)
	assert.Equal(t, "true", s.Condition["Bool"]["elasticfilesystem:AccessedViaMountTarget"])
}

func TestRejectsBadArgs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*storage.Args)
		want   string
	}{
		{"one AZ", func(a *storage.Args) { a.AZNames = a.AZNames[:1] }, "need 2 or 3"},
		{"duplicate AZ", func(a *storage.Args) { a.AZNames = []string{"eu-west-1a", "eu-west-1a"} }, "distinct"},
		{"no data key", func(a *storage.Args) { a.DataKeyArn = nil }, "DataKeyArn"},
		{"provisioned throughput", func(a *storage.Args) { a.ThroughputMode = "provisioned" }, "ThroughputMode"},
		{"no client groups", func(a *storage.Args) { a.ClientSecurityGroupIds = nil }, "ClientSecurityGroupIds"},
		{"no DNS suffix", func(a *storage.Args) { a.Env.DNSSuffix = "" }, "DNS suffix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args([]string{"eu-west-1a", "eu-west-1b"}, false, "elastic")
			tc.change(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": region}}, func(ctx *pulumi.Context) error {
				_, err := storage.NewStorage(ctx, "storage", a)
				return err
			}, tc.want)
		})
	}
}
