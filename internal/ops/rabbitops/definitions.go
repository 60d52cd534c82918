package rabbitops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/opshttp"
	"github.com/morpheus-ha/morpheus-ha/internal/ops/secrets"
)

// DefinitionsSummary counts what a definitions document holds, for logs and
// results that must not carry the document (it holds password hashes).
type DefinitionsSummary struct {
	// VHosts, Users, Queues and Policies count the document's entries.
	VHosts   int `json:"vhosts"`
	Users    int `json:"users"`
	Queues   int `json:"queues"`
	Policies int `json:"policies"`
	// RemovedUsers are the users taken out before the import.
	RemovedUsers []string `json:"removedUsers,omitempty"`
}

// PrepareImport returns doc without the users named in drop and without the
// permissions and topic permissions of the users named in dropGrants (users
// that may not exist on the broker yet: an import granting to a missing user
// fails). Every other field and entry stays as exported.
func PrepareImport(doc json.RawMessage, drop, dropGrants []string) (json.RawMessage, DefinitionsSummary, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil || top == nil {
		return nil, DefinitionsSummary{}, errors.New("rabbitmq: the definitions are not a JSON object")
	}
	var sum DefinitionsSummary
	// filter keeps the entries of list field whose name field is not in names.
	filter := func(field, nameField string, names []string) ([]json.RawMessage, error) {
		var entries []json.RawMessage
		if raw, ok := top[field]; ok {
			if err := json.Unmarshal(raw, &entries); err != nil {
				return nil, fmt.Errorf("rabbitmq: definitions field %s is not a list of objects", field)
			}
		}
		kept := entries[:0]
		for _, e := range entries {
			var named map[string]any
			if err := json.Unmarshal(e, &named); err != nil {
				return nil, fmt.Errorf("rabbitmq: definitions field %s is not a list of objects", field)
			}
			name, _ := named[nameField].(string)
			if slices.Contains(names, name) {
				if field == "users" {
					sum.RemovedUsers = append(sum.RemovedUsers, name)
				}
				continue
			}
			kept = append(kept, e)
		}
		if _, ok := top[field]; ok {
			b, err := json.Marshal(kept)
			if err != nil {
				return nil, err
			}
			top[field] = b
		}
		return kept, nil
	}
	users, err := filter("users", "name", drop)
	if err != nil {
		return nil, sum, err
	}
	for _, field := range []string{"permissions", "topic_permissions"} {
		if _, err := filter(field, "user", dropGrants); err != nil {
			return nil, sum, err
		}
	}
	sum.Users = len(users)
	for field, n := range map[string]*int{"vhosts": &sum.VHosts, "queues": &sum.Queues, "policies": &sum.Policies} {
		var entries []json.RawMessage
		if raw, ok := top[field]; ok {
			if err := json.Unmarshal(raw, &entries); err != nil {
				return nil, sum, fmt.Errorf("rabbitmq: definitions field %s is not a list", field)
			}
		}
		*n = len(entries)
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
