package stack

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/upgrade"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
	"github.com/morpheus-ha/morpheus-ha/internal/morpheusupgrade"
)

// stopAllBeforeRefresh stops morpheus-ui on the running nodes when
// morpheus.upgradeStrategy is stopAll and the version changes, and returns
// what the Auto Scaling group (and so its instance refresh) must wait for.
// config.CheckChanges has already refused a change that needs stopAll without
// it, and every downgrade.
func stopAllBeforeRefresh(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, d config.Deployed,
	provider pulumi.ResourceOrInvokeOption,
) ([]pulumi.Resource, error) {
	if d.MorpheusVersion == "" || cfg.Morpheus.UpgradeStrategy != string(morpheusupgrade.StopAll) {
		return nil, nil
	}
	dec, err := morpheusupgrade.Decide(d.MorpheusVersion, cfg.Morpheus.Version)
	if err != nil || !dec.Change || !dec.Allowed {
		return nil, err
	}
	nodes, err := ec2.GetInstances(ctx, &ec2.GetInstancesArgs{
		InstanceTags:       map[string]string{"aws:autoscaling:groupName": names.App.GroupName},
		InstanceStateNames: []string{"running"},
	}, provider)
	if err != nil {
		return nil, fmt.Errorf("listing the nodes of %s to stop before the upgrade: %w", names.App.GroupName, err)
	}
	if len(nodes.Ids) == 0 {
		return nil, nil // nothing runs the old version
	}
	stop, err := upgrade.NewStopAll(ctx, "upgrade", &upgrade.Args{
		Namer: names.Namer, From: d.MorpheusVersion, To: cfg.Morpheus.Version, InstanceIds: nodes.Ids,
	}, provider)
	if err != nil {
		return nil, err
	}
	return stop.Resources, nil
}
