package search_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/search"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	domainToken = "aws:opensearch/domain:Domain"
	sgToken     = "aws:ec2/securityGroup:SecurityGroup"
	groupToken  = "aws:cloudwatch/logGroup:LogGroup"
	policyToken = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"

	region     = "eu-west-1"
	dataKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/data"
	logsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/logs"
	password   = "Sup3r-Secret!pw"
)

var env = awsenv.Env{AccountID: testutil.AccountID, Partition: "aws", Region: region, DNSSuffix: "amazonaws.com"}

// layout is what differs between the environments' domains.
type layout struct {
	stack         string
	subnets       []string
	azCount       int
	instanceType  string
	dataNodes     int
	masters       int
	volumeSize    int
	retentionDays int
	protect       bool
}

var (
	prod = layout{stack: "prod", subnets: []string{"subnet-a", "subnet-b", "subnet-c"}, azCount: 3,
		instanceType: "m6g.large.search", dataNodes: 3, masters: 3, volumeSize: 100, retentionDays: 90, protect: true}
	dev = layout{stack: "dev", subnets: []string{"subnet-a", "subnet-b"}, azCount: 2,
		instanceType: "t3.small.search", dataNodes: 1, masters: 0, volumeSize: 20, retentionDays: 14, protect: false}
)

func (l layout) args() *search.Args {
	return &search.Args{
		Namer:                  naming.Namer{Project: testutil.Project, Stack: l.stack},
		Env:                    env,
		VpcId:                  pulumi.String("vpc-1"),
		SubnetIds:              pulumi.ToStringArray(l.subnets),
		AZCount:                l.azCount,
		ClientSecurityGroupIds: pulumi.ToStringArray([]string{"sg-app", "sg-ops"}),
		EngineVersion:          "OpenSearch_2.19",
		DataInstanceType:       l.instanceType,
		DataNodeCount:          l.dataNodes,
		DedicatedMasterCount:   l.masters,
		MasterInstanceType:     "m6g.large.search",
		VolumeSize:             l.volumeSize,
		OffPeakStartHour:       22,
		MasterUsername:         "morpheus",
		// A plain string on purpose: the component must make it secret itself.
		MasterPassword:   pulumi.String(password),
		DataKeyArn:       pulumi.String(dataKeyArn),
		LogsKeyArn:       pulumi.String(logsKeyArn),
		LogRetentionDays: l.retentionDays,
		Protect:          l.protect,
	}
}

// outputs are the component's resolved outputs.
type outputs struct {
	mu                                          sync.Mutex
	endpoint, domainName, domainArn, securityGr string
	port                                        int
}

func (o *outputs) set(field *string) func(string) string {
	return func(v string) string { o.mu.Lock(); *field = v; o.mu.Unlock(); return v }
}

// run builds one domain from args and returns the recorder and its outputs.
func run(t *testing.T, stack string, args *search.Args) (*testutil.Recorder, *outputs) {
	t.Helper()
	out := &outputs{}
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		c, err := search.NewSearch(ctx, "search", args)
		if err != nil {
			return err
		}
		c.Endpoint.ApplyT(out.set(&out.endpoint))
		c.DomainName.ApplyT(out.set(&out.domainName))
		c.DomainArn.ApplyT(out.set(&out.domainArn))
		c.SecurityGroupId.ApplyT(out.set(&out.securityGr))
		// Port is a constant output; joining it with a resource output makes the
		// run wait for it.
		pulumi.All(c.Port, c.DomainArn).ApplyT(func(v []any) int {
			out.mu.Lock()
			defer out.mu.Unlock()
			out.port = v[0].(int)
			return out.port
		})
		return nil
	}, testutil.Options{Stack: stack, Config: map[string]string{"aws:region": region}})
	return rec, out
}

func domainOf(t *testing.T, rec *testutil.Recorder) *testutil.Resource {
	t.Helper()
	domains := rec.ByType(domainToken)
	require.Len(t, domains, 1)
	return domains[0]
}

func TestDomainSecurity(t *testing.T) {
	for _, l := range []layout{prod, dev} {
		t.Run(l.stack, func(t *testing.T) {
			rec, _ := run(t, l.stack, l.args())
			d := domainOf(t, rec)

			assert.Equal(t, "OpenSearch_2.19", d.String("engineVersion"))
			assert.True(t, d.Bool("encryptAtRest", "enabled"))
			assert.Equal(t, dataKeyArn, d.String("encryptAtRest", "kmsKeyId"), "encrypted with the data key")
			assert.True(t, d.Bool("nodeToNodeEncryption", "enabled"))
			assert.True(t, d.Bool("domainEndpointOptions", "enforceHttps"))
			assert.Equal(t, "Policy-Min-TLS-1-2-PFS-2023-10", d.String("domainEndpointOptions", "tlsSecurityPolicy"))

			assert.True(t, d.Bool("advancedSecurityOptions", "enabled"), "fine-grained access control")
			assert.True(t, d.Bool("advancedSecurityOptions", "internalUserDatabaseEnabled"))
			assert.Equal(t, "morpheus", d.String("advancedSecurityOptions", "masterUserOptions", "masterUserName"))
			pw := []string{"advancedSecurityOptions", "masterUserOptions", "masterUserPassword"}
			assert.True(t, d.IsSecret(pw...), "the master password must reach the engine as a secret")
			assert.Equal(t, password, d.String(pw...))
			assert.Equal(t, []string{strings.Join(pw, ".")}, d.IgnoreChanges,
				"set at creation only: the ops function rotates it, and a later update must not write the original back")

			assert.True(t, d.Bool("softwareUpdateOptions", "autoSoftwareUpdateEnabled"))
			assert.True(t, d.Bool("offPeakWindowOptions", "enabled"))
			assert.EqualValues(t, 22, d.Number("offPeakWindowOptions", "offPeakWindow", "windowStartTime", "hours"), "the off-peak window starts as configured")
			assert.True(t, d.Bool("offPeakWindowOptions", "enabled"))
			assert.Equal(t, "NO_ROLLBACK", d.String("autoTuneOptions", "rollbackOnDisable"))
			assert.Equal(t, l.protect, d.Protect, "protect only in prod")
		})
	}
}

func TestDomainLayout(t *testing.T) {
	cases := []struct {
		layout
		wantSubnets  []string
		zoneAware    bool
		wantAutoTune string
	}{
		{layout: prod, wantSubnets: []string{"subnet-a", "subnet-b", "subnet-c"}, zoneAware: true, wantAutoTune: "ENABLED"},
		// Dev's one node sits in the first subnet; T3 types reject Auto-Tune.
		{layout: dev, wantSubnets: []string{"subnet-a"}, zoneAware: false, wantAutoTune: "DISABLED"},
	}
	for _, tc := range cases {
		t.Run(tc.stack, func(t *testing.T) {
			rec, _ := run(t, tc.stack, tc.args())
			d := domainOf(t, rec)
			// cc is the path to a key of the cluster config.
			cc := func(path ...string) []string { return append([]string{"clusterConfig"}, path...) }
			// flag is a boolean of the cluster config that must be set explicitly.
			flag := func(key string) bool {
				v, set := testutil.Flag(d.Inputs, cc(key)...)
				assert.True(t, set, "clusterConfig.%s is set", key)
				return v
			}
			// null reports whether a key of the cluster config is absent or null.
			null := func(path ...string) bool { v, _ := d.Prop(cc(path...)...); return v.IsNull() }

			assert.Equal(t, tc.instanceType, d.String(cc("instanceType")...))
			assert.Equal(t, float64(tc.dataNodes), d.Number(cc("instanceCount")...))
			assert.Equal(t, tc.zoneAware, flag("zoneAwarenessEnabled"))
			assert.False(t, flag("multiAzWithStandbyEnabled"), "the vendor guide runs without standby")
			assert.Equal(t, tc.wantSubnets, d.Strings("vpcOptions", "subnetIds"))
			if tc.zoneAware {
				assert.Equal(t, float64(len(tc.subnets)), d.Number(cc("zoneAwarenessConfig", "availabilityZoneCount")...),
					"AZ count equals the subnet count")
			} else {
				assert.True(t, null("zoneAwarenessConfig"))
			}
			assert.Equal(t, tc.masters > 0, flag("dedicatedMasterEnabled"))
			if tc.masters > 0 {
				assert.Equal(t, float64(tc.masters), d.Number(cc("dedicatedMasterCount")...))
				assert.Equal(t, "m6g.large.search", d.String(cc("dedicatedMasterType")...))
			} else {
				assert.True(t, null("dedicatedMasterCount"))
			}

			assert.True(t, d.Bool("ebsOptions", "ebsEnabled"))
			assert.Equal(t, "gp3", d.String("ebsOptions", "volumeType"))
			assert.Equal(t, float64(tc.volumeSize), d.Number("ebsOptions", "volumeSize"))
			assert.Equal(t, tc.wantAutoTune, d.String("autoTuneOptions", "desiredState"))
		})
	}
}

func TestSecurityGroupAdmitsOnlyClientGroups(t *testing.T) {
	rec, out := run(t, "prod", prod.args())
	sgs := rec.ByType(sgToken)
	require.Len(t, sgs, 1)
	sg := sgs[0]
	assert.Equal(t, "vpc-1", sg.String("vpcId"))

	ingress := sg.Objects("ingress")
	require.Len(t, ingress, 1)
	rule := ingress[0]
	assert.Equal(t, "tcp", testutil.Str(rule, "protocol"))
	assert.Equal(t, float64(443), testutil.Num(rule, "fromPort"))
	assert.Equal(t, float64(443), testutil.Num(rule, "toPort"))
	assert.Equal(t, []string{"sg-app", "sg-ops"}, testutil.Strs(rule, "securityGroups"))
	assert.Empty(t, testutil.Strs(rule, "cidrBlocks"), "sources are security groups, never CIDRs")
	assert.Empty(t, testutil.Strs(rule, "ipv6CidrBlocks"))
	assert.NotEmpty(t, testutil.Str(rule, "description"))
	egress, _ := sg.Prop("egress")
	assert.True(t, egress.IsNull() || len(egress.ArrayValue()) == 0, "no egress rules")

	d := domainOf(t, rec)
	assert.Equal(t, []string{"search-sg-id"}, d.Strings("vpcOptions", "securityGroupIds"))
	assert.Equal(t, "search-sg-id", out.securityGr)
	assert.Equal(t, 443, out.port)
}

func TestLogsArePublishedToEncryptedGroups(t *testing.T) {
	rec, _ := run(t, "prod", prod.args())
	groups := rec.ByType(groupToken)
	require.Len(t, groups, len(search.LogTypes))

	groupArns := map[string]bool{}
	for _, g := range groups {
		name := g.String("name")
		assert.True(t, strings.HasPrefix(name, "/morpheus-ha/prod/opensearch/"), name)
		assert.Equal(t, float64(90), g.Number("retentionInDays"), name)
		assert.Equal(t, logsKeyArn, g.String("kmsKeyId"), "%s is encrypted with the logs key", name)
		groupArns[env.ARN("logs", "log-group:"+name)] = true
	}

	d := domainOf(t, rec)
	published := map[string]string{}
	for _, o := range d.Objects("logPublishingOptions") {
		typ, arn := testutil.Str(o, "logType"), testutil.Str(o, "cloudwatchLogGroupArn")
		enabled, _ := testutil.Flag(o, "enabled")
		assert.True(t, enabled, typ)
		assert.True(t, groupArns[arn], "%s goes to a group of this component, got %s", typ, arn)
		published[typ] = arn
	}
	for _, want := range []string{"INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"} {
		assert.Contains(t, published, want)
	}
	assert.Len(t, published, len(search.LogTypes), "one group per log type")

	// The resource policy admits OpenSearch to exactly these groups, for this account.
	policies := rec.ByType(policyToken)
	require.Len(t, policies, 1)
	var doc struct {
		Statement []struct {
			Effect    string
			Principal map[string]any
			Action    []string
			Resource  []string
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(policies[0].String("policyDocument")), &doc))
	require.Len(t, doc.Statement, 1)
	st := doc.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, "es.amazonaws.com", st.Principal["Service"])
	assert.ElementsMatch(t, []string{"logs:PutLogEvents", "logs:CreateLogStream"}, st.Action)
	wantResources := []string{}
	for arn := range groupArns {
		wantResources = append(wantResources, arn+":*")
	}
	assert.ElementsMatch(t, wantResources, st.Resource)
	assert.Equal(t, testutil.AccountID, st.Condition["StringEquals"]["aws:SourceAccount"])
	assert.Equal(t, "arn:aws:es:eu-west-1:123456789012:domain/morpheus-ha-prod-search", st.Condition["ArnLike"]["aws:SourceArn"])

	// The domain waits for the policy: AWS rejects log publishing without it.
	assert.Contains(t, d.DependsOn, policies[0].URN)
}

func TestAccessPolicyDefersToFineGrainedAccessControl(t *testing.T) {
	rec, out := run(t, "prod", prod.args())
	d := domainOf(t, rec)
	name := d.String("domainName")
	assert.Equal(t, "morpheus-ha-prod-search", name)

	var doc struct {
		Version   string
		Statement []struct {
			Effect    string
			Principal map[string]any
			Action    []string
			Resource  []string
			Condition map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(d.String("accessPolicies")), &doc))
	require.Len(t, doc.Statement, 1)
	st := doc.Statement[0]
	domainArn := "arn:aws:es:eu-west-1:123456789012:domain/" + name
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, "*", st.Principal["AWS"], "no IAM principal, so Morpheus's basic-auth requests need no SigV4")
	assert.Equal(t, []string{"es:ESHttp*"}, st.Action)
	assert.Equal(t, []string{domainArn + "/*"}, st.Resource, "only this domain's subresources")

	assert.Equal(t, domainArn, out.domainArn)
	assert.Equal(t, name, out.domainName)
	assert.False(t, strings.Contains(out.endpoint, "://"), "endpoint is a host name: %s", out.endpoint)
	assert.True(t, strings.HasPrefix(out.endpoint, "vpc-"+name), out.endpoint)
}

func TestDomainNameFitsAWSRules(t *testing.T) {
	args := prod.args()
	args.Namer.Stack = "Customer-Acceptance-Staging"
	rec, _ := run(t, "Customer-Acceptance-Staging", args)
	name := domainOf(t, rec).String("domainName")
	assert.LessOrEqual(t, len(name), 28)
	assert.Equal(t, strings.ToLower(name), name)
	assert.Regexp(t, `^[a-z]`, name)
}

func TestArgsAreValidatedBeforeRegistering(t *testing.T) {
	cases := map[string]struct {
		mutate func(*search.Args)
		want   string
	}{
		"elasticsearch engine": {func(a *search.Args) { a.EngineVersion = "Elasticsearch_7.10" }, "EngineVersion"},
		"four masters":         {func(a *search.Args) { a.DedicatedMasterCount = 4 }, "DedicatedMasterCount"},
		"two masters":          {func(a *search.Args) { a.DedicatedMasterCount = 2 }, "DedicatedMasterCount"},
		"nodes not per AZ":     {func(a *search.Args) { a.DataNodeCount = 4 }, "multiple of AZCount"},
		"zone-aware over 4":    {func(a *search.Args) { a.AZCount = 4; a.DataNodeCount = 8 }, "AZCount"},
		"no password":          {func(a *search.Args) { a.MasterPassword = nil }, "MasterPassword"},
		"no data key":          {func(a *search.Args) { a.DataKeyArn = nil }, "DataKeyArn"},
		"tiny volume":          {func(a *search.Args) { a.VolumeSize = 5 }, "VolumeSize"},
		"bad instance type":    {func(a *search.Args) { a.DataInstanceType = "m6g.large" }, "DataInstanceType"},
		"no master user":       {func(a *search.Args) { a.MasterUsername = "" }, "MasterUsername"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			args := prod.args()
			tc.mutate(args)
			testutil.RequireRefused(t, testutil.Options{Stack: "prod", Config: map[string]string{"aws:region": region}}, func(ctx *pulumi.Context) error {
				_, err := search.NewSearch(ctx, "search", args)
				return err
			}, tc.want)
		})
	}
}

func TestZoneAwareDomainNeedsOneSubnetPerAZ(t *testing.T) {
	args := prod.args()
	args.SubnetIds = pulumi.ToStringArray([]string{"subnet-a", "subnet-b"})
	_, err := testutil.Run(func(ctx *pulumi.Context) error {
		_, err := search.NewSearch(ctx, "search", args)
		return err
	}, testutil.Options{Stack: "prod", Config: map[string]string{"aws:region": region}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "needs exactly 3 subnets, got 2")
}
