package main

import (
	"os/exec"
	"strings"
	"testing"
)

// testOnly reports the packages of a `go list -deps` listing that only tests
// should link: the standard `testing` package and testify.
func testOnly(listing string) []string {
	var out []string
	for _, pkg := range strings.Fields(listing) {
		if pkg == "testing" || pkg == "github.com/stretchr/testify" || strings.HasPrefix(pkg, "github.com/stretchr/testify/") {
			out = append(out, pkg)
		}
	}
	return out
}

// goListDeps lists every package pkg links, as `go list -deps` does.
func goListDeps(t *testing.T, pkg string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	return string(out)
}

// TestPlanLinksNoTestCode keeps the plan binary free of `testing` and testify:
// it links the mock engine (internal/mockengine), never the test helpers
// (internal/testutil). A test helper creeping into the binary would register
// the testing flags on it and pull testify into a tool users run.
func TestPlanLinksNoTestCode(t *testing.T) {
	if found := testOnly(goListDeps(t, ".")); len(found) > 0 {
		t.Errorf("cmd/plan links test-only packages %v; import internal/mockengine, not internal/testutil", found)
	}
	// The check must be able to fail: the test helpers do link both.
	if found := testOnly(goListDeps(t, "../../internal/testutil")); len(found) < 2 {
		t.Errorf("internal/testutil should list testing and testify, got %v: the check above cannot see them", found)
	}
}
