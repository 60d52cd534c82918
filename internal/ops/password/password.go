// Package password generates service passwords under each service's rules.
//
// Every password has upper- and lower-case letters, digits and specials, drawn
// with crypto/rand. The specials are the four URL-unreserved marks "-._~": they
// satisfy OpenSearch's "one special character" rule and are inert everywhere a
// password travels later (JSON, a Ruby single-quoted string in morpheus.rb, a
// shell, a JDBC or AMQP URL), so no consumer needs escaping.
package password

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
)

const (
	upper    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower    = "abcdefghijklmnopqrstuvwxyz"
	digits   = "0123456789"
	specials = "-._~"
)

// Policy is one service's password rules.
type Policy struct {
	// Service names the service in errors.
	Service string
	// Length is the exact length generated and the minimum accepted.
	Length int
	// Forbidden lists characters the service rejects or mangles. Check refuses
	// them; Generate's fixed alphabet avoids those of the services' policies and
	// fails rather than break a policy that forbids one of its characters.
	Forbidden string
}

// The services' policies.
var (
	// RabbitMQ: Amazon MQ wants at least 12 characters, at least 4 distinct, and
	// none of , : = or space (the vendor's Amazon MQ guide:
	// https://github.com/gomorpheus/morpheus-docs/blob/internal/installation/messaging/amazonmq-rabbitmq.rst).
	RabbitMQ = Policy{Service: "rabbitmq", Length: 32, Forbidden: ",:= "}
	// MySQL: the RDS rule for master passwords (no / ' " @, MasterUserPassword in
	// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html)
	// applied to the app user too, plus backslash, which the SQL quoting helper
	// refuses because its meaning depends on sql_mode.
	MySQL = Policy{Service: "mysql", Length: 32, Forbidden: "/'\"@\\ "}
	// OpenSearch: FGAC internal users need upper, lower, digit and special
	// (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html).
	OpenSearch = Policy{Service: "opensearch", Length: 32, Forbidden: " "}
)

// Generate returns a new random password that satisfies p.
func (p Policy) Generate() (string, error) {
	if p.Length < 4 {
		return "", fmt.Errorf("%s password policy: length %d cannot hold all four character classes", p.Service, p.Length)
	}
	classes := []string{upper, lower, digits, specials}
	all := strings.Join(classes, "")
	out := make([]byte, 0, p.Length)
	for _, class := range classes { // one of each class, then any
		c, err := pick(class)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	for len(out) < p.Length {
		c, err := pick(all)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	for i := len(out) - 1; i > 0; i-- { // Fisher-Yates, so the classes' places are random too
		j, err := randInt(i + 1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	pw := string(out)
	if err := p.Check(pw); err != nil {
		// Only when Forbidden names one of the generator's characters.
		return "", err
	}
	return pw, nil
}

// Check reports whether pw satisfies p, without quoting pw in the error.
func (p Policy) Check(pw string) error {
	if len(pw) < p.Length {
		return fmt.Errorf("%s password: %d characters, want at least %d", p.Service, len(pw), p.Length)
	}
	var hasUpper, hasLower, hasDigit, hasSpecial bool
	for i, r := range pw {
		if r < 0x20 || r > 0x7e {
			return fmt.Errorf("%s password: character %d is not printable ASCII", p.Service, i+1)
		}
		if strings.ContainsRune(p.Forbidden, r) {
			return fmt.Errorf("%s password: character %d is one of the forbidden %q", p.Service, i+1, p.Forbidden)
		}
		switch {
		case strings.ContainsRune(upper, r):
			hasUpper = true
		case strings.ContainsRune(lower, r):
			hasLower = true
		case strings.ContainsRune(digits, r):
			hasDigit = true
		default:
			hasSpecial = true
		}
	}
	if !hasUpper || !hasLower || !hasDigit || !hasSpecial {
		return fmt.Errorf("%s password: needs upper- and lower-case letters, a digit and a special character", p.Service)
	}
	return nil
}

func pick(set string) (byte, error) {
	i, err := randInt(len(set))
	if err != nil {
		return 0, err
	}
	return set[i], nil
}

func randInt(n int) (int, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0, fmt.Errorf("reading random bytes: %w", err)
	}
	return int(v.Int64()), nil
}
