package userdata

import (
	"slices"
	"strings"
	"testing"
)

// indexOf returns the index of the first call containing part, or -1.
func indexOf(calls []string, part string) int {
	return slices.IndexFunc(calls, func(c string) bool { return strings.Contains(c, part) })
}

// A failing bootstrap must hand the node back: complete the launch hook with
// ABANDON and exit non-zero. The host-name check fails first here, so nothing
// else on the test machine is touched (and destructive commands are stubbed to
// refuse anyway).
func TestBootstrapFailureAbandonsLaunch(t *testing.T) {
	p := prodParams()
	_, cc := mustCloudConfig(t, p)
	n := newFakeNode(t)
	n.stub("getent", fakeGetentNoHosts)

	out, err := n.run(fileAt(t, cc, BootstrapScriptPath).Content)
	if err == nil {
		t.Fatalf("bootstrap succeeded with an unresolvable host name:\n%s", out)
	}
	calls := n.calls()
	if i := indexOf(calls, "REFUSED"); i >= 0 {
		t.Fatalf("bootstrap went past the failed check: %s", calls[i])
	}
	abandon := "aws[eu-west-1] autoscaling complete-lifecycle-action --lifecycle-hook-name " + p.Hooks.Launch +
		" --auto-scaling-group-name fake-asg --instance-id i-0123456789abcdef0 --lifecycle-action-result ABANDON"
	if !slices.Contains(calls, abandon) {
		t.Errorf("launch hook not abandoned; calls:\n%s", strings.Join(calls, "\n"))
	}
	if indexOf(calls, "CONTINUE") >= 0 {
		t.Error("a failed bootstrap sent CONTINUE")
	}
	if i := indexOf(calls, "meta-data/instance-id"); i < 0 || !strings.Contains(calls[i], "X-aws-ec2-metadata-token: fake-token") {
		t.Error("instance id not read with an IMDSv2 token")
	}
	log := n.nodeLog()
	for _, want := range []string{"does not resolve", "bootstrap FAILED (exit 1)", "completing lifecycle hook " + p.Hooks.Launch} {
		if !strings.Contains(log, want) {
			t.Errorf("node log lacks %q:\n%s", want, log)
		}
	}
	// Every log line carries a UTC timestamp.
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if len(line) < 21 || line[4] != '-' || line[10] != 'T' || line[19] != 'Z' {
			t.Errorf("log line without timestamp: %q", line)
		}
	}
}

func TestTerminationWatcherStopsMorpheusThenContinues(t *testing.T) {
	p := prodParams()
	_, cc := mustCloudConfig(t, p)
	n := newFakeNode(t)
	n.write("lifecycle-state", "Terminated")

	out, err := n.run(fileAt(t, cc, TerminationWatchScriptPath).Content)
	if err != nil {
		t.Fatalf("watcher: %v\n%s", err, out)
	}
	calls := n.calls()
	stop := indexOf(calls, "morpheus-ctl stop morpheus-ui")
	cont := indexOf(calls, "autoscaling complete-lifecycle-action --lifecycle-hook-name "+p.Hooks.Termination+
		" --auto-scaling-group-name fake-asg --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE")
	if stop < 0 || cont < 0 || stop > cont {
		t.Errorf("want morpheus-ui stopped, then the termination hook continued; calls:\n%s", strings.Join(calls, "\n"))
	}
	if i := indexOf(calls, "target-lifecycle-state"); i < 0 || !strings.Contains(calls[i], "X-aws-ec2-metadata-token: fake-token") {
		t.Error("lifecycle state not read with an IMDSv2 token")
	}
}

// A watcher that cannot stop Morpheus still lets the termination proceed.
func TestTerminationWatcherContinuesWhenStopFails(t *testing.T) {
	p := prodParams()
	_, cc := mustCloudConfig(t, p)
	n := newFakeNode(t)
	n.write("lifecycle-state", "Terminated")
	n.stub("morpheus-ctl", fakeRefuse)

	if out, err := n.run(fileAt(t, cc, TerminationWatchScriptPath).Content); err != nil {
		t.Fatalf("watcher: %v\n%s", err, out)
	}
	if indexOf(n.calls(), "--lifecycle-action-result CONTINUE") < 0 {
		t.Error("termination hook not completed after a failed stop")
	}
}
