package userdata

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceKeys are the morpheus.rb keys of the reference
// (morpheus-docs 8.0.7 getting_started/additional/morpheusRb.rst and the vendor's Amazon MQ and Aurora guides), in its order, plus
// rabbitmq['heartbeat'], which every external-broker example sets, and
// elasticsearch['replica_count'], which the vendor's OpenSearch guide sets for
// multi-AZ domains (§3 "More keys").
var referenceKeys = []string{
	"appliance_url",
	"mysql['enable']",
	"mysql['host']",
	"mysql['morpheus_db']",
	"mysql['morpheus_db_user']",
	"mysql['morpheus_password']",
	"mysql['use_tls']",
	"rabbitmq['enable']",
	"rabbitmq['host']",
	"rabbitmq['port']",
	"rabbitmq['vhost']",
	"rabbitmq['queue_user']",
	"rabbitmq['queue_user_password']",
	"rabbitmq['use_tls']",
	"rabbitmq['heartbeat']",
	"elasticsearch['enable']",
	"elasticsearch['cluster']",
	"elasticsearch['es_hosts']",
	"elasticsearch['use_tls']",
	"elasticsearch['auth_user']",
	"elasticsearch['auth_password']",
	"elasticsearch['replica_count']",
	"user['uid']",
	"user['gid']",
	"node.default['morpheus_solo']['local_user']['uid']",
	"node.default['morpheus_solo']['local_user']['gid']",
	"guacd['uid']",
	"guacd['gid']",
}

// rbStatement splits a morpheus.rb line into its key: `key = value` or the
// `appliance_url 'value'` call.
var rbStatement = regexp.MustCompile(`^(appliance_url) |^(\S+) = `)

// keysOf lists the keys a morpheus.rb text assigns, in order.
func keysOf(t *testing.T, rb string) []string {
	t.Helper()
	var keys []string
	for _, line := range strings.Split(strings.TrimSuffix(rb, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		m := rbStatement.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("unexpected morpheus.rb line %q", line)
		}
		keys = append(keys, m[1]+m[2])
	}
	return keys
}

func TestMorpheusRBKeysMatchReference(t *testing.T) {
	if got := MorpheusRBKeys(); !slices.Equal(got, referenceKeys) {
		t.Errorf("MorpheusRBKeys() =\n%q\nwant\n%q", got, referenceKeys)
	}
	for name, params := range fixtures {
		rb, err := MorpheusRBTemplate(params())
		if err != nil {
			t.Fatal(err)
		}
		if got := keysOf(t, rb); !slices.Equal(got, referenceKeys) {
			t.Errorf("%s template keys =\n%q\nwant\n%q", name, got, referenceKeys)
		}
	}
}

func TestMorpheusRBTemplateNamesSources(t *testing.T) {
	p := prodParams()
	rb, err := MorpheusRBTemplate(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"appliance_url 'https://morpheus.example.com'\n",
		"mysql['host'] = { '<from Parameter Store: /morpheus-ha/prod/db/endpoint>' => <from Parameter Store: /morpheus-ha/prod/db/port> }\n",
		"mysql['morpheus_password'] = '<from Secrets Manager: /morpheus-ha/prod/db-morpheus (password)>'\n",
		"rabbitmq['queue_user'] = '<from Secrets Manager: /morpheus-ha/prod/mq-morpheus (username)>'\n",
		"elasticsearch['es_hosts'] = { '<from Parameter Store: /morpheus-ha/prod/search/endpoint>' => 443 }\n",
		"elasticsearch['auth_password'] = '<from Secrets Manager: /morpheus-ha/prod/opensearch-morpheus (password)>'\n",
		"mysql['use_tls'] = true\n", "rabbitmq['use_tls'] = true\n", "elasticsearch['use_tls'] = true\n",
		"user['uid'] = 899\n", "node.default['morpheus_solo']['local_user']['gid'] = 898\n", "guacd['gid'] = 894\n",
	} {
		if !strings.Contains(rb, want) {
			t.Errorf("template lacks %q", want)
		}
	}

	p.IDs = IDs{App: 700, Local: 701, Guacd: 702}
	rb, err = MorpheusRBTemplate(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"user['gid'] = 700\n", "node.default['morpheus_solo']['local_user']['uid'] = 701\n", "guacd['uid'] = 702\n"} {
		if !strings.Contains(rb, want) {
			t.Errorf("pinned IDs not applied: lacks %q", want)
		}
	}
}
