package pricing

import (
	"fmt"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// priceNAT prices a NAT gateway's hours and the data it processes.
func priceNAT(c *calc, e plan.Entry) {
	c.add(e, "VPC", "NAT gateway hours", "nat.hour", c.hours(1), fmt.Sprintf("1 gateway each × %s h", num(c.a.HoursPerMonth)))
	c.add(e, "VPC", "NAT gateway data processed", "nat.gb", c.a.NATGBPerGateway, fmt.Sprintf("%s GB per gateway", num(c.a.NATGBPerGateway)))
}

// priceEIP prices an Elastic IP: every public IPv4 address bills by the hour,
// attached or not.
func priceEIP(c *calc, e plan.Entry) {
	c.add(e, "VPC", "public IPv4 addresses", "publicipv4.hour", c.hours(1), fmt.Sprintf("1 address each × %s h", num(c.a.HoursPerMonth)))
}

// priceInternetGateway prices the data a VPC sends to the internet through
// its gateway (the gateway itself is free).
func priceInternetGateway(c *calc, e plan.Entry) {
	c.add(e, "Data transfer", "out to the internet", "internet.out.gb", c.a.InternetOutGB, fmt.Sprintf("%s GB per internet gateway", num(c.a.InternetOutGB)))
}

// priceEndpoint prices an interface endpoint per AZ (one network interface
// per subnet) and the data it processes; gateway endpoints are free.
func priceEndpoint(c *calc, e plan.Entry) {
	switch t := stringOf(e.Inputs["vpcEndpointType"]); t {
	case "Gateway", "":
		// The provider's default type is Gateway.
		c.free(e, "gateway endpoints (S3, DynamoDB) are free")
	case "Interface":
		azs := float64(len(listOf(e.Inputs["subnetIds"])))
		c.add(e, "VPC", "interface endpoint hours", "vpce.interface.hour", c.hours(azs),
			fmt.Sprintf("%s × %s h", plural(azs, "AZ", "AZs"), num(c.a.HoursPerMonth)))
		c.add(e, "VPC", "interface endpoint data processed", "vpce.gb", c.a.EndpointGB, fmt.Sprintf("%s GB per endpoint", num(c.a.EndpointGB)))
	default:
		c.notPriced(e, fmt.Sprintf("endpoint type %q", t))
	}
}

// priceLoadBalancer prices an ALB's hours, its capacity units and, when it
// faces the internet, its public IPv4 addresses (one per subnet).
func priceLoadBalancer(c *calc, e plan.Entry) {
	if t := stringOf(e.Inputs["loadBalancerType"]); t != "" && t != "application" {
		c.notPriced(e, fmt.Sprintf("load balancer type %q: the table prices ALBs only", t))
		return
	}
	c.add(e, "ELB", "ALB hours", "alb.hour", c.hours(1), fmt.Sprintf("1 ALB each × %s h", num(c.a.HoursPerMonth)))
	c.add(e, "ELB", "ALB capacity units", "alb.lcu.hour", c.hours(c.a.ALBLCUs), fmt.Sprintf("%s LCU on average × %s h", num(c.a.ALBLCUs), num(c.a.HoursPerMonth)))
	if !boolOf(e.Inputs["internal"]) {
		subnets := float64(len(listOf(e.Inputs["subnets"])) + len(listOf(e.Inputs["subnetMappings"])))
		c.add(e, "VPC", "public IPv4 addresses", "publicipv4.hour", c.hours(subnets),
			fmt.Sprintf("%s (internet-facing ALB, one per subnet) × %s h", plural(subnets, "address", "addresses"), num(c.a.HoursPerMonth)))
	}
}

// paidRuleGroups are AWS managed rule groups billed on top of the rule price
// (subscription and per-request fees the table does not hold).
var paidRuleGroups = []string{"AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet"}

// priceWebACL prices a WAF web ACL, its rules (a managed rule group counts as
// one rule) and the requests it inspects.
func priceWebACL(c *calc, e plan.Entry) {
	rules := listOf(e.Inputs["rules"])
	c.add(e, "WAF", "web ACLs", "wafv2.webacl", 1, "1 per web ACL")
	c.add(e, "WAF", "rules", "wafv2.rule", float64(len(rules)), "1 per rule or rule group")
	c.add(e, "WAF", "requests inspected", "wafv2.requests.million", c.a.WAFRequestsMillions, fmt.Sprintf("%s million per web ACL", num(c.a.WAFRequestsMillions)))
	for _, r := range rules {
		name := stringOf(field(objectOf(r), "statement", "managedRuleGroupStatement", "name"))
		for _, paid := range paidRuleGroups {
			if strings.EqualFold(name, paid) {
				c.notPriced(e, fmt.Sprintf("managed rule group %s: its subscription and request fees", name))
			}
		}
	}
}

// priceBucket prices an S3 bucket's storage.
func priceBucket(c *calc, e plan.Entry) {
	c.add(e, "S3", "Standard storage", "s3.standard.gb", c.a.S3GBPerBucket, fmt.Sprintf("%s GB per bucket", num(c.a.S3GBPerBucket)))
}

// priceBucketReplication prices the changes an S3 replication sends to another
// region; the destination bucket is a resource of its own, priced as a bucket.
// A bucket ARN does not name its region, so replication is taken to be
// cross-region (the disaster-recovery case).
func priceBucketReplication(c *calc, e plan.Entry) {
	c.add(e, "Data transfer", "replication to another region", "transfer.interregion.gb", c.a.ReplicationGB,
		fmt.Sprintf("%s GB a month per replication", num(c.a.ReplicationGB)))
}
