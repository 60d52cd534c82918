package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/components/apptier"
	"github.com/morpheus-ha/morpheus-ha/components/loadbalancer"
	"github.com/morpheus-ha/morpheus-ha/components/patching"
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/contract"
)

// newPatching creates the OS patch window (maintenance.osPatchWindow) over the
// app tier's nodes; nil when it is disabled. It takes the group's name from the
// app tier, so the window exists only once the group does.
func newPatching(ctx *pulumi.Context, cfg *config.Config, names *contract.Contract, env awsenv.Env,
	app *apptier.AppTier, edge *loadbalancer.LoadBalancer, opts ...pulumi.ResourceOption,
) (*patching.Patching, error) {
	w := cfg.Maintenance.OSPatchWindow
	if !w.Enabled {
		return nil, nil
	}
	return patching.NewPatching(ctx, "patching", &patching.Args{
		Namer:               names.Namer,
		Env:                 env,
		GroupName:           app.AutoScalingGroupName,
		TargetGroupArn:      edge.TargetGroupArn,
		LaunchHook:          names.App.LaunchHook,
		PatchGroup:          names.App.PatchGroup,
		PatchGroupTagKey:    contract.PatchGroupTagKey,
		Schedule:            w.Schedule,
		DurationHours:       w.DurationHours,
		CutoffHours:         w.CutoffHours,
		ReadyTimeoutMinutes: names.Node.ReadyTimeoutMinutes,
	}, opts...)
}
