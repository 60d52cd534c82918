// Package handler is the ops function's single Lambda entry point: it tells a
// bootstrap, setup, snapshot, definitions-export or restore event from a Secrets
// Manager rotation event and wires the service clients each needs from the
// targets.
package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/appliance"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/bootstrap"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/loggroups"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/mysqlops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rabbitops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/rotation"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/targets"
)

// The environment variables the function reads.
const (
	// EnvTargets holds the targets JSON (the bootstrap event without "action");
	// rotation events carry only a secret ARN, so this is where they look up the
	// service.
	EnvTargets = "OPS_TARGETS"
	// EnvMySQLCAFile is the path of the PEM bundle that verifies the database's
	// certificate (the RDS CA bundle); default DefaultCAFile under
	// LAMBDA_TASK_ROOT, i.e. packaged in the zip.
	EnvMySQLCAFile = "OPS_MYSQL_CA_FILE"
)

// DefaultCAFile is the CA bundle's name in the deployment package.
const DefaultCAFile = "rds-ca.pem"

// ActionBootstrap is the bootstrap event's action.
const ActionBootstrap = "bootstrap"

// ActionSetup is the appliance setup event's action (targets.SetupEvent).
const ActionSetup = targets.SetupAction

// Config is everything the handler needs.
type Config struct {
	// Store reads and writes secrets.
	Store secrets.Store
	// Logs sets the targets' log groups up; needed only when they name some.
	Logs loggroups.API
	// Targets locate the services for rotation events.
	Targets targets.Targets
	// MySQLCAFile is the database CA bundle's path.
	MySQLCAFile string
	// HTTP calls the RabbitMQ and OpenSearch APIs; nil means opshttp's default.
	HTTP *http.Client
	// Log receives the handler's log lines; nil means slog.Default().
	Log *slog.Logger
	// Credentials sign the OpenSearch snapshot API calls (the function's role);
	// needed only by the snapshot action.
	Credentials aws.CredentialsProvider
	// Objects writes the definitions exports and reads them back; needed only
	// by exportDefinitions and restore.
	Objects ObjectStore
	// Now is the clock that names snapshots and exports; nil means time.Now.
	Now func() time.Time
	// Retry bounds the bootstrap's retries of an unreachable service and a
	// login rotation's retries of setSecret; the zero value means
	// retry.Default.
	Retry retry.Policy
}

// Handler handles the function's events.
type Handler struct {
	cfg Config
	log *slog.Logger
}

// New returns a handler for cfg.
func New(cfg Config) *Handler {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	return &Handler{cfg: cfg, log: log}
}

// FromEnv builds a handler from the function's environment; creds and objects
// serve the snapshot and exportDefinitions actions.
func FromEnv(store secrets.Store, logs loggroups.API, creds aws.CredentialsProvider, objects ObjectStore, getenv func(string) string) (*Handler, error) {
	raw := getenv(EnvTargets)
	if raw == "" {
		return nil, fmt.Errorf("%s is not set", EnvTargets)
	}
	t, err := targets.Decode([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvTargets, err)
	}
	ca := getenv(EnvMySQLCAFile)
	if ca == "" {
		root := getenv("LAMBDA_TASK_ROOT")
		if root == "" {
			root = "."
		}
		ca = filepath.Join(root, DefaultCAFile)
	}
	return New(Config{Store: store, Logs: logs, Targets: t, MySQLCAFile: ca, Credentials: creds, Objects: objects}), nil
}

// envelope has the fields that tell the two event kinds apart.
type envelope struct {
	Action string `json:"action"`
	Step   string `json:"Step"`
}

// bootstrapEvent is {"action":"bootstrap", <targets>}.
type bootstrapEvent struct {
	Action string `json:"action"`
	targets.Targets
}

// Result is what a bootstrap invocation returns (Pulumi stores it in state, so
// it names users only).
type Result struct {
	// Action is "bootstrap".
	Action string `json:"action"`
	// Outcomes has one entry per service.
	Outcomes []bootstrap.Outcome `json:"outcomes"`
	// LogGroups has one entry per log group of the targets' logs section.
	LogGroups []loggroups.Outcome `json:"logGroups,omitempty"`
}

// Handle dispatches one event. Its signature is what lambda.Start accepts.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("event is not a JSON object: %w", err)
	}
	switch {
	case env.Action == ActionBootstrap:
		return h.bootstrap(ctx, raw)
	case env.Action == ActionSetup:
		return h.setup(ctx, raw)
	case env.Action == ActionSnapshot:
		return h.snapshot(ctx, raw)
	case env.Action == ActionExportDefinitions:
		return h.exportDefinitions(ctx, raw)
	case env.Action == ActionRestore:
		return h.restore(ctx, raw)
	case env.Action != "":
		return nil, fmt.Errorf("unknown action %q", env.Action)
	case env.Step != "":
		var ev rotation.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("rotation event: %w", err)
		}
		return nil, h.rotate(ctx, ev)
	}
	return nil, errors.New(`event is neither {"action":"bootstrap"|"setup"|"snapshot"|"exportDefinitions"|"restore",...} nor a Secrets Manager rotation event`)
}

func (h *Handler) bootstrap(ctx context.Context, raw json.RawMessage) (any, error) {
	var ev bootstrapEvent
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return nil, fmt.Errorf("bootstrap event: %w", err)
	}
	if err := ev.Targets.Normalize(); err != nil {
		return nil, fmt.Errorf("bootstrap event: %w", err)
	}
	if !reflect.DeepEqual(ev.Targets, h.cfg.Targets) {
		// The deployment renders both from one resolution of the same values,
		// so a difference is a stale or forged event: it would create users
		// and grants on services (or with admin secrets) that rotation, which
		// reads only OPS_TARGETS, never manages. Refuse before any call.
		return nil, fmt.Errorf("bootstrap event: its targets differ from %s; the function bootstraps only the targets it was deployed with", EnvTargets)
	}
	list, err := h.services(ev.Targets, "")
	if err != nil {
		return nil, err
	}
	res := Result{Action: ActionBootstrap}
	var errs []error
	res.Outcomes, err = bootstrap.RunWith(ctx, h.cfg.Store, list, h.log, h.retryPolicy())
	errs = append(errs, err)
	if l := ev.Targets.Logs; l != nil {
		// After the services: a log group problem must not hold back the
		// users the app nodes wait for, and the invocation still fails.
		if h.cfg.Logs == nil {
			errs = append(errs, errors.New("bootstrap: the targets name log groups but the handler has no CloudWatch Logs client"))
		} else {
			res.LogGroups, err = loggroups.EnsureAll(ctx, h.cfg.Logs, l.Groups,
				loggroups.Settings{RetentionDays: l.RetentionDays, KMSKeyARN: l.KMSKeyARN}, h.log)
			errs = append(errs, err)
		}
	}
	return res, errors.Join(errs...)
}

// retryPolicy is cfg.Retry, or retry.Default when unset.
func (h *Handler) retryPolicy() retry.Policy {
	if h.cfg.Retry.Attempts == 0 {
		return retry.Default
	}
	return h.cfg.Retry
}

// SetupResult is what a setup invocation returns (kept in Pulumi state).
type SetupResult struct {
	// Action is "setup".
	Action string `json:"action"`
	appliance.Outcome
}

// setup runs the one-time appliance setup; the password comes from the admin
// secret, never from the event.
func (h *Handler) setup(ctx context.Context, raw json.RawMessage) (any, error) {
	ev, err := targets.DecodeSetup(raw)
	if err != nil {
		return nil, err
	}
	out, err := appliance.Run(ctx, h.cfg.HTTP, h.cfg.Store, appliance.Setup{
		ApplianceName: ev.ApplianceName, ApplianceURL: ev.ApplianceURL, AccountName: ev.AccountName,
		Username: ev.Username, Email: ev.Email, FirstName: ev.FirstName, LastName: ev.LastName,
		AdminSecretARN: ev.AdminSecretARN,
	})
	h.log.Info("appliance setup", "setupNeeded", out.SetupNeeded, "initialized", out.Initialized)
	return SetupResult{Action: ActionSetup, Outcome: out}, err
}

// rotate routes a rotation event by its secret. This is the one place that
// decides how a secret rotates: a target's app secret (a Morpheus login) with
// alternating users, the broker admin's and the OpenSearch master's secrets in
// place (single user: only this function uses them), and never the RDS-managed
// master secret, which RDS rotates itself.
func (h *Handler) rotate(ctx context.Context, ev rotation.Event) error {
	r := &rotation.Rotator{Store: h.cfg.Store, Log: h.log, Retry: h.retryPolicy()}
	t := h.cfg.Targets
	switch {
	case t.RabbitMQ != nil && ev.SecretID == t.RabbitMQ.AdminSecretARN:
		c, err := rabbitops.New(t.RabbitMQ.ManagementURL, h.cfg.HTTP)
		if err != nil {
			return err
		}
		return r.RotateAdmin(ctx, &rabbitops.Admin{Client: c}, ev)
	case t.OpenSearch != nil && ev.SecretID == t.OpenSearch.AdminSecretARN:
		c, err := searchops.New(t.OpenSearch.Endpoint, h.cfg.HTTP)
		if err != nil {
			return err
		}
		return r.RotateAdmin(ctx, &searchops.Admin{Client: c}, ev)
	case t.MySQL != nil && ev.SecretID == t.MySQL.AdminSecretARN:
		if RDSManaged(ev.SecretID) {
			return fmt.Errorf("secret %s is the RDS-managed master secret: RDS rotates it, this function does not", ev.SecretID)
		}
		// The stack's own master secret (a global database member, where RDS
		// cannot manage the password): the master user changes its own.
		target, err := h.mysqlTarget(t.MySQL)
		if err != nil {
			return err
		}
		return r.RotateAdmin(ctx, &mysqlops.Admin{Target: target}, ev)
	}
	list, err := h.services(t, ev.SecretID)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fmt.Errorf("secret %s is neither the app secret of a target nor the rabbitmq or opensearch admin secret in %s", ev.SecretID, EnvTargets)
	}
	return r.Rotate(ctx, list[0].Service, ev)
}

// services builds the service clients of t: all of them, or only the one whose
// app secret is onlyApp, so that a rotation never depends on another service's
// settings (the CA file, say).
func (h *Handler) services(t targets.Targets, onlyApp string) ([]bootstrap.Target, error) {
	want := func(app string) bool { return onlyApp == "" || onlyApp == app }
	admin := func(arn string) func(context.Context) (secrets.Credentials, error) {
		return func(ctx context.Context) (secrets.Credentials, error) { return secrets.Current(ctx, h.cfg.Store, arn) }
	}
	var out []bootstrap.Target
	if m := t.MySQL; m != nil && want(m.AppSecretARN) {
		target, err := h.mysqlTarget(m)
		if err != nil {
			return nil, err
		}
		svc := &mysqlops.Service{Target: target, Admin: admin(m.AdminSecretARN)}
		out = append(out, bootstrap.Target{Service: svc, AppSecretID: m.AppSecretARN})
	}
	if r := t.RabbitMQ; r != nil && want(r.AppSecretARN) {
		c, err := rabbitops.New(r.ManagementURL, h.cfg.HTTP)
		if err != nil {
			return nil, err
		}
		svc := &rabbitops.Service{Client: c, VHost: r.VHost, Admin: admin(r.AdminSecretARN)}
		out = append(out, bootstrap.Target{Service: svc, AppSecretID: r.AppSecretARN})
	}
	if o := t.OpenSearch; o != nil && want(o.AppSecretARN) {
		c, err := searchops.New(o.Endpoint, h.cfg.HTTP)
		if err != nil {
			return nil, err
		}
		svc := &searchops.Service{Client: c, Role: searchops.Role{Name: o.Role, IndexPatterns: o.IndexPatterns}, Admin: admin(o.AdminSecretARN)}
		out = append(out, bootstrap.Target{Service: svc, AppSecretID: o.AppSecretARN})
	}
	return out, nil
}

// mysqlTarget is m's address and database over TLS verified with the CA bundle.
func (h *Handler) mysqlTarget(m *targets.MySQL) (mysqlops.Target, error) {
	pem, err := os.ReadFile(h.cfg.MySQLCAFile)
	if err != nil {
		return mysqlops.Target{}, fmt.Errorf("mysql: reading the CA bundle (%s): %w", EnvMySQLCAFile, err)
	}
	tlsCfg, err := mysqlops.TLSConfig(pem, m.Host)
	if err != nil {
		return mysqlops.Target{}, fmt.Errorf("%s %s: %w", EnvMySQLCAFile, h.cfg.MySQLCAFile, err)
	}
	return mysqlops.Target{Addr: net.JoinHostPort(m.Host, strconv.Itoa(m.Port)), Database: m.Database, TLS: tlsCfg}, nil
}

// RDSManaged reports whether a secret ARN names a secret RDS created and
// rotates itself (its name starts with "rds!"); the function never rotates those.
func RDSManaged(secretARN string) bool { return strings.Contains(secretARN, ":secret:rds!") }
