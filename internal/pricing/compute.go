package pricing

import (
	"fmt"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

const (
	asgType            = "aws:autoscaling/group:Group"
	launchTemplateType = "aws:ec2/launchTemplate:LaunchTemplate"
)

// groupSize is the instances an Auto Scaling group runs in steady state: its
// desired capacity, or its minimum when desired capacity is left to the
// scaling policies (they return to the minimum when load is low).
func groupSize(e plan.Entry) (n float64, assumption string) {
	if d, ok := numberOf(e.Inputs["desiredCapacity"]); ok {
		return d, fmt.Sprintf("%s (desired capacity)", plural(d, "instance", "instances"))
	}
	m, _ := numberOf(e.Inputs["minSize"])
	return m, fmt.Sprintf("%s (minimum size; desired capacity unset)", plural(m, "instance", "instances"))
}

// launchTemplate finds the group's launch template among its dependencies.
func (c *calc) launchTemplate(e plan.Entry) (plan.Entry, bool) {
	urns := append(append([]string(nil), e.PropertyDependencies["launchTemplate"]...), e.Dependencies...)
	for _, urn := range urns {
		if lt, ok := c.byURN[urn]; ok && lt.Type == launchTemplateType {
			return lt, true
		}
	}
	return plan.Entry{}, false
}

// priceGroup prices an Auto Scaling group's instances from its launch
// template: instance hours, EBS volumes, detailed monitoring and the
// CloudWatch agent's custom metrics.
func priceGroup(c *calc, e plan.Entry) {
	if e.Inputs["mixedInstancesPolicy"] != nil {
		c.notPriced(e, "mixed instances policy: the instance mix is not priced")
		return
	}
	lt, ok := c.launchTemplate(e)
	if !ok {
		c.notPriced(e, "no launch template found among its dependencies")
		return
	}
	n, size := groupSize(e)
	it := stringOf(lt.Inputs["instanceType"])
	if it == "" {
		c.notPriced(e, "launch template sets no instance type")
		return
	}
	c.add(e, "EC2", it+" instances", "ec2.instance."+it, c.hours(n), fmt.Sprintf("%s × %s h", size, num(c.a.HoursPerMonth)))

	devices := listOf(lt.Inputs["blockDeviceMappings"])
	if len(devices) == 0 {
		c.notPriced(e, "root volume: its size comes from the AMI, which the plan does not know")
	}
	for _, d := range devices {
		ebs := objectOf(field(objectOf(d), "ebs"))
		if ebs == nil {
			continue
		}
		c.priceVolume(e, ebs, n, size)
	}
	if boolOf(field(lt.Inputs, "monitoring", "enabled")) {
		c.add(e, "CloudWatch", "EC2 detailed monitoring metrics", "cloudwatch.metric.custom", n*c.a.DetailedMonitoringMetrics,
			fmt.Sprintf("%s × %s metrics", size, num(c.a.DetailedMonitoringMetrics)))
	}
	c.add(e, "CloudWatch", "CloudWatch agent custom metrics", "cloudwatch.metric.custom", n*c.a.AgentMetricsPerNode,
		fmt.Sprintf("%s × %s metrics (memory, one disk path, process count)", size, num(c.a.AgentMetricsPerNode)))
}

// priceVolume prices one EBS volume of each of n instances.
func (c *calc) priceVolume(e plan.Entry, ebs map[string]any, n float64, size string) {
	vt := stringOf(ebs["volumeType"])
	gb, ok := numberOf(ebs["volumeSize"])
	switch {
	case vt != "gp3":
		c.notPriced(e, fmt.Sprintf("EBS volume type %q: only gp3 is in the price table", vt))
		return
	case !ok:
		c.notPriced(e, "EBS volume without a size: its size comes from the AMI, which the plan does not know")
		return
	}
	c.add(e, "EBS", "gp3 volumes", "ebs.gp3.gb", n*gb, fmt.Sprintf("%s × %s GB", size, num(gb)))
	// gp3 includes 3000 IOPS and 125 MB/s; only provisioning beyond that bills.
	if iops, ok := numberOf(ebs["iops"]); ok && iops > 3000 {
		c.add(e, "EBS", "gp3 IOPS over 3000", "ebs.gp3.iops", n*(iops-3000), fmt.Sprintf("%s × %s IOPS", size, num(iops-3000)))
	}
	if mbs, ok := numberOf(ebs["throughput"]); ok && mbs > 125 {
		c.add(e, "EBS", "gp3 throughput over 125 MB/s", "ebs.gp3.throughput", n*(mbs-125), fmt.Sprintf("%s × %s MB/s", size, num(mbs-125)))
	}
}
