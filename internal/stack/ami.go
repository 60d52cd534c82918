package stack

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// ubuntuImageParameters are Canonical's public SSM parameters for the current
// Ubuntu server images (amd64).
var ubuntuImageParameters = map[string]string{
	config.OSUbuntu2204: "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
	config.OSUbuntu2404: "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
}

// redHatOwner publishes the official RHEL images, which have no public SSM
// parameter; the newest pay-as-you-go image of the major is looked up instead.
const redHatOwner = "309956199498"

var rhelImageNames = map[string]string{
	config.OSRHEL8: "RHEL-8.*_HVM-*-x86_64-*-Hourly2-GP3",
	config.OSRHEL9: "RHEL-9.*_HVM-*-x86_64-*-Hourly2-GP3",
}

// nodeImage returns the AMI the nodes boot: the pinned one, else the newest image
// of the configured OS. A new image changes the launch template, which rolls the
// fleet through the group's instance refresh; pin app.amiId to hold it.
func nodeImage(ctx *pulumi.Context, app config.App, opts ...pulumi.InvokeOption) (string, error) {
	if app.AmiID != "" {
		return app.AmiID, nil
	}
	if param, ok := ubuntuImageParameters[app.OS]; ok {
		p, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: param}, opts...)
		if err != nil {
			return "", fmt.Errorf("looking up the %s image (%s): %w", app.OS, param, err)
		}
		return p.Value, nil
	}
	if pattern, ok := rhelImageNames[app.OS]; ok {
		img, err := ec2.LookupAmi(ctx, &ec2.LookupAmiArgs{
			Owners:     []string{redHatOwner},
			MostRecent: pulumi.BoolRef(true),
			Filters: []ec2.GetAmiFilter{
				{Name: "name", Values: []string{pattern}},
				{Name: "architecture", Values: []string{"x86_64"}},
				{Name: "state", Values: []string{"available"}},
			},
		}, opts...)
		if err != nil {
			return "", fmt.Errorf("looking up the %s image: %w", app.OS, err)
		}
		return img.Id, nil
	}
	return "", fmt.Errorf("no image source for app.os %q", app.OS)
}
