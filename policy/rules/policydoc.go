package rules

import (
	"encoding/json"
	"strconv"
	"strings"
)

// statement is the part of an IAM policy statement the rules read.
type statement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal any            `json:"Principal"`
	Condition map[string]any `json:"Condition"`
}

// statements parses a policy document; ok is false when the document is unset,
// unknown or not JSON, in which case the caller cannot judge it.
func statements(doc string) (out []statement, ok bool) {
	var p struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if json.Unmarshal([]byte(doc), &p) != nil || len(p.Statement) == 0 {
		return nil, false
	}
	// A single statement may be written as an object rather than an array.
	if json.Unmarshal(p.Statement, &out) == nil {
		return out, true
	}
	var one statement
	if json.Unmarshal(p.Statement, &one) != nil {
		return nil, false
	}
	return []statement{one}, true
}

// anyone reports whether a principal is everyone ("*" or {"AWS": "*"}).
func anyone(p any) bool {
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]any:
		for _, inner := range v {
			if anyone(inner) {
				return true
			}
		}
	case []any:
		for _, inner := range v {
			if anyone(inner) {
				return true
			}
		}
	}
	return false
}

// publicAllows returns the Sids (or 1-based positions) of statements that allow
// everyone without a condition: the KMS.5 and SNS.4 failure.
func publicAllows(stmts []statement) []string {
	var out []string
	for i, s := range stmts {
		if strings.EqualFold(s.Effect, "Allow") && anyone(s.Principal) && len(s.Condition) == 0 {
			name := s.Sid
			if name == "" {
				name = "#" + strconv.Itoa(i+1)
			}
			out = append(out, name)
		}
	}
	return out
}

// deniesInsecureTransport reports whether a statement denies requests made
// without TLS (Condition Bool aws:SecureTransport false).
func deniesInsecureTransport(stmts []statement) bool {
	for _, s := range stmts {
		if !strings.EqualFold(s.Effect, "Deny") {
			continue
		}
		b, _ := s.Condition["Bool"].(map[string]any)
		for k, v := range b {
			if !strings.EqualFold(k, "aws:SecureTransport") {
				continue
			}
			if f, ok := boolean(v); ok && !f {
				return true
			}
			if l, ok := v.([]any); ok && len(l) == 1 {
				if f, ok := boolean(l[0]); ok && !f {
					return true
				}
			}
		}
	}
	return false
}
