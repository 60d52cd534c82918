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
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/nodeparams"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:datatier:DataTier"

// MorpheusVhost is the RabbitMQ virtual host Morpheus uses (created by the ops function).
const MorpheusVhost = "morpheus"

// Args configures the data tier from the typed configuration, the network and
// the keys.
type Args struct {
	Config *config.Config
	Namer  naming.Namer
	Env    awsenv.Env
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
	// MorpheusVersion is published for the nodes next to the service endpoints.
	MorpheusVersion string
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

	FileSystemId       pulumi.StringOutput
	FileSystemArn      pulumi.StringOutput
	EFSSecurityGroupId pulumi.StringOutput

	MQHost          pulumi.StringOutput
	MQPort          pulumi.IntOutput
	MQManagementURL pulumi.StringOutput
	MQBrokerArn     pulumi.StringOutput
	MQBrokerName    pulumi.StringOutput
	// MQBrokerId names the broker's own log group (messaging.GeneralLogGroup).
	MQBrokerId        pulumi.StringOutput
	MQSecurityGroupId pulumi.StringOutput

	SearchEndpoint        pulumi.StringOutput
	SearchDomainName      pulumi.StringOutput
	SearchDomainArn       pulumi.StringOutput
	SearchSecurityGroupId pulumi.StringOutput

	// SecretArns maps each credential's purpose to its secret's ARN.
	SecretArns pulumi.StringMapOutput
	// SecretNames maps each credential's purpose to its secret's name (plain).
	SecretNames map[secrets.Purpose]string
	// ParameterPrefix is "/<project>/<stack>/" (plain, for IAM policies).
	ParameterPrefix string
}

// DataTier is the component.
type DataTier struct {
	pulumi.ResourceState
	// Outputs is the typed hand-over to the app tier.
	Outputs Outputs
}

func (a *Args) validate() error {
	switch {
	case a.Config == nil:
		return errors.New("datatier: Config is required")
	case a.VpcId == nil || a.AppSubnetIds == nil || a.DataSubnetIds == nil:
		return errors.New("datatier: VpcId, AppSubnetIds and DataSubnetIds are required")
	case a.AppSecurityGroupId == nil || a.OpsSecurityGroupId == nil:
		return errors.New("datatier: AppSecurityGroupId and OpsSecurityGroupId are required")
	case a.DataKeyArn == nil || a.SecretsKeyArn == nil || a.LogsKeyArn == nil:
		return errors.New("datatier: DataKeyArn, SecretsKeyArn and LogsKeyArn are required")
	case len(a.AZNames) != a.Config.Network.AZCount:
		return errors.New("datatier: AZNames must list network.azCount zones")
	case a.MorpheusVersion == "":
		return errors.New("datatier: MorpheusVersion is required")
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
	cfg := args.Config
	protect := cfg.Protect()
	clients := pulumi.StringArray{args.AppSecurityGroupId, args.OpsSecurityGroupId}

	creds, err := secrets.NewSecrets(ctx, name+"-secrets", &secrets.Args{
		Namer: args.Namer, SecretsKeyArn: args.SecretsKeyArn, Protect: protect,
		// The appliance setup's admin password, only when the setup is on.
		ApplianceAdmin:         cfg.Ops.ApplianceSetup.Enabled,
		ApplianceAdminUsername: cfg.Ops.ApplianceSetup.AdminUsername,
	}, parent)
	if err != nil {
		return nil, err
	}
	db, err := database.NewDatabase(ctx, name+"-db", &database.Args{
		Namer: args.Namer, Env: args.Env, VpcId: args.VpcId, SubnetIds: args.DataSubnetIds, AZNames: args.AZNames,
		ClientSecurityGroupIds: clients,
		DataKeyArn:             args.DataKeyArn, SecretsKeyArn: args.SecretsKeyArn, LogsKeyArn: args.LogsKeyArn,
		LogRetentionDays:    cfg.Logs.RetentionDays,
		EngineVersion:       cfg.Database.EngineVersion,
		InstanceClass:       cfg.Database.InstanceClass,
		InstanceCount:       cfg.Database.InstanceCount,
		Port:                cfg.Database.Port,
		BackupRetentionDays: cfg.Database.BackupRetentionDays,
		BackupWindow:        cfg.Database.BackupWindow,
		MaintenanceWindow:   cfg.Database.MaintenanceWindow,
		MonitoringInterval:  cfg.Database.MonitoringInterval,
		CACertIdentifier:    cfg.Database.CACertIdentifier,
		AppMaxNodes:         cfg.App.MaxNodes,
		MaxConnections:      database.MaxConnectionsFor(cfg.App.MaxNodes),
		Protect:             protect,
	}, parent)
	if err != nil {
		return nil, err
	}
	// Only the app nodes mount the shared file system.
	efs, err := storage.NewStorage(ctx, name+"-efs", &storage.Args{
		Namer: args.Namer, Env: args.Env, VpcId: args.VpcId, AZNames: args.AZNames, AppSubnetIds: args.AppSubnetIds,
		ClientSecurityGroupIds: pulumi.StringArray{args.AppSecurityGroupId},
		DataKeyArn:             args.DataKeyArn, ThroughputMode: cfg.Storage.ThroughputMode, Protect: protect,
	}, parent)
	if err != nil {
		return nil, err
	}
	mq, err := messaging.NewMessaging(ctx, name+"-mq", &messaging.Args{
		Namer: args.Namer, VpcId: args.VpcId, DataSubnetIds: args.DataSubnetIds, ClientSecurityGroupIds: clients,
		EngineVersion: cfg.Messaging.EngineVersion, InstanceType: cfg.Messaging.InstanceType,
		DeploymentMode: cfg.Messaging.DeploymentMode,
		MaintenanceWindow: messaging.MaintenanceWindow{
			DayOfWeek: cfg.Messaging.MaintenanceWindow.DayOfWeek,
			TimeOfDay: cfg.Messaging.MaintenanceWindow.TimeOfDay,
			TimeZone:  cfg.Messaging.MaintenanceWindow.TimeZone,
		},
		AdminUsername: secrets.Username(secrets.MQAdmin), AdminPassword: creds.MQAdminPassword(),
		Protect: protect,
	}, parent)
	if err != nil {
		return nil, err
	}
	searchDomain, err := search.NewSearch(ctx, name+"-search", &search.Args{
		Namer: args.Namer, Env: args.Env, VpcId: args.VpcId, SubnetIds: args.DataSubnetIds, AZCount: len(args.AZNames),
		ClientSecurityGroupIds: clients,
		EngineVersion:          cfg.Search.EngineVersion, DataInstanceType: cfg.Search.DataInstanceType,
		DataNodeCount: cfg.Search.DataNodeCount, DedicatedMasterCount: cfg.Search.DedicatedMasterCount,
		MasterInstanceType: cfg.Search.MasterInstanceType, VolumeSize: cfg.Search.VolumeSize,
		MasterUsername: secrets.Username(secrets.OpenSearchMaster), MasterPassword: creds.OpenSearchMasterPassword(),
		DataKeyArn: args.DataKeyArn, LogsKeyArn: args.LogsKeyArn, LogRetentionDays: cfg.Logs.RetentionDays,
		Protect: protect,
	}, parent)
	if err != nil {
		return nil, err
	}

	params, err := parameters.NewParameters(ctx, name+"-params", &parameters.Args{
		Namer:  args.Namer,
		KeyArn: args.SecretsKeyArn,
		Values: map[string]pulumi.StringInput{
			nodeparams.DBEndpoint:     db.Endpoint,
			nodeparams.DBPort:         pulumi.Sprintf("%d", db.Port),
			nodeparams.DBName:         db.DatabaseName,
			nodeparams.MQHost:         mq.Host,
			nodeparams.MQPort:         pulumi.Sprintf("%d", mq.Port),
			nodeparams.MQVhost:        pulumi.String(MorpheusVhost),
			nodeparams.SearchEndpoint: searchDomain.Endpoint,
			nodeparams.SearchDomain:   searchDomain.DomainName,
			nodeparams.EFSId:          efs.FileSystemId,
			nodeparams.ApplianceURL:   pulumi.String(cfg.ApplianceURL()),
			nodeparams.MorpheusVer:    pulumi.String(args.MorpheusVersion),
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	c.Outputs = Outputs{
		DBEndpoint: db.Endpoint, DBPort: db.Port, DBSecurityGroupId: db.SecurityGroupId, DBClusterArn: db.ClusterArn,
		DBClusterIdentifier: db.ClusterIdentifier, DBMasterSecretArn: db.MasterSecretArn,
		DBInstanceIds: db.InstanceIdentifiers,
		FileSystemId:  efs.FileSystemId, FileSystemArn: efs.FileSystemArn, EFSSecurityGroupId: efs.SecurityGroupId,
		MQHost: mq.Host, MQPort: mq.Port, MQManagementURL: mq.ManagementUrl, MQBrokerArn: mq.BrokerArn, MQBrokerName: mq.BrokerName, MQBrokerId: mq.BrokerId,
		MQSecurityGroupId: mq.SecurityGroupId,
		SearchEndpoint:    searchDomain.Endpoint, SearchDomainName: searchDomain.DomainName, SearchDomainArn: searchDomain.DomainArn,
		SearchSecurityGroupId: searchDomain.SecurityGroupId,
		SecretArns:            creds.SecretArns, SecretNames: creds.Names,
		ParameterPrefix: params.Prefix,
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"dbEndpoint":     db.Endpoint,
		"fileSystemId":   efs.FileSystemId,
		"mqHost":         mq.Host,
		"searchEndpoint": searchDomain.Endpoint,
		"secretArns":     creds.SecretArns,
	})
}
