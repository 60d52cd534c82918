// Package monitoring watches the whole stack: an encrypted SNS alerts topic with
// e-mail and webhook subscribers, CloudWatch alarms on every tier (thresholds from
// internal/alarmcatalog), a Route 53 health check of the public endpoint with its
// alarm in us-east-1, EventBridge rules for backup, rotation, scaling, failover
// and node refresh failures, an alarm on a rotation that no completed node
// refresh followed, a dashboard, and metric filters on the app tier's logs.
//
// Everything it watches arrives as typed Args (names, ids, ARN suffixes) from
// the other components' outputs, so it is created last and nothing depends on it.
package monitoring

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/agentconfig"
	"github.com/morpheus-ha/morpheus-ha/internal/alarmcatalog"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:monitoring:Monitoring"

// HealthCheckRegion is where Route 53 publishes health-check metrics, so the
// health-check alarm and the topic it notifies must live there.
const HealthCheckRegion = "us-east-1"

// Args configures the monitoring. Plain values are known before deployment;
// Inputs come from the other components' outputs.
type Args struct {
	// Namer names every resource.
	Namer naming.Namer
	// Env is the account, partition and region (policies, ARNs, ClientId).
	Env awsenv.Env

	// NotificationsKeyArn encrypts the alerts topic (SNS.1; the key admits
	// cloudwatch.amazonaws.com and events.amazonaws.com).
	NotificationsKeyArn pulumi.StringInput
	// AlertEmails subscribe to both alerts topics.
	AlertEmails []string
	// AlertHTTPSEndpoint optionally subscribes a webhook (https:// only).
	AlertHTTPSEndpoint string
	// AdditionalPublishers are service principals, besides CloudWatch and
	// EventBridge, allowed to publish to the alerts topic in the stack's
	// region for this account (e.g. budgets.amazonaws.com for the cost
	// component). The notifications key must admit them too.
	AdditionalPublishers []string
	// UsEast1Provider is an aws provider for us-east-1 with the stack's default
	// tags; the health-check alarm and its topic live there. Required unless
	// Env.Region is us-east-1.
	UsEast1Provider pulumi.ProviderResource
	// UsEast1NotificationsKeyArn encrypts the us-east-1 topic (keys'
	// UsEast1NotificationsKeyArn).
	UsEast1NotificationsKeyArn pulumi.StringInput

	// MorpheusLogGroupName is the app tier's morpheus-ui log group, which the
	// metric filters read.
	MorpheusLogGroupName pulumi.StringInput
	// LogMetricsNamespace is the metric filters' namespace (the contract's).
	LogMetricsNamespace string
	// ErrorLogPattern and FailedLoginPattern are the metric filter patterns on
	// the morpheus-ui log group (config alerts.errorLogPattern, .failedLoginPattern).
	ErrorLogPattern, FailedLoginPattern string

	// Thresholds override catalog defaults by key; missing keys keep the default.
	Thresholds map[string]float64

	// Domain is the public FQDN; the health check requests https://<Domain>/ping.
	Domain string
	// HealthCheck creates the Route 53 health check of https://<Domain>/ping and
	// its alarm. Only for an ALB Route 53's checkers can reach (internet-facing,
	// open to 0.0.0.0/0); otherwise the check would fail forever. Without it the
	// load balancer's alarms (ELB 5xx, unhealthy hosts, healthy hosts below the
	// group's minimum) watch the endpoint from inside AWS.
	HealthCheck bool

	// LoadBalancerArnSuffix is the ALB's ARN suffix ("app/<name>/<id>").
	LoadBalancerArnSuffix pulumi.StringInput
	// TargetGroupArnSuffix is the app target group's ARN suffix ("targetgroup/<name>/<id>").
	TargetGroupArnSuffix pulumi.StringInput

	// AsgName is the app nodes' Auto Scaling group.
	AsgName pulumi.StringInput
	// AsgMinSize is the group's minimum size; per-node thresholds scale with it.
	AsgMinSize int
	// DiskPaths are the mount points whose disk use is alarmed (config alerts.diskPaths).
	DiskPaths []string
	// ProcessPattern is the procstat pattern of the morpheus-ui process (config
	// alerts.processPattern); the nodes' agent config must be rendered with the
	// same (the stack contract renders both from one value).
	ProcessPattern string

	// NatGatewayIds are the NAT gateways (network's output); NatGatewayCount
	// must be their number, because one alarm per gateway needs a count known now.
	NatGatewayIds pulumi.StringArrayInput
	// NatGatewayCount is the number of NAT gateways.
	NatGatewayCount int

	// DbClusterIdentifier is the Aurora cluster (failover events).
	DbClusterIdentifier pulumi.StringInput
	// DbInstanceIdentifiers are the Aurora instances; DbInstanceCount must be
	// their number, because one alarm per instance needs a count known now.
	DbInstanceIdentifiers pulumi.StringArrayInput
	// DbInstanceCount is the number of Aurora instances; 0 only in Standby.
	DbInstanceCount int
	// Standby is a pilot-light stack: no app node runs and its database may
	// be headless, so the alarms that judge the nodes wait for the failover.
	Standby bool
	// DbMaxConnections is max_connections of each instance.
	DbMaxConnections int

	// BrokerName is the Amazon MQ broker (metric dimension Broker).
	BrokerName pulumi.StringInput
	// SearchDomainName is the OpenSearch domain (dimension DomainName; ClientId
	// is Env.AccountID).
	SearchDomainName pulumi.StringInput
	// EfsFileSystemId is the shared file system.
	EfsFileSystemId pulumi.StringInput
	// OpsFunctionName is the ops function, whose failed invocations (scheduled
	// snapshots and exports, rotations) nothing else reports.
	OpsFunctionName pulumi.StringInput

	// Refresh watches the node refresh: its failed runs and a rotation
	// without a completed refresh within the deadline.
	Refresh RefreshWatch
}

// Monitoring is the component.
type Monitoring struct {
	pulumi.ResourceState

	// AlertsTopicArn is the topic every alarm and rule in the stack's region notifies.
	AlertsTopicArn pulumi.StringOutput `pulumi:"alertsTopicArn"`
	// UsEast1AlertsTopicArn is the topic the health-check alarm notifies (the
	// same as AlertsTopicArn when the stack runs in us-east-1).
	UsEast1AlertsTopicArn pulumi.StringOutput `pulumi:"usEast1AlertsTopicArn"`
	// DashboardName is the CloudWatch dashboard.
	DashboardName pulumi.StringOutput `pulumi:"dashboardName"`
	// HealthCheckId is the Route 53 health check of https://<domain>/ping, or ""
	// when Args.HealthCheck is false.
	HealthCheckId pulumi.StringOutput `pulumi:"healthCheckId"`
	// AlarmNames lists every alarm the component created.
	AlarmNames pulumi.StringArrayOutput `pulumi:"alarmNames"`
	// AlarmArns maps every alarm's name to its ARN; it resolves once the
	// alarms exist, so a consumer (FIS stop conditions) waits for them.
	AlarmArns pulumi.StringMapOutput `pulumi:"alarmArns"`
}

// maxDBInstances bounds the per-instance alarms (Aurora allows 1 writer + 15 readers).
const maxDBInstances = 16

// maxNATGateways bounds the per-gateway alarms: one per AZ at most.
const maxNATGateways = 6

func (a *Args) validate() error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf("monitoring: "+format, v...)) }
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.Region == "" || a.Env.DNSSuffix == "" {
		add("Env needs account, partition, region and DNS suffix, got %+v", a.Env)
	}
	for _, r := range []struct {
		name string
		in   pulumi.Input
	}{
		{"NotificationsKeyArn", a.NotificationsKeyArn}, {"MorpheusLogGroupName", a.MorpheusLogGroupName},
		{"LoadBalancerArnSuffix", a.LoadBalancerArnSuffix}, {"TargetGroupArnSuffix", a.TargetGroupArnSuffix},
		{"AsgName", a.AsgName}, {"DbClusterIdentifier", a.DbClusterIdentifier},
		{"DbInstanceIdentifiers", a.DbInstanceIdentifiers}, {"BrokerName", a.BrokerName},
		{"SearchDomainName", a.SearchDomainName}, {"EfsFileSystemId", a.EfsFileSystemId},
		{"NatGatewayIds", a.NatGatewayIds}, {"OpsFunctionName", a.OpsFunctionName},
	} {
		if r.in == nil {
			add("%s is required", r.name)
		}
	}
	if a.Env.Region != HealthCheckRegion {
		if a.UsEast1Provider == nil {
			add("UsEast1Provider is required: Route 53 health-check metrics exist only in %s", HealthCheckRegion)
		}
		if a.UsEast1NotificationsKeyArn == nil {
			add("UsEast1NotificationsKeyArn is required outside %s", HealthCheckRegion)
		}
	}
	for _, p := range a.AdditionalPublishers {
		if !strings.HasSuffix(p, ".amazonaws.com") || strings.ContainsAny(p, "*?") {
			add("AdditionalPublishers: %q is not an AWS service principal", p)
		}
	}
	if a.AlertHTTPSEndpoint != "" && !strings.HasPrefix(a.AlertHTTPSEndpoint, "https://") {
		add("AlertHTTPSEndpoint must be an https:// URL")
	}
	for _, e := range a.AlertEmails {
		if !strings.Contains(e, "@") {
			add("AlertEmails: %q is not an e-mail address", e)
		}
	}
	if a.LogMetricsNamespace == "" {
		add("LogMetricsNamespace is required")
	}
	if strings.TrimSpace(a.ErrorLogPattern) == "" || strings.TrimSpace(a.FailedLoginPattern) == "" {
		add("ErrorLogPattern and FailedLoginPattern are required")
	}
	if a.Domain == "" {
		add("Domain is required (the health check requests https://<Domain>/ping)")
	}
	if a.AsgMinSize < 1 {
		add("AsgMinSize %d must be at least 1", a.AsgMinSize)
	}
	if minDB := map[bool]int{false: 1, true: 0}[a.Standby]; a.DbInstanceCount < minDB || a.DbInstanceCount > maxDBInstances {
		add("DbInstanceCount %d is outside 1..%d", a.DbInstanceCount, maxDBInstances)
	}
	if a.NatGatewayCount < 1 || a.NatGatewayCount > maxNATGateways {
		add("NatGatewayCount %d is outside 1..%d", a.NatGatewayCount, maxNATGateways)
	}
	if a.DbMaxConnections < 1 {
		add("DbMaxConnections %d must be at least 1", a.DbMaxConnections)
	}
	if err := agentconfig.CheckProcessPattern(a.ProcessPattern); err != nil {
		add("ProcessPattern %q %v", a.ProcessPattern, err)
	}
	if err := checkDiskPaths(a.DiskPaths); err != nil {
		errs = append(errs, err)
	}
	if err := a.Refresh.validate(); err != nil {
		errs = append(errs, err)
	}
	keys := make([]string, 0, len(a.Thresholds))
	for key := range a.Thresholds {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if err := alarmcatalog.Check(key, a.Thresholds[key]); err != nil {
			add("threshold %s = %v: %v", key, a.Thresholds[key], err)
		}
	}
	return errors.Join(errs...)
}

// checkDiskPaths requires paths the agent can publish (agentconfig.CheckDiskPath)
// whose alarm names differ.
func checkDiskPaths(paths []string) error {
	if len(paths) == 0 {
		return errors.New("monitoring: DiskPaths needs at least one mount point")
	}
	bySuffix := map[string]string{}
	for _, p := range paths {
		if err := agentconfig.CheckDiskPath(p); err != nil {
			return fmt.Errorf("monitoring: disk path %q %w", p, err)
		}
		s := pathSuffix(p)
		if other, dup := bySuffix[s]; dup {
			return fmt.Errorf("monitoring: disk paths %q and %q would share the alarm name suffix %q", other, p, s)
		}
		bySuffix[s] = p
	}
	return nil
}

// NewMonitoring creates the alerts topics, the app log metric filters, the
// health check, alarms, event rules and dashboard.
func NewMonitoring(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if args == nil {
		return nil, errors.New("monitoring: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Monitoring{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}

	if err := b.topics(); err != nil {
		return nil, err
	}
	if err := b.metricFilters(); err != nil {
		return nil, err
	}
	if err := b.healthCheck(); err != nil {
		return nil, err
	}
	alarmNames, err := b.alarms()
	if err != nil {
		return nil, err
	}
	if err := b.eventRules(); err != nil {
		return nil, err
	}
	overdue, err := b.refreshWatch()
	if err != nil {
		return nil, err
	}
	alarmNames = pulumi.All(alarmNames, overdue).ApplyT(func(v []any) []string {
		return append(append([]string(nil), v[0].([]string)...), v[1].(string))
	}).(pulumi.StringArrayOutput)
	dashboardName, err := b.dashboard()
	if err != nil {
		return nil, err
	}

	c.AlertsTopicArn = b.topicArn
	c.UsEast1AlertsTopicArn = b.usEast1TopicArn
	c.DashboardName = dashboardName
	c.HealthCheckId = b.healthCheckID
	c.AlarmNames = alarmNames
	c.AlarmArns = b.alarmArns(alarmNames)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"alarmArns":             c.AlarmArns,
		"alertsTopicArn":        c.AlertsTopicArn,
		"usEast1AlertsTopicArn": c.UsEast1AlertsTopicArn,
		"dashboardName":         c.DashboardName,
		"healthCheckId":         c.HealthCheckId,
		"alarmNames":            c.AlarmNames,
	})
}

// builder carries what every part of the component needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption

	topicArn        pulumi.StringOutput
	usEast1TopicArn pulumi.StringOutput
	healthCheckID   pulumi.StringOutput
}

// usEast1 places a child in us-east-1: the caller's provider, or the inherited
// one when the stack itself runs there.
func (b *builder) usEast1() []pulumi.ResourceOption {
	if b.args.Env.Region == HealthCheckRegion {
		return []pulumi.ResourceOption{b.parent}
	}
	return []pulumi.ResourceOption{b.parent, pulumi.Provider(b.args.UsEast1Provider)}
}
