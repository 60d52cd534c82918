package monitoring

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Health check settings. Morpheus answers GET /ping with 200 when the UI is up
// (the same path the target group checks).
const (
	healthCheckPath = "/ping"
	healthCheckPort = 443
	// A check every 30 s failing 3 times marks the endpoint unhealthy within
	// about 90 s, fast enough for the 3-minute alarm without fast-interval cost.
	healthCheckInterval = 30
	healthCheckFailures = 3
	healthCheckProtocol = "HTTPS"
)

// healthCheck probes https://<domain>/ping from Route 53's checkers: the user's
// view, through DNS, TLS and the load balancer. Route 53 is global; its metric
// lands in us-east-1, where the alarm on it is created. Without Args.HealthCheck
// it creates nothing and the id is empty.
func (b *builder) healthCheck() error {
	if !b.args.HealthCheck {
		b.healthCheckID = pulumi.String("").ToStringOutput()
		return nil
	}
	hc, err := route53.NewHealthCheck(b.ctx, b.name+"-health-check", &route53.HealthCheckArgs{
		Type:             pulumi.String(healthCheckProtocol),
		Fqdn:             pulumi.String(b.args.Domain),
		Port:             pulumi.Int(healthCheckPort),
		ResourcePath:     pulumi.String(healthCheckPath),
		EnableSni:        pulumi.Bool(true),
		RequestInterval:  pulumi.Int(healthCheckInterval),
		FailureThreshold: pulumi.Int(healthCheckFailures),
		Tags:             pulumi.StringMap{"Name": pulumi.String(b.args.Namer.Prefix() + "-endpoint")},
	}, b.parent)
	if err != nil {
		return err
	}
	b.healthCheckID = hc.ID().ToStringOutput()
	return nil
}
