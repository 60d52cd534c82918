package messaging_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/messaging"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	brokerType = "aws:mq/broker:Broker"
	sgType     = "aws:ec2/securityGroup:SecurityGroup"
	region     = "eu-west-1"
	appSG      = "sg-app-nodes"
	opsSG      = "sg-ops-function"
	password   = "correct-horse-battery-staple"
)

var dataSubnets = []string{"subnet-data-a", "subnet-data-b", "subnet-data-c"}

// outputs are the component's outputs, read after the run.
type outputs struct {
	id, arn, endpoint, host, console, sg string
	port                                 int
}

func args(mode, instanceType string, protect bool) *messaging.Args {
	return &messaging.Args{
		Namer:                            naming.Namer{Project: "morpheus-ha", Stack: "test"},
		VpcId:                            pulumi.String("vpc-1"),
		DataSubnetIds:                    pulumi.ToStringArray(dataSubnets),
		AmqpsClientSecurityGroupIds:      pulumi.StringArray{pulumi.String(appSG)},
		ManagementClientSecurityGroupIds: pulumi.StringArray{pulumi.String(opsSG)},
		EngineVersion:                    "3.13",
		InstanceType:                     instanceType,
		DeploymentMode:                   mode,
		MaintenanceWindow:                messaging.MaintenanceWindow{DayOfWeek: "SUNDAY", TimeOfDay: "03:00", TimeZone: "UTC"},
		AdminUsername:                    "mqadmin",
		AdminPassword:                    pulumi.String(password),
		Protect:                          protect,
	}
}

func run(t *testing.T, a *messaging.Args) (*testutil.Recorder, *outputs) {
	t.Helper()
	out := &outputs{}
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		m, err := messaging.NewMessaging(ctx, "messaging", a)
		if err != nil {
			return err
		}
		capture := func(o pulumi.StringOutput, into *string) {
			o.ApplyT(func(v string) string { *into = v; return v })
		}
		capture(m.BrokerId, &out.id)
		capture(m.BrokerArn, &out.arn)
		capture(m.AmqpsEndpoint, &out.endpoint)
		capture(m.Host, &out.host)
		capture(m.ManagementUrl, &out.console)
		capture(m.SecurityGroupId, &out.sg)
		m.Port.ApplyT(func(v int) int { out.port = v; return v })
		return nil
	}, testutil.Options{Config: map[string]string{"aws:region": region}})
	return rec, out
}

func TestBrokerByEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env          string
		mode         string
		instanceType string
		protect      bool
		subnets      []string
	}{
		{env: "prod", mode: messaging.ClusterMultiAZ, instanceType: "mq.m7g.large", protect: true, subnets: dataSubnets},
		{env: "dev", mode: messaging.SingleInstance, instanceType: "mq.t3.micro", protect: false, subnets: dataSubnets[:1]},
	} {
		t.Run(tc.env, func(t *testing.T) {
			rec, _ := run(t, args(tc.mode, tc.instanceType, tc.protect))
			brokers := rec.ByType(brokerType)
			require.Len(t, brokers, 1)
			b := brokers[0]
			assert.Equal(t, rec.Find(messaging.TypeToken, "messaging").URN, b.Parent)
			in := b.Inputs

			assert.Equal(t, "RabbitMQ", in["engineType"].StringValue())
			assert.Equal(t, "3.13", in["engineVersion"].StringValue())
			assert.True(t, in["autoMinorVersionUpgrade"].BoolValue(), "required from 3.13 on (MQ.3)")
			assert.Equal(t, tc.mode, in["deploymentMode"].StringValue())
			assert.Equal(t, tc.instanceType, in["hostInstanceType"].StringValue())
			assert.Equal(t, tc.subnets, testutil.Strs(in, "subnetIds"), "cluster: every data subnet; single: the first")
			assert.False(t, in["publiclyAccessible"].BoolValue(), "private broker")
			assert.True(t, in.HasValue("publiclyAccessible"), "set explicitly, not left to a default")
			assert.Equal(t, "ebs", in["storageType"].StringValue())
			assert.Equal(t, "simple", in["authenticationStrategy"].StringValue())
			assert.Equal(t, "morpheus-ha-test-rabbitmq", in["brokerName"].StringValue())
			assert.Equal(t, []string{"messaging-sg-id"}, testutil.Strs(in, "securityGroups"))

			logs := in["logs"].ObjectValue()
			assert.True(t, logs["general"].BoolValue(), "general logs on")
			assert.False(t, logs.HasValue("audit"), "audit logs are ActiveMQ only")
			assert.False(t, in.HasValue("encryptionOptions"), "encryption options do not apply to RabbitMQ")

			w := in["maintenanceWindowStartTime"].ObjectValue()
			assert.Equal(t, "SUNDAY", w["dayOfWeek"].StringValue())
			assert.Equal(t, "03:00", w["timeOfDay"].StringValue())
			assert.Equal(t, "UTC", w["timeZone"].StringValue())

			assert.Equal(t, tc.protect, b.Protect, "protect flag")
		})
	}
}

func TestAdminUserPasswordIsSecret(t *testing.T) {
	rec, _ := run(t, args(messaging.ClusterMultiAZ, "mq.m7g.large", true))
	b := rec.ByType(brokerType)[0]
	users := b.Inputs["users"]
	secret := users.IsSecret()
	if secret {
		users = users.SecretValue().Element
	}
	require.Len(t, users.ArrayValue(), 1, "RabbitMQ takes exactly one user at creation")
	user := users.ArrayValue()[0]
	if user.IsSecret() {
		secret, user = true, user.SecretValue().Element
	}
	u := user.ObjectValue()
	assert.Equal(t, "mqadmin", u["username"].StringValue())
	pw := u["password"]
	if pw.IsSecret() {
		secret, pw = true, pw.SecretValue().Element
	}
	assert.True(t, secret, "the password is sent as a secret even though a plain string was given")
	assert.Equal(t, password, pw.StringValue())
	assert.False(t, u.HasValue("consoleAccess"), "consoleAccess is ActiveMQ only")
	assert.False(t, u.HasValue("groups"), "groups are ActiveMQ only")
	assert.Equal(t, []string{"users[0].password"}, b.IgnoreChanges,
		"set at creation only: the ops function rotates it, and a later update must not write the original back")
}

// TestSecurityGroupAllowsAMQPSAndManagementFromClientGroupsOnly: app nodes on
// AMQPS only, the ops function on the management API only.
func TestSecurityGroupAllowsAMQPSAndManagementFromClientGroupsOnly(t *testing.T) {
	rec, _ := run(t, args(messaging.ClusterMultiAZ, "mq.m7g.large", true))
	sg := rec.Find(sgType, "messaging-sg")
	require.NotNil(t, sg)
	assert.Equal(t, "vpc-1", sg.Inputs["vpcId"].StringValue())
	ports := map[float64]bool{}
	for _, r := range sg.Inputs["ingress"].ArrayValue() {
		rule := r.ObjectValue()
		assert.Equal(t, "tcp", rule["protocol"].StringValue())
		assert.Equal(t, rule["fromPort"].NumberValue(), rule["toPort"].NumberValue(), "single ports, no ranges")
		wantSources := map[float64][]string{messaging.AMQPSPort: {appSG}, messaging.ManagementPort: {opsSG}}
		assert.Equal(t, wantSources[rule["fromPort"].NumberValue()], testutil.Strs(rule, "securityGroups"))
		assert.Empty(t, testutil.Strs(rule, "cidrBlocks"), "no CIDR sources")
		assert.Empty(t, testutil.Strs(rule, "ipv6CidrBlocks"), "no CIDR sources")
		assert.NotEmpty(t, rule["description"].StringValue())
		ports[rule["fromPort"].NumberValue()] = true
	}
	assert.Equal(t, map[float64]bool{messaging.AMQPSPort: true, messaging.ManagementPort: true}, ports)
	assert.Empty(t, sg.Inputs["egress"].V, "no egress rules")
}

func TestOutputs(t *testing.T) {
	for _, mode := range []string{messaging.ClusterMultiAZ, messaging.SingleInstance} {
		t.Run(mode, func(t *testing.T) {
			_, out := run(t, args(mode, "mq.m7g.large", false))
			host := "b-messaging-broker-id.mq." + region + ".amazonaws.com"
			assert.Equal(t, "messaging-broker-id", out.id)
			assert.Contains(t, out.arn, ":broker:morpheus-ha-test-rabbitmq:")
			assert.Equal(t, "amqps://"+host+":5671", out.endpoint)
			assert.Equal(t, host, out.host, "morpheus.rb takes the bare host name")
			assert.Equal(t, 5671, out.port)
			assert.Equal(t, "https://"+host, out.console)
			assert.Equal(t, "messaging-sg-id", out.sg)
		})
	}
}

func TestRejectsBadArgs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*messaging.Args)
		want   string
	}{
		{"patch version", func(a *messaging.Args) { a.EngineVersion = "3.13.7" }, "major.minor"},
		{"active/standby", func(a *messaging.Args) { a.DeploymentMode = "ACTIVE_STANDBY_MULTI_AZ" }, "DeploymentMode"},
		{"no password", func(a *messaging.Args) { a.AdminPassword = nil }, "AdminPassword"},
		{"bad username", func(a *messaging.Args) { a.AdminUsername = "mq admin" }, "AdminUsername"},
		{"no window", func(a *messaging.Args) { a.MaintenanceWindow = messaging.MaintenanceWindow{} }, "MaintenanceWindow"},
		{"no AMQPS client groups", func(a *messaging.Args) { a.AmqpsClientSecurityGroupIds = nil }, "AmqpsClientSecurityGroupIds"},
		{"no management client groups", func(a *messaging.Args) { a.ManagementClientSecurityGroupIds = nil }, "ManagementClientSecurityGroupIds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := args(messaging.ClusterMultiAZ, "mq.m7g.large", false)
			tc.change(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": region}}, func(ctx *pulumi.Context) error {
				_, err := messaging.NewMessaging(ctx, "messaging", a)
				return err
			}, tc.want)
		})
	}
}

func TestNoDataSubnetsFails(t *testing.T) {
	a := args(messaging.SingleInstance, "mq.t3.micro", false)
	a.DataSubnetIds = pulumi.StringArray{}
	_, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := messaging.NewMessaging(ctx, "messaging", a)
		return err
	}, testutil.Options{Config: map[string]string{"aws:region": region}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no data subnets")
}
