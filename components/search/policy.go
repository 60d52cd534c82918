package search

import (
	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// DomainARN is the ARN of the domain called name.
func DomainARN(env awsenv.Env, name string) string {
	return env.ARN("es", "domain/"+name)
}

// AccessPolicy is the domain access policy: it lets any principal's HTTP request
// through to the domain's subresources and leaves authentication and
// authorization to fine-grained access control. This is AWS's "only use
// fine-grained access control" policy, which the vendor guide chooses: Morpheus
// signs in with basic auth, and a policy naming IAM principals would demand
// SigV4-signed requests that Morpheus cannot send. The domain is reachable only
// inside the VPC, through a security group admitting the client groups alone.
func AccessPolicy(env awsenv.Env, name string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("FineGrainedAccessControlOnly", []string{"es:ESHttp*"}, []string{DomainARN(env, name) + "/*"}).
			WithPrincipal("AWS", "*"),
	)
}

// LogDeliveryPolicy lets OpenSearch Service write to exactly the given log
// groups (by ARN), and only on behalf of this account's domain.
func LogDeliveryPolicy(env awsenv.Env, domainName string, groupArns []string) iampolicy.Document {
	resources := make([]string, 0, len(groupArns))
	for _, arn := range groupArns {
		resources = append(resources, arn+":*")
	}
	return iampolicy.New(
		iampolicy.Allow("OpenSearchLogDelivery", []string{"logs:PutLogEvents", "logs:CreateLogStream"}, resources).
			WithPrincipal("Service", env.ServicePrincipal("es")).
			When("StringEquals", "aws:SourceAccount", env.AccountID).
			When("ArnLike", "aws:SourceArn", DomainARN(env, domainName)),
	)
}
