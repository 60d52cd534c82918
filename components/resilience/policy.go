package resilience

import (
	"sort"

	"github.com/morpheus-ha/morpheus-ha/internal/awsenv"
	"github.com/morpheus-ha/morpheus-ha/internal/iampolicy"
)

// GroupTagKey is the tag Auto Scaling puts on its instances: the node drill
// selects, and the role may terminate, only instances carrying this stack's
// group name in it.
const GroupTagKey = "aws:autoscaling:groupName"

// FISTagKey is the tag FIS puts on the network ACL it swaps into a disrupted
// subnet; the role may edit and delete only ACLs carrying it.
const FISTagKey = "managedByFIS"

// Trust lets FIS assume the role for this account's experiments only.
func Trust(env awsenv.Env) iampolicy.Document {
	return iampolicy.ServiceTrust("FISAssume", "fis.amazonaws.com", env.AccountID, env.ARN("fis", "experiment/*"))
}

// Targets are the resources the drills act on, resolved.
type Targets struct {
	// AsgName is the app nodes' group.
	AsgName string
	// ClusterArn is the Aurora cluster; "" when there is no failover drill.
	ClusterArn string
	// VpcArn is the stack's VPC.
	VpcArn string
	// SubnetArns are the disrupted AZ's private-app and private-data subnets.
	SubnetArns []string
}

// RolePolicy is the FIS role's inline policy: each destructive action on this
// stack's resources only (by ARN, or by a tag only this stack's resources
// carry), never on "*". Only read calls that take no resource (Describe*,
// Get*) and the log delivery calls (which CloudWatch Logs authorises on "*")
// have a "*" resource.
func RolePolicy(env awsenv.Env, t Targets) iampolicy.Document {
	acls := env.ARN("ec2", "network-acl/*")
	statements := []iampolicy.Statement{
		iampolicy.Allow("TerminateThisGroupsNodes", []string{"ec2:TerminateInstances"}, []string{env.ARN("ec2", "instance/*")}).
			When("StringEquals", "ec2:ResourceTag/"+GroupTagKey, t.AsgName),
	}
	if t.ClusterArn != "" {
		statements = append(statements,
			iampolicy.Allow("FailOverThisCluster", []string{"rds:FailoverDBCluster", "rds:DescribeDBClusters"}, []string{t.ClusterArn}))
	}
	return iampolicy.New(append(statements,
		// disrupt-connectivity clones the subnet's ACL into a tagged one with
		// deny entries, swaps it in for the duration, swaps the original back
		// and deletes the clone.
		iampolicy.Allow("CreateDrillAclInThisVpc", []string{"ec2:CreateNetworkAcl"}, []string{t.VpcArn, acls}).
			When("StringEquals", "aws:RequestTag/"+FISTagKey, "true"),
		iampolicy.Allow("TagDrillAclAtCreation", []string{"ec2:CreateTags"}, []string{acls}).
			When("StringEquals", "ec2:CreateAction", "CreateNetworkAcl").
			When("StringEquals", "aws:RequestTag/"+FISTagKey, "true"),
		iampolicy.Allow("EditAndDeleteDrillAcl", []string{"ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"}, []string{acls}).
			When("StringEquals", "ec2:ResourceTag/"+FISTagKey, "true"),
		iampolicy.Allow("SwapAclsOfDrillSubnets", []string{"ec2:ReplaceNetworkAclAssociation"}, append([]string{acls}, t.SubnetArns...)).
			When("ArnEquals", "ec2:Vpc", t.VpcArn),
		iampolicy.Allow("ResolveTargets", []string{
			"ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeNetworkAcls", "ec2:DescribeVpcs",
			"ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries",
		}, []string{"*"}),
		iampolicy.Allow("DeliverExperimentLogs", []string{
			"logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
		}, []string{"*"}),
	)...)
}

// sortedKeys returns m's keys in order, so the templates' inputs never churn.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
