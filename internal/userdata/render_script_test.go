package userdata

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// rubyLoader evaluates a morpheus.rb the way Chef would see its assignments and
// prints them as JSON: mysql[...] etc. are auto-vivifying hashes, appliance_url
// is a method call, node.default[...] lands under "node_default".
const rubyLoader = `
require 'json'
def autoviv; Hash.new { |h, k| h[k] = Hash.new(&h.default_proc) }; end
$cfg = autoviv
%w[mysql rabbitmq elasticsearch user guacd].each do |name|
  Object.send(:define_method, name) { $cfg[name] }
end
def appliance_url(value); $cfg['appliance_url'] = value; end
Node = Struct.new(:default)
def node; Node.new($cfg['node_default']); end
load ARGV[0]
print JSON.generate($cfg)
`

// renderScript returns the render script of p's user data.
func renderScript(t *testing.T, p Params) string {
	t.Helper()
	_, cc := mustCloudConfig(t, p)
	return fileAt(t, cc, RenderScriptPath).Content
}

// nodeWithFixtures is a fake node holding prodParams' secrets and parameters.
func nodeWithFixtures(t *testing.T, p Params) *fakeNode {
	t.Helper()
	n := newFakeNode(t)
	n.setSecretJSON(p.Secrets.DB, fakeSecrets[slotDB])
	n.setSecretJSON(p.Secrets.MQ, fakeSecrets[slotMQ])
	n.setSecretJSON(p.Secrets.Search, fakeSecrets[slotSearch])
	n.setParameters(fakeParameterValues(p.Parameters))
	return n
}

// assertNoSecretIn fails when any fixture secret value appears in text.
func assertNoSecretIn(t *testing.T, what, text string, extra ...string) {
	t.Helper()
	values := slices.Clone(extra)
	for _, s := range fakeSecrets {
		values = append(values, s.Password)
	}
	for _, v := range values {
		if strings.Contains(text, v) {
			t.Errorf("%s contains secret value %q", what, v)
		}
	}
}

func TestRenderScriptWritesMorpheusRB(t *testing.T) {
	testutil.RequireTool(t, "jq")
	ruby := testutil.RequireTool(t, "ruby")
	p := prodParams()
	n := nodeWithFixtures(t, p)
	rbPath := filepath.Join(n.dir, "etc", "morpheus", "morpheus.rb")

	out, err := n.run(renderScript(t, p), "MORPHEUS_RB="+rbPath)
	if err != nil {
		t.Fatalf("render script: %v\n%s", err, out)
	}

	info, err := os.Stat(rbPath)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("morpheus.rb mode = %v, want 0600", info.Mode().Perm())
	}
	leftovers, _ := filepath.Glob(rbPath + ".*")
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	rb, err := os.ReadFile(rbPath)
	if err != nil {
		t.Fatal(err)
	}
	if got := keysOf(t, string(rb)); !slices.Equal(got, referenceKeys) {
		t.Errorf("rendered keys =\n%q\nwant\n%q", got, referenceKeys)
	}

	if out, err := exec.Command(ruby, "-c", rbPath).CombinedOutput(); err != nil {
		t.Fatalf("ruby -c: %v\n%s\n%s", err, out, rb)
	}
	cmd := exec.Command(ruby, "-e", rubyLoader, rbPath)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	loaded, err := cmd.Output()
	if err != nil {
		t.Fatalf("loading morpheus.rb in ruby: %v\n%s", err, rb)
	}
	var got map[string]any
	if err := json.Unmarshal(loaded, &got); err != nil {
		t.Fatal(err)
	}
	values := fakeParameterValues(p.Parameters)
	db, mq, search := fakeSecrets[slotDB], fakeSecrets[slotMQ], fakeSecrets[slotSearch]
	want := map[string]any{
		"appliance_url": p.ApplianceURL,
		"mysql": map[string]any{
			"enable":            false,
			"host":              map[string]any{values[p.Parameters.DBEndpoint]: 3306.0},
			"morpheus_db":       "morpheus",
			"morpheus_db_user":  db.Username,
			"morpheus_password": db.Password,
			"use_tls":           true,
		},
		"rabbitmq": map[string]any{
			"enable":              false,
			"host":                values[p.Parameters.MQHost],
			"port":                "5671",
			"vhost":               "morpheus",
			"queue_user":          mq.Username,
			"queue_user_password": mq.Password,
			"use_tls":             true,
			"heartbeat":           50.0,
		},
		"elasticsearch": map[string]any{
			"enable":        false,
			"cluster":       "morpheus-ha-prod",
			"es_hosts":      map[string]any{values[p.Parameters.SearchEndpoint]: 443.0},
			"use_tls":       true,
			"auth_user":     search.Username,
			"auth_password": search.Password,
			"replica_count": float64(p.SearchReplicas),
		},
		"user":         map[string]any{"uid": 899.0, "gid": 899.0},
		"node_default": map[string]any{"morpheus_solo": map[string]any{"local_user": map[string]any{"uid": 898.0, "gid": 898.0}}},
		"guacd":        map[string]any{"uid": 894.0, "gid": 894.0},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("morpheus.rb does not round-trip:\ngot  %s\nwant %s", g, w)
	}

	// Secrets never reach the log, the output, or any command line.
	assertNoSecretIn(t, "script output", out)
	assertNoSecretIn(t, "node log", n.nodeLog())
	calls := strings.Join(n.calls(), "\n")
	assertNoSecretIn(t, "command lines", calls)
	if !strings.Contains(calls, "aws[eu-west-1] ssm get-parameters --with-decryption") {
		t.Errorf("parameters not read with decryption in the stack's region:\n%s", calls)
	}
	if !strings.Contains(n.nodeLog(), "wrote "+rbPath+" (mode 0600)") {
		t.Errorf("node log lacks the render step:\n%s", n.nodeLog())
	}

	// Re-running (node refresh) gives the same file.
	if out, err := n.run(renderScript(t, p), "MORPHEUS_RB="+rbPath); err != nil {
		t.Fatalf("second render: %v\n%s", err, out)
	}
	again, _ := os.ReadFile(rbPath)
	if string(again) != string(rb) {
		t.Error("a second render wrote a different morpheus.rb")
	}
}

func TestRenderScriptFailsClosed(t *testing.T) {
	testutil.RequireTool(t, "jq")
	p := prodParams()
	ps := p.Parameters
	cases := []struct {
		name    string
		arrange func(n *fakeNode)
		want    string // in the script's output
		secret  string // a value that must not leak
	}{
		{"missing parameter", func(n *fakeNode) {
			v := fakeParameterValues(ps)
			delete(v, ps.DBPort)
			n.setParameters(v, ps.DBPort)
		}, "parameters not found: " + ps.DBPort, ""},
		{"endpoint with scheme", func(n *fakeNode) {
			v := fakeParameterValues(ps)
			v[ps.SearchEndpoint] = "https://vpc-x.eu-west-1.es.amazonaws.com"
			n.setParameters(v)
		}, "parameter " + ps.SearchEndpoint + " must be a bare host name", ""},
		{"port with leading zero", func(n *fakeNode) {
			v := fakeParameterValues(ps)
			v[ps.DBPort] = "03306"
			n.setParameters(v)
		}, "parameter " + ps.DBPort + " must be a port number", ""},
		{"secret not JSON", func(n *fakeNode) {
			n.setSecret(p.Secrets.DB, "not-json-S3CRET-value")
		}, "", "not-json-S3CRET-value"},
		{"secret without password", func(n *fakeNode) {
			n.setSecretJSON(p.Secrets.MQ, map[string]string{"username": "u"})
		}, "secret " + p.Secrets.MQ + " has no non-empty string field password", ""},
		{"password with a newline", func(n *fakeNode) {
			n.setSecretJSON(p.Secrets.Search, fakeSecret{Username: "u", Password: "first\nS3CRET-second"})
		}, "secret " + p.Secrets.Search + " field password contains a control character", "S3CRET-second"},
		{"secret does not exist", func(n *fakeNode) {
			if err := os.Remove(filepath.Join(n.dir, "secrets", strings.ReplaceAll(p.Secrets.DB, "/", "_"))); err != nil {
				t.Fatal(err)
			}
		}, "ResourceNotFoundException", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := nodeWithFixtures(t, p)
			c.arrange(n)
			rbPath := filepath.Join(n.dir, "morpheus.rb")
			const previous = "# the previous, working morpheus.rb\n"
			if err := os.WriteFile(rbPath, []byte(previous), 0o600); err != nil {
				t.Fatal(err)
			}

			out, err := n.run(renderScript(t, p), "MORPHEUS_RB="+rbPath)
			if err == nil {
				t.Fatalf("render script succeeded:\n%s", out)
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("output lacks %q:\n%s", c.want, out)
			}
			kept, _ := os.ReadFile(rbPath)
			if string(kept) != previous {
				t.Errorf("a failed render replaced morpheus.rb with:\n%s", kept)
			}
			leftovers, _ := filepath.Glob(rbPath + ".*")
			if len(leftovers) > 0 {
				t.Errorf("temporary files left behind: %v", leftovers)
			}
			var extra []string
			if c.secret != "" {
				extra = append(extra, c.secret)
			}
			assertNoSecretIn(t, "script output", out, extra...)
			assertNoSecretIn(t, "node log", n.nodeLog(), extra...)
		})
	}
}

func TestRenderScriptFetchesTheNamedSecrets(t *testing.T) {
	p := prodParams()
	script := renderScript(t, p)
	for slot, id := range map[string]string{slotDB: p.Secrets.DB, slotMQ: p.Secrets.MQ, slotSearch: p.Secrets.Search} {
		if !strings.Contains(script, "fetch_secret "+slot+" '"+id+"'\n") {
			t.Errorf("render script does not fetch %s into slot %s", id, slot)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fakeParameterValues(p.Parameters))) {
		if !strings.Contains(script, "'"+name+"' \\\n") {
			t.Errorf("render script does not read parameter %s", name)
		}
	}
}
