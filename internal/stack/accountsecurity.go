package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/accountsecurity"
	"github.com/morpheus-ha/morpheus-ha/components/monitoring"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// newAccountSecurity turns on Security Hub and GuardDuty when the stack opts
// in, after monitoring: their findings go to its alerts topic, whose policy
// already admits this account's EventBridge rules. Nil when both are off.
func newAccountSecurity(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env,
	mon *monitoring.Monitoring, opts ...pulumi.ResourceOption,
) (*accountsecurity.AccountSecurity, error) {
	s := cfg.Security
	if !s.SecurityHub.Enabled && !s.GuardDuty.Enabled {
		return nil, nil
	}
	return accountsecurity.NewAccountSecurity(ctx, "account-security", &accountsecurity.Args{
		Namer:             names.Namer,
		Env:               env,
		SecurityHub:       s.SecurityHub.Enabled,
		CISVersion:        s.SecurityHub.CISVersion,
		GuardDuty:         s.GuardDuty.Enabled,
		RuntimeMonitoring: s.GuardDuty.RuntimeMonitoring,
		AlertsTopicArn:    mon.AlertsTopicArn,
	}, opts...)
}
