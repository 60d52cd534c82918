package database

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Args configures the cluster.
type Args struct {
	// Namer names the cluster, instances, groups and role.
	Namer naming.Namer
	// Env is the account and partition (monitoring role trust and policy ARN).
	Env awsenv.Env
	// VpcId is the VPC the security group lives in.
	VpcId pulumi.StringInput
	// SubnetIds are the private-data subnets, one per AZ.
	SubnetIds pulumi.StringArrayInput
	// AZNames are the subnets' AZs; instances go round-robin over them, writer first.
	AZNames []string
	// ClientSecurityGroupIds may reach the database port (app nodes, ops function).
	ClientSecurityGroupIds pulumi.StringArrayInput
	// DataKeyArn encrypts storage, snapshots and Performance Insights.
	DataKeyArn pulumi.StringInput
	// SecretsKeyArn encrypts the RDS-managed master user secret.
	SecretsKeyArn pulumi.StringInput
	// LogsKeyArn encrypts the exported log groups.
	LogsKeyArn pulumi.StringInput
	// LogRetentionDays is the exported log groups' retention.
	LogRetentionDays int
	// EngineVersion is 8.0.mysql_aurora.3.05.2 or later.
	EngineVersion string
	// InstanceClass is the class of every instance (db.*).
	InstanceClass string
	// InstanceCount is the writer plus readers.
	InstanceCount int
	// Port is the port the cluster listens on.
	Port int
	// BackupRetentionDays is 7 to 35.
	BackupRetentionDays int
	// BackupWindow is hh24:mi-hh24:mi (UTC).
	BackupWindow string
	// MaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi (UTC), not overlapping BackupWindow.
	MaintenanceWindow string
	// MonitoringInterval is the enhanced-monitoring period in seconds.
	MonitoringInterval int
	// CACertIdentifier is the CA of the instances' server certificates.
	CACertIdentifier string
	// MaxConnections is max_connections, sized by the caller for the app
	// group's maximum (config.MaxConnectionsFor).
	MaxConnections int
	// Protect guards cluster and instances against deletion and turns on
	// deletion protection (prod without allowDestroy). It also protects the
	// audit log group, which is evidence.
	Protect bool
	// FinalSnapshot takes a snapshot when the cluster is deleted (prod, even
	// with allowDestroy: a deliberate teardown must still keep the data).
	FinalSnapshot bool
	// RetainAuditLogs keeps the audit log group in AWS when Pulumi deletes it
	// (prod, whatever allowDestroy says), until its retention ends.
	RetainAuditLogs bool
	// Source is what the cluster starts from (restore mode); the zero value
	// is an empty cluster.
	Source Source
	// Global makes the cluster the primary of a new Aurora global database,
	// which a DR stack joins as a secondary.
	Global bool
	// MasterPassword, when set, is the master password the stack holds
	// instead of an RDS-managed one: required for a member of a global
	// database (Global or a global Source), for which RDS cannot manage it.
	// MasterSecretArn is the secret that holds it (the MasterSecretArn output).
	MasterPassword  pulumi.StringInput
	MasterSecretArn pulumi.StringInput
}

// InGlobalDatabase reports whether the cluster is, or was created as, a
// member of an Aurora global database.
func (a *Args) InGlobalDatabase() bool { return a.Global || a.Source.GlobalClusterIdentifier != "" }

// Source is a restored cluster's origin; at most one of its three kinds is set.
type Source struct {
	// SnapshotIdentifier restores a cluster snapshot (its ARN).
	SnapshotIdentifier string
	// SourceClusterIdentifier restores a point in time of that cluster:
	// RestoreTime (RFC 3339), or the latest restorable time when empty.
	SourceClusterIdentifier string
	RestoreTime             string
	// GlobalClusterIdentifier is the global database the cluster joined as a
	// secondary; Secondary says it still is one (standby). Once Secondary is
	// false the cluster is detached and promoted to a standalone writer.
	GlobalClusterIdentifier string
	Secondary               bool
}

// kinds counts the source kinds set.
func (s Source) kinds() int {
	n := 0
	for _, set := range []bool{s.SnapshotIdentifier != "", s.SourceClusterIdentifier != "", s.GlobalClusterIdentifier != ""} {
		if set {
			n++
		}
	}
	return n
}

// Identifier is the cluster identifier of a stack; the exported log groups'
// names derive from it.
func Identifier(n naming.Namer) string { return n.Name(naming.RDSIdentifier, "aurora") }

func (a *Args) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("database: "+format, args...)) }
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	} else if id := Identifier(a.Namer); id[0] < 'a' || id[0] > 'z' {
		add("cluster identifier %q must start with a letter", id)
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.DNSSuffix == "" {
		add("Env needs account, partition and DNS suffix, got %+v", a.Env)
	}
	for _, in := range []struct {
		field string
		set   bool
	}{
		{"VpcId", a.VpcId != nil}, {"SubnetIds", a.SubnetIds != nil},
		{"ClientSecurityGroupIds", a.ClientSecurityGroupIds != nil},
		{"DataKeyArn", a.DataKeyArn != nil}, {"SecretsKeyArn", a.SecretsKeyArn != nil}, {"LogsKeyArn", a.LogsKeyArn != nil},
	} {
		if !in.set {
			add("%s is required", in.field)
		}
	}
	seen := map[string]bool{}
	for _, az := range a.AZNames {
		if az == "" || seen[az] {
			add("AZNames must be distinct and non-empty, got %v", a.AZNames)
			break
		}
		seen[az] = true
	}
	if a.Source.kinds() > 1 {
		add("Source sets more than one of SnapshotIdentifier, SourceClusterIdentifier and GlobalClusterIdentifier: %+v", a.Source)
	}
	if a.Source.Secondary && a.Source.GlobalClusterIdentifier == "" {
		add("Source.Secondary needs the GlobalClusterIdentifier the cluster is a secondary of")
	}
	if a.InGlobalDatabase() && (a.MasterPassword == nil || a.MasterSecretArn == nil) {
		add("a global database member needs MasterPassword and MasterSecretArn: RDS cannot manage its master password in Secrets Manager")
	}
	if (a.MasterPassword == nil) != (a.MasterSecretArn == nil) {
		add("MasterPassword and MasterSecretArn go together")
	}
	if a.Global && a.Source.Secondary {
		add("Global: a secondary cluster cannot be the primary of another global database")
	}
	switch n := a.InstanceCount; {
	case a.Source.Secondary && (n < 0 || n > 1):
		add("InstanceCount %d: a standby secondary runs 0 (headless) or 1 instance", n)
	case a.Source.Secondary:
		// A standby secondary serves no one: its one AZ, or none, is the point.
	case n < 1 || n > aurora.MaxInstances:
		add("InstanceCount %d is outside 1..%d", n, aurora.MaxInstances)
	case n > 1 && len(a.AZNames) < 2:
		add("%d instances need at least 2 AZs to spread over, got %v", n, a.AZNames)
	case a.Protect && n < 2:
		add("a protected (prod) cluster needs a reader in another AZ: InstanceCount is %d", n)
	}
	if len(a.AZNames) == 0 {
		add("AZNames is required")
	}
	if a.LogRetentionDays <= 0 {
		add("LogRetentionDays %d must be positive", a.LogRetentionDays)
	}
	if _, err := aurora.ParseEngineVersion(a.EngineVersion); err != nil {
		add("EngineVersion %q: %v", a.EngineVersion, err)
	}
	if err := aurora.CheckInstanceClass(a.InstanceClass); err != nil {
		add("InstanceClass %q: %v", a.InstanceClass, err)
	}
	if err := aurora.CheckPort(a.Port); err != nil {
		add("Port %d: %v", a.Port, err)
	}
	if err := aurora.CheckBackupRetention(a.BackupRetentionDays); err != nil {
		add("BackupRetentionDays %d: %v", a.BackupRetentionDays, err)
	}
	backup, berr := aurora.ParseBackupWindow(a.BackupWindow)
	if berr != nil {
		add("BackupWindow %q: %v", a.BackupWindow, berr)
	}
	maint, merr := aurora.ParseMaintenanceWindow(a.MaintenanceWindow)
	if merr != nil {
		add("MaintenanceWindow %q: %v", a.MaintenanceWindow, merr)
	}
	if berr == nil && merr == nil && aurora.Overlaps(backup, maint) {
		add("MaintenanceWindow %q overlaps BackupWindow %q", a.MaintenanceWindow, a.BackupWindow)
	}
	if err := aurora.CheckMonitoringInterval(a.MonitoringInterval); err != nil {
		add("MonitoringInterval %d: %v", a.MonitoringInterval, err)
	}
	if err := aurora.CheckCACertIdentifier(a.CACertIdentifier); err != nil {
		add("CACertIdentifier %q: %v", a.CACertIdentifier, err)
	}
	if a.MaxConnections < 1 || a.MaxConnections > aurora.MaxConnectionsLimit {
		add("MaxConnections %d must be between 1 and %d", a.MaxConnections, aurora.MaxConnectionsLimit)
	}
	return errors.Join(errs...)
}
