// Package keys creates the stack's customer-managed KMS keys, one per purpose,
// each with rotation, an explicit key policy and an alias.
package keys

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:keys:Keys"

// Purpose names what a key protects; it ends the alias.
type Purpose string

// The key purposes. Separate keys keep blast radius and grants apart: a role that
// may read secrets gains nothing on database snapshots, and log delivery never
// touches data.
const (
	// Data encrypts data at rest: Aurora, EFS, OpenSearch, EBS and backups.
	Data Purpose = "data"
	// Secrets encrypts Secrets Manager secrets and SecureString parameters.
	Secrets Purpose = "secrets"
	// Logs encrypts CloudWatch Logs log groups.
	Logs Purpose = "logs"
	// Notifications encrypts the SNS alerts topic.
	Notifications Purpose = "notifications"
)

// Purposes lists every key the component creates, in creation order.
var Purposes = []Purpose{Data, Secrets, Logs, Notifications}

// Args configures the keys.
type Args struct {
	// Namer names aliases.
	Namer naming.Namer
	// Env is the account, partition and region the key policies name.
	Env awsenv.Env
	// DeletionWindowDays is the waiting period before a scheduled deletion (7-30).
	DeletionWindowDays int
	// RotationPeriodDays is the automatic rotation period (90-2560).
	RotationPeriodDays int
	// Protect guards every key against deletion by Pulumi (prod).
	Protect bool
	// UsEast1Provider, when set and Env.Region is not us-east-1, adds a
	// notifications key in us-east-1: Route 53 health-check metrics, and so
	// their alarm and its topic, exist only there, and a KMS key cannot serve
	// another region.
	UsEast1Provider pulumi.ProviderResource
	// UsEast1Aliases are the former URNs of that key and of its alias, so that
	// moving them here never replaces a protected key.
	UsEast1Aliases UsEast1Aliases
	// DR, when set, adds a data key in the DR region for the backup copies and
	// replicas kept there.
	DR *DR
}

// DR names the disaster-recovery region and a provider for it: the keys of
// the copies kept there (a KMS key cannot serve another region).
type DR struct {
	// Region is the DR region.
	Region string
	// Provider is an aws provider for Region.
	Provider pulumi.ProviderResource
}

// UsEast1Aliases are former URNs of the us-east-1 key's resources.
type UsEast1Aliases struct {
	Key, Alias []pulumi.Alias
}

// usEast1 is where Route 53 health-check metrics live.
const usEast1 = "us-east-1"

// Keys is the component.
type Keys struct {
	pulumi.ResourceState

	// DataKeyArn encrypts data at rest.
	DataKeyArn pulumi.StringOutput `pulumi:"dataKeyArn"`
	// SecretsKeyArn encrypts secrets and SecureString parameters.
	SecretsKeyArn pulumi.StringOutput `pulumi:"secretsKeyArn"`
	// LogsKeyArn encrypts log groups.
	LogsKeyArn pulumi.StringOutput `pulumi:"logsKeyArn"`
	// NotificationsKeyArn encrypts the alerts topic.
	NotificationsKeyArn pulumi.StringOutput `pulumi:"notificationsKeyArn"`
	// UsEast1NotificationsKeyArn encrypts the us-east-1 alerts topic: the
	// us-east-1 key, or NotificationsKeyArn when the stack runs in us-east-1.
	UsEast1NotificationsKeyArn pulumi.StringOutput `pulumi:"usEast1NotificationsKeyArn"`
	// DRDataKeyArn encrypts data at rest in the DR region (Args.DR); empty
	// without a DR region.
	DRDataKeyArn pulumi.StringOutput `pulumi:"drDataKeyArn"`
	// DRSecretsKeyArn encrypts the secrets' replicas in the DR region; empty
	// without a DR region.
	DRSecretsKeyArn pulumi.StringOutput `pulumi:"drSecretsKeyArn"`
	// Aliases maps each purpose to its alias name.
	Aliases map[Purpose]string
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		errs = append(errs, errors.New("keys: Namer needs a project and a stack"))
	}
	if a.Env.AccountID == "" || a.Env.Partition == "" || a.Env.Region == "" {
		errs = append(errs, fmt.Errorf("keys: Env needs account, partition and region, got %+v", a.Env))
	}
	if a.DeletionWindowDays < 7 || a.DeletionWindowDays > 30 {
		errs = append(errs, fmt.Errorf("keys: DeletionWindowDays %d is outside 7..30", a.DeletionWindowDays))
	}
	if a.RotationPeriodDays < 90 || a.RotationPeriodDays > 2560 {
		errs = append(errs, fmt.Errorf("keys: RotationPeriodDays %d is outside 90..2560", a.RotationPeriodDays))
	}
	if a.DR != nil && (a.DR.Provider == nil || a.DR.Region == "" || a.DR.Region == a.Env.Region) {
		errs = append(errs, fmt.Errorf("keys: DR needs a provider and a region other than %s, got %q", a.Env.Region, a.DR.Region))
	}
	return errors.Join(errs...)
}

// NewKeys creates one key and alias per purpose.
func NewKeys(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Keys, error) {
	if args == nil {
		return nil, errors.New("keys: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Keys{Aliases: map[Purpose]string{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	arns := map[Purpose]pulumi.StringOutput{}
	for _, p := range Purposes {
		arn, err := newKey(ctx, c, args, keySpec{
			logical: fmt.Sprintf("%s-%s", name, p), purpose: p, env: args.Env,
			description: fmt.Sprintf("%s: %s", args.Namer.Prefix(), descriptions[p]),
		})
		if err != nil {
			return nil, err
		}
		arns[p] = arn
		c.Aliases[p] = args.Namer.KMSAlias(string(p))
	}
	c.DataKeyArn, c.SecretsKeyArn = arns[Data], arns[Secrets]
	c.LogsKeyArn, c.NotificationsKeyArn = arns[Logs], arns[Notifications]
	c.UsEast1NotificationsKeyArn = c.NotificationsKeyArn
	if args.UsEast1Provider != nil && args.Env.Region != usEast1 {
		arn, err := usEast1NotificationsKey(ctx, name, args, c)
		if err != nil {
			return nil, err
		}
		c.UsEast1NotificationsKeyArn = arn
	}
	c.DRDataKeyArn = pulumi.String("").ToStringOutput()
	c.DRSecretsKeyArn = c.DRDataKeyArn
	if args.DR != nil {
		var err error
		if c.DRDataKeyArn, err = drKey(ctx, name, args, c, Data); err != nil {
			return nil, err
		}
		if c.DRSecretsKeyArn, err = drKey(ctx, name, args, c, Secrets); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"drDataKeyArn":               c.DRDataKeyArn,
		"drSecretsKeyArn":            c.DRSecretsKeyArn,
		"dataKeyArn":                 c.DataKeyArn,
		"secretsKeyArn":              c.SecretsKeyArn,
		"logsKeyArn":                 c.LogsKeyArn,
		"notificationsKeyArn":        c.NotificationsKeyArn,
		"usEast1NotificationsKeyArn": c.UsEast1NotificationsKeyArn,
	})
}

// keySpec is one key of the component and its alias.
type keySpec struct {
	// logical names the key resource; the alias resource adds "-alias".
	logical string
	// purpose selects the policy and ends the alias.
	purpose Purpose
	// env is the account and the key's region (policy ARNs).
	env awsenv.Env
	// description is the key's description.
	description string
	// opts place the key in another region.
	opts []pulumi.ResourceOption
	// keyAliases and aliasAliases are former URNs of the key and its alias.
	keyAliases, aliasAliases []pulumi.Alias
}

// newKey creates a rotating key with its purpose's policy, the stack's
// rotation period, deletion window and protection, and its alias.
func newKey(ctx *pulumi.Context, c *Keys, args *Args, k keySpec) (pulumi.StringOutput, error) {
	opts := append([]pulumi.ResourceOption{pulumi.Parent(c)}, k.opts...)
	key, err := kms.NewKey(ctx, k.logical, &kms.KeyArgs{
		Description:           pulumi.String(k.description),
		KeyUsage:              pulumi.String("ENCRYPT_DECRYPT"),
		CustomerMasterKeySpec: pulumi.String("SYMMETRIC_DEFAULT"),
		EnableKeyRotation:     pulumi.Bool(true),
		RotationPeriodInDays:  pulumi.Int(args.RotationPeriodDays),
		DeletionWindowInDays:  pulumi.Int(args.DeletionWindowDays),
		IsEnabled:             pulumi.Bool(true),
		Policy:                pulumi.String(Policy(k.purpose, k.env).JSON()),
	}, append(opts, pulumi.Protect(args.Protect), pulumi.Aliases(k.keyAliases))...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if _, err := kms.NewAlias(ctx, k.logical+"-alias", &kms.AliasArgs{
		Name:        pulumi.String(args.Namer.KMSAlias(string(k.purpose))),
		TargetKeyId: key.KeyId,
	}, append(opts, pulumi.Aliases(k.aliasAliases))...); err != nil {
		return pulumi.StringOutput{}, err
	}
	return key.Arn, nil
}

// usEast1NotificationsKey creates the us-east-1 notifications key (SNS.1 wants
// a customer-managed key, and a key serves one region).
func usEast1NotificationsKey(ctx *pulumi.Context, name string, args *Args, c *Keys) (pulumi.StringOutput, error) {
	east := args.Env
	east.Region = usEast1
	return newKey(ctx, c, args, keySpec{
		logical: fmt.Sprintf("%s-%s-%s", name, Notifications, usEast1), purpose: Notifications, env: east,
		description: fmt.Sprintf("%s: SNS alert notifications (%s health check)", args.Namer.Prefix(), usEast1),
		opts:        []pulumi.ResourceOption{pulumi.Provider(args.UsEast1Provider)},
		keyAliases:  args.UsEast1Aliases.Key, aliasAliases: args.UsEast1Aliases.Alias,
	})
}

// drKey creates the key of purpose in the DR region, for the backup copies and
// replicas kept there.
func drKey(ctx *pulumi.Context, name string, args *Args, c *Keys, purpose Purpose) (pulumi.StringOutput, error) {
	dr := args.Env
	dr.Region = args.DR.Region
	return newKey(ctx, c, args, keySpec{
		logical: fmt.Sprintf("%s-%s-dr", name, purpose), purpose: purpose, env: dr,
		description: fmt.Sprintf("%s: %s, DR copies in %s", args.Namer.Prefix(), descriptions[purpose], dr.Region),
		opts:        []pulumi.ResourceOption{pulumi.Provider(args.DR.Provider)},
	})
}

// descriptions say what each purpose's key protects.
var descriptions = map[Purpose]string{
	Data:          "data at rest (Aurora, EFS, OpenSearch, EBS, backups)",
	Secrets:       "Secrets Manager secrets and SecureString parameters",
	Logs:          "CloudWatch Logs log groups",
	Notifications: "SNS alert notifications",
}
