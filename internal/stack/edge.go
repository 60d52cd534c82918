package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/clientgroups"
	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
	"github.com/morpheus-ha/morpheus-ha/components/network"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// newEdge creates the load balancer, its certificate and DNS name. Until
// Morpheus' setup is done (loadBalancer.setupComplete) the listener admits only
// the setup CIDRs and, when the ops function runs the setup, the function: by
// the NAT gateways' addresses for an internet-facing ALB, by its group for an
// internal one.
func newEdge(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env,
	net *network.Network, clients *clientgroups.ClientGroups, opts ...pulumi.ResourceOption,
) (*loadbalancer.LoadBalancer, error) {
	lb := cfg.LoadBalancer
	var setupIps pulumi.StringArrayInput
	var setupGroup pulumi.StringInput
	if cfg.Ops.ApplianceSetup.Enabled {
		if lb.Internal {
			setupGroup = clients.OpsSecurityGroupId
		} else {
			setupIps = net.NatPublicIps
		}
	}
	return loadbalancer.NewLoadBalancer(ctx, "edge", &loadbalancer.Args{
		Namer:                  names.Namer,
		Env:                    env,
		VpcId:                  net.VpcId,
		PublicSubnetIds:        net.PublicSubnetIds,
		AppSubnetIds:           net.AppSubnetIds,
		AppSecurityGroupId:     clients.AppSecurityGroupId,
		Domain:                 cfg.Domain,
		Internal:               lb.Internal,
		AllowedCidrs:           lb.AllowedCidrs,
		SetupComplete:          lb.SetupComplete,
		SetupCidrs:             lb.SetupCidrs,
		SetupPublicIps:         setupIps,
		SetupSecurityGroupId:   setupGroup,
		SslPolicy:              lb.SslPolicy,
		CertificateArn:         lb.CertificateArn,
		HostedZoneId:           lb.HostedZoneId,
		DesyncMitigationMode:   lb.DesyncMitigationMode,
		IdleTimeoutSeconds:     lb.IdleTimeoutSeconds,
		AccessLogRetentionDays: lb.AccessLogRetentionDays,
		Waf:                    lb.Waf,
		Protect:                cfg.Protect(),
	}, opts...)
}
