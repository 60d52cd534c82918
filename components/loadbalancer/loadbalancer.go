// Package loadbalancer creates the Application Load Balancer in front of the
// Morpheus nodes: HTTPS with a TLS 1.2+ policy and an ACM certificate, HTTP
// redirected to HTTPS, a target group that health-checks /ping over HTTPS, its
// own security group, access logs in a dedicated bucket, an optional AWS WAF web
// ACL and the Route 53 alias record.
package loadbalancer

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:loadbalancer:LoadBalancer"

// Args configures the load balancer.
type Args struct {
	// Namer names the ALB, target group, log bucket and web ACL.
	Namer naming.Namer
	// Env is the account, partition and region (log bucket name and policy).
	Env awsenv.Env
	// VpcId is the VPC of the security group and the target group.
	VpcId pulumi.StringInput
	// PublicSubnetIds hold an internet-facing ALB, one subnet per AZ.
	PublicSubnetIds pulumi.StringArrayInput
	// AppSubnetIds hold an internal ALB, one subnet per AZ (only read when Internal).
	AppSubnetIds pulumi.StringArrayInput
	// AppSecurityGroupId is the app nodes' group, the ALB's only egress destination.
	AppSecurityGroupId pulumi.StringInput
	// Domain is the FQDN of the certificate and the alias record.
	Domain string
	// Internal makes the ALB internal (no public addresses, private-app subnets).
	Internal bool
	// AllowedCidrs may reach ports 443 and 80 once SetupComplete (IPv4 CIDR blocks).
	AllowedCidrs []string
	// SetupComplete opens the listener to AllowedCidrs. Until then Morpheus
	// serves its unauthenticated one-time setup, so only the setup sources below
	// are admitted.
	SetupComplete bool
	// SetupCidrs may reach ports 443 and 80 until SetupComplete (IPv4 CIDR blocks).
	SetupCidrs []string
	// SetupPublicIps are public IPv4 addresses admitted as /32 on 443 and 80 until
	// SetupComplete: the NAT gateways, through which the ops function reaches an
	// internet-facing ALB to run the setup. Nil when the function runs no setup.
	SetupPublicIps pulumi.StringArrayInput
	// SetupSecurityGroupId is admitted on 443 until SetupComplete: the ops
	// function's group, which reaches an internal ALB directly. Nil when the
	// function runs no setup.
	SetupSecurityGroupId pulumi.StringInput
	// SslPolicy is the HTTPS listener's security policy (config.TLSPolicies).
	SslPolicy string
	// CertificateArn is an existing ACM certificate; exclusive with HostedZoneId.
	CertificateArn string
	// HostedZoneId is the Route 53 zone in which a new certificate is validated and
	// the alias record created; exclusive with CertificateArn.
	HostedZoneId string
	// DesyncMitigationMode is "defensive" or "strictest".
	DesyncMitigationMode string
	// IdleTimeoutSeconds is the ALB idle timeout (60-4000).
	IdleTimeoutSeconds int
	// AccessLogRetentionDays is how long access logs are kept.
	AccessLogRetentionDays int
	// Waf attaches a web ACL with AWS managed rule groups.
	Waf bool
	// Protect turns on deletion protection of the ALB and protects it and the log
	// bucket against deletion by Pulumi (prod).
	Protect bool
}

// LoadBalancer is the component.
type LoadBalancer struct {
	pulumi.ResourceState

	// LoadBalancerArn is the ALB's ARN.
	LoadBalancerArn pulumi.StringOutput `pulumi:"loadBalancerArn"`
	// DnsName is the ALB's DNS name; point the domain here when no zone is managed.
	DnsName pulumi.StringOutput `pulumi:"dnsName"`
	// ZoneId is the ALB's canonical hosted zone (for alias records).
	ZoneId pulumi.StringOutput `pulumi:"zoneId"`
	// ArnSuffix is the LoadBalancer dimension of the ALB's CloudWatch metrics.
	ArnSuffix pulumi.StringOutput `pulumi:"arnSuffix"`
	// TargetGroupArn is where the app Auto Scaling group registers its nodes.
	TargetGroupArn pulumi.StringOutput `pulumi:"targetGroupArn"`
	// TargetGroupArnSuffix is the TargetGroup dimension of CloudWatch metrics.
	TargetGroupArnSuffix pulumi.StringOutput `pulumi:"targetGroupArnSuffix"`
	// SecurityGroupId is the ALB's group; the app nodes admit 443 from it.
	SecurityGroupId pulumi.StringOutput `pulumi:"securityGroupId"`
	// HttpsListenerArn is the HTTPS:443 listener (for listener rules).
	HttpsListenerArn pulumi.StringOutput `pulumi:"httpsListenerArn"`
	// CertificateArn is the certificate the HTTPS listener serves.
	CertificateArn pulumi.StringOutput `pulumi:"certificateArn"`
	// AccessLogBucketName is the bucket the ALB writes access logs to.
	AccessLogBucketName pulumi.StringOutput `pulumi:"accessLogBucketName"`
}

func (a *Args) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("loadbalancer: "+format, args...)) }
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		add("Namer needs a project and a stack")
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.Region == "" || a.Env.DNSSuffix == "" {
		add("Env needs account, partition, region and DNS suffix, got %+v", a.Env)
	}
	if a.VpcId == nil || a.AppSecurityGroupId == nil {
		add("VpcId and AppSecurityGroupId are required")
	}
	if a.Internal && a.AppSubnetIds == nil {
		add("an internal ALB needs AppSubnetIds")
	}
	if !a.Internal && a.PublicSubnetIds == nil {
		add("an internet-facing ALB needs PublicSubnetIds")
	}
	if a.Domain == "" {
		add("Domain is required")
	}
	if len(a.AllowedCidrs) == 0 {
		add("AllowedCidrs needs at least one CIDR block")
	}
	for _, c := range a.AllowedCidrs {
		if p, err := netip.ParsePrefix(c); err != nil || !p.Addr().Is4() || p != p.Masked() {
			add("AllowedCidrs: %q is not an IPv4 network", c)
		}
	}
	for _, c := range a.SetupCidrs {
		if p, err := netip.ParsePrefix(c); err != nil || !p.Addr().Is4() || p != p.Masked() || p.Bits() == 0 {
			add("SetupCidrs: %q is not an IPv4 network narrower than /0", c)
		}
	}
	if !a.SetupComplete && len(a.SetupCidrs) == 0 && a.SetupPublicIps == nil && a.SetupSecurityGroupId == nil {
		add("until SetupComplete the ALB admits only SetupCidrs, SetupPublicIps and SetupSecurityGroupId; with none of them it admits nobody")
	}
	if !slices.Contains(config.TLSPolicies, a.SslPolicy) {
		add("SslPolicy %q is not one of %v", a.SslPolicy, config.TLSPolicies)
	}
	if (a.CertificateArn == "") == (a.HostedZoneId == "") {
		add("set exactly one of CertificateArn and HostedZoneId")
	}
	if !slices.Contains(config.DesyncMitigationModes, a.DesyncMitigationMode) {
		add("DesyncMitigationMode %q is not one of %v", a.DesyncMitigationMode, config.DesyncMitigationModes)
	}
	if t := a.IdleTimeoutSeconds; t < config.MinIdleTimeoutSeconds || t > config.MaxIdleTimeoutSeconds {
		add("IdleTimeoutSeconds %d is outside %d..%d", t, config.MinIdleTimeoutSeconds, config.MaxIdleTimeoutSeconds)
	}
	if a.AccessLogRetentionDays < 1 {
		add("AccessLogRetentionDays %d must be positive", a.AccessLogRetentionDays)
	}
	return errors.Join(errs...)
}

// NewLoadBalancer creates the ALB and everything around it.
func NewLoadBalancer(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LoadBalancer, error) {
	if args == nil {
		return nil, errors.New("loadbalancer: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &LoadBalancer{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: args, parent: pulumi.Parent(c)}

	sg, err := b.securityGroup()
	if err != nil {
		return nil, err
	}
	logs, err := b.accessLogs()
	if err != nil {
		return nil, err
	}
	alb, err := b.loadBalancer(sg, logs)
	if err != nil {
		return nil, err
	}
	tg, err := b.targetGroup()
	if err != nil {
		return nil, err
	}
	certificateArn, err := b.certificate()
	if err != nil {
		return nil, err
	}
	https, err := b.listeners(alb, tg, certificateArn)
	if err != nil {
		return nil, err
	}
	if args.HostedZoneId != "" {
		if err := b.aliasRecord(alb); err != nil {
			return nil, err
		}
	}
	if args.Waf {
		if err := b.webACL(alb); err != nil {
			return nil, err
		}
	}

	c.LoadBalancerArn = alb.Arn
	c.DnsName = alb.DnsName
	c.ZoneId = alb.ZoneId
	c.ArnSuffix = alb.ArnSuffix
	c.TargetGroupArn = tg.Arn
	c.TargetGroupArnSuffix = tg.ArnSuffix
	c.SecurityGroupId = sg.ID().ToStringOutput()
	c.HttpsListenerArn = https.Arn
	// Taken from the listener that serves it, so the output resolves (and is
	// awaited) with a resource even when the ARN came from config.
	c.CertificateArn = https.CertificateArn.Elem()
	c.AccessLogBucketName = logs.bucket
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"loadBalancerArn":      c.LoadBalancerArn,
		"dnsName":              c.DnsName,
		"zoneId":               c.ZoneId,
		"arnSuffix":            c.ArnSuffix,
		"targetGroupArn":       c.TargetGroupArn,
		"targetGroupArnSuffix": c.TargetGroupArnSuffix,
		"securityGroupId":      c.SecurityGroupId,
		"httpsListenerArn":     c.HttpsListenerArn,
		"certificateArn":       c.CertificateArn,
		"accessLogBucketName":  c.AccessLogBucketName,
	})
}

// builder carries what every part of the load balancer needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	parent pulumi.ResourceOption
}

// subnetIds are the ALB's subnets: public for an internet-facing ALB, private-app
// for an internal one (the data tier has no route a client could use).
func (b *builder) subnetIds() pulumi.StringArrayInput {
	if b.args.Internal {
		return b.args.AppSubnetIds
	}
	return b.args.PublicSubnetIds
}

func (b *builder) nameTag(suffix string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(b.args.Namer.Prefix() + "-" + suffix)}
}
