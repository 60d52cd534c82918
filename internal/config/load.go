package config

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ProjectKeys lists every key the program reads from its own namespace. A key in
// the stack file that is not here is a typo and is rejected.
var ProjectKeys = []string{
	"environment", "domain", "owner", "costCenter", "tags", "allowDestroy",
	"network", "logs", "keys", "app", "search", "storage", "messaging", "database", "morpheus", "alerts", "nodePackages", "loadBalancer", "ops", "backup",
	"maintenance",
	"security",
	"cost", "drills", "restore",
}

// RegionKey is the foreign key that sets the AWS region.
const RegionKey = "aws:region"

// Source looks up a fully qualified config key ("morpheus-ha:network",
// "aws:region") and reports whether it is set.
type Source func(key string) (string, bool)

// Load reads and validates the configuration of the running stack. It registers
// nothing, so a bad value stops the program before any resource exists.
func Load(ctx *pulumi.Context) (*Config, error) {
	cfg, err := Parse(ctx.Project(), ctx.Stack(), ctx.GetConfig)
	if err != nil {
		return nil, err
	}
	// Under `pulumi up` the engine hands the program all of the stack's config in
	// PULUMI_CONFIG; a key we do not read there is a typo that would otherwise pass.
	if err := unknownInEnv(ctx.Project()); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Parse decodes and validates the configuration that src holds. Every problem is
// reported at once, each naming its key, value and rule.
func Parse(project, stack string, src Source) (*Config, error) {
	c := &collector{namespace: project}
	get := func(key string) string {
		v, _ := src(project + ":" + key)
		return v
	}

	env := Environment(get("environment"))
	if env == "" {
		env = DefaultEnvironment
	}
	if _, ok := profiles[env]; !ok {
		c.addf("environment", env, "must be one of %s", joinEnvs())
	}
	cfg := defaultsFor(env)
	cfg.Project, cfg.Stack = project, stack
	cfg.Region, _ = src(RegionKey)
	cfg.Domain = get("domain")
	cfg.Owner = get("owner")
	cfg.CostCenter = get("costCenter")

	if raw := get("allowDestroy"); raw != "" {
		b, err := strconv.ParseBool(raw)
		if err != nil || (raw != "true" && raw != "false") {
			c.addf("allowDestroy", raw, "must be true or false")
		}
		cfg.AllowDestroy = b
	}
	decodeObject(c, "tags", get("tags"), &cfg.ExtraTags)
	decodeObject(c, "network", get("network"), &cfg.Network)
	decodeObject(c, "logs", get("logs"), &cfg.Logs)
	decodeObject(c, "keys", get("keys"), &cfg.Keys)
	decodeObject(c, "app", get("app"), &cfg.App)
	decodeObject(c, "search", get("search"), &cfg.Search)
	decodeObject(c, "storage", get("storage"), &cfg.Storage)
	decodeObject(c, "messaging", get("messaging"), &cfg.Messaging)
	decodeObject(c, "database", get("database"), &cfg.Database)
	decodeObject(c, "morpheus", get("morpheus"), &cfg.Morpheus)
	decodeObject(c, "nodePackages", get("nodePackages"), &cfg.NodePackages)
	decodeObject(c, "alerts", get("alerts"), &cfg.Alerts)
	decodeObject(c, "loadBalancer", get("loadBalancer"), &cfg.LoadBalancer)
	decodeObject(c, "ops", get("ops"), &cfg.Ops)
	decodeObject(c, "backup", get("backup"), &cfg.Backup)
	decodeObject(c, "maintenance", get("maintenance"), &cfg.Maintenance)
	decodeObject(c, "security", get("security"), &cfg.Security)
	decodeObject(c, "cost", get("cost"), &cfg.Cost)
	decodeObject(c, "drills", get("drills"), &cfg.Drills)
	decodeObject(c, "restore", get("restore"), &cfg.Restore)

	validate(&cfg, c)
	if err := c.err(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// UnknownKeys returns the keys of the project's namespace that the program does
// not read, as field errors, sorted.
func UnknownKeys(project string, keys []string) Errors {
	known := map[string]bool{}
	for _, k := range ProjectKeys {
		known[k] = true
	}
	var out Errors
	for _, full := range keys {
		ns, key, ok := strings.Cut(full, ":")
		if !ok || ns != project || known[key] {
			continue
		}
		out = append(out, FieldError{Key: full, Rule: "unknown key (a typo?); known keys are " + strings.Join(ProjectKeys, ", ")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// unknownInEnv checks the config the Pulumi engine passed in PULUMI_CONFIG.
func unknownInEnv(project string) error {
	raw := os.Getenv("PULUMI_CONFIG")
	if raw == "" {
		return nil
	}
	var all map[string]any
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		return nil // not ours to judge: the SDK itself parses this variable
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	if unknown := UnknownKeys(project, keys); len(unknown) > 0 {
		return unknown
	}
	return nil
}

// decodeObject strictly decodes a JSON config object into into, which already
// holds the defaults: fields the user leaves out keep them, an unknown field or a
// value of the wrong type is rejected with the field's full key.
func decodeObject(c *collector, key, raw string, into any) {
	if strings.TrimSpace(raw) == "" {
		return
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(into)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		if path, want, found := miscasedField(raw, reflect.TypeOf(into)); found {
			c.addf(key+"."+path, fieldValue(raw, path), "unknown field; did you mean %q? (field names are case-sensitive)", want)
		}
		return
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		c.addf(key+"."+typeErr.Field, fieldValue(raw, typeErr.Field), "must be of type %s", jsonKind(typeErr.Type))
	case errors.As(err, &typeErr):
		c.addf(key, raw, "must be an object of %s", jsonKind(typeErr.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		path, value, allowed := field, fieldValue(raw, field), jsonFields(into)
		if p, v, a, ok := unknownField(raw, reflect.TypeOf(into), field); ok {
			path, value, allowed = p, v, a
		}
		c.addf(key+"."+path, value, "unknown field; allowed fields are %s", strings.Join(allowed, ", "))
	default:
		c.addf(key, raw, "must be a JSON object (%v)", err)
	}
}

// fieldValue extracts one field of a raw object for an error message.
func fieldValue(raw, field string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &m) != nil {
		return raw
	}
	return strings.Trim(string(m[field]), `"`)
}

// jsonFields lists the json names of a struct's fields (for "allowed fields").
func jsonFields(v any) []string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return []string{"any string key"}
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// jsonKind names a Go type the way a YAML or JSON author thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Map:
		return jsonKind(t.Elem()) + " values"
	}
	return t.String()
}

func joinEnvs() string {
	s := make([]string, len(Environments))
	for i, e := range Environments {
		s[i] = string(e)
	}
	return strings.Join(s, ", ")
}
