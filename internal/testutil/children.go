package testutil

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// AssertChildrenOf checks the component convention on a run that registered one
// component of type token named name: every other resource (providers the test
// itself created aside) is the component's child, named "<name>-...".
func AssertChildrenOf(t testing.TB, rec *Recorder, token, name string) {
	t.Helper()
	comp := rec.ByType(token)
	require.Len(t, comp, 1, token)
	for _, r := range rec.Resources() {
		if r.Type == token || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		assert.Equal(t, comp[0].URN, r.Parent, "%s %s is not the component's child", r.Type, r.Name)
		assert.True(t, strings.HasPrefix(r.Name, name+"-"), "child name %s must derive from the component's (%s)", r.Name, name)
	}
}
