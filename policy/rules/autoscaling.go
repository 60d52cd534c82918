package rules

import "fmt"

const typeAutoScalingGroup = "aws:autoscaling/group:Group"

// autoScalingRules are the Auto Scaling AWS Foundational Security Best Practices controls
func autoScalingRules() []Rule {
	return []Rule{
		{
			Name: "autoscaling-elb-health-check", Control: "AutoScaling.1", Level: Mandatory,
			Description: "Auto Scaling groups behind a load balancer use healthCheckType ELB.",
			Why:         "FSBP control; with EC2 checks a node whose Morpheus died keeps running and serving errors.",
			Check:       only(checkASGHealthCheck, typeAutoScalingGroup),
		},
		{
			Name: "autoscaling-multi-az", Control: "AutoScaling.2", Level: Mandatory,
			Description: "Auto Scaling groups span at least two subnets (AZs).",
			Why:         "FSBP control; surviving an AZ loss is the point of the HA layout.",
			Check:       only(checkASGMultiAZ, typeAutoScalingGroup),
		},
		{
			Name: "autoscaling-launch-template", Control: "AutoScaling.9, AutoScaling.3", Level: Mandatory,
			Description: "Auto Scaling groups launch from a launch template, never a launch configuration.",
			Why:         "FSBP control; launch configurations cannot require IMDSv2 or carry the encrypted block devices.",
			Check:       only(checkASGLaunchTemplate, typeAutoScalingGroup),
		},
	}
}

func checkASGHealthCheck(_ Context, r Resource) []string {
	t, _ := r.get("healthCheckType")
	if t == "ELB" || isUnknown(t) {
		return nil
	}
	return []string{fmt.Sprintf("healthCheckType is %s; use \"ELB\"", show(t))}
}

func checkASGMultiAZ(_ Context, r Resource) []string {
	n := len(r.list("vpcZoneIdentifiers"))
	if az := len(r.list("availabilityZones")); az > n {
		n = az
	}
	if n >= 2 || isUnknown(r.Inputs["vpcZoneIdentifiers"]) {
		return nil
	}
	return []string{fmt.Sprintf("the group spans %d subnet(s); use at least 2 AZs", n)}
}

func checkASGLaunchTemplate(_ Context, r Resource) []string {
	var m msgs
	m.need(!r.isSet("launchConfiguration"), "launchConfiguration is set; use a launch template")
	m.need(r.isSet("launchTemplate") || r.isSet("mixedInstancesPolicy.launchTemplate"), "neither launchTemplate nor mixedInstancesPolicy.launchTemplate is set")
	return m
}
