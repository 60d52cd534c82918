package rules

import (
	"fmt"
	"sort"
	"strings"
)

const (
	typeVpc            = "aws:ec2/vpc:Vpc"
	typeFlowLog        = "aws:ec2/flowLog:FlowLog"
	typeDefaultSG      = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	typeSubnet         = "aws:ec2/subnet:Subnet"
	typeVpcEndpoint    = "aws:ec2/vpcEndpoint:VpcEndpoint"
	typeLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
)

// networkRules are the VPC and EC2 AWS Foundational Security Best Practices controls
func networkRules() []Rule {
	return []Rule{
		{
			Name: "ec2-vpc-flow-logs", Control: "EC2.6", Level: Mandatory,
			Description: "Every VPC has a flow log capturing ALL traffic (accepted and rejected).",
			Why:         "FSBP/CIS control; without it there is no record of who reached the data tier.",
			CheckStack:  checkFlowLogs,
		},
		{
			Name: "ec2-default-security-group-closed", Control: "EC2.2", Level: Mandatory,
			Description: "Every VPC's default security group is adopted (aws:ec2/defaultSecurityGroup) with no ingress or egress rules.",
			Why:         "FSBP/CIS control; a resource placed in the default group by mistake would otherwise talk to every other one.",
			CheckStack:  checkDefaultSecurityGroups,
		},
		{
			Name: "ec2-launch-template-imdsv2", Control: "EC2.170, EC2.8", Level: Mandatory,
			Description: "Launch templates require IMDSv2 (metadataOptions.httpTokens \"required\") and keep the metadata endpoint on.",
			Why:         "FSBP control; IMDSv1 lets an SSRF in Morpheus read the node role's credentials, and nodes need the endpoint to boot.",
			Check:       only(checkIMDSv2, typeLaunchTemplate),
		},
		{
			Name: "ec2-launch-template-imds-hop-limit", Control: "AutoScaling.4", Level: Advisory,
			Description: "Launch templates keep metadataOptions.httpPutResponseHopLimit at 1.",
			Why:         "Security Hub evaluates AutoScaling.4 on launch configurations only, and a hop limit of 2 is a legitimate choice for on-host containers.",
			Check:       only(checkHopLimit, typeLaunchTemplate),
		},
		{
			Name: "ec2-launch-template-no-public-ip", Control: "EC2.25", Level: Mandatory,
			Description: "Launch templates give no network interface a public IP address.",
			Why:         "FSBP control; app nodes sit in private subnets behind the ALB and must not be reachable directly.",
			Check:       only(checkNoPublicIP, typeLaunchTemplate),
		},
		{
			Name: "ec2-launch-template-ebs-encrypted", Control: "EC2.181, EC2.3", Level: Mandatory,
			Description: "Launch templates encrypt every EBS block device with a customer managed key (ebs.encrypted \"true\", ebs.kmsKeyId set).",
			Why:         "FSBP control; node disks hold morpheus.rb with rendered credentials.",
			Check:       only(checkLaunchTemplateEBS, typeLaunchTemplate),
		},
		{
			Name: "ec2-launch-template-instance-profile", Control: "project rule", Level: Mandatory,
			Description: "Launch templates attach an instance profile (iamInstanceProfile.arn or .name).",
			Why:         "Nodes fetch their secrets at boot with the instance role; without one the only way to get credentials onto a node is user data (DEVELOPERS.md, Secrets).",
			Check:       only(checkInstanceProfile, typeLaunchTemplate),
		},
		{
			Name: "ec2-subnet-no-auto-public-ip", Control: "EC2.15", Level: Mandatory,
			Description: "No subnet assigns public IPs on launch (mapPublicIpOnLaunch false), public subnets included.",
			Why:         "FSBP control; EFS.6 relies on it, and the ALB and NAT gateways get their addresses explicitly.",
			Check:       only(checkSubnetPublicIP, typeSubnet),
		},
		{
			Name: "ec2-vpc-interface-endpoints", Control: "SSM.1, EC2.10, EC2.55-60", Level: Advisory,
			Description: "Every VPC has interface endpoints with private DNS for ssm, ssmmessages, ec2messages, ec2, logs, kms and secretsmanager.",
			Why:         "NIST-only or unconfirmed controls; nodes work through the NAT gateways without them.",
			CheckStack:  checkInterfaceEndpoints,
		},
	}
}

// linked returns the resources of typ whose input prop was computed from urn.
func linked(rs []Resource, typ, prop, urn string) []Resource {
	var out []Resource
	for _, r := range ofType(rs, typ) {
		if r.dependsOn(prop, urn) {
			out = append(out, r)
		}
	}
	return out
}

func checkFlowLogs(_ Context, rs []Resource) []Violation {
	var out []Violation
	for _, vpc := range ofType(rs, typeVpc) {
		all := false
		for _, fl := range linked(rs, typeFlowLog, "vpcId", vpc.URN) {
			if t, ok := fl.get("trafficType"); ok && (t == "ALL" || isUnknown(t)) {
				all = true
			}
		}
		if !all {
			out = append(out, Violation{vpc.URN, "no aws:ec2/flowLog with trafficType \"ALL\" has this VPC as vpcId"})
		}
	}
	return out
}

func checkDefaultSecurityGroups(_ Context, rs []Resource) []Violation {
	var out []Violation
	for _, vpc := range ofType(rs, typeVpc) {
		groups := linked(rs, typeDefaultSG, "vpcId", vpc.URN)
		if len(groups) == 0 {
			out = append(out, Violation{vpc.URN, "the VPC's default security group is not adopted by an aws:ec2/defaultSecurityGroup, so it keeps AWS's allow-all rules"})
		}
		for _, g := range groups {
			for _, dir := range []string{"ingress", "egress"} {
				if n := len(g.list(dir)); n > 0 {
					out = append(out, Violation{g.URN, fmt.Sprintf("the default security group has %d %s rule(s); it must have none", n, dir)})
				}
			}
		}
	}
	return out
}

func checkIMDSv2(_ Context, r Resource) []string {
	var m msgs
	tokens, _ := r.get("metadataOptions.httpTokens")
	m.need(tokens == "required" || isUnknown(tokens), fmt.Sprintf("metadataOptions.httpTokens is %s; set \"required\" (IMDSv2 only)", show(tokens)))
	endpoint, _ := r.get("metadataOptions.httpEndpoint")
	m.need(endpoint != "disabled", "metadataOptions.httpEndpoint is \"disabled\"; nodes read their region and identity from IMDS")
	return m
}

func checkHopLimit(_ Context, r Resource) []string {
	if n, ok := r.num("metadataOptions.httpPutResponseHopLimit"); ok && n > 1 {
		return []string{fmt.Sprintf("metadataOptions.httpPutResponseHopLimit is %v; 1 keeps IMDS tokens on the host", n)}
	}
	return nil
}

func checkNoPublicIP(_ Context, r Resource) []string {
	var m msgs
	for i, ni := range maps(r.list("networkInterfaces")) {
		public, _ := boolean(ni["associatePublicIpAddress"])
		m.need(!public, fmt.Sprintf("networkInterfaces[%d].associatePublicIpAddress is true; nodes must stay private", i))
	}
	return m
}

func checkLaunchTemplateEBS(_ Context, r Resource) []string {
	var m msgs
	mappings := maps(r.list("blockDeviceMappings"))
	ebsCount := 0
	for i, bdm := range mappings {
		ebs, ok := bdm["ebs"].(map[string]any)
		if !ok {
			continue // an instance-store or NoDevice mapping has nothing to encrypt
		}
		ebsCount++
		enc, _ := boolean(ebs["encrypted"])
		m.need(enc || isUnknown(ebs["encrypted"]), fmt.Sprintf("blockDeviceMappings[%d].ebs.encrypted is %s; set \"true\"", i, show(ebs["encrypted"])))
		key, _ := ebs["kmsKeyId"].(string)
		m.need(key != "", fmt.Sprintf("blockDeviceMappings[%d].ebs.kmsKeyId is unset; encrypt with the stack's customer managed key", i))
	}
	m.need(ebsCount > 0, "no blockDeviceMappings[].ebs: the root volume would take the AMI's (unencrypted) default")
	return m
}

func checkInstanceProfile(_ Context, r Resource) []string {
	if r.isSet("iamInstanceProfile.arn") || r.isSet("iamInstanceProfile.name") || isUnknown(r.Inputs["iamInstanceProfile"]) {
		return nil
	}
	return []string{"iamInstanceProfile is unset; nodes need their role to read secrets at boot"}
}

func checkSubnetPublicIP(_ Context, r Resource) []string {
	if on, _ := r.flag("mapPublicIpOnLaunch"); on {
		return []string{"mapPublicIpOnLaunch is true; set false on every subnet"}
	}
	return nil
}

// endpointServices are the interface endpoints SSM.1 and EC2.10/55-60 look for.
var endpointServices = []string{"ec2", "ec2messages", "kms", "logs", "secretsmanager", "ssm", "ssmmessages"}

func checkInterfaceEndpoints(_ Context, rs []Resource) []Violation {
	var out []Violation
	for _, vpc := range ofType(rs, typeVpc) {
		have := map[string]bool{}
		for _, ep := range linked(rs, typeVpcEndpoint, "vpcId", vpc.URN) {
			name, ok := ep.str("serviceName")
			if !ok {
				continue
			}
			typ, _ := ep.str("vpcEndpointType")
			dns, _ := ep.flag("privateDnsEnabled")
			if typ == "Interface" && dns {
				have[name[strings.LastIndex(name, ".")+1:]] = true
			}
		}
		var missing []string
		for _, svc := range endpointServices {
			if !have[svc] {
				missing = append(missing, svc)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			out = append(out, Violation{vpc.URN, "no interface endpoint with private DNS for: " + strings.Join(missing, ", ")})
		}
	}
	return out
}

// show formats a value for a message: unset, or as Go-quoted JSON-like text.
func show(v any) string {
	if v == nil {
		return "unset"
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}
