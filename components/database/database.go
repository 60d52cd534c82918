// Package database creates the Aurora MySQL 3 cluster Morpheus keeps its state
// in: a writer and readers spread over the private-data subnets' AZs, encrypted
// with the data key, TLS-only, audited, and reachable only from the client
// security groups. It does not create the Morpheus schema or user; the ops
// function does that through the master secret RDS manages.
package database

import (
	"errors"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:database:Database"

const (
	// MasterUsername is the RDS-managed master user; not "admin" (RDS.24).
	MasterUsername = "morpheusroot"
	// PerformanceInsightsRetentionDays is the free tier of Performance Insights.
	PerformanceInsightsRetentionDays = 7
	// extendedSupportDisabled keeps the cluster off paid RDS Extended Support.
	extendedSupportDisabled = "open-source-rds-extended-support-disabled"
)

// LogExports are the logs the cluster sends to CloudWatch Logs (RDS.34 needs audit).
var LogExports = []string{"audit", "error", "slowquery"}

// Database is the component.
type Database struct {
	pulumi.ResourceState

	// Endpoint is the writer endpoint (mysql['host']); it resolves once every
	// instance exists, so consumers never start against an empty cluster.
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	// ReaderEndpoint balances over the readers.
	ReaderEndpoint pulumi.StringOutput `pulumi:"readerEndpoint"`
	// Port is the port the cluster listens on.
	Port pulumi.IntOutput `pulumi:"port"`
	// InstanceIdentifiers are the instances' identifiers, writer first (alarms).
	InstanceIdentifiers pulumi.StringArrayOutput `pulumi:"instanceIdentifiers"`
	// SecurityGroupId is the cluster's own security group.
	SecurityGroupId pulumi.StringOutput `pulumi:"securityGroupId"`
	// ClusterArn is the cluster's ARN (backup selections, alarms).
	ClusterArn pulumi.StringOutput `pulumi:"clusterArn"`
	// ClusterIdentifier is the cluster's identifier (metrics dimension).
	ClusterIdentifier pulumi.StringOutput `pulumi:"clusterIdentifier"`
	// MasterSecretArn is the RDS-managed master user secret, encrypted with the
	// secrets key; only the ops function that bootstraps the schema reads it.
	// Empty while the cluster is a standby secondary (its master user is the
	// global database's).
	MasterSecretArn pulumi.StringOutput `pulumi:"masterSecretArn"`
	// GlobalClusterIdentifier is the global database the cluster is the
	// primary of (Args.Global), empty otherwise: what a DR stack joins.
	GlobalClusterIdentifier pulumi.StringOutput `pulumi:"globalClusterIdentifier"`
}

// NewDatabase creates the cluster, its instances and everything they need.
func NewDatabase(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		return nil, errors.New("database: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Database{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c), identifier: Identifier(args.Namer)}

	sg, err := b.securityGroup()
	if err != nil {
		return nil, err
	}
	subnets, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Name:        pulumi.String(b.identifier),
		Description: pulumi.String("Aurora MySQL: private-data subnets, no internet route"),
		SubnetIds:   args.SubnetIds,
	}, b.parent)
	if err != nil {
		return nil, err
	}
	params, err := b.clusterParameterGroup()
	if err != nil {
		return nil, err
	}
	logGroups, err := b.logGroups()
	if err != nil {
		return nil, err
	}
	monitoringRole, monitoringPolicy, err := b.monitoringRole()
	if err != nil {
		return nil, err
	}
	cluster, err := b.cluster(sg, subnets, params, logGroups)
	if err != nil {
		return nil, err
	}
	instances, err := b.instances(cluster, subnets, monitoringRole, monitoringPolicy)
	if err != nil {
		return nil, err
	}
	c.GlobalClusterIdentifier = pulumi.String("").ToStringOutput()
	if args.Global {
		global, err := b.globalCluster(cluster)
		if err != nil {
			return nil, err
		}
		c.GlobalClusterIdentifier = global.GlobalClusterIdentifier
	}

	c.Endpoint = afterInstances(cluster.Endpoint, instances)
	c.ReaderEndpoint = afterInstances(cluster.ReaderEndpoint, instances)
	c.Port = cluster.Port
	ids := pulumi.StringArray{}
	for _, in := range instances {
		ids = append(ids, in.Identifier)
	}
	c.InstanceIdentifiers = ids.ToStringArrayOutput()
	c.SecurityGroupId = sg.ID().ToStringOutput()
	c.ClusterArn = cluster.Arn
	c.ClusterIdentifier = cluster.ClusterIdentifier
	c.MasterSecretArn = cluster.MasterUserSecrets.ApplyT(masterSecretArn).(pulumi.StringOutput)
	if args.MasterSecretArn != nil {
		// The stack's own secret, known without asking the cluster.
		c.MasterSecretArn = args.MasterSecretArn.ToStringOutput()
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"instanceIdentifiers":     c.InstanceIdentifiers,
		"endpoint":                c.Endpoint,
		"readerEndpoint":          c.ReaderEndpoint,
		"port":                    c.Port,
		"securityGroupId":         c.SecurityGroupId,
		"clusterArn":              c.ClusterArn,
		"clusterIdentifier":       c.ClusterIdentifier,
		"masterSecretArn":         c.MasterSecretArn,
		"globalClusterIdentifier": c.GlobalClusterIdentifier,
	})
}

// builder carries what every part of the database needs.
type builder struct {
	ctx        *pulumi.Context
	name       string
	args       *Args
	parent     pulumi.ResourceOption
	identifier string
}

// afterInstances returns value once every instance exists, carrying their
// dependencies to whoever consumes it.
func afterInstances(value pulumi.StringOutput, instances []*rds.ClusterInstance) pulumi.StringOutput {
	deps := []any{value}
	for _, in := range instances {
		deps = append(deps, in.ID())
	}
	return pulumi.All(deps...).ApplyT(func(xs []any) string { return xs[0].(string) }).(pulumi.StringOutput)
}

// masterSecretArn is the RDS-managed master secret's ARN, or empty when RDS
// manages none (a standby secondary).
func masterSecretArn(secrets []rds.ClusterMasterUserSecret) string {
	if len(secrets) == 0 || secrets[0].SecretArn == nil {
		return ""
	}
	return *secrets[0].SecretArn
}
