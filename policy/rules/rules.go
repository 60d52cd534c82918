package rules

// All returns every rule of the pack in a stable order. The plan report and
// the policy pack both start from this list, so they cannot disagree.
func All() []Rule {
	var out []Rule
	for _, group := range [][]Rule{
		networkRules(), securityGroupRules(), loadBalancerRules(), autoScalingRules(),
		databaseRules(), storageRules(), messagingRules(), searchRules(), keyRules(),
		s3Rules(), statefulRules(), exposureRules(), lambdaRules(),
	} {
		out = append(out, group...)
	}
	return out
}
