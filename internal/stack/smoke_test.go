package stack_test

import (
	"testing"

	"github.com/morpheus-ha/morpheus-ha/internal/stack"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func TestSmoke(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		rec := testutil.MustRun(t, stack.Run, testutil.Options{Config: testutil.BaseConfig(env)})
		counts := map[string]int{}
		for _, r := range rec.Resources() {
			counts[r.Type]++
		}
		t.Logf("%s: %v", env, counts)
	}
}
