package userdata

import (
	"encoding/json"
	"fmt"
	"strings"
)

// morpheus.rb is described once, as data (rbSpec), and rendered twice: on the
// node by the jq program in scripts/morpheus-rb.jq, which reads the secrets and
// parameters, and here by MorpheusRBTemplate with placeholders for the offline
// plan. Both therefore write the same keys in the same order.

// Kinds of rbValue.
const (
	rbLiteral  = "literal"  // Ruby source computed here (booleans, integers, quoted non-secret strings)
	rbSecret   = "secret"   // a field of a secret's JSON, as a Ruby string
	rbParam    = "param"    // a parameter's value, as a Ruby string
	rbHostPort = "hostport" // { '<host parameter>' => <port parameter or fixed port> }
)

// Checks the render script applies to a parameter value before writing it.
const (
	checkHost = "host" // a bare DNS name: no scheme, port or path
	checkPort = "port" // 1-5 digits
)

// Secret slots: the render script fetches Secrets.DB/MQ/Search into these.
const (
	slotDB     = "db"
	slotMQ     = "mq"
	slotSearch = "search"
)

// rbValue is the right-hand side of one morpheus.rb line.
type rbValue struct {
	Kind      string `json:"kind"`
	Ruby      string `json:"ruby,omitempty"`
	Slot      string `json:"slot,omitempty"`
	Field     string `json:"field,omitempty"`
	Param     string `json:"param,omitempty"`
	Check     string `json:"check,omitempty"`
	PortParam string `json:"port_param,omitempty"`
	Port      int    `json:"port,omitempty"`
}

// rbLine is one morpheus.rb statement: `key = value`, or `key value` for the
// appliance_url method call.
type rbLine struct {
	Key   string  `json:"key"`
	Call  bool    `json:"call,omitempty"`
	Value rbValue `json:"value"`
}

// rbSpec is the whole file; the render script receives it as JSON.
type rbSpec struct {
	Header []string `json:"header"`
	// Secrets maps each slot to its secret id, for error messages.
	Secrets map[string]string `json:"secrets"`
	Lines   []rbLine          `json:"lines"`
}

// rbHeader opens the rendered file (and the template).
var rbHeader = []string{
	"# Managed by " + RenderScriptPath + " from Secrets Manager and Parameter Store.",
	"# Local edits are overwritten by the next render (boot or node refresh).",
}

func literal(ruby string) rbValue { return rbValue{Kind: rbLiteral, Ruby: ruby} }

func secret(slot, field string) rbValue { return rbValue{Kind: rbSecret, Slot: slot, Field: field} }

func param(name, check string) rbValue { return rbValue{Kind: rbParam, Param: name, Check: check} }

// buildRBSpec lists the reference keys (morpheus-docs 8.0.7 getting_started/additional/morpheusRb.rst) with where each value
// comes from. p must have defaults applied.
func buildRBSpec(p Params) rbSpec {
	ps := p.Parameters
	id := func(n int) rbValue { return literal(fmt.Sprint(n)) }
	t, f := literal("true"), literal("false")
	secrets := map[string]string{slotDB: p.Secrets.DB, slotMQ: p.Secrets.MQ, slotSearch: p.Secrets.Search}
	return rbSpec{Header: rbHeader, Secrets: secrets, Lines: []rbLine{
		{Key: "appliance_url", Call: true, Value: literal(rubyQuote(p.ApplianceURL))},

		{Key: "mysql['enable']", Value: f},
		{Key: "mysql['host']", Value: rbValue{Kind: rbHostPort, Param: ps.DBEndpoint, PortParam: ps.DBPort}},
		{Key: "mysql['morpheus_db']", Value: param(ps.DBName, "")},
		{Key: "mysql['morpheus_db_user']", Value: secret(slotDB, "username")},
		{Key: "mysql['morpheus_password']", Value: secret(slotDB, "password")},
		{Key: "mysql['use_tls']", Value: t},

		{Key: "rabbitmq['enable']", Value: f},
		{Key: "rabbitmq['host']", Value: param(ps.MQHost, checkHost)},
		{Key: "rabbitmq['port']", Value: param(ps.MQPort, checkPort)},
		{Key: "rabbitmq['vhost']", Value: param(ps.MQVhost, "")},
		{Key: "rabbitmq['queue_user']", Value: secret(slotMQ, "username")},
		{Key: "rabbitmq['queue_user_password']", Value: secret(slotMQ, "password")},
		{Key: "rabbitmq['use_tls']", Value: t},
		{Key: "rabbitmq['heartbeat']", Value: literal("50")},

		{Key: "elasticsearch['enable']", Value: f},
		{Key: "elasticsearch['cluster']", Value: param(ps.SearchDomain, "")},
		{Key: "elasticsearch['es_hosts']", Value: rbValue{Kind: rbHostPort, Param: ps.SearchEndpoint, Port: 443}},
		{Key: "elasticsearch['use_tls']", Value: t},
		{Key: "elasticsearch['auth_user']", Value: secret(slotSearch, "username")},
		{Key: "elasticsearch['auth_password']", Value: secret(slotSearch, "password")},
		// Replicas spread over the data nodes' AZs, so an AZ loss leaves a
		// copy of every shard (the domain stays yellow, not red).
		{Key: "elasticsearch['replica_count']", Value: literal(fmt.Sprint(p.SearchReplicas))},

		{Key: "user['uid']", Value: id(p.IDs.App)},
		{Key: "user['gid']", Value: id(p.IDs.App)},
		{Key: "node.default['morpheus_solo']['local_user']['uid']", Value: id(p.IDs.Local)},
		{Key: "node.default['morpheus_solo']['local_user']['gid']", Value: id(p.IDs.Local)},
		{Key: "guacd['uid']", Value: id(p.IDs.Guacd)},
		{Key: "guacd['gid']", Value: id(p.IDs.Guacd)},
	}}
}

// specJSON is the spec as the render script's jq program reads it, indented
// for whoever reads the script on a node.
func (s rbSpec) specJSON() (string, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return "", fmt.Errorf("userdata: encoding morpheus.rb spec: %w", err)
	}
	return string(b), nil
}

// MorpheusRBKeys lists, in file order, the morpheus.rb keys the render script
// writes (appliance_url, mysql['enable'], ...).
func MorpheusRBKeys() []string {
	spec := buildRBSpec(Params{}.withDefaults())
	keys := make([]string, len(spec.Lines))
	for i, l := range spec.Lines {
		keys[i] = l.Key
	}
	return keys
}

// MorpheusRBTemplate renders morpheus.rb as a node would write it, with each
// value read at boot shown as a placeholder naming its source, e.g.
// '<from Secrets Manager: /morpheus-ha/prod/db-morpheus (password)>'. It holds no
// secret and is meant for humans (the offline plan).
func MorpheusRBTemplate(p Params) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	p = p.withDefaults()
	fromParam := func(name string) string { return "<from Parameter Store: " + name + ">" }

	spec := buildRBSpec(p)
	secretIDs := spec.Secrets
	var b strings.Builder
	for _, h := range spec.Header {
		b.WriteString(h + "\n")
	}
	for _, l := range spec.Lines {
		var v string
		switch l.Value.Kind {
		case rbLiteral:
			v = l.Value.Ruby
		case rbSecret:
			v = rubyQuote(fmt.Sprintf("<from Secrets Manager: %s (%s)>", secretIDs[l.Value.Slot], l.Value.Field))
		case rbParam:
			v = rubyQuote(fromParam(l.Value.Param))
		case rbHostPort:
			port := fmt.Sprint(l.Value.Port)
			if l.Value.PortParam != "" {
				port = fromParam(l.Value.PortParam)
			}
			v = "{ " + rubyQuote(fromParam(l.Value.Param)) + " => " + port + " }"
		default:
			return "", fmt.Errorf("userdata: morpheus.rb key %s has unknown value kind %q", l.Key, l.Value.Kind)
		}
		if l.Call {
			b.WriteString(l.Key + " " + v + "\n")
		} else {
			b.WriteString(l.Key + " = " + v + "\n")
		}
	}
	return b.String(), nil
}
