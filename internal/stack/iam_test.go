package stack_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

// policyInputs are the inputs, per resource type, that hold a policy document.
var policyInputs = map[string]string{
	"aws:iam/role:Role":                                  "assumeRolePolicy",
	"aws:iam/rolePolicy:RolePolicy":                      "policy",
	"aws:iam/policy:Policy":                              "policy",
	"aws:kms/key:Key":                                    "policy",
	"aws:s3/bucketPolicy:BucketPolicy":                   "policy",
	"aws:sns/topicPolicy:TopicPolicy":                    "policy",
	"aws:efs/fileSystemPolicy:FileSystemPolicy":          "policy",
	"aws:opensearch/domain:Domain":                       "accessPolicies",
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
}

// unscopable are the only secretsmanager, ssm and kms actions allowed on "*":
// read-only calls about Run Command executions that accept no resource ARN
// (AWS's service authorization reference), which the node refresh automation
// needs to follow its commands, and the SSM agent's registration and
// association poll on the nodes (AWS's own minimal Session Manager instance
// policy grants them on "*"). None of them reads a secret, a parameter, a
// document or a key.
var unscopable = map[string]bool{
	"ssm:ListCommands": true, "ssm:ListCommandInvocations": true,
	"ssm:GetCommandInvocation": true, "ssm:DescribeInstanceInformation": true,
	"ssm:UpdateInstanceInformation": true, "ssm:ListInstanceAssociations": true,
}

// sensitiveServices are the services whose actions on "*" would reach secrets,
// parameters or keys beyond this stack.
var sensitiveServices = []string{"secretsmanager", "ssm", "kms"}

// TestEveryPolicyDocument: every policy document the prod stack writes is valid
// JSON, and no identity policy allows a secretsmanager, ssm or kms action on
// "*" beyond the unscopable read-only ones (a key policy's "*" means the key
// itself, so key policies are exempt).
func TestEveryPolicyDocument(t *testing.T) {
	rec := runEnv(t, "prod")
	checked := 0
	for token, input := range policyInputs {
		for _, r := range rec.ByType(token) {
			raw := r.String(input)
			if raw == "" {
				continue
			}
			checked++
			require.True(t, json.Valid([]byte(raw)), "%s %s: %s is not valid JSON", token, r.Name, input)
			if token == "aws:kms/key:Key" {
				continue
			}
			var doc struct {
				Statement []struct {
					Effect   string
					Action   any
					Resource any
				}
			}
			require.NoError(t, json.Unmarshal([]byte(raw), &doc), r.Name)
			for _, s := range doc.Statement {
				if s.Effect != "Allow" || !contains(s.Resource, "*") {
					continue
				}
				for _, a := range list(s.Action) {
					svc, _, _ := strings.Cut(a, ":")
					if unscopable[a] {
						continue
					}
					assert.NotContains(t, sensitiveServices, svc,
						"%s %s allows %s on *", token, r.Name, a)
				}
			}
		}
	}
	assert.Greater(t, checked, 15)
}

func list(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func contains(v any, want string) bool {
	for _, s := range list(v) {
		if s == want {
			return true
		}
	}
	return false
}

// reviewedManagedPolicies are the only AWS managed policies the stack attaches,
// each to a role only an AWS service assumes, for that service's own work:
// RDS enhanced monitoring (logs actions on RDS's own log group only) and AWS
// Backup's service-role policies for backups and restores (AWS's documented
// role policies, which AWS extends as Backup supports more services).
var reviewedManagedPolicies = []string{
	"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
	"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
	"arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
}

// TestNoManagedPoliciesBeyondTheReviewedOnes: AWS managed policies grant on
// "*" what this stack scopes (AmazonSSMManagedInstanceCore reads every
// parameter in the account), so none is attached but the reviewed service-role
// policies, and none at all to a role a workload (node, function) runs as.
func TestNoManagedPoliciesBeyondTheReviewedOnes(t *testing.T) {
	rec := runEnv(t, "prod")
	for _, a := range rec.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
		assert.Contains(t, reviewedManagedPolicies, a.String("policyArn"), a.Name)
		assert.NotContains(t, []string{"app-role-id", "ops-role-id"}, a.String("role"), "%s: a workload role holds inline least privilege only", a.Name)
	}
}

// trustWithoutSource are the services whose roles carry no aws:SourceAccount:
// EC2 assumes the node role only through an instance profile of this account,
// and that AWS Backup sends the key when it assumes its service role is
// *unconfirmed* (its confused-deputy guidance covers resource policies), so a
// condition could silently stop every backup.
var trustWithoutSource = []string{"ec2.amazonaws.com", "backup.amazonaws.com"}

// TestServiceTrustsNameTheAccount: every other role an AWS service assumes
// requires aws:SourceAccount (confused deputy).
func TestServiceTrustsNameTheAccount(t *testing.T) {
	rec := runEnv(t, "prod")
	checked := 0
	for _, r := range rec.ByType("aws:iam/role:Role") {
		var doc struct {
			Statement []struct {
				Principal map[string]any
				Condition map[string]map[string]any
			}
		}
		require.NoError(t, json.Unmarshal([]byte(r.String("assumeRolePolicy")), &doc), r.Name)
		for _, s := range doc.Statement {
			services := list(s.Principal["Service"])
			if len(services) == 0 || len(services) == 1 && slices.Contains(trustWithoutSource, services[0]) {
				continue
			}
			checked++
			assert.Equal(t, testutil.AccountID, s.Condition["StringEquals"]["aws:SourceAccount"], "%s trusts %v for any account", r.Name, services)
		}
	}
	assert.GreaterOrEqual(t, checked, 5, "flow logs, RDS monitoring, ops function, refresh automation and events")
}
