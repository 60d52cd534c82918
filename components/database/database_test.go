package database_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/database"
	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	dataKey    = "arn:aws:kms:eu-west-1:123456789012:key/data-key"
	secretsKey = "arn:aws:kms:eu-west-1:123456789012:key/secrets-key"
	logsKey    = "arn:aws:kms:eu-west-1:123456789012:key/logs-key"

	tCluster    = "aws:rds/cluster:Cluster"
	tInstance   = "aws:rds/clusterInstance:ClusterInstance"
	tParams     = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	tSubnets    = "aws:rds/subnetGroup:SubnetGroup"
	tSG         = "aws:ec2/securityGroup:SecurityGroup"
	tLogGroup   = "aws:cloudwatch/logGroup:LogGroup"
	tRole       = "aws:iam/role:Role"
	tAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

var (
	azs        = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	dataSubnet = []string{"subnet-data-a", "subnet-data-b", "subnet-data-c"}
	clientSGs  = []string{"sg-app-nodes", "sg-ops-function"}
)

// argsFor returns the arguments the stack would pass in env.
func argsFor(env string) *database.Args {
	prod := env == "prod"
	a := &database.Args{
		Namer:                  naming.Namer{Project: testutil.Project, Stack: env},
		Env:                    testutil.Env(),
		VpcId:                  pulumi.String("vpc-123"),
		SubnetIds:              pulumi.ToStringArray(dataSubnet),
		AZNames:                azs,
		ClientSecurityGroupIds: pulumi.ToStringArray(clientSGs),
		DataKeyArn:             pulumi.String(dataKey),
		SecretsKeyArn:          pulumi.String(secretsKey),
		LogsKeyArn:             pulumi.String(logsKey),
		LogRetentionDays:       90,
		EngineVersion:          aurora.DefaultEngineVersion,
		InstanceClass:          "db.r6g.large",
		InstanceCount:          2,
		Port:                   3307,
		BackupRetentionDays:    14,
		BackupWindow:           aurora.DefaultBackupWindow,
		MaintenanceWindow:      aurora.DefaultMaintenanceWindow,
		MonitoringInterval:     60,
		CACertIdentifier:       aurora.DefaultCACertIdentifier,
		MaxConnections:         1050,
		Protect:                prod,
		FinalSnapshot:          prod,
	}
	if !prod {
		a.AZNames, a.SubnetIds = azs[:2], pulumi.ToStringArray(dataSubnet[:2])
		a.InstanceClass, a.InstanceCount, a.BackupRetentionDays = "db.t4g.medium", 1, 7
		a.MaxConnections = 450
	}
	return a
}

// outputs is what the program saw of the component's outputs.
type outputs struct {
	endpoint, reader, secret, ident, arn, sg string
	port                                     int
}

func run(t *testing.T, env string, mutate func(*database.Args)) (*testutil.Recorder, *outputs) {
	t.Helper()
	args := argsFor(env)
	if mutate != nil {
		mutate(args)
	}
	out := &outputs{}
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		db, err := database.NewDatabase(ctx, "database", args)
		if err != nil {
			return err
		}
		capture := func(o pulumi.StringOutput, into *string) {
			o.ApplyT(func(s string) string { *into = s; return s })
		}
		capture(db.Endpoint, &out.endpoint)
		capture(db.ReaderEndpoint, &out.reader)
		capture(db.MasterSecretArn, &out.secret)
		capture(db.ClusterIdentifier, &out.ident)
		capture(db.ClusterArn, &out.arn)
		capture(db.SecurityGroupId, &out.sg)
		db.Port.ApplyT(func(p int) int { out.port = p; return p })
		return nil
	}, testutil.Options{Config: testutil.BaseConfig(env)})
	return rec, out
}

func cluster(t *testing.T, rec *testutil.Recorder) *testutil.Resource {
	t.Helper()
	cs := rec.ByType(tCluster)
	require.Len(t, cs, 1)
	return cs[0]
}

func TestClusterEngineEncryptionAndBackups(t *testing.T) {
	rec, _ := run(t, "prod", nil)
	c := cluster(t, rec).Inputs
	assert.Equal(t, "aurora-mysql", testutil.Str(c, "engine"))
	assert.Equal(t, "8.0.mysql_aurora.3.10.3", testutil.Str(c, "engineVersion"))
	assert.Equal(t, "provisioned", testutil.Str(c, "engineMode"))
	assert.Equal(t, "open-source-rds-extended-support-disabled", testutil.Str(c, "engineLifecycleSupport"))
	assert.Equal(t, "morpheus-ha-prod-aurora", testutil.Str(c, "clusterIdentifier"))

	encrypted, _ := testutil.Flag(c, "storageEncrypted")
	assert.True(t, encrypted, "RDS.27")
	assert.Equal(t, dataKey, testutil.Str(c, "kmsKeyId"), "storage is encrypted with the data key")

	managed, _ := testutil.Flag(c, "manageMasterUserPassword")
	assert.True(t, managed, "RDS manages the master password")
	assert.Equal(t, secretsKey, testutil.Str(c, "masterUserSecretKmsKeyId"), "the master secret is encrypted with the secrets key")
	assert.NotEqual(t, "admin", testutil.Str(c, "masterUsername"), "RDS.24")
	assert.NotEmpty(t, testutil.Str(c, "masterUsername"))
	_, hasPassword := testutil.Get(c, "masterPassword")
	assert.False(t, hasPassword, "no master password passes through Pulumi")
	_, hasDB := testutil.Get(c, "databaseName")
	assert.False(t, hasDB, "the Morpheus schema is created later by the ops function")

	assert.Equal(t, float64(14), testutil.Num(c, "backupRetentionPeriod"))
	assert.Equal(t, "02:00-03:00", testutil.Str(c, "preferredBackupWindow"))
	assert.Equal(t, "sun:04:00-sun:05:00", testutil.Str(c, "preferredMaintenanceWindow"))
	for _, k := range []string{"copyTagsToSnapshot", "iamDatabaseAuthenticationEnabled"} {
		v, _ := testutil.Flag(c, k)
		assert.True(t, v, k)
	}
	assert.ElementsMatch(t, []string{"audit", "error", "slowquery"}, testutil.Strs(c, "enabledCloudwatchLogsExports"))
	assert.Equal(t, float64(3307), testutil.Num(c, "port"))

	subnets := rec.ByType(tSubnets)
	require.Len(t, subnets, 1)
	assert.Equal(t, testutil.Str(subnets[0].Inputs, "name"), testutil.Str(c, "dbSubnetGroupName"))
	assert.Equal(t, dataSubnet, testutil.Strs(subnets[0].Inputs, "subnetIds"), "instances live in the private-data subnets")
	sgs := rec.ByType(tSG)
	require.Len(t, sgs, 1)
	assert.Equal(t, []string{"database-sg-id"}, testutil.Strs(c, "vpcSecurityGroupIds"), "only the cluster's own group")
	params := rec.ByType(tParams)
	require.Len(t, params, 1)
	assert.Equal(t, testutil.Str(params[0].Inputs, "name"), testutil.Str(c, "dbClusterParameterGroupName"))
}

// TestProtection: Protect (lifted by allowDestroy) guards the resources, while
// FinalSnapshot (prod, whatever allowDestroy says) alone decides the snapshot.
func TestProtection(t *testing.T) {
	for _, tc := range []struct {
		name          string
		env           string
		protect       bool
		finalSnapshot bool
	}{
		{"prod", "prod", true, true},
		{"prod with allowDestroy", "prod", false, true},
		{"dev", "dev", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, _ := run(t, tc.env, func(a *database.Args) { a.Protect, a.FinalSnapshot = tc.protect, tc.finalSnapshot })
			cl := cluster(t, rec)
			assert.Equal(t, tc.protect, cl.Protect, "cluster protect")
			deletion, set := testutil.Flag(cl.Inputs, "deletionProtection")
			assert.True(t, set)
			assert.Equal(t, tc.protect, deletion, "RDS.7 deletion protection")
			skip, set := testutil.Flag(cl.Inputs, "skipFinalSnapshot")
			assert.True(t, set)
			assert.Equal(t, !tc.finalSnapshot, skip)
			if tc.finalSnapshot {
				assert.Equal(t, "morpheus-ha-prod-aurora-final", testutil.Str(cl.Inputs, "finalSnapshotIdentifier"))
			} else {
				_, has := testutil.Get(cl.Inputs, "finalSnapshotIdentifier")
				assert.False(t, has)
			}
			instances := rec.ByType(tInstance)
			require.NotEmpty(t, instances)
			for _, in := range instances {
				assert.Equal(t, tc.protect, in.Protect, "instance %s protect", in.Name)
			}
		})
	}
}

func TestInstancesSpreadPrivateAndMonitored(t *testing.T) {
	for _, tc := range []struct {
		name      string
		count     int
		wantAZs   []string
		distinct  int
		azs       []string
		protected bool
	}{
		{"prod writer and reader", 2, []string{"eu-west-1a", "eu-west-1b"}, 2, azs, true},
		{"one per AZ", 3, azs, 3, azs, true},
		{"round robin", 4, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"}, 3, azs, true},
		{"dev single", 1, []string{"eu-west-1a"}, 1, azs[:2], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := "prod"
			if !tc.protected {
				env = "dev"
			}
			rec, _ := run(t, env, func(a *database.Args) { a.InstanceCount, a.AZNames = tc.count, tc.azs })
			cl := cluster(t, rec)
			roles := rec.ByType(tRole)
			require.Len(t, roles, 1)
			attachments := rec.ByType(tAttachment)
			require.Len(t, attachments, 1)

			var got []string
			seen := map[string]bool{}
			writer := rec.Find(tInstance, "database-instance-1")
			require.NotNil(t, writer)
			for i := 1; i <= tc.count; i++ {
				in := rec.Find(tInstance, fmt.Sprintf("database-instance-%d", i))
				require.NotNil(t, in, i)
				p := in.Inputs
				az := testutil.Str(p, "availabilityZone")
				got = append(got, az)
				seen[az] = true

				assert.Equal(t, testutil.Str(cl.Inputs, "clusterIdentifier"), testutil.Str(p, "clusterIdentifier"))
				assert.Equal(t, "aurora-mysql", testutil.Str(p, "engine"))
				public, set := testutil.Flag(p, "publiclyAccessible")
				assert.True(t, set, "publiclyAccessible is explicit")
				assert.False(t, public, "RDS.2")
				amvu, _ := testutil.Flag(p, "autoMinorVersionUpgrade")
				assert.True(t, amvu, "RDS.13")
				pi, _ := testutil.Flag(p, "performanceInsightsEnabled")
				assert.True(t, pi)
				assert.Equal(t, dataKey, testutil.Str(p, "performanceInsightsKmsKeyId"), "Performance Insights uses the data key")
				assert.Equal(t, float64(7), testutil.Num(p, "performanceInsightsRetentionPeriod"))
				assert.Equal(t, float64(60), testutil.Num(p, "monitoringInterval"), "RDS.6")
				assert.Equal(t, "arn:aws:iam::123456789012:role/database-monitoring-role-id", testutil.Str(p, "monitoringRoleArn"))
				assert.Equal(t, "rds-ca-rsa2048-g1", testutil.Str(p, "caCertIdentifier"))
				assert.Equal(t, testutil.Str(rec.ByType(tSubnets)[0].Inputs, "name"), testutil.Str(p, "dbSubnetGroupName"))
				assert.Contains(t, in.DependsOn, attachments[0].URN, "monitoring needs the role's policy first")
				if i > 1 {
					assert.Contains(t, in.DependsOn, writer.URN, "readers follow the writer")
				}
			}
			assert.Equal(t, tc.wantAZs, got, "writer in the first AZ, then round-robin")
			assert.Len(t, seen, tc.distinct)
			if tc.protected {
				assert.GreaterOrEqual(t, len(seen), 2, "prod survives an AZ loss")
			}
		})
	}
}

func TestSecurityGroupOnlyFromClientGroups(t *testing.T) {
	for _, port := range []int{3307, 3306, 13306} {
		t.Run(strconv.Itoa(port), func(t *testing.T) {
			rec, _ := run(t, "prod", func(a *database.Args) { a.Port = port })
			sg := rec.ByType(tSG)
			require.Len(t, sg, 1)
			p := sg[0].Inputs
			assert.Equal(t, "vpc-123", testutil.Str(p, "vpcId"))
			ingress := testutil.Objs(p, "ingress")
			require.Len(t, ingress, 1)
			rule := ingress[0]
			assert.Equal(t, "tcp", testutil.Str(rule, "protocol"))
			assert.Equal(t, float64(port), testutil.Num(rule, "fromPort"))
			assert.Equal(t, float64(port), testutil.Num(rule, "toPort"))
			assert.ElementsMatch(t, clientSGs, testutil.Strs(rule, "securityGroups"))
			assert.Empty(t, testutil.Strs(rule, "cidrBlocks"), "sources are groups, never CIDRs")
			assert.Empty(t, testutil.Strs(rule, "ipv6CidrBlocks"))
			_, self := testutil.Get(rule, "self")
			assert.False(t, self)
			assert.NotEmpty(t, testutil.Str(rule, "description"))
			assert.Empty(t, testutil.Objs(p, "egress"), "the database opens no connections")
			assert.Equal(t, float64(port), testutil.Num(cluster(t, rec).Inputs, "port"), "the cluster listens where the group admits")
		})
	}
}

func TestClusterParameters(t *testing.T) {
	rec, _ := run(t, "prod", nil)
	pg := rec.ByType(tParams)
	require.Len(t, pg, 1)
	assert.Equal(t, "aurora-mysql8.0", testutil.Str(pg[0].Inputs, "family"))
	got := map[string]string{}
	for _, p := range testutil.Objs(pg[0].Inputs, "parameters") {
		got[testutil.Str(p, "name")] = testutil.Str(p, "value")
		_, pending := testutil.Get(p, "applyMethod")
		assert.False(t, pending && testutil.Str(p, "applyMethod") == "pending-reboot", "%s must apply without a reboot", testutil.Str(p, "name"))
	}
	assert.Equal(t, "ON", got["require_secure_transport"], "TLS only")
	assert.Equal(t, "utf8mb4", got["character_set_server"])
	assert.Equal(t, "utf8mb4_general_ci", got["collation_server"])
	assert.Equal(t, "1050", got["max_connections"], "150 x (6 nodes + 1)")
	assert.Equal(t, "1", got["server_audit_logging"])
	assert.Equal(t, "CONNECT,QUERY_DCL,QUERY_DDL", got["server_audit_events"])
	assert.Equal(t, "1", got["slow_query_log"])
	assert.Equal(t, "FILE", got["log_output"])
}

func TestLogGroupsExistBeforeTheCluster(t *testing.T) {
	rec, _ := run(t, "prod", nil)
	cl := cluster(t, rec)
	groups := rec.ByType(tLogGroup)
	require.Len(t, groups, 3)
	names := map[string]bool{}
	for _, g := range groups {
		names[testutil.Str(g.Inputs, "name")] = true
		assert.Equal(t, float64(90), testutil.Num(g.Inputs, "retentionInDays"))
		assert.Equal(t, logsKey, testutil.Str(g.Inputs, "kmsKeyId"), "log groups use the logs key")
		assert.Contains(t, cl.DependsOn, g.URN, "RDS must find %s, not create it", testutil.Str(g.Inputs, "name"))
	}
	for _, kind := range []string{"audit", "error", "slowquery"} {
		assert.True(t, names["/aws/rds/cluster/morpheus-ha-prod-aurora/"+kind], kind)
	}
}

func TestMonitoringRole(t *testing.T) {
	rec, _ := run(t, "prod", nil)
	role := rec.ByType(tRole)[0]
	var trust struct {
		Statement []struct {
			Principal map[string]any
			Action    []string
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(testutil.Str(role.Inputs, "assumeRolePolicy")), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, "monitoring.rds.amazonaws.com", trust.Statement[0].Principal["Service"])
	assert.Equal(t, []string{"sts:AssumeRole"}, trust.Statement[0].Action)
	assert.Equal(t, testutil.AccountID, trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
	assert.Equal(t, "arn:aws:rds:eu-west-1:"+testutil.AccountID+":db:*", trust.Statement[0].Condition["ArnLike"]["aws:SourceArn"],
		"only this account's DB instances in the stack's region")
	att := rec.ByType(tAttachment)[0]
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", testutil.Str(att.Inputs, "policyArn"))
}

func TestOutputs(t *testing.T) {
	_, out := run(t, "prod", nil)
	assert.Equal(t, "morpheus-ha-prod-aurora.cluster-mock.eu-west-1.rds.amazonaws.com", out.endpoint)
	assert.Equal(t, "morpheus-ha-prod-aurora.cluster-ro-mock.eu-west-1.rds.amazonaws.com", out.reader)
	assert.Equal(t, 3307, out.port)
	assert.Equal(t, "morpheus-ha-prod-aurora", out.ident)
	assert.Equal(t, "arn:aws:rds:eu-west-1:123456789012:cluster:morpheus-ha-prod-aurora", out.arn)
	assert.Contains(t, out.secret, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-")
	assert.Equal(t, "database-sg-id", out.sg)
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    string
		mutate func(*database.Args)
		want   string
	}{
		{"3.04", "prod", func(a *database.Args) { a.EngineVersion = "8.0.mysql_aurora.3.04.2" }, "8.0.32"},
		{"Aurora 2", "dev", func(a *database.Args) { a.EngineVersion = "5.7.mysql_aurora.2.12.1" }, "MySQL 8.0 only"},
		{"protected single instance", "prod", func(a *database.Args) { a.InstanceCount = 1 }, "reader in another AZ"},
		{"two instances one AZ", "dev", func(a *database.Args) { a.InstanceCount, a.AZNames = 2, azs[:1] }, "at least 2 AZs"},
		{"duplicate AZ", "prod", func(a *database.Args) { a.AZNames = []string{"eu-west-1a", "eu-west-1a"} }, "distinct"},
		{"no AZs", "dev", func(a *database.Args) { a.AZNames = nil }, "AZNames is required"},
		{"no backups", "dev", func(a *database.Args) { a.BackupRetentionDays = 0 }, "BackupRetentionDays 0"},
		{"bad window", "prod", func(a *database.Args) { a.BackupWindow = "02:00" }, "hh24:mi-hh24:mi"},
		{"overlap", "prod", func(a *database.Args) { a.BackupWindow = "04:30-05:30" }, "overlaps"},
		{"no db. prefix", "prod", func(a *database.Args) { a.InstanceClass = "r6g.large" }, "starts with db."},
		{"port", "prod", func(a *database.Args) { a.Port = 80 }, "Port 80"},
		{"monitoring off", "prod", func(a *database.Args) { a.MonitoringInterval = 0 }, "RDS.6"},
		{"CA", "prod", func(a *database.Args) { a.CACertIdentifier = "rds-ca-2019" }, "CACertIdentifier"},
		{"no connections", "prod", func(a *database.Args) { a.MaxConnections = 0 }, "between 1 and"},
		{"too many connections", "prod", func(a *database.Args) { a.MaxConnections = 20000 }, "16000"},
		{"no data key", "prod", func(a *database.Args) { a.DataKeyArn = nil }, "DataKeyArn is required"},
		{"no clients", "prod", func(a *database.Args) { a.ClientSecurityGroupIds = nil }, "ClientSecurityGroupIds is required"},
		{"no log retention", "prod", func(a *database.Args) { a.LogRetentionDays = 0 }, "LogRetentionDays"},
		{"no env", "prod", func(a *database.Args) { a.Env = awsenv.Env{} }, "Env needs"},
		{"identifier starts with digit", "prod", func(a *database.Args) { a.Namer.Project = "1morpheus" }, "must start with a letter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := argsFor(tc.env)
			tc.mutate(args)
			rec, err := testutil.Run(func(ctx *pulumi.Context) error {
				_, err := database.NewDatabase(ctx, "database", args)
				return err
			}, testutil.Options{Config: testutil.BaseConfig(tc.env)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.ByType(database.TypeToken), "nothing is registered before validation passes")
		})
	}
	_, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := database.NewDatabase(ctx, "database", nil)
		return err
	}, testutil.Options{Config: testutil.BaseConfig("dev")})
	assert.ErrorContains(t, err, "args are required")
}
