// Package appliance runs Morpheus' one-time appliance setup: the first admin
// user, account and appliance URL, through the unauthenticated setup API
// (GET /api/setup/check, POST /api/setup/init). init works once and answers
// 400 afterwards, so the check decides and every run is safe to repeat.
package appliance

import (
	"context"
	"fmt"
	"net/http"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// Setup is what init needs besides the password, which is read from
// AdminSecretARN at run time and never travels in an event.
type Setup struct {
	// ApplianceName and ApplianceURL name the appliance (the URL is also where
	// the API is called).
	ApplianceName string
	ApplianceURL  string
	// AccountName is the master tenant's name.
	AccountName string
	// Username, Email, FirstName and LastName describe the first admin user.
	Username, Email, FirstName, LastName string
	// AdminSecretARN holds the admin user's password (its username field is
	// not used: Username is the login).
	AdminSecretARN string
}

// Outcome is what a run did (kept in Pulumi state: no password).
type Outcome struct {
	// SetupNeeded is what the check answered.
	SetupNeeded bool `json:"setupNeeded"`
	// Initialized is true when this run's init call succeeded.
	Initialized bool `json:"initialized"`
}

type checkResponse struct {
	SetupNeeded *bool `json:"setupNeeded"`
}

type initRequest struct {
	ApplianceName string `json:"applianceName"`
	ApplianceURL  string `json:"applianceUrl"`
	AccountName   string `json:"accountName"`
	Username      string `json:"username"`
	Password      string `json:"password"`
	Email         string `json:"email"`
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
}

// Run checks whether the appliance still needs its setup and, only then, runs
// init with the password from the secret. A 400 from init means another run
// initialised it in between; it is accepted only if a second check now says no
// setup is needed.
func Run(ctx context.Context, hc *http.Client, store secrets.Store, s Setup) (Outcome, error) {
	c, err := opshttp.New(s.ApplianceURL, hc)
	if err != nil {
		return Outcome{}, err
	}
	needed, err := check(ctx, c)
	if err != nil {
		return Outcome{}, err
	}
	if !needed {
		return Outcome{}, nil
	}
	admin, err := secrets.Current(ctx, store, s.AdminSecretARN)
	if err != nil {
		return Outcome{SetupNeeded: true}, fmt.Errorf("appliance setup: reading the admin password: %w", err)
	}
	body := initRequest{
		ApplianceName: s.ApplianceName, ApplianceURL: s.ApplianceURL, AccountName: s.AccountName,
		Username: s.Username, Password: admin.Password, Email: s.Email, FirstName: s.FirstName, LastName: s.LastName,
	}
	_, err = c.Do(ctx, opshttp.Request{Method: http.MethodPost, Path: []string{"api", "setup", "init"}, Body: body, Redact: []string{admin.Password}}, nil)
	if opshttp.IsStatus(err, http.StatusBadRequest) {
		again, cerr := check(ctx, c)
		if cerr == nil && !again {
			return Outcome{SetupNeeded: true}, nil
		}
	}
	if err != nil {
		return Outcome{SetupNeeded: true}, fmt.Errorf("appliance setup: %w", err)
	}
	return Outcome{SetupNeeded: true, Initialized: true}, nil
}

func check(ctx context.Context, c *opshttp.Client) (bool, error) {
	var res checkResponse
	if _, err := c.Do(ctx, opshttp.Request{Method: http.MethodGet, Path: []string{"api", "setup", "check"}}, &res); err != nil {
		return false, fmt.Errorf("appliance setup check (is the appliance URL reachable from the function? The ALB admits it only while loadBalancer.setupComplete is false, and the domain must resolve to the ALB): %w", err)
	}
	if res.SetupNeeded == nil {
		return false, fmt.Errorf("appliance setup check: the answer has no setupNeeded")
	}
	return *res.SetupNeeded, nil
}
