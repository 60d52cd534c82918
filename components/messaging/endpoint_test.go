package messaging

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/mq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHostOf(t *testing.T) {
	for _, tc := range []struct {
		endpoint, host, err string
	}{
		{endpoint: "amqps://b-1234.mq.eu-west-1.amazonaws.com:5671", host: "b-1234.mq.eu-west-1.amazonaws.com"},
		{endpoint: "amqps://b-1234.mq.eu-west-1.amazonaws.com", host: "b-1234.mq.eu-west-1.amazonaws.com"},
		{endpoint: "amqp://b-1234.mq.eu-west-1.amazonaws.com:5672", err: "not amqps"},
		{endpoint: "amqps://b-1234.mq.eu-west-1.amazonaws.com:5672", err: "expected 5671"},
		{endpoint: "b-1234.mq.eu-west-1.amazonaws.com", err: "not amqps"},
	} {
		t.Run(tc.endpoint, func(t *testing.T) {
			host, err := hostOf(tc.endpoint)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.host, host)
		})
	}
}

func TestAMQPSEndpointAndFirstInstance(t *testing.T) {
	_, err := firstInstance(nil)
	assert.ErrorContains(t, err, "no instances")

	i, err := firstInstance([]mq.BrokerInstance{
		{Endpoints: []string{"wss://x:61619", "amqps://nlb.mq.eu-west-1.amazonaws.com:5671"}},
		{Endpoints: []string{"amqps://other:5671"}},
	})
	require.NoError(t, err)
	e, err := amqpsEndpoint(i)
	require.NoError(t, err)
	assert.Equal(t, "amqps://nlb.mq.eu-west-1.amazonaws.com:5671", e, "the first instance's amqps endpoint")

	_, err = amqpsEndpoint(mq.BrokerInstance{Endpoints: []string{"ssl://x:61617"}})
	assert.ErrorContains(t, err, "no amqps://")
}

func TestGeneralLogGroup(t *testing.T) {
	assert.Equal(t, "/aws/amazonmq/broker/b-1234/general", GeneralLogGroup("b-1234"))
	assert.True(t, strings.HasPrefix(GeneralLogGroup("b-1"), LogGroupPrefix))
}
