package configdoc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

// project is the namespace the defaults are parsed in; any name works, since
// defaults do not depend on it.
const project = "morpheus-ha"

// sha is a well-formed checksum for the keys that must be set.
const sha = "0000000000000000000000000000000000000000000000000000000000000000"

// minimal holds, per environment, the smallest set of leaf keys config.Parse
// accepts. Each is set only because the program refuses to run without it;
// requiredness is then measured, not declared: a key is "required" in an
// environment when Parse fails without it.
func minimal(env config.Environment) map[string]any {
	m := map[string]any{
		"aws:region":                          "eu-west-1",
		"domain":                              "morpheus.example.com",
		"owner":                               "team",
		"costCenter":                          "cc",
		"morpheus.packageUrl":                 "https://example.com/morpheus-appliance_" + config.DefaultMorpheusVersion + "-1_amd64.deb",
		"morpheus.packageSha256":              sha,
		"nodePackages.awsCli.url":             "https://example.com/awscli.zip",
		"nodePackages.awsCli.sha256":          sha,
		"nodePackages.efsUtils.url":           "https://example.com/amazon-efs-utils.deb",
		"nodePackages.efsUtils.sha256":        sha,
		"nodePackages.cloudWatchAgent.url":    "https://example.com/amazon-cloudwatch-agent.deb",
		"nodePackages.cloudWatchAgent.sha256": sha,
		"loadBalancer.hostedZoneId":           "Z0EXAMPLE",
		"loadBalancer.setupCidrs":             []string{"203.0.113.0/24"},
	}
	if env == config.Prod {
		m["alerts.emails"] = []string{"ops@example.com"}
		m["backup.drRegion"] = "eu-central-1"
		m["backup.breakGlassRoleArns"] = []string{"arn:aws:iam::123456789012:role/break-glass"}
		m["network.azNames"] = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
		m["security.breakGlassRoleArns"] = []string{"arn:aws:iam::123456789012:role/deployer"}
	}
	return m
}

// defaults is what Parse fills in for every environment.
type defaults struct {
	// full is the parsed minimal configuration of each environment.
	full map[config.Environment]*config.Config
	// unset is the configuration parsed without an environment, whose
	// environment is the default one.
	unset *config.Config
	// without is, per environment and minimal key, the configuration parsed
	// without that key, or nil when Parse then fails (the key is required).
	without map[config.Environment]map[string]*config.Config
}

func envDefaults() (*defaults, error) {
	d := &defaults{full: map[config.Environment]*config.Config{}, without: map[config.Environment]map[string]*config.Config{}}
	var err error
	if d.unset, err = parse("", minimal(config.DefaultEnvironment)); err != nil {
		return nil, fmt.Errorf("configdoc: the minimal configuration without an environment no longer parses: %w", err)
	}
	for _, env := range config.Environments {
		leaves := minimal(env)
		cfg, err := parse(env, leaves)
		if err != nil {
			return nil, fmt.Errorf("configdoc: the minimal %s configuration no longer parses (set what is now required in minimal()): %w", env, err)
		}
		d.full[env] = cfg
		d.without[env] = map[string]*config.Config{}
		for key := range leaves {
			rest := map[string]any{}
			for k, v := range leaves {
				if k != key {
					rest[k] = v
				}
			}
			cfg, err := parse(env, rest)
			if err != nil {
				cfg = nil
			}
			d.without[env][key] = cfg
		}
	}
	return d, nil
}

// parse runs config.Parse on leaf keys in env ("" leaves environment unset), nesting dotted keys into the JSON
// objects the engine passes.
func parse(env config.Environment, leaves map[string]any) (*config.Config, error) {
	values := map[string]string{}
	if env != "" {
		values[project+":environment"] = string(env)
	}
	objects := map[string]map[string]any{}
	for key, v := range leaves {
		if strings.Contains(key, ":") {
			values[key] = fmt.Sprint(v)
			continue
		}
		parts := strings.Split(key, ".")
		if len(parts) == 1 {
			values[project+":"+key] = fmt.Sprint(v)
			continue
		}
		obj := objects[parts[0]]
		if obj == nil {
			obj = map[string]any{}
			objects[parts[0]] = obj
		}
		for _, p := range parts[1 : len(parts)-1] {
			next, _ := obj[p].(map[string]any)
			if next == nil {
				next = map[string]any{}
				obj[p] = next
			}
			obj = next
		}
		obj[parts[len(parts)-1]] = v
	}
	for key, obj := range objects {
		b, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		values[project+":"+key] = string(b)
	}
	return config.Parse(project, "docs", func(key string) (string, bool) {
		v, ok := values[key]
		return v, ok
	})
}

// render describes the default of the field at Go path index (key name) in
// every environment, collapsing equal values: "`10.40.0.0/16`",
// "1 in dev, 3 otherwise", "14 in dev, 30 in staging, 90 in prod".
func (d *defaults) render(name string, index []int) string {
	if name == "environment" {
		// Each environment's own run sets it; the default is what an unset
		// key becomes.
		return value(reflect.ValueOf(*d.unset).FieldByIndex(index))
	}
	per := make([]string, len(config.Environments))
	for i, env := range config.Environments {
		cfg, set := d.full[env], false
		if without, ok := d.without[env][name]; ok {
			cfg, set = without, true
		}
		switch {
		case set && cfg == nil:
			per[i] = "required"
		default:
			per[i] = value(reflect.ValueOf(*cfg).FieldByIndex(index))
		}
	}
	return collapse(per)
}

// collapse joins per-environment renderings (in config.Environments order:
// dev, staging, prod).
func collapse(per []string) string {
	dev, staging, prod := per[0], per[1], per[2]
	switch {
	case dev == staging && staging == prod:
		return dev
	case staging == prod:
		return dev + " in dev, " + prod + " otherwise"
	case dev == staging:
		return dev + ", " + prod + " in prod"
	}
	return dev + " in dev, " + staging + " in staging, " + prod + " in prod"
}

// value renders one default as a user would write it (JSON for lists and
// maps, whose keys encoding/json sorts).
func value(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return "none"
		}
		return "`" + v.String() + "`"
	case reflect.Bool:
		return fmt.Sprintf("`%t`", v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64:
		return fmt.Sprint(v.Interface())
	case reflect.Slice:
		if v.Len() == 0 {
			return "`[]`"
		}
	case reflect.Map:
		if v.Len() == 0 {
			return "`{}`"
		}
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Sprint(v.Interface())
	}
	return "`" + string(b) + "`"
}
