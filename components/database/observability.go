package database

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// AuditLog is the export that is audit evidence: its group is protected and
// retained as Args say.
const AuditLog = "audit"

// logGroups creates the groups RDS exports into, named as RDS requires.
func (b *builder) logGroups() ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, kind := range LogExports {
		opts := []pulumi.ResourceOption{b.parent}
		if kind == AuditLog {
			opts = append(opts, pulumi.Protect(b.args.Protect), pulumi.RetainOnDelete(b.args.RetainAuditLogs))
		}
		g, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-log-"+kind, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(LogGroupName(b.identifier, kind)),
			RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
			KmsKeyId:        b.args.LogsKeyArn,
		}, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// LogGroupName is where RDS exports one log of a cluster; the name is fixed by
// RDS, not by the project's naming scheme.
func LogGroupName(clusterIdentifier, kind string) string {
	return fmt.Sprintf("/aws/rds/cluster/%s/%s", clusterIdentifier, kind)
}

// monitoringRole lets RDS publish enhanced-monitoring metrics. It returns the
// role and its policy attachment, which instances must wait for: RDS checks the
// role's permissions when monitoring is switched on.
func (b *builder) monitoringRole() (*iam.Role, *iam.RolePolicyAttachment, error) {
	env := b.args.Env
	// RDS names the monitored instance as source (confused deputy).
	trust := iampolicy.ServiceTrust("RDSMonitoringAssume", env.ServicePrincipal("monitoring.rds"), env.AccountID, env.ARN("rds", "db:*"))
	role, err := iam.NewRole(b.ctx, b.name+"-monitoring-role", &iam.RoleArgs{
		Name:             pulumi.String(b.args.Namer.Name(naming.IAMRole, "rds-monitoring")),
		Description:      pulumi.String("Publishes Aurora enhanced-monitoring metrics"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, b.parent)
	if err != nil {
		return nil, nil, err
	}
	attachment, err := iam.NewRolePolicyAttachment(b.ctx, b.name+"-monitoring-policy", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(MonitoringPolicyArn(env.Partition)),
	}, b.parent)
	return role, attachment, err
}

// MonitoringPolicyArn is the AWS managed policy enhanced monitoring needs.
func MonitoringPolicyArn(partition string) string {
	return fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", partition)
}
