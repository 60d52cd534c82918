package rabbitops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// GuestUser is RabbitMQ's default user, which Amazon MQ does not allow (it
// deletes any user of that name).
const GuestUser = "guest"

// AWSPolicyPrefix starts the names of the policies Amazon MQ creates and owns
// on every broker (AWS-DEFAULT-POLICY-*): the new broker has its own.
const AWSPolicyPrefix = "AWS-"

// DefinitionsSummary counts what a definitions document holds, for logs and
// results that must not carry the document (it holds password hashes).
type DefinitionsSummary struct {
	// VHosts, Users, Queues and Policies count the entries imported.
	VHosts   int `json:"vhosts"`
	Users    int `json:"users"`
	Queues   int `json:"queues"`
	Policies int `json:"policies"`
	// RemovedUsers and RemovedPolicies were taken out before the import.
	RemovedUsers    []string `json:"removedUsers,omitempty"`
	RemovedPolicies []string `json:"removedPolicies,omitempty"`
}

// PrepareImport readies an Amazon MQ broker's export for import into another:
// it takes out the users named in drop, the guest user and the AWS-owned
// policies, and the permissions and topic permissions of the users named in
// dropGrants and of guest (users that may not exist on the broker: an import
// granting to a missing user fails). Every other field and entry stays as
// exported.
func PrepareImport(doc json.RawMessage, drop, dropGrants []string) (json.RawMessage, DefinitionsSummary, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil || top == nil {
		return nil, DefinitionsSummary{}, errors.New("rabbitmq: the definitions are not a JSON object")
	}
	var sum DefinitionsSummary
	// filter drops the entries of list field whose nameField matches, adding
	// their names to removed, and returns how many it kept.
	filter := func(field, nameField string, match func(string) bool, removed *[]string) (int, error) {
		raw, ok := top[field]
		if !ok {
			return 0, nil
		}
		var entries []json.RawMessage
		if err := json.Unmarshal(raw, &entries); err != nil {
			return 0, fmt.Errorf("rabbitmq: definitions field %s is not a list", field)
		}
		kept := entries[:0]
		for _, e := range entries {
			var named map[string]any
			if err := json.Unmarshal(e, &named); err != nil || named == nil {
				return 0, fmt.Errorf("rabbitmq: definitions field %s is not a list of objects", field)
			}
			if name, _ := named[nameField].(string); match(name) {
				if removed != nil {
					*removed = append(*removed, name)
				}
				continue
			}
			kept = append(kept, e)
		}
		b, err := json.Marshal(kept)
		top[field] = b
		return len(kept), err
	}
	among := func(names []string) func(string) bool {
		return func(n string) bool { return n == GuestUser || slices.Contains(names, n) }
	}
	none := func(string) bool { return false }
	steps := []struct {
		field, nameField string
		match            func(string) bool
		removed          *[]string
		count            *int
	}{
		{"users", "name", among(drop), &sum.RemovedUsers, &sum.Users},
		{"permissions", "user", among(dropGrants), nil, nil},
		{"topic_permissions", "user", among(dropGrants), nil, nil},
		{"policies", "name", func(n string) bool { return strings.HasPrefix(n, AWSPolicyPrefix) }, &sum.RemovedPolicies, &sum.Policies},
		{"vhosts", "name", none, nil, &sum.VHosts},
		{"queues", "name", none, nil, &sum.Queues},
	}
	for _, st := range steps {
		n, err := filter(st.field, st.nameField, st.match, st.removed)
		if err != nil {
			return nil, sum, err
		}
		if st.count != nil {
			*st.count = n
		}
	}
	out, err := json.Marshal(top)
	return out, sum, err
}

// PasswordHashes returns the users' password hashes in doc, to keep out of
// error messages.
func PasswordHashes(doc json.RawMessage) []string {
	var d struct {
		Users []struct {
			Hash string `json:"password_hash"`
		} `json:"users"`
	}
	_ = json.Unmarshal(doc, &d)
	var out []string
	for _, u := range d.Users {
		if u.Hash != "" {
			out = append(out, u.Hash)
		}
	}
	return out
}

// ImportDefinitions merges doc into the broker (POST /api/definitions) as
// admin: what exists and is not in doc stays, queues, exchanges and bindings
// that exist are kept as they are, and users, vhosts, permissions, policies
// and parameters in doc are created or overwritten. A user in doc named like
// admin would overwrite admin's password with the exported hash: callers
// remove it first (PrepareImport). Errors never quote a password hash.
func (c *Client) ImportDefinitions(ctx context.Context, admin secrets.Credentials, doc json.RawMessage) error {
	if _, err := c.api.Do(ctx, opshttp.Request{
		Method: http.MethodPost, Path: []string{"api", "definitions"}, Auth: admin, Body: doc,
		Redact: PasswordHashes(doc),
	}, nil); err != nil {
		return fmt.Errorf("rabbitmq: importing definitions: %w", err)
	}
	return nil
}
