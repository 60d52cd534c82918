// Package datatier composes the four stateful services Morpheus needs (Aurora,
// EFS, Amazon MQ, OpenSearch), their generated credentials and the Parameter
// Store hierarchy the nodes read, and hands the app tier one typed struct of
// outputs. The app tier consumes only that struct, never a child resource.
package datatier

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/database"
	"github.com/morpheus-ha/morpheus-ha/components/messaging"
	"github.com/morpheus-ha/morpheus-ha/components/parameters"
	"github.com/morpheus-ha/morpheus-ha/components/search"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/components/storage"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/nodeparams"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:datatier:DataTier"

// Args configures the data tier: the services' own settings, built by the
// caller from the configuration, and the network, client groups and keys they
// are wired to. The data tier fills each service's wiring fields (VPC,
// subnets, clients, keys, passwords, protection) itself.
type Args struct {
	Namer naming.Namer
	Env   awsenv.Env
	// AZNames are the AZs, in subnet order.
	AZNames []string
	// VpcId, AppSubnetIds and DataSubnetIds come from the network.
	VpcId         pulumi.StringInput
	AppSubnetIds  pulumi.StringArrayInput
	DataSubnetIds pulumi.StringArrayInput
	// AppSecurityGroupId and OpsSecurityGroupId are the data tier's only clients.
	AppSecurityGroupId pulumi.StringInput
	OpsSecurityGroupId pulumi.StringInput
	// DataKeyArn, SecretsKeyArn and LogsKeyArn come from the keys.
	DataKeyArn    pulumi.StringInput
	SecretsKeyArn pulumi.StringInput
	LogsKeyArn    pulumi.StringInput
	// LogRetentionDays is every service log group's retention.
	LogRetentionDays int
	// Protect guards every stateful resource (prod without allowDestroy).
	Protect bool
	// KeepData keeps the data through a deliberate teardown: Aurora's final
	// snapshot and the secrets' 30-day recovery window (prod, whatever
	// allowDestroy says, which lifts only Protect).
	KeepData bool
	// RetainAuditLogs keeps the Aurora and OpenSearch audit log groups in AWS
	// when Pulumi deletes them (prod, whatever allowDestroy says).
	RetainAuditLogs bool

	// Secrets sets the optional appliance admin secret (ApplianceAdmin,
	// ApplianceAdminUsername).
	Secrets secrets.Args
	// Database, Storage, Messaging and Search are the services' settings.
	Database  database.Args
	Storage   storage.Args
	Messaging messaging.Args
	Search    search.Args

	// DatabaseName and Vhost are Morpheus' schema and virtual host, published
	// for the nodes next to the endpoints.
	DatabaseName, Vhost string
}

// Outputs is everything the app tier and the ops function need from the data tier.
type Outputs struct {
	DBEndpoint          pulumi.StringOutput
	DBPort              pulumi.IntOutput
	DBSecurityGroupId   pulumi.StringOutput
	DBClusterArn        pulumi.StringOutput
	DBClusterIdentifier pulumi.StringOutput
	DBMasterSecretArn   pulumi.StringOutput
	DBInstanceIds       pulumi.StringArrayOutput
	// DBGlobalClusterIdentifier is the global database the cluster is the
	// primary of; empty without database.globalCluster.
	DBGlobalClusterIdentifier pulumi.StringOutput
	// DBMasterStackHeld: DBMasterSecretArn is the stack's own DBMaster secret
	// (a global database member, where RDS cannot manage the password), which
	// the ops function guards and rotates; otherwise it is RDS's.
	DBMasterStackHeld bool

	FileSystemId       pulumi.StringOutput
	FileSystemArn      pulumi.StringOutput
	EFSSecurityGroupId pulumi.StringOutput
	// FileSystemReplicaId is the replication destination (empty without
	// replication): what a DR stack adopts.
	FileSystemReplicaId pulumi.StringOutput

	MQHost          pulumi.StringOutput
	MQManagementURL pulumi.StringOutput
	MQBrokerName    pulumi.StringOutput
	// MQBrokerId names the broker's own log group (messaging.GeneralLogGroup).
	MQBrokerId        pulumi.StringOutput
	MQSecurityGroupId pulumi.StringOutput

	SearchEndpoint        pulumi.StringOutput
	SearchDomainName      pulumi.StringOutput
	SearchSecurityGroupId pulumi.StringOutput

	// SecretArns maps each credential's purpose to its secret's ARN.
	SecretArns pulumi.StringMapOutput
	// ParameterNames maps each node parameter to its full name; it resolves
	// once every one of them exists.
	ParameterNames pulumi.StringMapOutput
}

// DataTier is the component.
type DataTier struct {
	pulumi.ResourceState
	// Outputs is the typed hand-over to the app tier.
	Outputs Outputs
}

func (a *Args) validate() error {
	switch {
	case a.VpcId == nil || a.AppSubnetIds == nil || a.DataSubnetIds == nil:
		return errors.New("datatier: VpcId, AppSubnetIds and DataSubnetIds are required")
	case a.AppSecurityGroupId == nil || a.OpsSecurityGroupId == nil:
		return errors.New("datatier: AppSecurityGroupId and OpsSecurityGroupId are required")
	case a.DataKeyArn == nil || a.SecretsKeyArn == nil || a.LogsKeyArn == nil:
		return errors.New("datatier: DataKeyArn, SecretsKeyArn and LogsKeyArn are required")
	case len(a.AZNames) < 2:
		return errors.New("datatier: AZNames must list at least two zones")
	case a.DatabaseName == "" || a.Vhost == "":
		return errors.New("datatier: DatabaseName and Vhost are required")
	}
	return nil
}

// NewDataTier creates the credentials, the four services and the parameters.
func NewDataTier(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*DataTier, error) {
	if args == nil {
		return nil, errors.New("datatier: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &DataTier{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	protect := args.Protect
	clients := pulumi.StringArray{args.AppSecurityGroupId, args.OpsSecurityGroupId}

	secretsArgs := args.Secrets
	secretsArgs.Namer, secretsArgs.SecretsKeyArn, secretsArgs.Protect = args.Namer, args.SecretsKeyArn, protect
	secretsArgs.KeepDeleted = args.KeepData
	secretsArgs.DatabaseMaster = args.Database.InGlobalDatabase()
	creds, err := secrets.NewSecrets(ctx, name+"-secrets", &secretsArgs, parent)
	if err != nil {
		return nil, err
	}
	dbArgs := args.Database
	if secretsArgs.DatabaseMaster {
		dbArgs.MasterPassword = creds.DBMasterPassword()
		dbArgs.MasterSecretArn = creds.SecretArns.MapIndex(pulumi.String(string(secrets.DBMaster)))
	}
	dbArgs.Namer, dbArgs.Env, dbArgs.VpcId, dbArgs.SubnetIds, dbArgs.AZNames = args.Namer, args.Env, args.VpcId, args.DataSubnetIds, args.AZNames
	dbArgs.ClientSecurityGroupIds = clients
	dbArgs.DataKeyArn, dbArgs.SecretsKeyArn, dbArgs.LogsKeyArn = args.DataKeyArn, args.SecretsKeyArn, args.LogsKeyArn
	dbArgs.LogRetentionDays, dbArgs.Protect = args.LogRetentionDays, protect
	dbArgs.FinalSnapshot, dbArgs.RetainAuditLogs = args.KeepData, args.RetainAuditLogs
	db, err := database.NewDatabase(ctx, name+"-db", &dbArgs, parent)
	if err != nil {
		return nil, err
	}
	// Only the app nodes mount the shared file system.
	efsArgs := args.Storage
	efsArgs.Namer, efsArgs.Env, efsArgs.VpcId, efsArgs.AZNames, efsArgs.AppSubnetIds = args.Namer, args.Env, args.VpcId, args.AZNames, args.AppSubnetIds
	efsArgs.ClientSecurityGroupIds = pulumi.StringArray{args.AppSecurityGroupId}
	efsArgs.DataKeyArn, efsArgs.Protect = args.DataKeyArn, protect
	efs, err := storage.NewStorage(ctx, name+"-efs", &efsArgs, parent)
	if err != nil {
		return nil, err
	}
	mqArgs := args.Messaging
	mqArgs.Namer, mqArgs.VpcId, mqArgs.DataSubnetIds = args.Namer, args.VpcId, args.DataSubnetIds
	// Nodes speak AMQPS only; the management API (every user and vhost) is the
	// ops function's alone.
	mqArgs.AmqpsClientSecurityGroupIds = pulumi.StringArray{args.AppSecurityGroupId}
	mqArgs.ManagementClientSecurityGroupIds = pulumi.StringArray{args.OpsSecurityGroupId}
	mqArgs.AdminUsername, mqArgs.AdminPassword = secrets.Username(secrets.MQAdmin), creds.MQAdminPassword()
	mqArgs.Protect = protect
	mq, err := messaging.NewMessaging(ctx, name+"-mq", &mqArgs, parent)
	if err != nil {
		return nil, err
	}
	searchArgs := args.Search
	searchArgs.Namer, searchArgs.Env, searchArgs.VpcId, searchArgs.SubnetIds = args.Namer, args.Env, args.VpcId, args.DataSubnetIds
	searchArgs.AZCount, searchArgs.ClientSecurityGroupIds = len(args.AZNames), clients
	searchArgs.MasterUsername, searchArgs.MasterPassword = secrets.Username(secrets.OpenSearchMaster), creds.OpenSearchMasterPassword()
	searchArgs.DataKeyArn, searchArgs.LogsKeyArn, searchArgs.LogRetentionDays = args.DataKeyArn, args.LogsKeyArn, args.LogRetentionDays
	searchArgs.Protect, searchArgs.RetainAuditLogs = protect, args.RetainAuditLogs
	searchDomain, err := search.NewSearch(ctx, name+"-search", &searchArgs, parent)
	if err != nil {
		return nil, err
	}

	// Exactly what the nodes read (nodeparams.All); nothing else.
	params, err := parameters.NewParameters(ctx, name+"-params", &parameters.Args{
		Namer:  args.Namer,
		KeyArn: args.SecretsKeyArn,
		Values: map[string]pulumi.StringInput{
			nodeparams.DBEndpoint:     db.Endpoint,
			nodeparams.DBPort:         pulumi.Sprintf("%d", db.Port),
			nodeparams.DBName:         pulumi.String(args.DatabaseName),
			nodeparams.MQHost:         mq.Host,
			nodeparams.MQPort:         pulumi.Sprintf("%d", mq.Port),
			nodeparams.MQVhost:        pulumi.String(args.Vhost),
			nodeparams.SearchEndpoint: searchDomain.Endpoint,
			nodeparams.SearchDomain:   searchDomain.DomainName,
			nodeparams.EFSId:          efs.FileSystemId,
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	c.Outputs = Outputs{
		DBEndpoint: db.Endpoint, DBPort: db.Port, DBSecurityGroupId: db.SecurityGroupId, DBClusterArn: db.ClusterArn,
		DBClusterIdentifier: db.ClusterIdentifier, DBMasterSecretArn: db.MasterSecretArn,
		DBInstanceIds: db.InstanceIdentifiers, DBGlobalClusterIdentifier: db.GlobalClusterIdentifier,
		DBMasterStackHeld: secretsArgs.DatabaseMaster,
		FileSystemId:      efs.FileSystemId, FileSystemArn: efs.FileSystemArn, EFSSecurityGroupId: efs.SecurityGroupId,
		FileSystemReplicaId: efs.ReplicaFileSystemId,
		MQHost:              mq.Host, MQManagementURL: mq.ManagementUrl, MQBrokerName: mq.BrokerName, MQBrokerId: mq.BrokerId,
		MQSecurityGroupId: mq.SecurityGroupId,
		SearchEndpoint:    searchDomain.Endpoint, SearchDomainName: searchDomain.DomainName,
		SearchSecurityGroupId: searchDomain.SecurityGroupId,
		SecretArns:            creds.SecretArns,
		ParameterNames:        params.Names,
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"dbEndpoint":     db.Endpoint,
		"fileSystemId":   efs.FileSystemId,
		"mqHost":         mq.Host,
		"searchEndpoint": searchDomain.Endpoint,
		"secretArns":     creds.SecretArns,
	})
}
