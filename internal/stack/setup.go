package stack

import (
	"github.com/morpheus-ha/morpheus-ha/components/opsfunction"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// applianceSetup is the ops function's appliance setup from ops.applianceSetup,
// or nil when it is off. The appliance is named after the stack, like every
// other resource, and answers at the URL the nodes are configured with.
func applianceSetup(cfg *config.Config, names *contract.Contract) *opsfunction.ApplianceSetup {
	s := cfg.Ops.ApplianceSetup
	if !s.Enabled {
		return nil
	}
	return &opsfunction.ApplianceSetup{
		ApplianceURL:  cfg.ApplianceURL(),
		ApplianceName: names.Namer.Prefix(),
		AccountName:   s.AccountName,
		Username:      s.AdminUsername,
		Email:         s.AdminEmail,
		FirstName:     s.FirstName,
		LastName:      s.LastName,
	}
}
