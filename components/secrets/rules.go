package secrets

import (
	"slices"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/naming"
)

// Purpose names one credential; it ends the secret's name.
type Purpose string

// The credentials the data tier needs. Admin and master users belong to the
// services; the Morpheus users are what morpheus.rb carries, created later by
// the ops function with the least privilege Morpheus needs.
const (
	// MQAdmin is the Amazon MQ broker's admin user.
	MQAdmin Purpose = "mq-admin"
	// MQMorpheus is the RabbitMQ user Morpheus connects as.
	MQMorpheus Purpose = "mq-morpheus"
	// DBMorpheus is the MySQL user Morpheus connects as (the Aurora master user
	// is managed by RDS itself).
	DBMorpheus Purpose = "db-morpheus"
	// OpenSearchMaster is the OpenSearch fine-grained access control master user.
	OpenSearchMaster Purpose = "opensearch-master"
	// OpenSearchMorpheus is the OpenSearch internal user Morpheus connects as.
	OpenSearchMorpheus Purpose = "opensearch-morpheus"
	// MorpheusAdmin is the first Morpheus admin user the optional appliance
	// setup creates (Args.ApplianceAdmin); not in Purposes.
	MorpheusAdmin Purpose = "morpheus-admin"
	// DBMaster is the Aurora master user's password when the stack holds it
	// (Args.DatabaseMaster): a member of an Aurora global database, for which
	// RDS cannot manage it in Secrets Manager. Not in Purposes.
	DBMaster Purpose = "db-master"
)

// MorpheusLogins are the users Morpheus itself connects as: what the nodes
// render into morpheus.rb and the ops function rotates.
var MorpheusLogins = []Purpose{DBMorpheus, MQMorpheus, OpenSearchMorpheus}

// Purposes lists every credential the component creates, in creation order.
var Purposes = []Purpose{MQAdmin, MQMorpheus, DBMorpheus, OpenSearchMaster, OpenSearchMorpheus}

// SafeSpecial are the only special characters any password uses: RFC 3986
// unreserved characters and the sub-delimiters legal in a URL's user info. None
// needs quoting in a JDBC or AMQP URL, a JSON document, or a single-quoted Ruby
// string in morpheus.rb, and none is refused by MQ, MySQL or OpenSearch.
const SafeSpecial = "!()*-._~"

// Rule is one service's password policy as RandomPassword inputs.
type Rule struct {
	// Service names the policy in messages.
	Service string
	// Length is the password length.
	Length int
	// MinUpper, MinLower, MinNumeric and MinSpecial are the required counts.
	MinUpper, MinLower, MinNumeric, MinSpecial int
	// Forbidden are the characters the service refuses.
	Forbidden string
}

// Special is the special-character set passed to RandomPassword: SafeSpecial
// without the service's forbidden characters.
func (r Rule) Special() string {
	return strings.Map(func(c rune) rune {
		if strings.ContainsRune(r.Forbidden, c) {
			return -1
		}
		return c
	}, SafeSpecial)
}

// Every rule asks for one character of each class: OpenSearch demands it, and
// for Amazon MQ four disjoint classes guarantee its "at least 4 distinct
// characters" rule instead of leaving it to chance.
var (
	// mqRule: Amazon MQ for RabbitMQ wants at least 12 characters, at least 4
	// distinct, and none of , : = or space.
	mqRule = Rule{Service: "Amazon MQ", Length: 32, MinUpper: 1, MinLower: 1, MinNumeric: 1, MinSpecial: 1, Forbidden: ",:= "}
	// mysqlRule: RDS refuses / ' " @ in MySQL passwords.
	mysqlRule = Rule{Service: "Aurora MySQL", Length: 32, MinUpper: 1, MinLower: 1, MinNumeric: 1, MinSpecial: 1, Forbidden: `/'"@`}
	// openSearchRule: 8-128 characters with an upper, a lower, a digit and a special.
	openSearchRule = Rule{Service: "OpenSearch", Length: 32, MinUpper: 1, MinLower: 1, MinNumeric: 1, MinSpecial: 1}
	// morpheusRule: Morpheus' password rule for users is unconfirmed (the
	// reference documents none); 32 characters of all four classes from
	// SafeSpecial meet every common complexity policy, and the password
	// travels only in a JSON body.
	morpheusRule = Rule{Service: "Morpheus", Length: 32, MinUpper: 1, MinLower: 1, MinNumeric: 1, MinSpecial: 1}
)

var rules = map[Purpose]Rule{
	MQAdmin:            mqRule,
	MQMorpheus:         mqRule,
	DBMorpheus:         mysqlRule,
	OpenSearchMaster:   openSearchRule,
	OpenSearchMorpheus: openSearchRule,
	MorpheusAdmin:      morpheusRule,
	DBMaster:           mysqlRule,
}

// usernames are fixed and not secret: knowing a user name grants nothing, and
// a stable name lets the ops function create the user idempotently.
var usernames = map[Purpose]string{
	MQAdmin:            "morpheusadmin",
	MQMorpheus:         "morpheus",
	DBMorpheus:         "morpheus",
	OpenSearchMaster:   "osmaster",
	OpenSearchMorpheus: "morpheus",
	// The admin's login is configured (ops.applianceSetup.adminUsername):
	// Args.ApplianceAdminUsername replaces this placeholder.
	MorpheusAdmin: "admin",
	// The cluster's master user name (database.MasterUsername).
	DBMaster: "morpheusroot",
}

var descriptions = map[Purpose]string{
	MQAdmin:            "Amazon MQ broker admin user",
	MQMorpheus:         "RabbitMQ user Morpheus connects as",
	DBMorpheus:         "MySQL user Morpheus connects as",
	OpenSearchMaster:   "OpenSearch fine-grained access control master user",
	OpenSearchMorpheus: "OpenSearch internal user Morpheus connects as",
	MorpheusAdmin:      "first Morpheus admin user (appliance setup)",
	DBMaster:           "Aurora master user (global database member)",
}

// RuleFor returns the password rule of a purpose.
func RuleFor(p Purpose) Rule { return rules[p] }

// Username returns the fixed user name of a purpose.
func Username(p Purpose) string { return usernames[p] }

// SecretName is the name of one purpose's secret: /<project>/<stack>/<purpose>.
// It is known at plan time, so user data and IAM policies can name it.
func SecretName(n naming.Namer, p Purpose) string { return n.Path(string(p)) }

// ServiceAdmins are the services' administrators: the ops function uses them
// (and only it may read them) to manage Morpheus' logins, and rotates them in
// place, each changing its own password, since nothing else holds them.
var ServiceAdmins = []Purpose{MQAdmin, OpenSearchMaster}

// Rotated reports whether the ops function rotates p's secret: Morpheus' own
// logins (alternating users) and the service admins (in place), i.e. every
// purpose in Purposes. MorpheusAdmin is not: the function uses it once, for
// Morpheus' setup, after which Morpheus owns that password and the function
// can no longer reach Morpheus to change it.
func Rotated(p Purpose) bool {
	return slices.Contains(MorpheusLogins, p) || slices.Contains(ServiceAdmins, p) || p == DBMaster
}
