// Package iampolicy builds IAM, KMS key, bucket and resource policy documents
// from typed Go values, so every policy the stack writes is valid JSON by
// construction and tests can inspect statements instead of parsing strings.
package iampolicy

import (
	"encoding/json"
	"fmt"
)

// Version is the only policy language version worth writing.
const Version = "2012-10-17"

// Document is a policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Action, Resource and Principal values take a
// string or a list; Condition is operator -> key -> value(s).
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]any            `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// New returns a document holding statements.
func New(statements ...Statement) Document {
	return Document{Version: Version, Statement: statements}
}

// Allow returns an Allow statement.
func Allow(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// Deny returns a Deny statement.
func Deny(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Deny", Action: actions, Resource: resources}
}

// WithPrincipal sets the principal of kind ("AWS", "Service") to values.
func (s Statement) WithPrincipal(kind string, values ...string) Statement {
	if s.Principal == nil {
		s.Principal = map[string]any{}
	}
	s.Principal[kind] = oneOrMany(values)
	return s
}

// When adds a condition operator/key/value(s).
func (s Statement) When(operator, key string, values ...string) Statement {
	if s.Condition == nil {
		s.Condition = map[string]map[string]any{}
	}
	if s.Condition[operator] == nil {
		s.Condition[operator] = map[string]any{}
	}
	s.Condition[operator][key] = oneOrMany(values)
	return s
}

// JSON renders the document. Marshalling plain strings, lists and maps cannot
// fail, so a failure is a programming error worth a panic.
func (d Document) JSON() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("iampolicy: %v", err))
	}
	return string(b)
}

func oneOrMany(values []string) any {
	if len(values) == 1 {
		return values[0]
	}
	return values
}

// ServiceTrust is a role's trust policy letting one AWS service principal
// assume it on behalf of accountID only (aws:SourceAccount: no confused
// deputy), narrowed to sourceArns (aws:SourceArn, ArnLike) when given, for
// services documented to send one.
func ServiceTrust(sid, service, accountID string, sourceArns ...string) Document {
	s := Allow(sid, []string{"sts:AssumeRole"}, nil).
		WithPrincipal("Service", service).
		When("StringEquals", "aws:SourceAccount", accountID)
	if len(sourceArns) > 0 {
		s = s.When("ArnLike", "aws:SourceArn", sourceArns...)
	}
	return New(s)
}
