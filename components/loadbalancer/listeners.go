package loadbalancer

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// listeners creates HTTPS:443, which forwards to the nodes, and HTTP:80, which
// does nothing but redirect to HTTPS (ELB.1). It returns the HTTPS listener.
func (b *builder) listeners(alb *lb.LoadBalancer, tg *lb.TargetGroup, certificateArn pulumi.StringInput) (*lb.Listener, error) {
	https, err := lb.NewListener(b.ctx, b.name+"-https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(httpsPort),
		Protocol:        pulumi.String("HTTPS"),
		// Always explicit: left unset, the API picks ELBSecurityPolicy-2016-08,
		// which still speaks TLS 1.0 (ELB.17).
		SslPolicy:      pulumi.String(b.args.SslPolicy),
		CertificateArn: certificateArn,
		DefaultActions: lb.ListenerDefaultActionArray{
			&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn},
		},
	}, b.parent)
	if err != nil {
		return nil, err
	}
	if _, err := lb.NewListener(b.ctx, b.name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(httpPort),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{
			&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: &lb.ListenerDefaultActionRedirectArgs{
					Protocol:   pulumi.String("HTTPS"),
					Port:       pulumi.String("443"),
					StatusCode: pulumi.String("HTTP_301"),
				},
			},
		},
	}, b.parent); err != nil {
		return nil, err
	}
	return https, nil
}
