package userdata

import (
	"strings"
	"testing"
	"time"
)

// TestWaitDataNeverReadyFailsBounded: a data tier that never becomes ready
// makes the wait fail within its bound with a reason in the node log, after
// keeping the launch hook alive; the bootstrap then abandons the launch.
func TestWaitDataNeverReadyFailsBounded(t *testing.T) {
	p := prodParams()
	_, cc := mustCloudConfig(t, p)
	// The rendered bound is an hour; the script takes a shorter one as its
	// argument, which is what runs here.
	n := newFakeNode(t)
	start := time.Now()
	_, err := n.runArgs(fileAt(t, cc, WaitDataScriptPath).Content, "2")
	if err == nil {
		t.Fatal("the wait succeeded without a readiness signal")
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("a 2-second wait took %s", d)
	}
	log := n.nodeLog()
	for _, want := range []string{"waiting up to 2 s for the data tier's readiness signal " + p.Parameters.Ready, "data tier NOT ready after 2 s"} {
		if !strings.Contains(log, want) {
			t.Errorf("node log lacks %q:\n%s", want, log)
		}
	}
	if indexOf(n.calls(), "autoscaling record-lifecycle-action-heartbeat --lifecycle-hook-name "+p.Hooks.Launch) < 0 {
		t.Errorf("no heartbeat on the launch hook; calls:\n%s", strings.Join(n.calls(), "\n"))
	}
}

// TestWaitDataReady returns at once when the signal is there.
func TestWaitDataReady(t *testing.T) {
	p := prodParams()
	_, cc := mustCloudConfig(t, p)
	n := newFakeNode(t)
	n.write("ready", "bootstrap-7f3a")
	if out, err := n.runArgs(fileAt(t, cc, WaitDataScriptPath).Content, "60"); err != nil {
		t.Fatalf("wait failed with the signal present: %v\n%s", err, out)
	}
	if !strings.Contains(n.nodeLog(), "data tier ready ("+p.Parameters.Ready+" = bootstrap-7f3a)") {
		t.Errorf("node log:\n%s", n.nodeLog())
	}
	if i := indexOf(n.calls(), "ssm get-parameter --with-decryption --name "+p.Parameters.Ready); i < 0 {
		t.Errorf("the readiness parameter was not read; calls:\n%s", strings.Join(n.calls(), "\n"))
	}
}

// TestBootstrapWaitsForDataBeforeReadingIt: the bootstrap installs packages
// first (work that needs no data tier), then waits for the signal, and only
// then reads the file system id, renders morpheus.rb and reconfigures.
func TestBootstrapWaitsForDataBeforeReadingIt(t *testing.T) {
	_, cc := mustCloudConfig(t, prodParams())
	assertInOrder(t, fileAt(t, cc, BootstrapScriptPath).Content,
		`install Morpheus`, WaitDataScriptPath, `look up the shared file system`, RefreshScriptPath)
}
