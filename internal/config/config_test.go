package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

func TestEnvironmentDefaults(t *testing.T) {
	for _, tc := range []struct {
		env                config.Environment
		azs, nats, logDays int
		minNodes           int
		protect            bool
	}{
		{config.Dev, 2, 1, 14, 1, false},
		{config.Staging, 3, 3, 30, 3, false},
		{config.Prod, 3, 3, 365, 3, true},
	} {
		t.Run(string(tc.env), func(t *testing.T) {
			cfg, err := parseWith(string(tc.env))
			require.NoError(t, err)
			assert.Equal(t, tc.azs, cfg.Network.AZCount)
			assert.Equal(t, tc.nats, cfg.NATGatewayCount())
			assert.Equal(t, tc.logDays, cfg.Logs.RetentionDays)
			assert.Equal(t, tc.minNodes, cfg.App.MinNodes)
			assert.Equal(t, tc.protect, cfg.Protect())
			assert.Equal(t, config.DefaultVPCCIDR, cfg.Network.CIDR)
			assert.Equal(t, 20, cfg.Network.SubnetPrefixLength)
			assert.Equal(t, 30, cfg.Keys.DeletionWindowDays)
		})
	}
}

// TestObjectFieldsKeepOtherDefaults: setting one field of an object must not
// reset its siblings.
func TestObjectFieldsKeepOtherDefaults(t *testing.T) {
	cfg, err := parseWith("staging", "network", `{"cidr":"172.20.0.0/18"}`)
	require.NoError(t, err)
	assert.Equal(t, "172.20.0.0/18", cfg.Network.CIDR)
	assert.Equal(t, 3, cfg.Network.AZCount)
	assert.Equal(t, config.NATPerAZ, cfg.Network.NATGateways)
	assert.Equal(t, 22, cfg.Network.SubnetPrefixLength)
}

func TestTags(t *testing.T) {
	cfg, err := parseWith("prod", "tags", `{"DataClass":"internal"}`)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"Project": "morpheus-ha", "Environment": "prod", "Stack": "prod", "Owner": "platform-team",
		"CostCenter": "cc-1234", "ManagedBy": "pulumi", "DataClass": "internal",
	}, cfg.Tags())
	assert.Equal(t, "https://morpheus.prod.example.com", cfg.ApplianceURL())
}

func TestUnknownKeys(t *testing.T) {
	errs := config.UnknownKeys("morpheus-ha", []string{"morpheus-ha:network", "morpheus-ha:netwrk", "aws:region", "other:thing"})
	require.Len(t, errs, 1)
	assert.Equal(t, "morpheus-ha:netwrk", errs[0].Key)
}
