package messaging

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
)

// firstInstance is the broker instance whose endpoint clients use: the only one
// of a single instance and, for a cluster, the NLB in front of the nodes.
func firstInstance(instances []mq.BrokerInstance) (mq.BrokerInstance, error) {
	if len(instances) == 0 {
		return mq.BrokerInstance{}, errors.New("messaging: the broker reported no instances")
	}
	return instances[0], nil
}

// amqpsEndpoint is the instance's AMQPS URL; RabbitMQ brokers list only that one.
func amqpsEndpoint(i mq.BrokerInstance) (string, error) {
	for _, e := range i.Endpoints {
		if u, err := url.Parse(e); err == nil && u.Scheme == "amqps" {
			return e, nil
		}
	}
	return "", fmt.Errorf("messaging: no amqps:// endpoint among %v", i.Endpoints)
}

// hostOf turns "amqps://b-1234.mq.eu-west-1.amazonaws.com:5671" into the bare
// host name that morpheus.rb takes (it adds no scheme and reads the port
// separately), and checks the port is the one the security group opens.
func hostOf(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("messaging: endpoint %q: %w", endpoint, err)
	}
	if u.Scheme != "amqps" || u.Hostname() == "" {
		return "", fmt.Errorf("messaging: endpoint %q is not amqps://<host>:<port>", endpoint)
	}
	if p := u.Port(); p != "" && p != strconv.Itoa(AMQPSPort) {
		return "", fmt.Errorf("messaging: endpoint %q uses port %s, expected %d", endpoint, p, AMQPSPort)
	}
	return u.Hostname(), nil
}

// GeneralLogGroup is the log group Amazon MQ creates for a broker's general
// logs. The service creates it and its name holds the broker id, so Pulumi
// cannot own it; the ops function's bootstrap gives it retention and the logs
// key.
func GeneralLogGroup(brokerID string) string {
	return "/aws/amazonmq/broker/" + brokerID + "/general"
}

// LogGroupPrefix starts every broker's log group name (IAM resource scoping).
const LogGroupPrefix = "/aws/amazonmq/broker/"
