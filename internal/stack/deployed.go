package stack

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// readDeployed reads the outputs of this stack's last deployment through a
// stack reference to the stack itself: the engine serves them from the
// backend, at preview as at update, before anything of this run exists. A
// stack never deployed has no outputs, which is a first deployment. The
// reference is a read: it creates nothing in AWS.
func readDeployed(ctx *pulumi.Context) (config.Deployed, error) {
	self := ctx.Organization() + "/" + ctx.Project() + "/" + ctx.Stack()
	ref, err := pulumi.NewStackReference(ctx, self, nil)
	if err != nil {
		return config.Deployed{}, fmt.Errorf("reading the stack's last deployment (%s): %w", self, err)
	}
	outputs := map[string]any{}
	for _, name := range []string{
		config.OutputDatabaseEndpoint, config.OutputNetworkCIDR, config.OutputSubnetPrefixLength, config.OutputAZNames,
		config.OutputSearchEngineVersion, config.OutputDatabaseEngineVersion, config.OutputMessagingEngineVersion,
		config.OutputMorpheusVersion, config.OutputDatabaseRole, config.OutputAdoptedFileSystemId,
	} {
		d, err := ref.GetOutputDetails(name)
		if err != nil {
			return config.Deployed{}, fmt.Errorf("reading output %s of the stack's last deployment: %w", name, err)
		}
		outputs[name] = d.Value
	}
	return deployedFrom(outputs), nil
}

// deployedFrom decodes the outputs; a missing or mistyped one stays zero,
// which skips its check rather than failing a stack exported by an older
// version of the program.
func deployedFrom(o map[string]any) config.Deployed {
	str := func(k string) string { s, _ := o[k].(string); return s }
	d := config.Deployed{
		HasDataTier:            str(config.OutputDatabaseEndpoint) != "",
		NetworkCIDR:            str(config.OutputNetworkCIDR),
		SearchEngineVersion:    str(config.OutputSearchEngineVersion),
		DatabaseEngineVersion:  str(config.OutputDatabaseEngineVersion),
		MessagingEngineVersion: str(config.OutputMessagingEngineVersion),
		MorpheusVersion:        str(config.OutputMorpheusVersion),
		DatabaseRole:           str(config.OutputDatabaseRole),
		AdoptedFileSystemId:    str(config.OutputAdoptedFileSystemId),
	}
	if n, ok := o[config.OutputSubnetPrefixLength].(float64); ok {
		d.SubnetPrefixLength = int(n)
	}
	if zones, ok := o[config.OutputAZNames].([]any); ok {
		for _, z := range zones {
			if s, ok := z.(string); ok {
				d.AZNames = append(d.AZNames, s)
			}
		}
	}
	return d
}

// adoptDeployedAZs pins a stack without network.azNames (only non-prod
// allows that) to the zones it was deployed in, when they still match
// network.azCount, so the zones never change with what AWS reports as
// available on a later run.
func adoptDeployedAZs(cfg *config.Config, d config.Deployed) {
	if len(cfg.Network.AZNames) == 0 && len(d.AZNames) == cfg.Network.AZCount {
		cfg.Network.AZNames = append([]string(nil), d.AZNames...)
	}
}

// resolveAZs returns network.azNames, or, on a first deployment (or when a
// non-prod stack gains an AZ) without them, the deployed zones followed by the
// first available, opt-in-free ones in name order, with a warning to pin them.
func resolveAZs(ctx *pulumi.Context, cfg *config.Config, d config.Deployed, opts ...pulumi.InvokeOption) ([]string, error) {
	if len(cfg.Network.AZNames) > 0 {
		return cfg.Network.AZNames, nil
	}
	azs, err := pickAZs(ctx, cfg.Network.AZCount, d.AZNames, opts...)
	if err != nil {
		return nil, err
	}
	cmds := make([]string, len(azs))
	for i, az := range azs {
		cmds[i] = fmt.Sprintf("pulumi config set --path 'network.azNames[%d]' %s", i, az)
	}
	_ = ctx.Log.Warn(fmt.Sprintf("network.azNames is not set, so this run picked the AZs %s from those available; pin them (required in prod) so a later run cannot move the subnets: %s",
		strings.Join(azs, ", "), strings.Join(cmds, "; ")), nil)
	return azs, nil
}

// pickAZs returns keep followed by the first available, opt-in-free AZs not in
// keep, in name order, count in all, so the choice is stable between runs
// whatever order the API lists them in.
func pickAZs(ctx *pulumi.Context, count int, keep []string, opts ...pulumi.InvokeOption) ([]string, error) {
	res, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State: pulumi.StringRef("available"),
		Filters: []aws.GetAvailabilityZonesFilter{
			{Name: "opt-in-status", Values: []string{"opt-in-not-required"}},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up availability zones: %w", err)
	}
	names := append([]string(nil), res.Names...)
	sort.Strings(names)
	out := append([]string(nil), keep...)
	for _, n := range names {
		if len(out) >= count {
			break
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) < count {
		return nil, fmt.Errorf("network.azCount is %d but the region offers only %d AZs without opt-in: %v", count, len(names), names)
	}
	return out[:count], nil
}

// exportDeployed exports what the next run's readDeployed compares against.
// databaseEndpoint and azNames are exported with the stack's other outputs.
func exportDeployed(ctx *pulumi.Context, cfg *config.Config) {
	ctx.Export(config.OutputNetworkCIDR, pulumi.String(cfg.Network.CIDR))
	ctx.Export(config.OutputSubnetPrefixLength, pulumi.Int(cfg.Network.SubnetPrefixLength))
	ctx.Export(config.OutputSearchEngineVersion, pulumi.String(cfg.Search.EngineVersion))
	ctx.Export(config.OutputDatabaseEngineVersion, pulumi.String(cfg.Database.EngineVersion))
	ctx.Export(config.OutputMessagingEngineVersion, pulumi.String(cfg.Messaging.EngineVersion))
	ctx.Export(config.OutputMorpheusVersion, pulumi.String(cfg.Morpheus.Version))
	role := config.DatabaseRoleWriter
	if cfg.Restore.SecondaryDatabase() {
		role = config.DatabaseRoleSecondary
	}
	ctx.Export(config.OutputDatabaseRole, pulumi.String(role))
	ctx.Export(config.OutputAdoptedFileSystemId, pulumi.String(cfg.Restore.FileSystem.FileSystemId))
}
