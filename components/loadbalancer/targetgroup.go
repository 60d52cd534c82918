package loadbalancer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// The target group's settings. Nodes join the group only after the Auto Scaling
// launch hook has seen Morpheus answer, so the health check need not wait out a
// boot; it has to notice a node that stops answering without ejecting one that
// pauses for a garbage collection.
const (
	targetProtocol        = "HTTPS"
	targetProtocolVersion = "HTTP1" // websockets are upgraded HTTP/1.1 requests
	targetType            = "instance"
	healthCheckPath       = "/ping"
	healthCheckMatcher    = "200"
	// A node is healthy after 2 passing checks (30 s) and out after 4 failing
	// ones (60 s); a check fails if /ping takes over 10 s.
	healthCheckInterval = 15
	healthCheckTimeout  = 10
	healthyThreshold    = 2
	unhealthyThreshold  = 4
	// deregistrationDelay lets long requests (image and plugin uploads) finish and
	// agents move their websocket to another node before a node is removed.
	deregistrationDelay = 300
)

// TargetGroupName is the target group's physical name: the stack's prefix plus a
// hash of the settings whose change replaces the group (protocol, version, port,
// target type, VPC). A replacement is created before the old group is deleted,
// so it needs a new name, and gets one exactly when it is a replacement.
func TargetGroupName(n naming.Namer, vpcID string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%s|%d|%s|%s", targetProtocol, targetProtocolVersion, httpsPort, targetType, vpcID)))
	return n.Name(naming.TargetGroup, "app-"+hex.EncodeToString(sum[:])[:6])
}

// targetGroup creates the group the app nodes register in: HTTPS to the nodes,
// which serve TLS themselves (Morpheus' nginx), and no stickiness, which
// Morpheus HA does not need.
func (b *builder) targetGroup() (*lb.TargetGroup, error) {
	name := b.args.VpcId.ToStringOutput().ApplyT(func(vpc string) string {
		return TargetGroupName(b.args.Namer, vpc)
	}).(pulumi.StringOutput)
	return lb.NewTargetGroup(b.ctx, b.name+"-tg", &lb.TargetGroupArgs{
		Name:                name,
		VpcId:               b.args.VpcId,
		TargetType:          pulumi.String(targetType),
		Protocol:            pulumi.String(targetProtocol),
		ProtocolVersion:     pulumi.String(targetProtocolVersion),
		Port:                pulumi.Int(httpsPort),
		IpAddressType:       pulumi.String("ipv4"),
		DeregistrationDelay: pulumi.Int(deregistrationDelay),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String(targetProtocol),
			Port:               pulumi.String("traffic-port"),
			Path:               pulumi.String(healthCheckPath),
			Matcher:            pulumi.String(healthCheckMatcher),
			Interval:           pulumi.Int(healthCheckInterval),
			Timeout:            pulumi.Int(healthCheckTimeout),
			HealthyThreshold:   pulumi.Int(healthyThreshold),
			UnhealthyThreshold: pulumi.Int(unhealthyThreshold),
		},
		Stickiness: &lb.TargetGroupStickinessArgs{
			Type:    pulumi.String("lb_cookie"),
			Enabled: pulumi.Bool(false),
		},
	}, b.parent)
}
