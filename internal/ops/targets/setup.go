package targets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// SetupAction is the appliance setup event's action.
const SetupAction = "setup"

// SetupEvent is the appliance setup invocation's payload. Pulumi keeps it in
// state, so it has no password: the function reads the admin password from
// AdminSecretARN at run time. Decoding is strict, so a password field (or any
// other) is refused rather than silently ignored.
type SetupEvent struct {
	// Action is SetupAction.
	Action string `json:"action"`
	// ApplianceURL is where Morpheus answers and what it is configured with.
	ApplianceURL string `json:"applianceUrl"`
	// ApplianceName names the appliance.
	ApplianceName string `json:"applianceName"`
	// AccountName is the master tenant.
	AccountName string `json:"accountName"`
	// Username, Email, FirstName and LastName describe the first admin user.
	Username  string `json:"username"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	// AdminSecretARN holds the admin user's password.
	AdminSecretARN string `json:"adminSecretArn"`
	// AppGroup is the app nodes' Auto Scaling group. The function does not use
	// it: it is in the payload so that the invocation depends on the group,
	// whose creation waits for healthy nodes.
	AppGroup string `json:"appGroup"`
}

// DecodeSetup strictly decodes a setup event and checks it is complete.
func DecodeSetup(raw []byte) (SetupEvent, error) {
	var ev SetupEvent
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return SetupEvent{}, fmt.Errorf("setup event: %w", err)
	}
	return ev, ev.Validate()
}

// Validate reports the missing fields of a setup event.
func (e SetupEvent) Validate() error {
	var errs []error
	if e.Action != SetupAction {
		errs = append(errs, fmt.Errorf("setup event: action is %q, want %q", e.Action, SetupAction))
	}
	for _, f := range []struct{ name, value string }{
		{"applianceUrl", e.ApplianceURL}, {"applianceName", e.ApplianceName}, {"accountName", e.AccountName},
		{"username", e.Username}, {"email", e.Email}, {"firstName", e.FirstName}, {"lastName", e.LastName},
		{"adminSecretArn", e.AdminSecretARN}, {"appGroup", e.AppGroup},
	} {
		if strings.TrimSpace(f.value) == "" {
			errs = append(errs, fmt.Errorf("setup event: %s is required", f.name))
		}
	}
	if e.AdminSecretARN != "" && !strings.HasPrefix(e.AdminSecretARN, "arn:") {
		errs = append(errs, fmt.Errorf("setup event: adminSecretArn %q is not an ARN", e.AdminSecretARN))
	}
	return errors.Join(errs...)
}
