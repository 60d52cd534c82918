package userdata

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSecret is a fixture secret value; the values are deliberately hostile to
// quoting (quotes, backslashes, interpolation, non-ASCII).
type fakeSecret struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// fakeSecrets are keyed by slot (db, mq, search).
var fakeSecrets = map[string]fakeSecret{
	slotDB:     {Username: "db_Us3r'x", Password: `p'a"ss\w0rd\\' #{` + "`id`" + `} \`},
	slotMQ:     {Username: `mq_Us3r\`, Password: `'; system('id'); '\'` + "\\'"},
	slotSearch: {Username: "search_Us3r", Password: "pässwörd€ $(id) \\\\ ' end"},
}

// fakeParameterValues are the Parameter Store values for the prod fixture.
func fakeParameterValues(p Parameters) map[string]string {
	return map[string]string{
		p.DBEndpoint:     "morpheus-ha-prod.cluster-abc123.eu-west-1.rds.amazonaws.com",
		p.DBPort:         "3306",
		p.DBName:         "morpheus",
		p.MQHost:         "b-1234abcd.mq.eu-west-1.amazonaws.com",
		p.MQPort:         "5671",
		p.MQVhost:        "morpheus",
		p.SearchEndpoint: "vpc-morpheus-ha-prod-abc123.eu-west-1.es.amazonaws.com",
		p.SearchDomain:   "morpheus-ha-prod",
	}
}

// Stubs put first on PATH. Every call is appended to $FAKE_DIR/calls, so tests
// can check order and arguments.
const (
	fakeAWS = `#!/bin/bash
set -euo pipefail
printf 'aws[%s] %s\n' "${AWS_DEFAULT_REGION:-}" "$*" >>"$FAKE_DIR/calls"
case "$1 $2" in
  "secretsmanager get-secret-value")
    id=""
    while [ $# -gt 0 ]; do
      if [ "$1" = --secret-id ]; then id=$2; fi
      shift
    done
    file="$FAKE_DIR/secrets/${id//\//_}"
    if [ ! -f "$file" ]; then
      echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation" >&2
      exit 254
    fi
    cat "$file"
    printf '\n'
    ;;
  "ssm get-parameters") cat "$FAKE_DIR/parameters.json" ;;
  "ssm get-parameter")
    if [ ! -f "$FAKE_DIR/ready" ]; then
      echo "An error occurred (ParameterNotFound) when calling the GetParameter operation" >&2
      exit 254
    fi
    cat "$FAKE_DIR/ready"
    ;;
  "autoscaling record-lifecycle-action-heartbeat") ;;
  "autoscaling describe-auto-scaling-instances") echo fake-asg ;;
  "autoscaling complete-lifecycle-action") ;;
  *)
    echo "fake aws: unexpected call: $*" >&2
    exit 2
    ;;
esac
`
	fakeCurl = `#!/bin/bash
printf 'curl %s\n' "$*" >>"$FAKE_DIR/calls"
case "$*" in
  *latest/api/token*) printf fake-token ;;
  *meta-data/instance-id*) printf i-0123456789abcdef0 ;;
  *meta-data/autoscaling/target-lifecycle-state*) cat "$FAKE_DIR/lifecycle-state" ;;
  *)
    echo "fake curl: unexpected call: $*" >&2
    exit 7
    ;;
esac
`
	fakeRecorder = `#!/bin/bash
printf '%s %s\n' "${0##*/}" "$*" >>"$FAKE_DIR/calls"
`
	// fakeRefuse stands in for commands that change the machine; a test that
	// reaches one has gone wrong, and must not touch the host running it.
	fakeRefuse = `#!/bin/bash
printf 'REFUSED %s %s\n' "${0##*/}" "$*" >>"$FAKE_DIR/calls"
exit 99
`
	fakeSystemctl = `#!/bin/bash
printf 'systemctl %s\n' "$*" >>"$FAKE_DIR/calls"
exit 3
`
	fakeGetentNoHosts = `#!/bin/bash
printf 'getent %s\n' "$*" >>"$FAKE_DIR/calls"
exit 2
`
)

// fakeNode is a temp directory with stubs and fixture data.
type fakeNode struct {
	t   *testing.T
	dir string
	bin string
}

func newFakeNode(t *testing.T) *fakeNode {
	t.Helper()
	dir := t.TempDir()
	n := &fakeNode{t: t, dir: dir, bin: filepath.Join(dir, "bin")}
	for _, d := range []string{n.bin, filepath.Join(dir, "secrets")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	n.stub("aws", fakeAWS)
	n.stub("curl", fakeCurl)
	n.stub("morpheus-ctl", fakeRecorder)
	n.stub("systemctl", fakeSystemctl)
	for _, cmd := range []string{"apt-get", "dnf", "groupadd", "useradd", "mount", "setenforce", "unzip"} {
		n.stub(cmd, fakeRefuse)
	}
	n.write("lifecycle-state", "InService")
	n.write("calls", "")
	return n
}

func (n *fakeNode) stub(name, script string) {
	n.t.Helper()
	if err := os.WriteFile(filepath.Join(n.bin, name), []byte(script), 0o755); err != nil {
		n.t.Fatal(err)
	}
}

func (n *fakeNode) write(rel, content string) {
	n.t.Helper()
	if err := os.WriteFile(filepath.Join(n.dir, rel), []byte(content), 0o600); err != nil {
		n.t.Fatal(err)
	}
}

// setSecret stores the SecretString the fake returns for id.
func (n *fakeNode) setSecret(id, secretString string) {
	n.write(filepath.Join("secrets", strings.ReplaceAll(id, "/", "_")), secretString)
}

// setSecretJSON stores s as the JSON value of secret id.
func (n *fakeNode) setSecretJSON(id string, s any) {
	b, err := json.Marshal(s)
	if err != nil {
		n.t.Fatal(err)
	}
	n.setSecret(id, string(b))
}

// setParameters stores the get-parameters response for values, listing names
// in missing as invalid.
func (n *fakeNode) setParameters(values map[string]string, missing ...string) {
	type param struct{ Name, Type, Value string }
	resp := struct {
		Parameters        []param
		InvalidParameters []string
	}{InvalidParameters: append([]string{}, missing...)}
	for name, v := range values {
		resp.Parameters = append(resp.Parameters, param{Name: name, Type: "String", Value: v})
	}
	b, err := json.Marshal(resp)
	if err != nil {
		n.t.Fatal(err)
	}
	n.write("parameters.json", string(b))
}

// run executes script under bash with the stubs first on PATH.
func (n *fakeNode) run(script string, env ...string) (stderr string, err error) {
	n.t.Helper()
	return n.exec(script, nil, env)
}

// runArgs executes script with args, as run does.
func (n *fakeNode) runArgs(script string, args ...string) (stderr string, err error) {
	n.t.Helper()
	return n.exec(script, args, nil)
}

func (n *fakeNode) exec(script string, args, env []string) (stderr string, err error) {
	n.t.Helper()
	file := filepath.Join(n.dir, "script")
	if err := os.WriteFile(file, []byte(script), 0o755); err != nil {
		n.t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{file}, args...)...)
	cmd.Env = append(os.Environ(),
		"PATH="+n.bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_DIR="+n.dir,
		"MORPHEUS_NODE_LOG="+filepath.Join(n.dir, "node.log"),
		"LC_ALL=C.UTF-8",
	)
	cmd.Env = append(cmd.Env, env...)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	cmd.Stdout = &errBuf
	err = cmd.Run()
	return errBuf.String(), err
}

// calls returns the recorded stub calls, one per line.
func (n *fakeNode) calls() []string {
	n.t.Helper()
	b, err := os.ReadFile(filepath.Join(n.dir, "calls"))
	if err != nil {
		n.t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// nodeLog returns the scripts' log file.
func (n *fakeNode) nodeLog() string {
	b, _ := os.ReadFile(filepath.Join(n.dir, "node.log"))
	return string(b)
}
