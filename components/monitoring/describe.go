package monitoring

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Plan is everything the set of alarms depends on; all of it is known before
// deployment, so the offline plan can list the alarms without running anything.
type Plan struct {
	// Namer names the alarms.
	Namer naming.Namer
	// Thresholds override catalog defaults by key (nil: all defaults).
	Thresholds map[string]float64
	// Sizing scales per-node and per-connection thresholds.
	Sizing alarmcatalog.Sizing
	// DBInstanceCount is how many Aurora instances get per-instance alarms.
	DBInstanceCount int
	// DiskPaths get one disk alarm each.
	DiskPaths []string
	// HealthCheck is true when the Route 53 health check exists; without it the
	// endpoint tier has no alarm.
	HealthCheck bool
	// NATGatewayCount is how many NAT gateways get per-gateway alarms.
	NATGatewayCount int
	// Standby leaves out the alarms that judge the app nodes: a pilot light
	// runs none, so they would page all day (or, with their actions off,
	// fail the alarm-actions rule); the failover's run creates them.
	Standby bool
}

// watchesNodes reports whether the alarms of tier judge the app nodes.
func watchesNodes(tier alarmcatalog.Tier) bool {
	return tier == alarmcatalog.LoadBalancer || tier == alarmcatalog.AppNodes || tier == alarmcatalog.AppLogs
}

// AlarmSpec is one alarm, in plain data.
type AlarmSpec struct {
	// Name is the alarm's physical name.
	Name string
	// Key is the catalog entry (alerts.thresholds.<Key>).
	Key string
	// Tier is what the alarm watches.
	Tier alarmcatalog.Tier
	// Metric describes the metric or expression and statistic.
	Metric string
	// Value is the configured number, in Unit.
	Value float64
	// Unit says what Value means.
	Unit string
	// Threshold is the number CloudWatch compares with (Value scaled).
	Threshold float64
	// Comparison is the CloudWatch operator.
	Comparison string
	// Period (seconds), DatapointsToAlarm and Evaluations form the window.
	Period, DatapointsToAlarm, Evaluations int
	// TreatMissingData is breaching, notBreaching or missing.
	TreatMissingData string
	// Reason explains the default.
	Reason string
	// DBInstance is the index into DbInstanceIdentifiers, or -1.
	DBInstance int
	// NATGateway is the index into NatGatewayIds, or -1.
	NATGateway int
	// DiskPath is the mount point of a disk alarm, or "".
	DiskPath string
	// Region is HealthCheckRegion for the health-check alarm, else "" (the stack's).
	Region string
}

// String renders the spec on one line for the offline plan.
func (s AlarmSpec) String() string {
	region := ""
	if s.Region != "" {
		region = " [" + s.Region + "]"
	}
	return fmt.Sprintf("%s: %s %s %s (%s %s) over %d s, %d of %d, missing data %s%s",
		s.Name, s.Metric, alarmcatalogSymbol(s.Comparison), alarmcatalog.FormatNumber(s.Threshold),
		alarmcatalog.FormatNumber(s.Value), s.Unit, s.Period, s.DatapointsToAlarm, s.Evaluations, s.TreatMissingData, region)
}

func alarmcatalogSymbol(op string) string {
	return alarmcatalog.Entry{Comparison: op}.Symbol()
}

// Describe lists every alarm the component creates for p, in catalog order.
// singleAlarmName is the physical name of a catalog key that is not expanded
// per instance, gateway or path.
func singleAlarmName(n naming.Namer, key string) string { return n.Name(naming.Generic, key) }

// Describe lists every alarm the component creates for p, in catalog order.
func Describe(p Plan) []AlarmSpec {
	var out []AlarmSpec
	for _, e := range alarmcatalog.Entries {
		if (e.Tier == alarmcatalog.Endpoint && !p.HealthCheck) || (p.Standby && watchesNodes(e.Tier)) {
			continue
		}
		v := e.Default
		if t, ok := p.Thresholds[e.Key]; ok {
			v = t
		}
		base := AlarmSpec{
			Key: e.Key, Tier: e.Tier, Metric: e.Metric, Value: v, Unit: e.Unit,
			Threshold: e.Threshold(v, p.Sizing), Comparison: e.Comparison,
			Period: e.Period, DatapointsToAlarm: e.DatapointsToAlarm, Evaluations: e.Evaluations,
			TreatMissingData: e.TreatMissingData, Reason: e.Reason, DBInstance: -1, NATGateway: -1,
		}
		if e.Tier == alarmcatalog.Endpoint {
			base.Region = HealthCheckRegion
		}
		switch e.Expand {
		case alarmcatalog.PerDBInstance:
			for i := 0; i < p.DBInstanceCount; i++ {
				s := base
				s.DBInstance = i
				s.Name = p.Namer.Name(naming.Generic, e.Key+"-"+strconv.Itoa(i+1))
				out = append(out, s)
			}
		case alarmcatalog.PerNATGateway:
			for i := 0; i < p.NATGatewayCount; i++ {
				s := base
				s.NATGateway = i
				s.Name = p.Namer.Name(naming.Generic, e.Key+"-"+strconv.Itoa(i+1))
				out = append(out, s)
			}
		case alarmcatalog.PerDiskPath:
			for _, path := range p.DiskPaths {
				s := base
				s.DiskPath = path
				s.Name = p.Namer.Name(naming.Generic, e.Key+"-"+pathSuffix(path))
				out = append(out, s)
			}
		default:
			base.Name = singleAlarmName(p.Namer, e.Key)
			out = append(out, base)
		}
	}
	return out
}

// pathSuffix turns a mount point into an alarm-name part: "/" is "root",
// "/var/opt/morpheus" is "var-opt-morpheus".
func pathSuffix(p string) string {
	s := strings.Trim(p, "/")
	if s == "" {
		return "root"
	}
	return strings.ReplaceAll(s, "/", "-")
}

// plan collects the plain facts of args.
func (a *Args) plan() Plan {
	return Plan{
		Namer:           a.Namer,
		Thresholds:      a.Thresholds,
		Sizing:          alarmcatalog.Sizing{MinNodes: a.AsgMinSize, DBMaxConnections: a.DbMaxConnections},
		DBInstanceCount: a.DbInstanceCount,
		DiskPaths:       a.DiskPaths,
		HealthCheck:     a.HealthCheck,
		NATGatewayCount: a.NatGatewayCount,
		Standby:         a.Standby,
	}
}
