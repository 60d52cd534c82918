package password_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/password"
)

func TestGeneratedPasswordsFollowEachServicesRules(t *testing.T) {
	for _, p := range []password.Policy{password.MySQL, password.RabbitMQ, password.OpenSearch} {
		t.Run(p.Service, func(t *testing.T) {
			seen := map[string]bool{}
			for range 500 {
				pw, err := p.Generate()
				require.NoError(t, err)
				assert.Len(t, pw, 32)
				assert.NoError(t, p.Check(pw))
				assert.False(t, strings.ContainsAny(pw, p.Forbidden), "forbidden character drawn")
				assert.False(t, seen[pw], "password repeated")
				seen[pw] = true
			}
		})
	}
}

func TestServiceRules(t *testing.T) {
	// The services' rules cited on the policies in password.go.
	assert.Subset(t, []rune(password.RabbitMQ.Forbidden), []rune(",:= "))
	assert.Subset(t, []rune(password.MySQL.Forbidden), []rune(`/'"@\`))
	assert.GreaterOrEqual(t, password.RabbitMQ.Length, 12)
}

func TestCheckRejects(t *testing.T) {
	p := password.Policy{Service: "x", Length: 8, Forbidden: "@"}
	for name, pw := range map[string]string{
		"too short":     "aB3-",
		"no upper":      "abcdef3-",
		"no lower":      "ABCDEF3-",
		"no digit":      "abcDEF--",
		"no special":    "abcDEF33",
		"forbidden":     "abcDEF3@",
		"control char":  "abcDEF3-\n",
		"non-ASCII":     "abcDEF3-é",
		"space default": "abc DEF3-x\x7f",
	} {
		err := p.Check(pw)
		require.Error(t, err, name)
		assert.NotContains(t, err.Error(), pw, "errors must not quote the password")
	}
	assert.NoError(t, p.Check("abcDEF3-"))
}

func TestGenerateRejectsImpossiblePolicy(t *testing.T) {
	_, err := password.Policy{Service: "x", Length: 3}.Generate()
	assert.Error(t, err)
	_, err = password.Policy{Service: "x", Length: 16, Forbidden: "-._~"}.Generate()
	assert.Error(t, err, "a policy forbidding every special cannot be met")
}
