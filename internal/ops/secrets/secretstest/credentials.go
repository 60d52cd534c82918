package secretstest

import (
	"testing"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Credentials parses a {"username","password"} document the way the function
// reads a secret, failing the test if it does not parse.
func Credentials(t testing.TB, user, password string) secrets.Credentials {
	t.Helper()
	c, err := secrets.ParseCredentials(`{"username":"` + user + `","password":"` + password + `"}`)
	if err != nil {
		t.Fatalf("credentials for %s: %v", user, err)
	}
	return c
}
