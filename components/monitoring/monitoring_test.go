package monitoring_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	alarmType     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	topicType     = "aws:sns/topic:Topic"
	policyType    = "aws:sns/topicPolicy:TopicPolicy"
	subType       = "aws:sns/topicSubscription:TopicSubscription"
	keyType       = "aws:kms/key:Key"
	logGroupType  = "aws:cloudwatch/logGroup:LogGroup"
	filterType    = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	ruleType      = "aws:cloudwatch/eventRule:EventRule"
	targetType    = "aws:cloudwatch/eventTarget:EventTarget"
	dashboardType = "aws:cloudwatch/dashboard:Dashboard"
	checkType     = "aws:route53/healthCheck:HealthCheck"
	providerType  = "pulumi:providers:aws"

	lbSuffix     = "app/morpheus-ha-prod/0123456789abcdef"
	tgSuffix     = "targetgroup/morpheus-ha-prod-app/fedcba9876543210"
	asgName      = "morpheus-ha-prod-app"
	clusterID    = "morpheus-ha-prod-db"
	brokerName   = "morpheus-ha-prod-mq"
	searchDomain = "morpheus-ha-prod"
	efsID        = "fs-0123456789abcdef0"
	notifyKey    = "arn:aws:kms:eu-west-1:123456789012:key/notifications"
	logsKey      = "arn:aws:kms:eu-west-1:123456789012:key/logs"
	mainTopicArn = "arn:aws:sns:eu-west-1:123456789012:morpheus-ha-prod-alerts"
	eastTopicArn = "arn:aws:sns:us-east-1:123456789012:morpheus-ha-prod-alerts"
	healthCheck  = "monitoring-health-check-id"

	refreshRunbook = "morpheus-ha-prod-node-refresh-automation"
	opsLogGroup    = "/morpheus-ha/prod/ops-function"
)

var (
	env       = testutil.Env()
	namer     = testutil.ProdNamer()
	instances = []string{"morpheus-ha-prod-db-1", "morpheus-ha-prod-db-2", "morpheus-ha-prod-db-3"}
	diskPaths = []string{"/", "/var/opt/morpheus"}
	natIDs    = []string{"nat-0aaaaaaaaaaaaaaaa", "nat-0bbbbbbbbbbbbbbbb", "nat-0cccccccccccccccc"}
)

// baseArgs are literal args as the lead would wire them from typed outputs.
func baseArgs() *monitoring.Args {
	return &monitoring.Args{
		Namer:                      namer,
		Env:                        env,
		NotificationsKeyArn:        pulumi.String(notifyKey),
		AlertEmails:                []string{"ops@example.com", "dba@example.com"},
		AlertHTTPSEndpoint:         "https://hooks.example.com/morpheus",
		UsEast1NotificationsKeyArn: pulumi.String(eastKeyArn),
		MorpheusLogGroupName:       pulumi.String("/morpheus-ha/prod/morpheus-ui"),
		LogMetricsNamespace:        "Morpheus/morpheus-ha-prod",
		ErrorLogPattern:            `"ERROR"`,
		FailedLoginPattern:         `?"Bad credentials" ?"Login failed"`,
		Thresholds:                 map[string]float64{"appCpu": 70},
		Domain:                     "morpheus.example.com",
		HealthCheck:                true,
		LoadBalancerArnSuffix:      pulumi.String(lbSuffix),
		TargetGroupArnSuffix:       pulumi.String(tgSuffix),
		AsgName:                    pulumi.String(asgName),
		AsgMinSize:                 3,
		DiskPaths:                  diskPaths,
		ProcessPattern:             "java.*morpheus-ui",
		DbClusterIdentifier:        pulumi.String(clusterID),
		DbInstanceIdentifiers:      pulumi.ToStringArray(instances),
		DbInstanceCount:            len(instances),
		DbMaxConnections:           1000,
		BrokerName:                 pulumi.String(brokerName),
		SearchDomainName:           pulumi.String(searchDomain),
		EfsFileSystemId:            pulumi.String(efsID),
		OpsFunctionName:            pulumi.String("morpheus-ha-prod-ops-function"),
		NatGatewayIds:              pulumi.ToStringArray(natIDs),
		NatGatewayCount:            len(natIDs),
		Refresh: monitoring.RefreshWatch{
			AutomationName:  pulumi.String(refreshRunbook),
			OpsLogGroupName: pulumi.String(opsLogGroup),
			RotationLogTerm: "AWSCURRENT moved",
			SignalMetric:    "NodeRefreshSignal",
			DeadlineMinutes: 240,
		},
	}
}

// program builds the component; mutate adjusts the args, with the us-east-1
// provider already set (nil for a stack in us-east-1).
func program(mutate func(*monitoring.Args), out **monitoring.Monitoring) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := baseArgs()
		east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		a.UsEast1Provider = east
		if mutate != nil {
			mutate(a)
		}
		m, err := monitoring.NewMonitoring(ctx, "monitoring", a)
		if out != nil {
			*out = m
		}
		return err
	}
}

func run(t *testing.T, mutate func(*monitoring.Args)) *testutil.Recorder {
	t.Helper()
	return testutil.MustRun(t, program(mutate, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
}

// specs is what Describe promises for baseArgs, by alarm name.
func specs() map[string]monitoring.AlarmSpec {
	out := map[string]monitoring.AlarmSpec{}
	for _, s := range monitoring.Describe(monitoring.Plan{
		Namer: namer, Thresholds: map[string]float64{"appCpu": 70},
		Sizing:          alarmcatalog.Sizing{MinNodes: 3, DBMaxConnections: 1000},
		DBInstanceCount: len(instances), DiskPaths: diskPaths, HealthCheck: true, NATGatewayCount: len(natIDs),
	}) {
		out[s.Name] = s
	}
	return out
}

// overdueAlarm is the one alarm outside the catalog (its window is
// ops.refreshDeadlineMinutes); refresh_test.go covers it.
const overdueAlarm = "morpheus-ha-prod-nodeRefreshOverdue"

// alarmsByName are the catalog's alarms by name.
func alarmsByName(rec *testutil.Recorder) map[string]*testutil.Resource {
	out := map[string]*testutil.Resource{}
	for _, r := range rec.ByType(alarmType) {
		if r.String("name") != overdueAlarm {
			out[r.String("name")] = r
		}
	}
	return out
}

// TestEveryTierAndKeyHasAlarms: the component creates exactly the alarms
// Describe lists, which cover every catalog entry and so every tier.
func TestEveryTierAndKeyHasAlarms(t *testing.T) {
	rec := run(t, nil)
	got := alarmsByName(rec)
	want := specs()
	require.Len(t, got, len(want))
	tiers, keys := map[alarmcatalog.Tier]int{}, map[string]int{}
	for name, s := range want {
		require.Contains(t, got, name)
		tiers[s.Tier]++
		keys[s.Key]++
	}
	for _, tier := range alarmcatalog.Tiers {
		assert.Positive(t, tiers[tier], "tier %s has no alarm", tier)
	}
	for _, e := range alarmcatalog.Entries {
		switch e.Expand {
		case alarmcatalog.PerDBInstance:
			assert.Equal(t, len(instances), keys[e.Key], "%s: one alarm per DB instance", e.Key)
		case alarmcatalog.PerDiskPath:
			assert.Equal(t, len(diskPaths), keys[e.Key], "%s: one alarm per disk path", e.Key)
		case alarmcatalog.PerNATGateway:
			assert.Equal(t, len(natIDs), keys[e.Key], "%s: one alarm per NAT gateway", e.Key)
		default:
			assert.Equal(t, 1, keys[e.Key], e.Key)
		}
	}
}

// TestAlarmActionsOnlyAlertsTopic: every alarm notifies on ALARM and OK, only
// the alerts topic of its own region, with actions enabled.
func TestAlarmActionsOnlyAlertsTopic(t *testing.T) {
	rec := run(t, nil)
	east := rec.Find(providerType, "aws-us-east-1")
	require.NotNil(t, east)
	for name, a := range alarmsByName(rec) {
		want, onEast := mainTopicArn, false
		if specs()[name].Tier == alarmcatalog.Endpoint {
			want, onEast = eastTopicArn, true
		}
		assert.True(t, a.Bool("actionsEnabled"), name)
		assert.Equal(t, []string{want}, a.Strings("alarmActions"), "%s alarm actions", name)
		assert.Equal(t, []string{want}, a.Strings("okActions"), "%s OK actions", name)
		assert.Empty(t, a.Strings("insufficientDataActions"), name)
		assert.Equal(t, onEast, strings.HasPrefix(a.Provider, east.URN+"::"), "%s region", name)
	}
}

// TestAlarmSettingsFollowTheCatalog: threshold (overridden and scaled),
// comparison, window and missing-data treatment are the spec's.
func TestAlarmSettingsFollowTheCatalog(t *testing.T) {
	got := alarmsByName(run(t, nil))
	for name, s := range specs() {
		a := got[name]
		require.NotNil(t, a, name)
		assert.InDelta(t, s.Threshold, a.Number("threshold"), 1e-9, "%s threshold", name)
		assert.Equal(t, s.Comparison, a.String("comparisonOperator"), name)
		assert.EqualValues(t, s.Evaluations, a.Number("evaluationPeriods"), name)
		assert.EqualValues(t, s.DatapointsToAlarm, a.Number("datapointsToAlarm"), name)
		assert.Equal(t, s.TreatMissingData, a.String("treatMissingData"), name)
		assert.Contains(t, a.String("alarmDescription"), s.Reason, name)
		if queries := a.Objects("metricQueries"); queries != nil {
			returning := 0
			for _, q := range queries {
				if q["returnData"].IsBool() && q["returnData"].BoolValue() {
					returning++
				}
			}
			assert.Equal(t, 1, returning, "%s: exactly one query returns data", name)
		} else {
			assert.EqualValues(t, s.Period, a.Number("period"), name)
		}
	}
	// The override and the scaled thresholds users depend on.
	assert.EqualValues(t, 70, got["morpheus-ha-prod-appCpu"].Number("threshold"))
	assert.EqualValues(t, 3, got["morpheus-ha-prod-albHealthyHosts"].Number("threshold"), "1 × minimum of 3 nodes")
	assert.EqualValues(t, 800, got["morpheus-ha-prod-dbConnections-1"].Number("threshold"), "80% of 1000")
	assert.EqualValues(t, 1<<30, got["morpheus-ha-prod-dbFreeableMemory-2"].Number("threshold"), "1024 MiB in bytes")
}

func TestAlarmMetrics(t *testing.T) {
	got := alarmsByName(run(t, nil))
	single := func(name, ns, metric, stat string, dims map[string]string) {
		t.Helper()
		a := got["morpheus-ha-prod-"+name]
		require.NotNil(t, a, name)
		assert.Equal(t, ns, a.String("namespace"), name)
		assert.Equal(t, metric, a.String("metricName"), name)
		if strings.HasPrefix(stat, "p") {
			assert.Equal(t, stat, a.String("extendedStatistic"), name)
		} else {
			assert.Equal(t, stat, a.String("statistic"), name)
		}
		if v, ok := a.Prop("dimensions"); ok && v.IsObject() {
			assert.Len(t, v.ObjectValue(), len(dims), "%s dimensions", name)
		} else {
			assert.Empty(t, dims, "%s has no dimensions", name)
		}
		for k, want := range dims {
			assert.Equal(t, want, a.String("dimensions", k), "%s dimension %s", name, k)
		}
	}
	lb := map[string]string{"LoadBalancer": lbSuffix}
	lbTG := map[string]string{"LoadBalancer": lbSuffix, "TargetGroup": tgSuffix}
	search := map[string]string{"DomainName": searchDomain, "ClientId": testutil.AccountID}
	single("albElb5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", lb)
	single("albTargetP99", "AWS/ApplicationELB", "TargetResponseTime", "p99", lbTG)
	single("albHealthyHosts", "AWS/ApplicationELB", "HealthyHostCount", "Minimum", lbTG)
	single("appCpu", "AWS/EC2", "CPUUtilization", "Maximum", map[string]string{"AutoScalingGroupName": asgName})
	for i, id := range instances {
		single("dbCpu-"+string(rune('1'+i)), "AWS/RDS", "CPUUtilization", "Average", map[string]string{"DBInstanceIdentifier": id})
		assert.Contains(t, got["morpheus-ha-prod-dbReplicaLag-"+string(rune('1'+i))].String("alarmDescription"), "DB instance "+id)
	}
	single("mqConnections", "AWS/AmazonMQ", "ConnectionCount", "Minimum", map[string]string{"Broker": brokerName})
	single("osClusterRed", "AWS/ES", "ClusterStatus.red", "Maximum", search)
	single("osMasterReachable", "AWS/ES", "MasterReachableFromNode", "Minimum", search)
	single("efsClientConnections", "AWS/EFS", "ClientConnections", "Sum", map[string]string{"FileSystemId": efsID})
	for i, id := range natIDs {
		n := string(rune('1' + i))
		single("natPortAllocationErrors-"+n, "AWS/NATGateway", "ErrorPortAllocation", "Sum", map[string]string{"NatGatewayId": id})
		single("natPacketsDropped-"+n, "AWS/NATGateway", "PacketsDropCount", "Sum", map[string]string{"NatGatewayId": id})
		assert.Contains(t, got["morpheus-ha-prod-natPacketsDropped-"+n].String("alarmDescription"), "NAT gateway "+id)
	}
	assert.Zero(t, got["morpheus-ha-prod-natPortAllocationErrors-1"].Number("threshold"), "any port allocation error")
	assert.EqualValues(t, 100, got["morpheus-ha-prod-natPacketsDropped-1"].Number("threshold"))
	single("healthCheck", "AWS/Route53", "HealthCheckStatus", "Minimum", map[string]string{"HealthCheckId": healthCheck})
	single("logErrors", "Morpheus/morpheus-ha-prod", monitoring.ErrorLinesMetric, "Sum", nil)

	expression := func(name string) string {
		t.Helper()
		for _, q := range got["morpheus-ha-prod-"+name].Objects("metricQueries") {
			if q["returnData"].BoolValue() {
				return q["expression"].StringValue()
			}
		}
		t.Fatalf("%s has no returning query", name)
		return ""
	}
	assert.Equal(t, "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)", expression("albTarget5xxRate"))
	assert.Equal(t, "100 * used / limit", expression("mqMemoryUsed"))
	assert.Equal(t, "free / freelimit", expression("mqDiskFree"))
	assert.Equal(t, `SELECT MAX("mem_used_percent") FROM "CWAgent" WHERE "AutoScalingGroupName" = 'morpheus-ha-prod-app'`, expression("appMemory"))
	assert.Equal(t, `SELECT MAX("disk_used_percent") FROM "CWAgent" WHERE "AutoScalingGroupName" = 'morpheus-ha-prod-app' AND "path" = '/var/opt/morpheus'`, expression("appDisk-var-opt-morpheus"))
	assert.Equal(t, `SELECT MIN("procstat_lookup_pid_count") FROM "CWAgent" WHERE "AutoScalingGroupName" = 'morpheus-ha-prod-app' AND "pattern" = 'java.*morpheus-ui'`, expression("appProcess"))

	// Metric math inputs carry the broker and target group, at the alarm's period.
	for _, q := range got["morpheus-ha-prod-mqMemoryUsed"].Objects("metricQueries") {
		if m, ok := q["metric"]; ok {
			assert.Equal(t, brokerName, m.ObjectValue()["dimensions"].ObjectValue()["Broker"].StringValue())
			assert.EqualValues(t, 300, m.ObjectValue()["period"].NumberValue())
		}
	}
}

func TestHealthCheck(t *testing.T) {
	checks := run(t, nil).ByType(checkType)
	require.Len(t, checks, 1)
	hc := checks[0]
	assert.Equal(t, "HTTPS", hc.String("type"))
	assert.Equal(t, "morpheus.example.com", hc.String("fqdn"))
	assert.EqualValues(t, 443, hc.Number("port"))
	assert.Equal(t, "/ping", hc.String("resourcePath"))
	assert.True(t, hc.Bool("enableSni"))
}

// TestNoHealthCheckWhenCheckersCannotReach: without HealthCheck (an internal or
// restricted ALB) there is no Route 53 check, no alarm on it and no graph of it;
// the load balancer's own alarms remain.
func TestNoHealthCheckWhenCheckersCannotReach(t *testing.T) {
	rec := run(t, func(a *monitoring.Args) { a.HealthCheck = false })
	assert.Empty(t, rec.ByType(checkType))
	var alarms []string
	for _, a := range rec.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		alarms = append(alarms, a.String("name"))
		assert.NotEqual(t, "AWS/Route53", a.String("namespace"), a.Name)
	}
	assert.NotContains(t, alarms, "morpheus-ha-prod-healthCheck")
	for _, key := range []string{"albUnhealthyHosts", "albElb5xx"} {
		assert.Contains(t, alarms, "morpheus-ha-prod-"+key, "the load balancer's alarms stand in for the check")
	}
	body := rec.ByType(dashboardType)[0].String("dashboardBody")
	assert.NotContains(t, body, "AWS/Route53")
	assert.Contains(t, body, "UnHealthyHostCount")
}

// TestMetricFilters: the filters watch the app tier's morpheus-ui group and
// publish under the stack's namespace.
func TestMetricFilters(t *testing.T) {
	rec := run(t, nil)
	assert.Empty(t, rec.ByType(logGroupType), "the app tier owns the app log groups")
	var filters []*testutil.Resource
	for _, f := range rec.ByType(filterType) {
		if f.String("logGroupName") != opsLogGroup { // refresh_test.go
			filters = append(filters, f)
		}
	}
	require.Len(t, filters, 2)
	patterns := map[string]string{}
	for _, f := range filters {
		assert.Equal(t, "/morpheus-ha/prod/morpheus-ui", f.String("logGroupName"))
		assert.Equal(t, "Morpheus/morpheus-ha-prod", f.String("metricTransformation", "namespace"))
		assert.Equal(t, "1", f.String("metricTransformation", "value"))
		patterns[f.String("metricTransformation", "name")] = f.String("pattern")
	}
	assert.Equal(t, map[string]string{
		monitoring.ErrorLinesMetric:   `"ERROR"`,
		monitoring.FailedLoginsMetric: `?"Bad credentials" ?"Login failed"`,
	}, patterns)
}

// TestOutputs resolves the component's typed outputs.
func TestOutputs(t *testing.T) {
	var m *monitoring.Monitoring
	got := map[string]any{}
	testutil.MustRun(t, func(ctx *pulumi.Context) error {
		if err := program(nil, &m)(ctx); err != nil {
			return err
		}
		pulumi.All(m.AlertsTopicArn, m.UsEast1AlertsTopicArn, m.DashboardName, m.HealthCheckId, m.AlarmNames).ApplyT(func(v []any) error {
			for i, k := range []string{"topic", "east", "dashboard", "hc", "alarms"} {
				got[k] = v[i]
			}
			return nil
		})
		return nil
	}, testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	assert.Equal(t, mainTopicArn, got["topic"])
	assert.Equal(t, eastTopicArn, got["east"])
	assert.Equal(t, "morpheus-ha-prod", got["dashboard"])
	assert.Equal(t, healthCheck, got["hc"])
	assert.Len(t, got["alarms"], len(specs())+1, "the catalog's and the refresh overdue alarm")
	assert.Contains(t, got["alarms"], overdueAlarm)
}

func TestEveryChildIsParented(t *testing.T) {
	rec := run(t, nil)
	testutil.AssertChildrenOf(t, rec, monitoring.TypeToken, "monitoring")
}

func TestInvalidArgs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*monitoring.Args)
		want   string
	}{
		{"no us-east-1 provider", func(a *monitoring.Args) { a.UsEast1Provider = nil }, "UsEast1Provider"},
		{"unknown threshold", func(a *monitoring.Args) { a.Thresholds = map[string]float64{"cpu": 1} }, "unknown threshold"},
		{"threshold out of range", func(a *monitoring.Args) { a.Thresholds = map[string]float64{"appCpu": 120} }, "between 1 and 100"},
		{"no DB instances", func(a *monitoring.Args) { a.DbInstanceCount = 0 }, "DbInstanceCount"},
		{"no ASG minimum", func(a *monitoring.Args) { a.AsgMinSize = 0 }, "AsgMinSize"},
		{"missing broker", func(a *monitoring.Args) { a.BrokerName = nil }, "BrokerName is required"},
		{"colliding disk paths", func(a *monitoring.Args) { a.DiskPaths = []string{"/var/opt", "/var-opt"} }, "share the alarm name"},
		{"relative disk path", func(a *monitoring.Args) { a.DiskPaths = []string{"var"} }, `disk path "var" must be an absolute`},
		{"no disk path", func(a *monitoring.Args) { a.DiskPaths = nil }, "DiskPaths needs at least one"},
		{"quoted process pattern", func(a *monitoring.Args) { a.ProcessPattern = "morpheus'ui" }, "ProcessPattern"},
		{"process pattern not a regexp", func(a *monitoring.Args) { a.ProcessPattern = "java.*(morpheus-ui" }, "regular expression"},
		{"http endpoint", func(a *monitoring.Args) { a.AlertHTTPSEndpoint = "http://x" }, "https://"},
		{"no us-east-1 key", func(a *monitoring.Args) { a.UsEast1NotificationsKeyArn = nil }, "UsEast1NotificationsKeyArn"},
		{"no log group", func(a *monitoring.Args) { a.MorpheusLogGroupName = nil }, "MorpheusLogGroupName is required"},
		{"no NAT gateways", func(a *monitoring.Args) { a.NatGatewayIds = nil }, "NatGatewayIds is required"},
		{"NAT count", func(a *monitoring.Args) { a.NatGatewayCount = 0 }, "NatGatewayCount"},
		{"no refresh runbook", func(a *monitoring.Args) { a.Refresh.AutomationName = nil }, "RefreshWatch needs AutomationName"},
		{"deadline off the period", func(a *monitoring.Args) { a.Refresh.DeadlineMinutes = 62 }, "multiple of 5"},
		{"deadline beyond a day", func(a *monitoring.Args) { a.Refresh.DeadlineMinutes = 1445 }, "up to 1440"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := testutil.Run(program(tc.mutate, nil), testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			for _, r := range rec.Resources() {
				assert.Equal(t, providerType, r.Type, "invalid args registered %s %s", r.Type, r.Name)
			}
		})
	}
}

// TestInstanceCountMustMatchIdentifiers: the count that sizes the per-instance
// alarms is checked against the identifiers once they resolve.
func TestInstanceCountMustMatchIdentifiers(t *testing.T) {
	_, err := testutil.Run(program(func(a *monitoring.Args) { a.DbInstanceCount = 2 }, nil),
		testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DbInstanceCount is 2 but 3")
}

// TestNatGatewayCountMustMatchIds: the count that sizes the per-gateway
// alarms is checked against the ids once they resolve.
func TestNatGatewayCountMustMatchIds(t *testing.T) {
	_, err := testutil.Run(program(func(a *monitoring.Args) { a.NatGatewayCount = 1 }, nil),
		testutil.Options{Config: map[string]string{"aws:region": "eu-west-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NatGatewayCount is 1 but 3")
}

// TestStackInUsEast1 needs no second provider, key or topic: the health-check
// alarm notifies the stack's own topic.
func TestStackInUsEast1(t *testing.T) {
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		a := baseArgs()
		a.Env.Region = "us-east-1"
		a.UsEast1NotificationsKeyArn = nil
		_, err := monitoring.NewMonitoring(ctx, "monitoring", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": "us-east-1"}})
	assert.Len(t, rec.ByType(topicType), 1)
	assert.Empty(t, rec.ByType(keyType))
	hc := alarmsByName(rec)["morpheus-ha-prod-healthCheck"]
	require.NotNil(t, hc)
	assert.Equal(t, []string{"arn:aws:sns:us-east-1:123456789012:morpheus-ha-prod-alerts"}, hc.Strings("alarmActions"))
}

func TestDescribe(t *testing.T) {
	all := monitoring.Describe(monitoring.Plan{
		Namer: namer, Sizing: alarmcatalog.Sizing{MinNodes: 2, DBMaxConnections: 500},
		DBInstanceCount: 2, DiskPaths: []string{"/"}, HealthCheck: true,
	})
	names := map[string]bool{}
	for _, s := range all {
		assert.False(t, names[s.Name], "duplicate alarm name %s", s.Name)
		names[s.Name] = true
		assert.LessOrEqual(t, len(s.Name), 255)
		assert.NotEmpty(t, s.String())
	}
	byName := map[string]monitoring.AlarmSpec{}
	for _, s := range all {
		byName[s.Name] = s
	}
	assert.Equal(t, "morpheus-ha-prod-albHealthyHosts: AWS/ApplicationELB HealthyHostCount (Minimum) < 2 (1 × app.minNodes) over 60 s, 5 of 5, missing data breaching",
		byName["morpheus-ha-prod-albHealthyHosts"].String())
	assert.Equal(t, "us-east-1", byName["morpheus-ha-prod-healthCheck"].Region)
	assert.EqualValues(t, 400, byName["morpheus-ha-prod-dbConnections-2"].Threshold)
	assert.Contains(t, names, "morpheus-ha-prod-appDisk-root")
}
