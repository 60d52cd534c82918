package loadbalancer

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// aliasRecord points the domain at the ALB with an A alias (the ALB is IPv4
// only, so no AAAA). Evaluating target health lets Route 53 answer from a
// healthy ALB only, which matters once a second region holds a failover record.
// The record never overwrites one it did not create: a domain already in use
// must be moved deliberately.
func (b *builder) aliasRecord(alb *lb.LoadBalancer) error {
	_, err := route53.NewRecord(b.ctx, b.name+"-alias", &route53.RecordArgs{
		ZoneId: pulumi.String(b.args.HostedZoneId),
		Name:   pulumi.String(b.args.Domain),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{
			&route53.RecordAliasArgs{
				Name:                 alb.DnsName,
				ZoneId:               alb.ZoneId,
				EvaluateTargetHealth: pulumi.Bool(true),
			},
		},
	}, b.parent)
	return err
}
