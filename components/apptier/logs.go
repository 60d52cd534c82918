package apptier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// logGroups creates the groups the nodes ship to, with retention and the logs
// key: an agent shipping to a missing group would create it with neither. It
// returns their names in Args order (the node policy names them, so the nodes
// wait for them) and by purpose.
func (b *builder) logGroups() (pulumi.StringArray, pulumi.StringMap, error) {
	ordered, byPurpose := pulumi.StringArray{}, pulumi.StringMap{}
	for _, lg := range b.args.LogGroups {
		g, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-log-"+lg.Purpose, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(lg.Name),
			RetentionInDays: pulumi.Int(b.args.LogRetentionDays),
			KmsKeyId:        b.args.LogsKeyArn,
		}, b.parent, pulumi.Aliases(lg.Aliases))
		if err != nil {
			return nil, nil, err
		}
		ordered = append(ordered, g.Name)
		byPurpose[lg.Purpose] = g.Name
	}
	return ordered, byPurpose, nil
}
