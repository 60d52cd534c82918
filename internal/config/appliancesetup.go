package config

import (
	"net/mail"
	"regexp"
	"strings"
)

// ApplianceSetup is `ops.applianceSetup`: the optional one-time Morpheus
// appliance setup (POST /api/setup/init) the ops function runs once the first
// nodes are healthy, with the admin password generated into the morpheus-admin
// secret. The function calls the appliance URL from the NAT gateways, so
// loadBalancer.allowedCidrs must admit their addresses.
type ApplianceSetup struct {
	// Enabled runs Morpheus' one-time appliance setup (/api/setup/init) once the
	// first nodes are healthy, with the admin password generated into the
	// morpheus-admin secret; the ops function calls the appliance URL from the
	// NAT gateways, so loadBalancer.allowedCidrs must admit their addresses.
	// Off, Morpheus' setup screen is left to a person.
	Enabled bool `json:"enabled"`
	// AccountName is the master tenant's name; required when enabled.
	AccountName string `json:"accountName"`
	// AdminUsername is the first admin user's login, 1 to 64 of A-Z a-z 0-9 . _
	// -; required when enabled.
	AdminUsername string `json:"adminUsername"`
	// AdminEmail is the first admin user's plain e-mail address; required when
	// enabled.
	AdminEmail string `json:"adminEmail"`
	// FirstName is the first admin user's first name; required when enabled.
	FirstName string `json:"firstName"`
	// LastName is the first admin user's last name; required when enabled.
	LastName string `json:"lastName"`
}

// maxSetupField bounds the free-text fields. Morpheus' own limits are
// unconfirmed; 255 is the usual VARCHAR column width.
const maxSetupField = 255

// usernamePattern is a conservative login: Morpheus' accepted charset is
// unconfirmed, and these characters are safe in every login form and API.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// validateApplianceSetup checks the fields only when the setup is enabled: a
// disabled section may be left empty.
func validateApplianceSetup(s ApplianceSetup, c *collector) {
	if !s.Enabled {
		return
	}
	const prefix = "ops.applianceSetup."
	for _, f := range []struct{ key, value string }{
		{"accountName", s.AccountName}, {"firstName", s.FirstName}, {"lastName", s.LastName},
	} {
		if strings.TrimSpace(f.value) == "" || len(f.value) > maxSetupField {
			c.addf(prefix+f.key, f.value, "is required when ops.applianceSetup.enabled is true (1 to %d characters)", maxSetupField)
		}
	}
	if !usernamePattern.MatchString(s.AdminUsername) {
		c.addf(prefix+"adminUsername", s.AdminUsername, "is required when ops.applianceSetup.enabled is true: 1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit")
	}
	e := s.AdminEmail
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		c.addf(prefix+"adminEmail", e, "is required when ops.applianceSetup.enabled is true: a plain e-mail address such as admin@example.com")
	}
}
