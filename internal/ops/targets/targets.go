// Package targets describes where the data services are and which secrets hold
// their logins: the body of the bootstrap event and of the OPS_TARGETS
// environment variable. It carries identifiers only (endpoints, ports, names,
// secret ARNs), never a secret value.
package targets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/morpheusnames"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/searchops"
)

// Defaults for omitted fields.
const (
	DefaultMySQLPort = 3306
	DefaultDatabase  = morpheusnames.Database
	DefaultVHost     = morpheusnames.Vhost
)

// Targets lists the services to manage; each section is optional.
type Targets struct {
	// MySQL is the Aurora MySQL cluster.
	MySQL *MySQL `json:"mysql,omitempty"`
	// RabbitMQ is the Amazon MQ broker.
	RabbitMQ *RabbitMQ `json:"rabbitmq,omitempty"`
	// OpenSearch is the OpenSearch domain.
	OpenSearch *OpenSearch `json:"opensearch,omitempty"`
	// Logs are log groups a service creates itself (Amazon MQ's), which the
	// bootstrap gives the stack's retention and logs key.
	Logs *Logs `json:"logs,omitempty"`
	// Snapshots is where the snapshot and exportDefinitions actions write:
	// the OpenSearch repository and the broker's definitions exports.
	Snapshots *Snapshots `json:"snapshots,omitempty"`
	// Restore names what the restore action imports into freshly created
	// services before the bootstrap (a restore-mode stack only).
	Restore *Restore `json:"restore,omitempty"`
}

// DefaultRestoreRepository is the name under which the restore action
// registers the source stack's snapshot repository, read-only, next to this
// stack's own DefaultRepository.
const DefaultRestoreRepository = "morpheus-restore"

// Restore is a restore-mode stack's sources: the recovery points of another
// stack (the one whose region was lost) that its new services start from.
// The restore action runs before the bootstrap, which then sets the Morpheus
// users' passwords to this stack's own secrets.
type Restore struct {
	// Search restores OpenSearch indices from a snapshot repository.
	Search *SearchRestore `json:"search,omitempty"`
	// Definitions re-imports a RabbitMQ definitions export.
	Definitions *DefinitionsRestore `json:"definitions,omitempty"`
}

// SearchRestore locates the source snapshot repository: in a DR stack, the
// source stack's snapshot bucket replica in this region (OpenSearch reads a
// repository in its own region only).
type SearchRestore struct {
	// Bucket is the bucket holding the source repository.
	Bucket string `json:"bucket"`
	// Region is the bucket's region, the domain's.
	Region string `json:"region"`
	// BasePath is the repository's base path; defaults to DefaultSearchPrefix.
	BasePath string `json:"basePath,omitempty"`
	// Repository is the name it is registered under (read-only); defaults to
	// DefaultRestoreRepository.
	Repository string `json:"repository,omitempty"`
	// Snapshot is the snapshot to restore; empty means the newest successful one.
	Snapshot string `json:"snapshot,omitempty"`
}

// DefinitionsRestore locates the source definitions export.
type DefinitionsRestore struct {
	// Bucket is the bucket holding the exports.
	Bucket string `json:"bucket"`
	// Region is the bucket's region.
	Region string `json:"region"`
	// Prefix is the exports' key prefix; defaults to DefaultDefinitionsPrefix.
	Prefix string `json:"prefix,omitempty"`
	// Key is the export to import; empty means the newest under Prefix.
	Key string `json:"key,omitempty"`
}

// Defaults of the snapshots section.
const (
	// DefaultRepository is the OpenSearch snapshot repository's name.
	DefaultRepository = "morpheus-snapshots"
	// DefaultSearchPrefix is the repository's base path in the bucket
	// (components/snapshots.SearchPrefix).
	DefaultSearchPrefix = "opensearch"
	// DefaultDefinitionsPrefix is where the definitions exports go
	// (components/snapshots.DefinitionsPrefix).
	DefaultDefinitionsPrefix = "rabbitmq"
)

// Snapshots locates the snapshot bucket and the roles the snapshot action
// needs. The bucket must be in the domain's region: OpenSearch reads a
// repository in its own region only.
type Snapshots struct {
	// Bucket is the snapshot bucket's name.
	Bucket string `json:"bucket"`
	// Region is the bucket's (and the domain's) region.
	Region string `json:"region"`
	// Repository is the OpenSearch repository's name; defaults to DefaultRepository.
	Repository string `json:"repository,omitempty"`
	// SearchPrefix is the repository's base path; defaults to DefaultSearchPrefix.
	SearchPrefix string `json:"searchPrefix,omitempty"`
	// DefinitionsPrefix is the definitions exports' key prefix; defaults to
	// DefaultDefinitionsPrefix.
	DefinitionsPrefix string `json:"definitionsPrefix,omitempty"`
	// RoleARN is the role OpenSearch assumes to write the bucket (passed with
	// the repository's registration).
	RoleARN string `json:"roleArn"`
	// FunctionRoleARN is the function's own role: the backend role mapped to
	// manage_snapshots, as which its signed requests act.
	FunctionRoleARN string `json:"functionRoleArn"`
	// KMSKeyARN is the bucket's key (the data key). The export names it: a
	// PutObject asking for aws:kms without a key id gets the AWS managed key
	// instead of the bucket's default.
	KMSKeyARN string `json:"kmsKeyArn"`
}

// Logs names log groups that no Pulumi resource can own: the service creates
// them under a name holding an id known only after creation. The bootstrap
// creates each missing one, associates the key and sets the retention.
type Logs struct {
	// Groups are the log group names.
	Groups []string `json:"groups"`
	// RetentionDays is the retention to set, one of CloudWatch Logs' values.
	RetentionDays int `json:"retentionDays"`
	// KMSKeyARN is the logs key's ARN (not a secret).
	KMSKeyARN string `json:"kmsKeyArn"`
}

// RetentionDays are the values PutRetentionPolicy accepts.
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// MySQL locates the database cluster.
type MySQL struct {
	// Host is the cluster's writer endpoint.
	Host string `json:"host"`
	// Port defaults to 3306.
	Port int `json:"port,omitempty"`
	// Database is Morpheus' database; defaults to "morpheus".
	Database string `json:"database,omitempty"`
	// AdminSecretARN is the RDS-managed master user secret.
	AdminSecretARN string `json:"adminSecretArn"`
	// AppSecretARN is Morpheus' database login secret.
	AppSecretARN string `json:"appSecretArn"`
}

// RabbitMQ locates the broker's management API.
type RabbitMQ struct {
	// ManagementURL is the broker's https console/API URL.
	ManagementURL string `json:"managementUrl"`
	// VHost is Morpheus' vhost; defaults to "morpheus".
	VHost string `json:"vhost,omitempty"`
	// AdminSecretARN is the broker admin's secret.
	AdminSecretARN string `json:"adminSecretArn"`
	// AppSecretARN is Morpheus' queue user secret.
	AppSecretARN string `json:"appSecretArn"`
}

// OpenSearch locates the domain.
type OpenSearch struct {
	// Endpoint is the domain's https endpoint URL.
	Endpoint string `json:"endpoint"`
	// Role is the role Morpheus' users get; defaults to "morpheus_role".
	Role string `json:"role,omitempty"`
	// IndexPatterns are the indices the role manages; defaults to ["*"].
	IndexPatterns []string `json:"indexPatterns,omitempty"`
	// AdminSecretARN is the FGAC master user's secret.
	AdminSecretARN string `json:"adminSecretArn"`
	// AppSecretARN is Morpheus' OpenSearch login secret.
	AppSecretARN string `json:"appSecretArn"`
}

var (
	secretARN = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$`)
	hostname  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`)
	simple    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	roleName  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	// logGroup is CloudWatch Logs' log group name pattern.
	logGroup  = regexp.MustCompile(`^[A-Za-z0-9_./#-]{1,512}$`)
	kmsKeyARN = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`)
	// bucketName is S3's general purpose bucket naming rule (lower case,
	// digits, dots and hyphens, 3-63).
	bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	region     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	roleARN    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`)
	// repository is a lower-case index-like name, which snapshot repository
	// names must be.
	repository = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	keyPrefix  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
)

// Decode parses data strictly (unknown keys are errors), fills defaults and
// validates.
func Decode(data []byte) (Targets, error) {
	var t Targets
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Targets{}, fmt.Errorf("targets: %w", err)
	}
	return t, t.Normalize()
}

// Normalize fills defaults in place and validates, naming every bad field.
func (t *Targets) Normalize() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{field}, args...)...))
	}
	if t.MySQL == nil && t.RabbitMQ == nil && t.OpenSearch == nil {
		return errors.New("targets: name at least one of mysql, rabbitmq, opensearch")
	}
	// Rotation events carry only the secret's ARN and route by it (the
	// handler's rotate), so no ARN may name two secrets' roles.
	seen := map[string]string{}
	arns := func(section, admin, app string) {
		for _, f := range [][2]string{{"adminSecretArn", admin}, {"appSecretArn", app}} {
			if !secretARN.MatchString(f[1]) {
				bad(section+"."+f[0], "%q is not a Secrets Manager secret ARN", f[1])
			}
		}
		if admin != "" && admin == app {
			bad(section+".appSecretArn", "must differ from adminSecretArn")
			return
		}
		for _, f := range [][2]string{{"adminSecretArn", admin}, {"appSecretArn", app}} {
			if f[1] == "" {
				continue
			}
			if other, dup := seen[f[1]]; dup {
				bad(section+"."+f[0], "is also %s; rotation routes by this ARN", other)
			}
			seen[f[1]] = section + "." + f[0]
		}
	}
	if m := t.MySQL; m != nil {
		if m.Port == 0 {
			m.Port = DefaultMySQLPort
		}
		if m.Database == "" {
			m.Database = DefaultDatabase
		}
		if !hostname.MatchString(m.Host) {
			bad("mysql.host", "%q is not a host name (no scheme, no port)", m.Host)
		}
		if m.Port < 1 || m.Port > 65535 {
			bad("mysql.port", "%d is not a TCP port", m.Port)
		}
		if !simple.MatchString(m.Database) || len(m.Database) > 64 {
			bad("mysql.database", "%q: want a letter, then letters, digits or _, at most 64", m.Database)
		}
		arns("mysql", m.AdminSecretARN, m.AppSecretARN)
	}
	if r := t.RabbitMQ; r != nil {
		if r.VHost == "" {
			r.VHost = DefaultVHost
		}
		if err := httpsBase(r.ManagementURL); err != nil {
			bad("rabbitmq.managementUrl", "%v", err)
		}
		if strings.ContainsFunc(r.VHost, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			bad("rabbitmq.vhost", "%q contains control characters", r.VHost)
		}
		arns("rabbitmq", r.AdminSecretARN, r.AppSecretARN)
	}
	if o := t.OpenSearch; o != nil {
		if o.Role == "" {
			o.Role = searchops.DefaultRole
		}
		if len(o.IndexPatterns) == 0 {
			o.IndexPatterns = append([]string(nil), searchops.DefaultIndexPatterns...)
		}
		if err := httpsBase(o.Endpoint); err != nil {
			bad("opensearch.endpoint", "%v", err)
		}
		if !roleName.MatchString(o.Role) {
			bad("opensearch.role", "%q: want a letter, then letters, digits, _ or -", o.Role)
		}
		for i, p := range o.IndexPatterns {
			if strings.TrimSpace(p) == "" || strings.ContainsAny(p, " ,\"") {
				bad(fmt.Sprintf("opensearch.indexPatterns[%d]", i), "%q is not an index pattern", p)
			}
		}
		arns("opensearch", o.AdminSecretARN, o.AppSecretARN)
	}
	if l := t.Logs; l != nil {
		if len(l.Groups) == 0 {
			bad("logs.groups", "name at least one log group")
		}
		for i, g := range l.Groups {
			if !logGroup.MatchString(g) {
				bad(fmt.Sprintf("logs.groups[%d]", i), "%q is not a log group name", g)
			}
		}
		if !slices.Contains(RetentionDays, l.RetentionDays) {
			bad("logs.retentionDays", "%d is not one of CloudWatch Logs' retention values %v", l.RetentionDays, RetentionDays)
		}
		if !kmsKeyARN.MatchString(l.KMSKeyARN) {
			bad("logs.kmsKeyArn", "%q is not a KMS key ARN", l.KMSKeyARN)
		}
	}
	if sn := t.Snapshots; sn != nil {
		if sn.Repository == "" {
			sn.Repository = DefaultRepository
		}
		if sn.SearchPrefix == "" {
			sn.SearchPrefix = DefaultSearchPrefix
		}
		if sn.DefinitionsPrefix == "" {
			sn.DefinitionsPrefix = DefaultDefinitionsPrefix
		}
		bucketAndRegion(bad, "snapshots", sn.Bucket, sn.Region)
		if !repository.MatchString(sn.Repository) {
			bad("snapshots.repository", "%q: want lower-case letters, digits, _ or -, at most 64", sn.Repository)
		}
		checkPrefix(bad, "snapshots.searchPrefix", sn.SearchPrefix)
		checkPrefix(bad, "snapshots.definitionsPrefix", sn.DefinitionsPrefix)
		if sn.SearchPrefix == sn.DefinitionsPrefix {
			bad("snapshots.definitionsPrefix", "must differ from snapshots.searchPrefix: the function may write only the definitions prefix")
		}
		for field, arn := range map[string]string{"snapshots.roleArn": sn.RoleARN, "snapshots.functionRoleArn": sn.FunctionRoleARN} {
			if !roleARN.MatchString(arn) {
				bad(field, "%q is not an IAM role ARN", arn)
			}
		}
		if !kmsKeyARN.MatchString(sn.KMSKeyARN) {
			bad("snapshots.kmsKeyArn", "%q is not a KMS key ARN", sn.KMSKeyARN)
		}
		if sn.RoleARN != "" && sn.RoleARN == sn.FunctionRoleARN {
			bad("snapshots.roleArn", "must differ from snapshots.functionRoleArn: OpenSearch assumes the snapshot role, the function passes it")
		}
	}
	t.normalizeRestore(bad)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("targets: %w", err)
	}
	return nil
}

// httpsBase accepts https://host[:port][/] only: credentials travel in basic
// auth over TLS, never in plain text and never in the URL.
func httpsBase(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	switch {
	case u.Scheme != "https":
		return fmt.Errorf("%q must use https", s)
	case u.Host == "":
		return fmt.Errorf("%q has no host", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return fmt.Errorf("%q must be scheme and host only", s)
	}
	return nil
}
