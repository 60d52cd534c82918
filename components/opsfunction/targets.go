package opsfunction

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/morpheus-ha/morpheus-ha/components/messaging"
	"github.com/morpheus-ha/morpheus-ha/components/secrets"
	"github.com/morpheus-ha/morpheus-ha/components/snapshots"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// BootstrapAction is the bootstrap event's action (internal/ops/handler's
// ActionBootstrap; a test keeps the two equal without linking the function's
// dependencies into the program).
const BootstrapAction = "bootstrap"

// AppPurposes are Morpheus' own logins, which the function manages and
// rotates with alternating users.
var AppPurposes = secrets.MorpheusLogins

// AdminPurposes are the service administrators' secrets the function reads to
// manage those logins and rotates in place (the RDS master secret is separate:
// RDS owns and rotates it).
var AdminPurposes = secrets.ServiceAdmins

// RotatedPurposes are every secret the function rotates (secrets.Rotated), in
// secrets.Purposes order, then the stack-held master secret when there is one:
// one rotation schedule and one invoke permission each.
func RotatedPurposes(stackHeldDBMaster bool) []secrets.Purpose {
	var out []secrets.Purpose
	for _, p := range secrets.Purposes {
		if secrets.Rotated(p) {
			out = append(out, p)
		}
	}
	if stackHeldDBMaster {
		out = append(out, secrets.DBMaster)
	}
	return out
}

// ServiceValues are the resolved identifiers the targets are built from.
type ServiceValues struct {
	// DatabaseName and Vhost are Morpheus' schema and virtual host.
	DatabaseName, Vhost string
	DBEndpoint          string
	DBPort              int
	DBMasterSecretArn   string
	MQManagementURL     string
	// MQBrokerId names the broker's log group (messaging.GeneralLogGroup).
	MQBrokerId string
	// LogsKeyArn and LogRetentionDays are what the broker's log group gets.
	LogsKeyArn       string
	LogRetentionDays int
	// SearchEndpoint is the domain's host name, without scheme.
	SearchEndpoint string
	// SecretArns maps each secrets.Purpose to its secret's ARN.
	SecretArns map[string]string
	// Snapshots is the snapshots section; nil without a snapshot bucket.
	Snapshots *SnapshotValues
	// Standby leaves the database out: a standby secondary is read-only and
	// has no master secret of its own, so nothing may bootstrap or rotate it.
	Standby bool
	// Restore is the restore section; nil outside restore mode.
	Restore *targets.Restore
}

// SnapshotValues are the resolved snapshot bucket values.
type SnapshotValues struct {
	// Bucket and Region locate the bucket (the stack's region).
	Bucket, Region string
	// RoleArn is the snapshot role, FunctionRoleArn the function's own.
	RoleArn, FunctionRoleArn string
	// DataKeyArn encrypts the bucket.
	DataKeyArn string
}

// BuildTargets returns the function's targets for v, with the defaults filled
// and validated exactly as the function will (targets.Normalize), so a bad value
// fails `pulumi up` instead of the first invocation. The targets use the
// internal/ops/targets types themselves, so their JSON shape cannot drift from
// what the function decodes.
func BuildTargets(v ServiceValues) (targets.Targets, error) {
	arns := map[secrets.Purpose]string{}
	for _, p := range append(append([]secrets.Purpose(nil), AppPurposes...), AdminPurposes...) {
		if arns[p] = v.SecretArns[string(p)]; arns[p] == "" {
			return targets.Targets{}, fmt.Errorf("opsfunction: SecretArns has no %s secret", p)
		}
	}
	t := targets.Targets{
		MySQL: &targets.MySQL{
			Host: v.DBEndpoint, Port: v.DBPort, Database: v.DatabaseName,
			AdminSecretARN: v.DBMasterSecretArn, AppSecretARN: arns[secrets.DBMorpheus],
		},
		Restore: v.Restore,
		RabbitMQ: &targets.RabbitMQ{
			ManagementURL: v.MQManagementURL, VHost: v.Vhost,
			AdminSecretARN: arns[secrets.MQAdmin], AppSecretARN: arns[secrets.MQMorpheus],
		},
		OpenSearch: &targets.OpenSearch{
			Endpoint:       "https://" + v.SearchEndpoint,
			AdminSecretARN: arns[secrets.OpenSearchMaster], AppSecretARN: arns[secrets.OpenSearchMorpheus],
		},
		// Amazon MQ creates the broker's log group itself; the bootstrap sets
		// its retention and key (or creates it with them if it is not there yet).
		Logs: &targets.Logs{
			Groups:        []string{messaging.GeneralLogGroup(v.MQBrokerId)},
			RetentionDays: v.LogRetentionDays,
			KMSKeyARN:     v.LogsKeyArn,
		},
	}
	if sv := v.Snapshots; sv != nil {
		t.Snapshots = &targets.Snapshots{
			Bucket: sv.Bucket, Region: sv.Region, RoleARN: sv.RoleArn, FunctionRoleARN: sv.FunctionRoleArn, KMSKeyARN: sv.DataKeyArn,
			SearchPrefix: snapshots.SearchPrefix, DefinitionsPrefix: snapshots.DefinitionsPrefix,
		}
	}
	if v.Standby {
		t.MySQL = nil
	}
	if err := t.Normalize(); err != nil {
		return targets.Targets{}, fmt.Errorf("opsfunction: %w", err)
	}
	return t, nil
}

// TargetsJSON is the OPS_TARGETS value: identifiers only, never a secret value.
func TargetsJSON(t targets.Targets) (string, error) {
	b, err := json.Marshal(t)
	return string(b), err
}

// bootstrapEvent is {"action":"bootstrap", <targets>}, the handler's shape.
type bootstrapEvent struct {
	Action string `json:"action"`
	targets.Targets
}

// BootstrapInput is the bootstrap invocation's payload.
func BootstrapInput(t targets.Targets) (string, error) {
	b, err := json.Marshal(bootstrapEvent{Action: BootstrapAction, Targets: t})
	return string(b), err
}

// Hash is the hex SHA-256 of s: the invocation's trigger, so that any change of
// the targets re-runs the bootstrap.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
