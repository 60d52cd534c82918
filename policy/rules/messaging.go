package rules

import (
	"fmt"
	"strconv"
	"strings"
)

const typeMQBroker = "aws:mq/broker:Broker"

// messagingRules are the Amazon MQ AWS Foundational Security Best Practices controls and the RabbitMQ
// versions Morpheus supports.
func messagingRules() []Rule {
	return []Rule{
		{
			Name: "mq-auto-minor-upgrade", Control: "MQ.3", Level: Mandatory,
			Description: "Amazon MQ brokers take automatic minor version upgrades.",
			Why:         "FSBP control, and the API requires it for RabbitMQ 3.13 and later.",
			Check:       only(checkMQMinorUpgrade, typeMQBroker),
		},
		{
			Name: "mq-cluster-deployment", Control: "MQ.6", Level: Advisory,
			Description: "In prod, RabbitMQ brokers are deployed CLUSTER_MULTI_AZ.",
			Why:         "MQ.6 is NIST-only and its evaluation is unconfirmed; prod's config requires the cluster anyway.",
			Check:       only(checkMQCluster, typeMQBroker),
		},
		{
			Name: "mq-not-public", Control: "project rule", Level: Mandatory,
			Description: "Amazon MQ brokers are not publicly accessible.",
			Why:         "Only the app nodes and the ops function talk to the broker; a public broker exposes the admin console.",
			Check:       only(checkMQPrivate, typeMQBroker),
		},
		{
			Name: "mq-general-logs", Control: "project rule", Level: Advisory,
			Description: "Amazon MQ brokers publish general logs to CloudWatch (logs.general true).",
			Why:         "Useful for diagnosis but not a security control, and it costs log ingestion.",
			Check:       only(checkMQLogs, typeMQBroker),
		},
		{
			Name: "mq-rabbitmq-version", Control: "Morpheus requirement", Level: Mandatory,
			Description: "Amazon MQ brokers run RabbitMQ with a major.minor engineVersion no later than 3.13.",
			Why:         "Morpheus 8.0.7 supports RabbitMQ 3.5-3.13 only; a patch version causes perpetual diffs.",
			Check:       only(checkMQVersion, typeMQBroker),
		},
	}
}

func checkMQMinorUpgrade(_ Context, r Resource) []string {
	if on, _ := r.flag("autoMinorVersionUpgrade"); !on && !isUnknown(r.Inputs["autoMinorVersionUpgrade"]) {
		return []string{"autoMinorVersionUpgrade is not true"}
	}
	return nil
}

func checkMQCluster(ctx Context, r Resource) []string {
	if !ctx.Prod() {
		return nil
	}
	if m, _ := r.get("deploymentMode"); m != "CLUSTER_MULTI_AZ" && !isUnknown(m) {
		return []string{fmt.Sprintf("deploymentMode is %s in prod; use \"CLUSTER_MULTI_AZ\"", show(m))}
	}
	return nil
}

func checkMQPrivate(_ Context, r Resource) []string {
	if on, _ := r.flag("publiclyAccessible"); on {
		return []string{"publiclyAccessible is true"}
	}
	return nil
}

func checkMQLogs(_ Context, r Resource) []string {
	if on, _ := r.flag("logs.general"); !on && !isUnknown(r.Inputs["logs"]) {
		return []string{"logs.general is not true"}
	}
	return nil
}

func checkMQVersion(_ Context, r Resource) []string {
	var m msgs
	engine, _ := r.get("engineType")
	e, _ := engine.(string)
	m.need(strings.EqualFold(e, "RabbitMQ") || isUnknown(engine), fmt.Sprintf("engineType is %s; Morpheus needs \"RabbitMQ\"", show(engine)))
	raw, _ := r.get("engineVersion")
	if isUnknown(raw) {
		return m
	}
	v, _ := raw.(string)
	parts := strings.Split(v, ".")
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := 0, error(nil)
	if len(parts) > 1 {
		minor, err2 = strconv.Atoi(parts[1])
	}
	switch {
	case len(parts) != 2 || err1 != nil || err2 != nil:
		m = append(m, fmt.Sprintf("engineVersion is %s; pin major.minor, e.g. \"3.13\"", show(raw)))
	case major > 3 || major == 3 && minor > 13:
		m = append(m, fmt.Sprintf("engineVersion %q is newer than 3.13, the last RabbitMQ Morpheus supports", v))
	}
	return m
}
