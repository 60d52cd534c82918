package userdata

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestGolden(t *testing.T) {
	for name, params := range fixtures {
		t.Run(name, func(t *testing.T) {
			ud, err := Render(params())
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".cloud-config.yaml", plainUserData(t, ud))

			rb, err := MorpheusRBTemplate(params())
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".morpheus.rb", []byte(rb))
		})
	}
}

func TestRenderIsDeterministicAndFitsEC2(t *testing.T) {
	for name, params := range fixtures {
		t.Run(name, func(t *testing.T) {
			first, err := Render(params())
			if err != nil {
				t.Fatal(err)
			}
			second, err := Render(params())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Fatal("two renders of the same Params differ")
			}
			if len(first) > MaxUserDataBytes {
				t.Fatalf("user data is %d bytes, EC2 accepts %d", len(first), MaxUserDataBytes)
			}
			plain, err := RenderCloudConfig(params())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(plainUserData(t, first), plain) {
				t.Fatal("Render does not decompress to RenderCloudConfig")
			}
			if len(plain) > MaxUserDataBytes && !bytes.HasPrefix(first, []byte{0x1f, 0x8b}) {
				t.Fatal("plain text over the limit but Render did not gzip it")
			}
		})
	}
}

func TestPack(t *testing.T) {
	small := []byte("#cloud-config\n")
	got, err := pack(small)
	if err != nil || !bytes.Equal(got, small) {
		t.Fatalf("small user data must stay plain: %q, %v", got, err)
	}

	large := bytes.Repeat([]byte("#cloud-config\nruncmd: []\n"), 2000)
	a, err := pack(large)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pack(large)
	if !bytes.Equal(a, b) {
		t.Fatal("gzip output differs between runs")
	}
	// RFC 1952 header: MTIME (bytes 4-7) zero, FLG (byte 3) without FNAME, so the
	// output depends on the input only.
	if a[3] != 0 || !bytes.Equal(a[4:8], []byte{0, 0, 0, 0}) {
		t.Fatalf("gzip header carries a name or time: % x", a[:10])
	}
	if !bytes.Equal(plainUserData(t, a), large) {
		t.Fatal("gzip does not round-trip")
	}

	noise := make([]byte, 3*MaxUserDataBytes)
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	if _, err := pack(noise); err == nil || !strings.Contains(err.Error(), "even gzipped") {
		t.Fatalf("incompressible oversized user data must fail, got %v", err)
	}
}

func TestUserDataHoldsNoSecretValue(t *testing.T) {
	for name, params := range fixtures {
		t.Run(name, func(t *testing.T) {
			text, _ := mustCloudConfig(t, params())
			rb, err := MorpheusRBTemplate(params())
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range fakeSecrets {
				for _, v := range []string{s.Username, s.Password} {
					if strings.Contains(text, v) || strings.Contains(rb, v) {
						t.Errorf("user data or template contains fixture secret value %q", v)
					}
				}
			}
			// It names the secrets instead.
			p := params()
			for _, id := range []string{p.Secrets.DB, p.Secrets.MQ, p.Secrets.Search} {
				if !strings.Contains(text, id) {
					t.Errorf("user data does not name secret %s", id)
				}
			}
		})
	}
}

func TestCloudConfigLayout(t *testing.T) {
	p := prodParams()
	_, cc := mustCloudConfig(t, p)

	if len(cc.RunCmd) != 1 || !slices.Equal(cc.RunCmd[0], []string{BootstrapScriptPath}) {
		t.Errorf("runcmd = %v, want only the bootstrap", cc.RunCmd)
	}
	for _, path := range []string{BootstrapScriptPath, RenderScriptPath, RefreshScriptPath, TerminationWatchScriptPath} {
		if f := fileAt(t, cc, path); f.Permissions != "0755" || f.Owner != "root:root" {
			t.Errorf("%s: owner %s mode %s, want root:root 0755", path, f.Owner, f.Permissions)
		}
	}
	unit := fileAt(t, cc, systemdUnitDir+TerminationWatchUnit)
	if !strings.Contains(unit.Content, "ExecStart="+TerminationWatchScriptPath+"\n") {
		t.Errorf("unit does not run the watcher:\n%s", unit.Content)
	}

	boot := fileAt(t, cc, BootstrapScriptPath).Content
	// The EFS mount is efs-utils over TLS: the file system policy refuses plain NFS.
	if !strings.Contains(boot, `fstab_line="$fs_id:/ $mount_point efs _netdev,tls,iam,noresvport 0 0"`) {
		t.Error("bootstrap does not write an efs-utils TLS fstab entry")
	}
	for _, want := range []string{
		"set -Eeuo pipefail",
		"trap on_exit EXIT",
		`complete_hook "$launch_hook" ABANDON`,
		`retry 3 complete_hook "$launch_hook" CONTINUE`,
		"fs_param='" + p.Parameters.EFSId + "'",
		`aws ssm get-parameter --with-decryption --name "$fs_param"`,
		"launch_hook='" + p.Hooks.Launch + "'",
		"sha256sum --check --status --strict",
		"-o DPkg::Lock::Timeout=600",
	} {
		if !strings.Contains(boot, want) {
			t.Errorf("bootstrap lacks %q", want)
		}
	}

	// Order matters: accounts before the package, package before the mount, the
	// mount before the first reconfigure (the refresh script), the watcher before
	// CONTINUE.
	assertInOrder(t, boot,
		"ensure_account morpheus-app 899",
		`install_packages "$work/morpheus-appliance$pkg_ext"`,
		`retry 5 mount -- "$mount_point"`,
		"\n"+shellQuoteMust(t, RefreshScriptPath)+"\n",
		"systemctl enable --now "+shellQuoteMust(t, TerminationWatchUnit),
		`retry 3 complete_hook "$launch_hook" CONTINUE`,
	)
	// Checksum before install, for each downloaded package.
	for _, pkg := range []string{"amazon-cloudwatch-agent", "amazon-efs-utils", "morpheus-appliance"} {
		fetch := strings.Index(boot, `"$work/`+pkg+`$pkg_ext"`)
		install := strings.Index(boot, `install_packages "$work/`+pkg+`$pkg_ext"`)
		if fetch < 0 || install < 0 || fetch > install || !strings.Contains(boot[:install], "fetch ") {
			t.Errorf("%s is not fetched (and verified) before it is installed", pkg)
		}
	}

	refresh := fileAt(t, cc, RefreshScriptPath).Content
	if !(strings.Index(refresh, shellQuoteMust(t, RenderScriptPath)) < strings.Index(refresh, "morpheus-ctl reconfigure\n") &&
		strings.Index(refresh, "morpheus-ctl reconfigure\n") < strings.LastIndex(refresh, "wait_ready")) {
		t.Error("refresh must render, then reconfigure, then wait for /ping")
	}
	if !strings.Contains(refresh, "https://localhost/ping") {
		t.Error("refresh does not wait for https://localhost/ping")
	}

	watch := fileAt(t, cc, TerminationWatchScriptPath).Content
	if !strings.Contains(watch, "termination_hook='"+p.Hooks.Termination+"'") ||
		!strings.Contains(watch, "meta-data/autoscaling/target-lifecycle-state") {
		t.Error("watcher does not poll the target lifecycle state for the termination hook")
	}
}

func TestBootstrapInstallsPerOSFamily(t *testing.T) {
	cases := map[string]struct {
		p          Params
		want, none []string
	}{
		"ubuntu": {prodParams(), []string{"os_family='ubuntu'", "pkg_ext='.deb'", "nfs-common"}, []string{"pkg_ext='.rpm'"}},
		"rhel":   {devParams(), []string{"os_family='rhel'", "pkg_ext='.rpm'", "nfs-utils", "codeready-builder"}, []string{"pkg_ext='.deb'"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, cc := mustCloudConfig(t, c.p)
			boot := fileAt(t, cc, BootstrapScriptPath).Content
			for _, w := range c.want {
				if !strings.Contains(boot, w) {
					t.Errorf("bootstrap lacks %q", w)
				}
			}
			for _, n := range c.none {
				if strings.Contains(boot, n) {
					t.Errorf("bootstrap has %q", n)
				}
			}
		})
	}
}

// TestCloudWatchAgentFiles: the node gets Params.Agent's two documents as they
// were rendered, not a configuration of its own.
func TestCloudWatchAgentFiles(t *testing.T) {
	for name, params := range fixtures {
		t.Run(name, func(t *testing.T) {
			p := params()
			_, cc := mustCloudConfig(t, p)
			for path, want := range map[string]string{
				CloudWatchAgentLogsConfigPath:    p.Agent.Logs.JSON(),
				CloudWatchAgentMetricsConfigPath: p.Agent.Metrics.JSON(),
			} {
				f := fileAt(t, cc, path)
				if f.Content != want {
					t.Errorf("%s differs from Params.Agent:\n%s", path, f.Content)
				}
				if !json.Valid([]byte(f.Content)) {
					t.Errorf("%s is not valid JSON", path)
				}
				if f.Owner != "root:root" || f.Permissions != "0644" {
					t.Errorf("%s: owner %s mode %s, want root:root 0644", path, f.Owner, f.Permissions)
				}
			}
		})
	}
}

// TestBootstrapAppendsMetricsAfterPing: the agent starts with the logs document
// before anything can fail, and the metrics document is appended only after the
// refresh script's wait for /ping returned (set -e stops the bootstrap there if
// Morpheus never answers), before the node is declared in service. Publishing
// earlier would let a booting node report morpheus-ui absent and page.
func TestBootstrapAppendsMetricsAfterPing(t *testing.T) {
	_, cc := mustCloudConfig(t, prodParams())
	boot := fileAt(t, cc, BootstrapScriptPath).Content
	fetchLogs := `"$cw_agent_ctl" -a fetch-config -m ec2 -s -c file:` + shellQuoteMust(t, CloudWatchAgentLogsConfigPath) + "\n"
	appendMetrics := `"$cw_agent_ctl" -a append-config -m ec2 -s -c file:` + shellQuoteMust(t, CloudWatchAgentMetricsConfigPath) + "\n"
	for _, once := range []string{"-a fetch-config", "-a append-config", CloudWatchAgentMetricsConfigPath} {
		if n := strings.Count(boot, once); n != 1 {
			t.Errorf("bootstrap has %q %d times, want once", once, n)
		}
	}
	if !strings.Contains(boot, "cw_agent_ctl=/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl\n") {
		t.Error("bootstrap does not name the agent's control script")
	}
	assertInOrder(t, boot,
		`install_packages "$work/amazon-cloudwatch-agent$pkg_ext"`,
		fetchLogs,
		`install_packages "$work/morpheus-appliance$pkg_ext"`,
		"\n"+shellQuoteMust(t, RefreshScriptPath)+"\n",
		appendMetrics,
		`retry 3 complete_hook "$launch_hook" CONTINUE`,
	)
	// The refresh script is where the bootstrap waits for /ping; the wait is
	// its last step, so returning means Morpheus answered.
	refresh := fileAt(t, cc, RefreshScriptPath).Content
	if !strings.Contains(boot, "set -Eeuo pipefail") || !strings.Contains(refresh, "set -Eeuo pipefail") {
		t.Error("a failed /ping wait must stop the bootstrap before the metrics start")
	}
	if strings.Count(boot, "https://localhost/ping") != 0 {
		t.Error("the bootstrap waits for /ping itself; the refresh script is the one place that does")
	}
	if !strings.Contains(refresh, "https://localhost/ping") ||
		strings.LastIndex(refresh, "wait_ready") < strings.Index(refresh, "morpheus-ctl reconfigure\n") {
		t.Error("the refresh script does not wait for /ping after reconfigure")
	}
}

func TestHeredocSafe(t *testing.T) {
	if err := heredocSafe("a\n"+programHeredoc+"x\n", programHeredoc); err != nil {
		t.Errorf("a line merely starting with the delimiter is safe: %v", err)
	}
	if err := heredocSafe("a\n"+programHeredoc+"\nb", programHeredoc); err == nil {
		t.Error("a body containing the delimiter line was accepted")
	}
}

func TestParametersUnder(t *testing.T) {
	for _, prefix := range []string{"/morpheus-ha/prod", "/morpheus-ha/prod/"} {
		got := ParametersUnder(prefix)
		if got.DBEndpoint != "/morpheus-ha/prod/db/endpoint" || got.SearchDomain != "/morpheus-ha/prod/search/domain" {
			t.Errorf("ParametersUnder(%q) = %+v", prefix, got)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(got.names())))) != 8 {
			t.Errorf("ParametersUnder(%q) repeats a name: %v", prefix, got.names())
		}
	}
}

func shellQuoteMust(t *testing.T, s string) string {
	t.Helper()
	q, err := shellQuote(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
