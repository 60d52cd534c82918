package loadbalancer

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Name is the ALB's physical name. An internal ALB gets a different name
// because switching `internal` replaces the ALB, and Pulumi creates the
// replacement before deleting the old one: with one name the two would collide.
func Name(n naming.Namer, internal bool) string {
	if internal {
		return n.Name(naming.LoadBalancer, "alb-internal")
	}
	return n.Name(naming.LoadBalancer, "alb")
}

// loadBalancer creates the ALB in one subnet per AZ of its tier, writing access
// logs to the log bucket.
func (b *builder) loadBalancer(sg *ec2.SecurityGroup, logs *accessLogBucket) (*lb.LoadBalancer, error) {
	a := b.args
	return lb.NewLoadBalancer(b.ctx, b.name+"-alb", &lb.LoadBalancerArgs{
		Name:             pulumi.String(Name(a.Namer, a.Internal)),
		LoadBalancerType: pulumi.String("application"),
		Internal:         pulumi.Bool(a.Internal),
		IpAddressType:    pulumi.String("ipv4"),
		Subnets:          b.subnetIds(),
		SecurityGroups:   pulumi.StringArray{sg.ID()},
		// ELB.4: headers that are not valid HTTP never reach Morpheus.
		DropInvalidHeaderFields: pulumi.Bool(true),
		DesyncMitigationMode:    pulumi.String(a.DesyncMitigationMode),
		// Agents hold a websocket open for as long as they run; the ALB's default
		// 60 s cuts one that is idle for a minute.
		IdleTimeout:              pulumi.Int(a.IdleTimeoutSeconds),
		EnableDeletionProtection: pulumi.Bool(a.Protect),
		EnableHttp2:              pulumi.Bool(true),
		AccessLogs: &lb.LoadBalancerAccessLogsArgs{
			Enabled: pulumi.Bool(true),
			Bucket:  logs.bucket,
			Prefix:  pulumi.String(AccessLogPrefix),
		},
	}, b.parent, pulumi.Protect(a.Protect), pulumi.DependsOn([]pulumi.Resource{logs.policy}))
}
