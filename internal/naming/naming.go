// Package naming derives AWS physical names, paths and aliases from the project
// and stack, within each service's length and character limits. Names that would
// be too long are cut and end in a short hash of the full name, so two long names
// never collapse into one.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// Kind describes one AWS naming rule.
type Kind struct {
	// Service names the rule in error messages and tests.
	Service string
	// MaxLen is the longest name AWS accepts.
	MaxLen int
	// Lower forces lower case (RDS identifiers, OpenSearch domains, S3 buckets).
	Lower bool
}

// Naming rules of the services the stack names explicitly.
var (
	LoadBalancer     = Kind{Service: "elbv2 load balancer", MaxLen: 32}
	TargetGroup      = Kind{Service: "elbv2 target group", MaxLen: 32}
	RDSIdentifier    = Kind{Service: "rds identifier", MaxLen: 63, Lower: true}
	MQBroker         = Kind{Service: "mq broker", MaxLen: 50}
	OpenSearchDomain = Kind{Service: "opensearch domain", MaxLen: 28, Lower: true}
	IAMRole          = Kind{Service: "iam role", MaxLen: 64}
	LambdaFunction   = Kind{Service: "lambda function", MaxLen: 64}
	S3Bucket         = Kind{Service: "s3 bucket", MaxLen: 63, Lower: true}
	SecurityGroup    = Kind{Service: "ec2 security group", MaxLen: 255}
	EventRule        = Kind{Service: "eventbridge rule", MaxLen: 64}
	Generic          = Kind{Service: "generic", MaxLen: 255}
)

// hashLen is how many hex characters of the hash a shortened name keeps.
const hashLen = 6

var invalidRun = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// Namer builds names for one stack of the project.
type Namer struct {
	Project string
	Stack   string
}

// Prefix is "<project>-<stack>", the start of every physical name.
func (n Namer) Prefix() string { return n.Project + "-" + n.Stack }

// Name returns "<project>-<stack>-<purpose>" within the rules of kind.
func (n Namer) Name(kind Kind, purpose string) string {
	return Fit(kind, n.Prefix()+"-"+purpose)
}

// Path returns "/<project>/<stack>/<parts...>", the Secrets Manager and Parameter
// Store hierarchy of the stack (IAM policies grant exactly this prefix).
func (n Namer) Path(parts ...string) string {
	return "/" + strings.Join(append([]string{n.Project, n.Stack}, parts...), "/")
}

// KMSAlias returns "alias/<project>-<stack>-<purpose>".
func (n Namer) KMSAlias(purpose string) string {
	return "alias/" + n.Prefix() + "-" + purpose
}

// LogGroup returns "/<project>/<stack>/<purpose>".
func (n Namer) LogGroup(purpose string) string {
	return n.Path(purpose)
}

// Fit makes name acceptable for kind: characters outside [A-Za-z0-9-] become a
// single hyphen, case is lowered where required, and an over-long name is cut to
// leave room for "-" and a hash of the whole name.
func Fit(kind Kind, name string) string {
	s := invalidRun.ReplaceAllString(name, "-")
	s = collapseHyphens(s)
	if kind.Lower {
		s = strings.ToLower(s)
	}
	s = strings.Trim(s, "-")
	if len(s) <= kind.MaxLen {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	keep := strings.TrimRight(s[:kind.MaxLen-hashLen-1], "-")
	return keep + "-" + hex.EncodeToString(sum[:])[:hashLen]
}

func collapseHyphens(s string) string {
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	return s
}
