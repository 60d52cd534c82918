// Package secrets generates the data tier's credentials under each service's
// password rules and stores them in Secrets Manager, encrypted with the secrets
// key. Values never leave the component as outputs: consumers get ARNs and
// names, except the two services that need their admin password at creation.
package secrets

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "morpheus:secrets:Secrets"

// Recovery windows: a deleted prod secret stays restorable for the longest
// period Secrets Manager allows (even after a deliberate teardown, since the
// final snapshot's users need their passwords); elsewhere the shortest, so a
// torn-down dev stack can be rebuilt within a week.
const (
	// ProtectedRecoveryDays applies with Args.KeepDeleted.
	ProtectedRecoveryDays = 30
	// UnprotectedRecoveryDays applies without it.
	UnprotectedRecoveryDays = 7
)

// Args configures the secrets.
type Args struct {
	// Namer names the secrets /<project>/<stack>/<purpose>.
	Namer naming.Namer
	// SecretsKeyArn encrypts every secret.
	SecretsKeyArn pulumi.StringInput
	// Protect guards secrets and generated passwords against deletion (prod
	// without allowDestroy).
	Protect bool
	// Replica, when set, replicates every secret to another region (the DR
	// region), where a restored stack reads the same credentials; rotation in
	// this region propagates to the replicas.
	Replica *Replica
	// KeepDeleted gives every secret the ProtectedRecoveryDays recovery window
	// (prod, whatever allowDestroy says).
	KeepDeleted bool
	// Standby tags every secret StandbyTag=StandbyTagValue: a standby DR
	// stack's secrets wait for the failover to rotate (the policy pack's
	// secretsmanager-standby-rotation reads the tag).
	Standby bool
	// ApplianceAdmin also generates the MorpheusAdmin secret, read by the ops
	// function's appliance setup. Off by default, so stacks without the setup
	// are unchanged.
	ApplianceAdmin bool
	// ApplianceAdminUsername is the admin's login stored next to the password;
	// required with ApplianceAdmin.
	ApplianceAdminUsername string
	// DatabaseMaster also generates the DBMaster secret: the Aurora master
	// password of a global database member, which RDS cannot manage.
	DatabaseMaster bool
}

// Secrets is the component.
type Secrets struct {
	pulumi.ResourceState

	// SecretArns maps each purpose to its secret's ARN.
	SecretArns pulumi.StringMapOutput `pulumi:"secretArns"`
	// Names maps each purpose to its secret's name. Names and user names
	// (Username) are plain: they are known at plan time, IAM policies and user
	// data need them, and a constant output would not be awaited by the run.
	Names map[Purpose]string

	// Only the two passwords a service needs at creation are kept.
	mqAdminPassword          pulumi.StringOutput
	openSearchMasterPassword pulumi.StringOutput
	dbMasterPassword         pulumi.StringOutput
}

// InitialStage is a staging label the first version of every rotated secret
// keeps for good. Secrets Manager deletes a version once it has no label (two
// rotations after it was AWSCURRENT); the provider then drops the version from
// state on refresh and the next `pulumi up` would create it again with the
// original password as AWSCURRENT. The label keeps the version, so the
// resource never disappears.
const InitialStage = "MORPHEUS_HA_INITIAL"

// rotatedVersionIgnores are the version's properties the rotation changes
// behind Pulumi's back: the value, and the labels (AWSCURRENT moves to each
// new version). Ignoring them keeps a refresh followed by `pulumi up` from
// writing the original password back or moving AWSCURRENT to it.
var rotatedVersionIgnores = []string{"secretString", "versionStages"}

// credentials is the secret string's JSON shape.
type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (a *Args) validate() error {
	var errs []error
	if a.Namer.Project == "" || a.Namer.Stack == "" {
		errs = append(errs, errors.New("secrets: Namer needs a project and a stack"))
	}
	if a.SecretsKeyArn == nil {
		errs = append(errs, errors.New("secrets: SecretsKeyArn is required (secrets are encrypted with the secrets key)"))
	}
	if a.ApplianceAdmin && a.ApplianceAdminUsername == "" {
		errs = append(errs, errors.New("secrets: ApplianceAdminUsername is required with ApplianceAdmin"))
	}
	return errors.Join(errs...)
}

// NewSecrets creates one generated password and one secret per purpose.
func NewSecrets(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Secrets, error) {
	if args == nil {
		return nil, errors.New("secrets: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Secrets{Names: map[Purpose]string{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	recovery := UnprotectedRecoveryDays
	if args.KeepDeleted {
		recovery = ProtectedRecoveryDays
	}
	arns := pulumi.StringMap{}
	purposes := append([]Purpose(nil), Purposes...)
	if args.DatabaseMaster {
		purposes = append(purposes, DBMaster)
	}
	if args.ApplianceAdmin {
		purposes = append(purposes, MorpheusAdmin)
	}
	for _, p := range purposes {
		prefix := fmt.Sprintf("%s-%s", name, p)
		rule := RuleFor(p)
		// Protected so that no replacement can silently regenerate a password
		// the services and morpheus.rb already use.
		pw, err := random.NewRandomPassword(ctx, prefix+"-password", &random.RandomPasswordArgs{
			Length:          pulumi.Int(rule.Length),
			Upper:           pulumi.Bool(true),
			Lower:           pulumi.Bool(true),
			Numeric:         pulumi.Bool(true),
			Special:         pulumi.Bool(true),
			OverrideSpecial: pulumi.String(rule.Special()),
			MinUpper:        pulumi.Int(rule.MinUpper),
			MinLower:        pulumi.Int(rule.MinLower),
			MinNumeric:      pulumi.Int(rule.MinNumeric),
			MinSpecial:      pulumi.Int(rule.MinSpecial),
		}, pulumi.Parent(c), pulumi.Protect(args.Protect))
		if err != nil {
			return nil, err
		}
		password := pulumi.ToSecret(pw.Result).(pulumi.StringOutput)

		secretName := SecretName(args.Namer, p)
		secret, err := secretsmanager.NewSecret(ctx, prefix, &secretsmanager.SecretArgs{
			Name:                 pulumi.String(secretName),
			Description:          pulumi.Sprintf("%s: %s", args.Namer.Prefix(), descriptions[p]),
			KmsKeyId:             args.SecretsKeyArn,
			RecoveryWindowInDays: pulumi.Int(recovery),
			Replicas:             replicas(args.Replica),
			Tags:                 standbyTags(args.Standby),
		}, pulumi.Parent(c), pulumi.Protect(args.Protect))
		if err != nil {
			return nil, err
		}
		user := Username(p)
		if p == MorpheusAdmin {
			user = args.ApplianceAdminUsername
		}
		value := pulumi.ToSecret(password.ApplyT(func(pw string) (string, error) {
			b, err := json.Marshal(credentials{Username: user, Password: pw})
			return string(b), err
		})).(pulumi.StringOutput)
		versionArgs := &secretsmanager.SecretVersionArgs{SecretId: secret.ID(), SecretString: value}
		versionOpts := []pulumi.ResourceOption{pulumi.Parent(c)}
		if Rotated(p) {
			// Both labels explicitly: the first version is AWSCURRENT, and
			// keeps InitialStage after the rotation has moved AWSCURRENT on.
			versionArgs.VersionStages = pulumi.ToStringArray([]string{"AWSCURRENT", InitialStage})
			versionOpts = append(versionOpts, pulumi.IgnoreChanges(rotatedVersionIgnores))
		}
		version, err := secretsmanager.NewSecretVersion(ctx, prefix+"-version", versionArgs, versionOpts...)
		if err != nil {
			return nil, err
		}

		switch p {
		case MQAdmin:
			c.mqAdminPassword = password
		case OpenSearchMaster:
			c.openSearchMasterPassword = password
		case DBMaster:
			c.dbMasterPassword = password
		}
		c.Names[p] = secretName
		// The ARN resolves once the secret has a value: whoever takes it (the
		// ops function's bootstrap and restore, a rotation) reads the value.
		arns[string(p)] = pulumi.All(secret.Arn, version.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	}
	c.SecretArns = arns.ToStringMapOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"secretArns": c.SecretArns,
	})
}

// MQAdminPassword is the broker admin password, a secret output. Only the
// Amazon MQ broker may consume it (its admin user must be set at creation);
// everything else reads the secret at run time through SecretArns.
func (s *Secrets) MQAdminPassword() pulumi.StringOutput { return s.mqAdminPassword }

// OpenSearchMasterPassword is the fine-grained access control master password,
// a secret output. Only the OpenSearch domain may consume it (its master user
// must be set at creation); everything else reads the secret at run time.
func (s *Secrets) OpenSearchMasterPassword() pulumi.StringOutput {
	return s.openSearchMasterPassword
}

// Replica is the region secrets are replicated to and its key.
type Replica struct {
	// Region is the replica region.
	Region string
	// KeyArn encrypts the replicas: a customer-managed key of that region.
	KeyArn pulumi.StringInput
}

// replicas is the secret's replica list, or none.
func replicas(r *Replica) secretsmanager.SecretReplicaArray {
	if r == nil {
		return nil
	}
	return secretsmanager.SecretReplicaArray{secretsmanager.SecretReplicaArgs{
		Region: pulumi.String(r.Region), KmsKeyId: r.KeyArn,
	}}
}

// The tag that defers a standby stack's rotation to its failover (the policy
// pack's rules.StandbyRotationTag and rules.StandbyRotationValue).
const (
	StandbyTag      = "RotationDeferredUntil"
	StandbyTagValue = "failover"
)

// standbyTags are a secret's own tags: none, or the standby marker.
func standbyTags(standby bool) pulumi.StringMap {
	if !standby {
		return nil
	}
	return pulumi.StringMap{StandbyTag: pulumi.String(StandbyTagValue)}
}

// DBMasterPassword is the Aurora master password (Args.DatabaseMaster), a
// secret output. Only the cluster may consume it (RDS takes it at creation or
// on a change); everything else reads the DBMaster secret at run time.
func (s *Secrets) DBMasterPassword() pulumi.StringOutput { return s.dbMasterPassword }
