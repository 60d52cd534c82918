package loadbalancer_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

const (
	lbType         = "aws:lb/loadBalancer:LoadBalancer"
	listenerType   = "aws:lb/listener:Listener"
	tgType         = "aws:lb/targetGroup:TargetGroup"
	sgType         = "aws:ec2/securityGroup:SecurityGroup"
	sgRuleType     = "aws:ec2/securityGroupRule:SecurityGroupRule"
	certType       = "aws:acm/certificate:Certificate"
	certValType    = "aws:acm/certificateValidation:CertificateValidation"
	recordType     = "aws:route53/record:Record"
	bucketType     = "aws:s3/bucketV2:BucketV2"
	sseType        = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	versioningType = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	pabType        = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	ownershipType  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	lifecycleType  = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	policyType     = "aws:s3/bucketPolicy:BucketPolicy"
	webACLType     = "aws:wafv2/webAcl:WebAcl"
	wafAssocType   = "aws:wafv2/webAclAssociation:WebAclAssociation"
)

const (
	domain     = "morpheus.example.com"
	zoneID     = "Z0TESTZONE12345"
	appSG      = "sg-0app0000000000000"
	vpcID      = "vpc-0123456789abcdef0"
	certARN    = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	bucketName = "morpheus-ha-prod-alb-logs-123456789012-eu-west-1"
)

var (
	env           = testutil.Env()
	publicSubnets = []string{"subnet-public-a", "subnet-public-b", "subnet-public-c"}
	appSubnets    = []string{"subnet-app-a", "subnet-app-b", "subnet-app-c"}
)

// prodArgs are the arguments the stack would pass in prod with a managed zone.
func prodArgs() *loadbalancer.Args {
	return &loadbalancer.Args{
		Namer:                  testutil.ProdNamer(),
		Env:                    env,
		VpcId:                  pulumi.String(vpcID),
		PublicSubnetIds:        pulumi.ToStringArray(publicSubnets),
		AppSubnetIds:           pulumi.ToStringArray(appSubnets),
		AppSecurityGroupId:     pulumi.String(appSG),
		Domain:                 domain,
		AllowedCidrs:           []string{"0.0.0.0/0"},
		SslPolicy:              "ELBSecurityPolicy-TLS13-1-2-2021-06",
		HostedZoneId:           zoneID,
		DesyncMitigationMode:   "defensive",
		IdleTimeoutSeconds:     350,
		AccessLogRetentionDays: 90,
		Protect:                true,
		// Most tests describe the steady state; TestSetupWindow the one before.
		SetupComplete: true,
	}
}

// devArgs are prod's with dev's differences: two AZs, no protection, 14 days.
func devArgs() *loadbalancer.Args {
	a := prodArgs()
	a.Namer.Stack = "dev"
	a.PublicSubnetIds = pulumi.ToStringArray(publicSubnets[:2])
	a.AppSubnetIds = pulumi.ToStringArray(appSubnets[:2])
	a.AccessLogRetentionDays = 14
	a.Protect = false
	return a
}

// outputs are the component's outputs as resolved under the mocks.
type outputs map[string]string

func run(t *testing.T, a *loadbalancer.Args) (*testutil.Recorder, outputs) {
	t.Helper()
	out := outputs{}
	var mu sync.Mutex // applies resolve concurrently
	rec := testutil.MustRun(t, func(ctx *pulumi.Context) error {
		c, err := loadbalancer.NewLoadBalancer(ctx, "loadbalancer", a)
		if err != nil {
			return err
		}
		for key, o := range map[string]pulumi.StringOutput{
			"LoadBalancerArn": c.LoadBalancerArn, "DnsName": c.DnsName, "ZoneId": c.ZoneId,
			"ArnSuffix": c.ArnSuffix, "TargetGroupArn": c.TargetGroupArn,
			"TargetGroupArnSuffix": c.TargetGroupArnSuffix, "SecurityGroupId": c.SecurityGroupId,
			"HttpsListenerArn": c.HttpsListenerArn, "CertificateArn": c.CertificateArn,
			"AccessLogBucketName": c.AccessLogBucketName,
		} {
			o.ApplyT(func(v string) string {
				mu.Lock()
				defer mu.Unlock()
				out[key] = v
				return v
			})
		}
		return nil
	}, testutil.Options{Config: map[string]string{"aws:region": env.Region}})
	return rec, out
}

func one(t *testing.T, rec *testutil.Recorder, token, name string) *testutil.Resource {
	t.Helper()
	r := rec.Find(token, name)
	require.NotNil(t, r, "no %s named %s", token, name)
	return r
}

func TestHTTPSListener(t *testing.T) {
	for _, policy := range []string{"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"} {
		t.Run(policy, func(t *testing.T) {
			a := prodArgs()
			a.SslPolicy = policy
			rec, out := run(t, a)
			l := one(t, rec, listenerType, "loadbalancer-https")
			assert.Equal(t, "HTTPS", l.String("protocol"))
			assert.EqualValues(t, 443, l.Number("port"))
			assert.Equal(t, policy, l.String("sslPolicy"))
			assert.Equal(t, out["LoadBalancerArn"], l.String("loadBalancerArn"))

			validation := one(t, rec, certValType, "loadbalancer-cert-validation")
			assert.Equal(t, validation.String("certificateArn"), l.String("certificateArn"),
				"the listener must take the validated certificate, so it waits for issuance")
			assert.Equal(t, "arn:aws:acm:eu-west-1:123456789012:certificate/loadbalancer-cert-id", l.String("certificateArn"))

			actions := l.Objects("defaultActions")
			require.Len(t, actions, 1)
			assert.Equal(t, "forward", actions[0]["type"].StringValue())
			assert.Equal(t, out["TargetGroupArn"], actions[0]["targetGroupArn"].StringValue())
			assert.Equal(t, "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/loadbalancer-https-id", out["HttpsListenerArn"])
		})
	}
}

func TestHTTPListenerOnlyRedirects(t *testing.T) {
	rec, _ := run(t, prodArgs())
	l := one(t, rec, listenerType, "loadbalancer-http")
	assert.Equal(t, "HTTP", l.String("protocol"))
	assert.EqualValues(t, 80, l.Number("port"))
	assert.Empty(t, l.String("certificateArn"))
	actions := l.Objects("defaultActions")
	require.Len(t, actions, 1, "port 80 must do nothing but redirect")
	a := actions[0]
	assert.Equal(t, "redirect", a["type"].StringValue())
	assert.False(t, a.HasValue("targetGroupArn"), "port 80 must never forward")
	assert.False(t, a.HasValue("forward"))
	redirect := a["redirect"].ObjectValue()
	assert.Equal(t, "443", redirect["port"].StringValue(), "redirect port is a string")
	assert.Equal(t, "HTTPS", redirect["protocol"].StringValue())
	assert.Equal(t, "HTTP_301", redirect["statusCode"].StringValue())
	assert.Len(t, rec.ByType(listenerType), 2, "only the HTTPS and HTTP listeners")
}

func TestLoadBalancerSettings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    *loadbalancer.Args
		protect bool
		subnets []string
		lbName  string
	}{
		{"prod", prodArgs(), true, publicSubnets, "morpheus-ha-prod-alb"},
		{"dev", devArgs(), false, publicSubnets[:2], "morpheus-ha-dev-alb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, out := run(t, tc.args)
			alb := one(t, rec, lbType, "loadbalancer-alb")
			assert.Equal(t, tc.lbName, alb.String("name"))
			assert.Equal(t, "application", alb.String("loadBalancerType"))
			assert.False(t, alb.Bool("internal"))
			_, set := alb.Prop("internal")
			assert.True(t, set, "internal must be explicit")
			assert.Equal(t, tc.subnets, alb.Strings("subnets"), "one public subnet per AZ")
			assert.Equal(t, []string{out["SecurityGroupId"]}, alb.Strings("securityGroups"))
			assert.True(t, alb.Bool("dropInvalidHeaderFields"))
			assert.Equal(t, "defensive", alb.String("desyncMitigationMode"))
			assert.EqualValues(t, 350, alb.Number("idleTimeout"))
			assert.Equal(t, tc.protect, alb.Bool("enableDeletionProtection"))
			_, set = alb.Prop("enableDeletionProtection")
			assert.True(t, set, "deletion protection must be explicit")
			assert.Equal(t, tc.protect, alb.Protect)

			assert.True(t, alb.Bool("accessLogs", "enabled"))
			assert.Equal(t, out["AccessLogBucketName"], alb.String("accessLogs", "bucket"))
			assert.Equal(t, "alb", alb.String("accessLogs", "prefix"))
			policy := one(t, rec, policyType, "loadbalancer-logs-policy")
			assert.Contains(t, alb.DependsOn, policy.URN, "enabling access logs checks the bucket policy, so it must exist first")
		})
	}
}

func TestStrictestDesyncAndLongIdleTimeout(t *testing.T) {
	a := prodArgs()
	a.DesyncMitigationMode = "strictest"
	a.IdleTimeoutSeconds = 4000
	rec, _ := run(t, a)
	alb := one(t, rec, lbType, "loadbalancer-alb")
	assert.Equal(t, "strictest", alb.String("desyncMitigationMode"))
	assert.EqualValues(t, 4000, alb.Number("idleTimeout"))
}

func TestInternalALBUsesAppSubnets(t *testing.T) {
	a := prodArgs()
	a.Internal = true
	rec, _ := run(t, a)
	alb := one(t, rec, lbType, "loadbalancer-alb")
	assert.True(t, alb.Bool("internal"))
	assert.Equal(t, appSubnets, alb.Strings("subnets"))
	assert.Equal(t, "morpheus-ha-prod-alb-internal", alb.String("name"),
		"switching internal replaces the ALB; the replacement needs its own name")
}

func TestTargetGroup(t *testing.T) {
	rec, out := run(t, prodArgs())
	tg := one(t, rec, tgType, "loadbalancer-tg")
	assert.Equal(t, "HTTPS", tg.String("protocol"), "Morpheus serves TLS itself")
	assert.EqualValues(t, 443, tg.Number("port"))
	assert.Equal(t, "HTTP1", tg.String("protocolVersion"), "websockets need HTTP/1.1 to the target")
	assert.Equal(t, "instance", tg.String("targetType"))
	assert.Equal(t, vpcID, tg.String("vpcId"))
	assert.EqualValues(t, 300, tg.Number("deregistrationDelay"))

	assert.True(t, tg.Bool("healthCheck", "enabled"))
	assert.Equal(t, "HTTPS", tg.String("healthCheck", "protocol"))
	assert.Equal(t, "/ping", tg.String("healthCheck", "path"))
	assert.Equal(t, "200", tg.String("healthCheck", "matcher"))
	assert.Equal(t, "traffic-port", tg.String("healthCheck", "port"))
	interval, timeout := tg.Number("healthCheck", "interval"), tg.Number("healthCheck", "timeout")
	assert.EqualValues(t, 15, interval)
	assert.EqualValues(t, 10, timeout)
	assert.Less(t, timeout, interval, "AWS requires timeout < interval")
	assert.EqualValues(t, 2, tg.Number("healthCheck", "healthyThreshold"))
	assert.EqualValues(t, 4, tg.Number("healthCheck", "unhealthyThreshold"))

	assert.False(t, tg.Bool("stickiness", "enabled"), "Morpheus HA needs no stickiness")
	_, set := tg.Prop("stickiness", "enabled")
	assert.True(t, set, "stickiness must be explicitly off")

	assert.Equal(t, loadbalancer.TargetGroupName(testutil.ProdNamer(), vpcID), tg.String("name"))
	assert.LessOrEqual(t, len(tg.String("name")), 32)
	assert.True(t, strings.HasPrefix(tg.String("name"), "morpheus-ha-prod-app-"), tg.String("name"))
	assert.Equal(t, "targetgroup/"+tg.String("name")+"/loadbalancer-tg-id", out["TargetGroupArnSuffix"])
}

// TestTargetGroupNameChangesWithReplacement: a new VPC replaces the group; the
// replacement is created first and must not collide with the old name.
func TestTargetGroupNameChangesWithReplacement(t *testing.T) {
	n := testutil.ProdNamer()
	assert.Equal(t, loadbalancer.TargetGroupName(n, vpcID), loadbalancer.TargetGroupName(n, vpcID), "stable between runs")
	assert.NotEqual(t, loadbalancer.TargetGroupName(n, vpcID), loadbalancer.TargetGroupName(n, "vpc-0fedcba9876543210"))
	long := naming.Namer{Project: "morpheus-ha-with-a-long-name", Stack: "production-eu"}
	assert.LessOrEqual(t, len(loadbalancer.TargetGroupName(long, vpcID)), 32)
	assert.NotEqual(t, loadbalancer.TargetGroupName(long, vpcID), loadbalancer.TargetGroupName(long, "vpc-0fedcba9876543210"),
		"still distinct after shortening")
}

func TestSecurityGroup(t *testing.T) {
	for _, cidrs := range [][]string{{"0.0.0.0/0"}, {"198.51.100.0/24", "203.0.113.0/24"}} {
		t.Run(strings.Join(cidrs, ","), func(t *testing.T) {
			a := prodArgs()
			a.AllowedCidrs = cidrs
			rec, out := run(t, a)
			sg := one(t, rec, sgType, "loadbalancer-sg")
			assert.Equal(t, vpcID, sg.String("vpcId"))
			assert.Equal(t, "loadbalancer-sg-id", out["SecurityGroupId"])

			ingress := sg.Objects("ingress")
			require.Len(t, ingress, 2)
			ports := map[float64]bool{}
			for _, r := range ingress {
				from, to := r["fromPort"].NumberValue(), r["toPort"].NumberValue()
				assert.Equal(t, from, to, "single ports only")
				ports[from] = true
				assert.Equal(t, "tcp", r["protocol"].StringValue())
				assert.NotEmpty(t, r["description"].StringValue())
				var got []string
				for _, c := range r["cidrBlocks"].ArrayValue() {
					got = append(got, c.StringValue())
				}
				assert.Equal(t, cidrs, got, "only the configured CIDRs")
				assert.False(t, r.HasValue("securityGroups"))
				assert.False(t, r.HasValue("ipv6CidrBlocks"))
			}
			assert.Equal(t, map[float64]bool{443: true, 80: true}, ports)
			_, hasEgress := sg.Prop("egress")
			assert.False(t, hasEgress, "an inline egress list would make the group delete the separate egress rule")

			rules := rec.ByType(sgRuleType)
			require.Len(t, rules, 1, "one egress rule, nothing else")
			r := rules[0]
			assert.Equal(t, "egress", r.String("type"))
			assert.Equal(t, "loadbalancer-sg-id", r.String("securityGroupId"))
			assert.Equal(t, appSG, r.String("sourceSecurityGroupId"), "egress only to the app nodes' group")
			assert.Equal(t, "tcp", r.String("protocol"))
			assert.EqualValues(t, 443, r.Number("fromPort"))
			assert.EqualValues(t, 443, r.Number("toPort"))
			assert.Empty(t, r.Strings("cidrBlocks"))
			assert.NotEmpty(t, r.String("description"))
		})
	}
}

// TestSetupWindow: until Morpheus' setup is done the ALB admits only the setup
// sources, whatever AllowedCidrs says; the NAT addresses as /32s, the ops
// group on 443 only.
func TestSetupWindow(t *testing.T) {
	const opsSG = "sg-0ops0000000000000"
	natIps := []string{"198.51.100.7", "198.51.100.8", "198.51.100.9"}
	natCidrs := []string{"198.51.100.7/32", "198.51.100.8/32", "198.51.100.9/32"}
	for _, tc := range []struct {
		name      string
		setup     func(*loadbalancer.Args)
		wantCidrs []string // on 443 and 80
		wantGroup bool     // the ops group on 443
	}{
		{"setup CIDRs", func(a *loadbalancer.Args) { a.SetupCidrs = []string{"192.0.2.0/24"} }, []string{"192.0.2.0/24"}, false},
		{"automated setup, internet-facing", func(a *loadbalancer.Args) { a.SetupPublicIps = pulumi.ToStringArray(natIps) }, natCidrs, false},
		{"both", func(a *loadbalancer.Args) {
			a.SetupCidrs, a.SetupPublicIps = []string{"192.0.2.0/24"}, pulumi.ToStringArray(natIps)
		}, append([]string{"192.0.2.0/24"}, natCidrs...), false},
		{"automated setup, internal", func(a *loadbalancer.Args) {
			a.Internal, a.AllowedCidrs, a.SetupSecurityGroupId = true, []string{"10.0.0.0/8"}, pulumi.String(opsSG)
		}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := prodArgs()
			a.SetupComplete = false
			tc.setup(a)
			rec, _ := run(t, a)
			sg := one(t, rec, sgType, "loadbalancer-sg")
			cidrsByPort := map[float64][]string{}
			var groups []string
			for _, r := range sg.Objects("ingress") {
				assert.NotEmpty(t, r["description"].StringValue())
				port := r["fromPort"].NumberValue()
				assert.Equal(t, port, r["toPort"].NumberValue())
				for _, c := range testutil.Strs(r, "cidrBlocks") {
					assert.NotEqual(t, "0.0.0.0/0", c, "the setup window never admits everyone")
					cidrsByPort[port] = append(cidrsByPort[port], c)
				}
				for _, g := range testutil.Strs(r, "securityGroups") {
					assert.EqualValues(t, 443, port, "the ops group reaches HTTPS only")
					groups = append(groups, g)
				}
			}
			if tc.wantCidrs == nil {
				assert.Empty(t, cidrsByPort)
			} else {
				assert.Equal(t, map[float64][]string{443: tc.wantCidrs, 80: tc.wantCidrs}, cidrsByPort)
			}
			if tc.wantGroup {
				assert.Equal(t, []string{opsSG}, groups)
			} else {
				assert.Empty(t, groups)
			}
		})
	}
}

func TestCertificateFromHostedZone(t *testing.T) {
	rec, out := run(t, prodArgs())
	certs := rec.ByType(certType)
	require.Len(t, certs, 1)
	c := certs[0]
	assert.Equal(t, domain, c.String("domainName"))
	assert.Equal(t, "DNS", c.String("validationMethod"))
	assert.Equal(t, "RSA_2048", c.String("keyAlgorithm"))
	assert.Empty(t, c.Strings("subjectAlternativeNames"))
	assert.NotContains(t, c.String("domainName"), "*")

	v := one(t, rec, recordType, "loadbalancer-cert-validation-record")
	assert.Equal(t, zoneID, v.String("zoneId"))
	assert.Equal(t, "_0123456789abcdef."+domain+".", v.String("name"))
	assert.Equal(t, "CNAME", v.String("type"))
	assert.Equal(t, []string{"_fedcba9876543210.mock.acm-validations.aws."}, v.Strings("records"))
	assert.True(t, v.Bool("allowOverwrite"))

	val := one(t, rec, certValType, "loadbalancer-cert-validation")
	assert.Equal(t, "arn:aws:acm:eu-west-1:123456789012:certificate/loadbalancer-cert-id", val.String("certificateArn"))
	assert.Equal(t, []string{"_0123456789abcdef." + domain}, val.Strings("validationRecordFqdns"))
	assert.Equal(t, val.String("certificateArn"), out["CertificateArn"])
}

func TestExistingCertificate(t *testing.T) {
	a := prodArgs()
	a.HostedZoneId = ""
	a.CertificateArn = certARN
	rec, out := run(t, a)
	assert.Empty(t, rec.ByType(certType))
	assert.Empty(t, rec.ByType(certValType))
	assert.Empty(t, rec.ByType(recordType), "without a zone no DNS record is created; the user points DNS")
	assert.Equal(t, certARN, one(t, rec, listenerType, "loadbalancer-https").String("certificateArn"))
	assert.Equal(t, certARN, out["CertificateArn"])
}

func TestAliasRecord(t *testing.T) {
	rec, out := run(t, prodArgs())
	alias := one(t, rec, recordType, "loadbalancer-alias")
	assert.Equal(t, zoneID, alias.String("zoneId"))
	assert.Equal(t, domain, alias.String("name"))
	assert.Equal(t, "A", alias.String("type"))
	assert.False(t, alias.Bool("allowOverwrite"), "never take over a record we did not create")
	aliases := alias.Objects("aliases")
	require.Len(t, aliases, 1)
	assert.Equal(t, out["DnsName"], aliases[0]["name"].StringValue())
	assert.Equal(t, "morpheus-ha-prod-alb-1234567890.eu-west-1.elb.amazonaws.com", out["DnsName"])
	assert.Equal(t, testutil.MockALBZoneID, aliases[0]["zoneId"].StringValue())
	assert.Equal(t, testutil.MockALBZoneID, out["ZoneId"])
	assert.True(t, aliases[0]["evaluateTargetHealth"].BoolValue())
	for _, r := range rec.ByType(recordType) {
		assert.NotEqual(t, "AAAA", r.String("type"), "the ALB is IPv4 only")
	}
}

func TestOutputs(t *testing.T) {
	_, out := run(t, prodArgs())
	assert.Equal(t, outputs{
		"LoadBalancerArn":      "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/morpheus-ha-prod-alb/loadbalancer-alb-id",
		"DnsName":              "morpheus-ha-prod-alb-1234567890.eu-west-1.elb.amazonaws.com",
		"ZoneId":               testutil.MockALBZoneID,
		"ArnSuffix":            "app/morpheus-ha-prod-alb/loadbalancer-alb-id",
		"TargetGroupArn":       "arn:aws:elasticloadbalancing:eu-west-1:123456789012:" + out["TargetGroupArnSuffix"],
		"TargetGroupArnSuffix": "targetgroup/" + loadbalancer.TargetGroupName(testutil.ProdNamer(), vpcID) + "/loadbalancer-tg-id",
		"SecurityGroupId":      "loadbalancer-sg-id",
		"HttpsListenerArn":     "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/loadbalancer-https-id",
		"CertificateArn":       "arn:aws:acm:eu-west-1:123456789012:certificate/loadbalancer-cert-id",
		"AccessLogBucketName":  bucketName,
	}, out)
}

func TestEveryChildIsParented(t *testing.T) {
	a := prodArgs()
	a.Waf = true
	rec, _ := run(t, a)
	testutil.AssertChildrenOf(t, rec, loadbalancer.TypeToken, "loadbalancer")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		mut  func(*loadbalancer.Args)
		want string
	}{
		{"no certificate source", func(a *loadbalancer.Args) { a.HostedZoneId = "" }, "exactly one of CertificateArn and HostedZoneId"},
		{"both certificate sources", func(a *loadbalancer.Args) { a.CertificateArn = certARN }, "exactly one of CertificateArn and HostedZoneId"},
		{"weak TLS policy", func(a *loadbalancer.Args) { a.SslPolicy = "ELBSecurityPolicy-2016-08" }, "SslPolicy"},
		{"desync monitor", func(a *loadbalancer.Args) { a.DesyncMitigationMode = "monitor" }, "DesyncMitigationMode"},
		{"idle timeout", func(a *loadbalancer.Args) { a.IdleTimeoutSeconds = 30 }, "IdleTimeoutSeconds"},
		{"no CIDRs", func(a *loadbalancer.Args) { a.AllowedCidrs = nil }, "AllowedCidrs"},
		{"IPv6 CIDR", func(a *loadbalancer.Args) { a.AllowedCidrs = []string{"::/0"} }, "AllowedCidrs"},
		{"no app group", func(a *loadbalancer.Args) { a.AppSecurityGroupId = nil }, "AppSecurityGroupId"},
		{"internal without app subnets", func(a *loadbalancer.Args) { a.Internal = true; a.AppSubnetIds = nil }, "AppSubnetIds"},
		{"no public subnets", func(a *loadbalancer.Args) { a.PublicSubnetIds = nil }, "PublicSubnetIds"},
		{"no domain", func(a *loadbalancer.Args) { a.Domain = "" }, "Domain"},
		{"no retention", func(a *loadbalancer.Args) { a.AccessLogRetentionDays = 0 }, "AccessLogRetentionDays"},
		{"no env", func(a *loadbalancer.Args) { a.Env = awsenv.Env{} }, "Env"},
		{"setup window admits nobody", func(a *loadbalancer.Args) { a.SetupComplete = false }, "admits nobody"},
		{"setup CIDR /0", func(a *loadbalancer.Args) { a.SetupComplete, a.SetupCidrs = false, []string{"0.0.0.0/0"} }, "SetupCidrs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := prodArgs()
			tc.mut(a)
			testutil.RequireRefused(t, testutil.Options{Config: map[string]string{"aws:region": env.Region}}, func(ctx *pulumi.Context) error {
				_, err := loadbalancer.NewLoadBalancer(ctx, "loadbalancer", a)
				return err
			}, tc.want)
		})
	}
}
