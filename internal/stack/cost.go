package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/components/cost"
	"github.com/morpheus-ha/morpheus-ha/components/datatier"
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/components/resilience"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// DrillStopAlarmKeys are the catalog keys of the alarms that stop every
// drill: load-balancer 5xx (users see errors) and unhealthy targets (nodes
// fail /ping). HealthyHostCount is left out on purpose: the node and AZ
// drills lower it by design.
var DrillStopAlarmKeys = []string{"albElb5xx", "albUnhealthyHosts"}

// scaleSchedule is the app tier's scheduled scale-in, or nil when off.
func scaleSchedule(cfg *config.Config) *apptier.ScaleSchedule {
	s := cfg.App.ScheduledScaleIn
	if !s.Enabled {
		return nil
	}
	return &apptier.ScaleSchedule{
		Timezone: s.Timezone, ScaleInCron: s.ScaleInCron, ScaleOutCron: s.ScaleOutCron, MinOutsideHours: s.MinOutsideHours,
	}
}

// newCost creates the budget and the anomaly alerts on the stack's tag, after
// monitoring, whose alerts topic admits their publishers.
func newCost(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, mon *monitoring.Monitoring,
	usEast1 pulumi.ProviderResource, opts ...pulumi.ResourceOption,
) (*cost.Cost, error) {
	var activate []string
	if cfg.Cost.ActivateAllocationTags {
		activate = config.AllocationTagKeys
	}
	var ce pulumi.ProviderResource
	if cfg.Region != cost.CostExplorerRegion {
		ce = usEast1
	}
	return cost.NewCost(ctx, "cost", &cost.Args{
		Namer:                names.Namer,
		AlertsTopicArn:       mon.AlertsTopicArn,
		MonthlyBudgetUSD:     cfg.Cost.MonthlyBudgetUSD,
		AnomalyThresholdUSD:  cfg.Cost.AnomalyThresholdUSD,
		TagKey:               config.BudgetTagKey,
		TagValue:             cfg.Tags()[config.BudgetTagKey],
		ActivateTagKeys:      activate,
		CostExplorerProvider: ce,
	}, opts...)
}

// newResilience creates the FIS drills when drills.enabled, after monitoring:
// their stop conditions are its ALB alarms, and the templates wait for them.
func newResilience(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env, azs []string,
	net *network.Network, data datatier.Outputs, logsKeyArn pulumi.StringInput, mon *monitoring.Monitoring,
	opts ...pulumi.ResourceOption,
) (*resilience.Resilience, error) {
	if !cfg.Drills.Enabled {
		return nil, nil
	}
	plan := alarmPlan(cfg, names)
	var stops []pulumi.StringInput
	for _, key := range DrillStopAlarmKeys {
		name, err := monitoring.AlarmName(plan, key)
		if err != nil {
			return nil, err
		}
		stops = append(stops, mon.AlarmArns.MapIndex(pulumi.String(name)))
	}
	// A single-instance cluster has no reader to promote: no failover drill.
	var clusterArn pulumi.StringInput
	if cfg.Database.InstanceCount > 1 {
		clusterArn = data.DBClusterArn
	}
	i := cfg.Drills.AzIndex
	return resilience.NewResilience(ctx, "drills", &resilience.Args{
		Namer:        names.Namer,
		Env:          env,
		AsgName:      names.App.GroupName,
		DBClusterArn: clusterArn,
		VpcId:        net.VpcId,
		AzName:       azs[i],
		DrillSubnetIds: pulumi.StringArray{
			net.AppSubnetIds.Index(pulumi.Int(i)),
			net.DataSubnetIds.Index(pulumi.Int(i)),
		},
		NetworkDisruptionMinutes: cfg.Drills.NetworkDisruptionMinutes,
		StopAlarmArns:            stops,
		LogsKeyArn:               logsKeyArn,
		LogRetentionDays:         cfg.Logs.RetentionDays,
	}, opts...)
}

// alarmPlan is the monitoring component's alarm plan for cfg, as newMonitoring
// configures it.
func alarmPlan(cfg *config.Config, names *contract.Contract) monitoring.Plan {
	return monitoring.Plan{
		Namer:           names.Namer,
		Thresholds:      cfg.Alerts.Thresholds,
		Sizing:          alarmcatalog.Sizing{MinNodes: cfg.App.MinNodes, DBMaxConnections: names.Database.MaxConnections},
		DBInstanceCount: cfg.Database.InstanceCount,
		DiskPaths:       cfg.Alerts.DiskPaths,
	}
}
