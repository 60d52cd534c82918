package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/config"
	"github.com/morpheus-ha/morpheus-ha/internal/testutil"
)

func TestDataTierDefaults(t *testing.T) {
	for _, tc := range []struct {
		env, mode, instanceType string
	}{
		{"dev", config.MQSingleInstance, "mq.t3.micro"},
		{"staging", config.MQClusterMultiAZ, "mq.m7g.large"},
		{"prod", config.MQClusterMultiAZ, "mq.m7g.large"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			cfg, err := parseWith(tc.env)
			require.NoError(t, err)
			m := cfg.Messaging
			assert.Equal(t, "3.13", m.EngineVersion)
			assert.Equal(t, tc.mode, m.DeploymentMode)
			assert.Equal(t, tc.instanceType, m.InstanceType)
			assert.False(t, m.AllowUnsupportedVersion)
			assert.Equal(t, config.MaintenanceWindow{DayOfWeek: "SUNDAY", TimeOfDay: "06:00", TimeZone: "UTC"}, m.MaintenanceWindow)
			assert.Equal(t, config.Storage{LifecycleTransition: "none", ThroughputMode: "elastic"}, cfg.Storage)
		})
	}
}

func TestDataTierOverridesKeepOtherDefaults(t *testing.T) {
	cfg, err := parseWith("prod", "messaging", `{"maintenanceWindow":{"dayOfWeek":"WEDNESDAY"}}`)
	require.NoError(t, err)
	assert.Equal(t, config.MaintenanceWindow{DayOfWeek: "WEDNESDAY", TimeOfDay: "06:00", TimeZone: "UTC"}, cfg.Messaging.MaintenanceWindow)
	assert.Equal(t, "mq.m7g.large", cfg.Messaging.InstanceType)
}

func TestDataTierAccepted(t *testing.T) {
	for _, tc := range []struct {
		name, env, key, value string
	}{
		{"RabbitMQ 4.2 with the override", "prod", "messaging", `{"engineVersion":"4.2","allowUnsupportedVersion":true}`},
		{"3.13 on m5 cluster", "prod", "messaging", `{"instanceType":"mq.m5.large"}`},
		{"bigger cluster type", "prod", "messaging", `{"instanceType":"mq.m7g.2xlarge"}`},
		{"single instance outside prod", "staging", "messaging", `{"deploymentMode":"SINGLE_INSTANCE"}`},
		{"named time zone", "prod", "messaging", `{"maintenanceWindow":{"timeZone":"Europe/Berlin","timeOfDay":"23:30"}}`},
		{"bursting outside prod", "dev", "storage", `{"throughputMode":"bursting"}`},
		{"explicit none", "prod", "storage", `{"lifecycleTransition":"none"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith(tc.env, tc.key, tc.value)
			assert.NoError(t, err)
		})
	}
}

func TestDataTierRejected(t *testing.T) {
	for _, tc := range []struct {
		name, env, key, value string
		// wantKey is the full key the message must name; wantRule a part of the reason.
		wantKey, wantRule string
	}{
		{"RabbitMQ 4.2 without the override", "prod", "messaging", `{"engineVersion":"4.2"}`,
			"morpheus-ha:messaging.engineVersion", "Morpheus 8.0.7 supports RabbitMQ up to 3.13"},
		{"patch version", "prod", "messaging", `{"engineVersion":"3.13.7"}`,
			"morpheus-ha:messaging.engineVersion", "major.minor only"},
		{"ended 3.12", "prod", "messaging", `{"engineVersion":"3.12"}`,
			"morpheus-ha:messaging.engineVersion", "3.12 on 2025-03-17"},
		{"not a version", "dev", "messaging", `{"engineVersion":"latest"}`,
			"morpheus-ha:messaging.engineVersion", "major.minor version"},
		{"prod cluster on t3.micro", "prod", "messaging", `{"instanceType":"mq.t3.micro"}`,
			"morpheus-ha:messaging.instanceType", "CLUSTER_MULTI_AZ needs mq.m5.large or mq.m7g.large"},
		{"cluster on a medium size", "staging", "messaging", `{"instanceType":"mq.m7g.medium"}`,
			"morpheus-ha:messaging.instanceType", "CLUSTER_MULTI_AZ needs"},
		{"dev cluster on the dev default type", "dev", "messaging", `{"deploymentMode":"CLUSTER_MULTI_AZ"}`,
			"morpheus-ha:messaging.instanceType", "CLUSTER_MULTI_AZ needs"},
		{"RabbitMQ 4 on m5", "prod", "messaging", `{"engineVersion":"4.2","allowUnsupportedVersion":true,"instanceType":"mq.m5.large"}`,
			"morpheus-ha:messaging.instanceType", "only on the mq.m7g family"},
		{"unknown instance family", "prod", "messaging", `{"instanceType":"db.r6g.large"}`,
			"morpheus-ha:messaging.instanceType", "t3, m5 or m7g"},
		{"single instance in prod", "prod", "messaging", `{"deploymentMode":"SINGLE_INSTANCE","instanceType":"mq.m5.large"}`,
			"morpheus-ha:messaging.deploymentMode", "prod needs \"CLUSTER_MULTI_AZ\""},
		{"active/standby", "dev", "messaging", `{"deploymentMode":"ACTIVE_STANDBY_MULTI_AZ"}`,
			"morpheus-ha:messaging.deploymentMode", "ActiveMQ only"},
		{"bad maintenance day", "prod", "messaging", `{"maintenanceWindow":{"dayOfWeek":"Funday"}}`,
			"morpheus-ha:messaging.maintenanceWindow.dayOfWeek", "MONDAY"},
		{"lower-case day", "prod", "messaging", `{"maintenanceWindow":{"dayOfWeek":"sunday"}}`,
			"morpheus-ha:messaging.maintenanceWindow.dayOfWeek", "upper case"},
		{"hour out of range", "prod", "messaging", `{"maintenanceWindow":{"timeOfDay":"24:00"}}`,
			"morpheus-ha:messaging.maintenanceWindow.timeOfDay", "HH:MM"},
		{"single-digit hour", "prod", "messaging", `{"maintenanceWindow":{"timeOfDay":"3:00"}}`,
			"morpheus-ha:messaging.maintenanceWindow.timeOfDay", "HH:MM"},
		{"unknown time zone", "prod", "messaging", `{"maintenanceWindow":{"timeZone":"Mars/Olympus_Mons"}}`,
			"morpheus-ha:messaging.maintenanceWindow.timeZone", "IANA"},
		{"time of day as a number", "prod", "messaging", `{"maintenanceWindow":{"timeOfDay":300}}`,
			"morpheus-ha:messaging.maintenanceWindow.timeOfDay", "type string"},
		{"typo in a field", "prod", "messaging", `{"hostInstanceType":"mq.m7g.large"}`,
			"morpheus-ha:messaging.hostInstanceType", "unknown field"},
		{"typo in a nested field", "prod", "messaging", `{"maintenanceWindow":{"day":"MONDAY"}}`,
			"morpheus-ha:messaging.maintenanceWindow.day", "allowed fields are dayOfWeek, timeOfDay, timeZone"},
		{"EFS lifecycle transition", "prod", "storage", `{"lifecycleTransition":"AFTER_30_DAYS"}`,
			"morpheus-ha:storage.lifecycleTransition", "no IA or Archive lifecycle transitions"},
		{"provisioned throughput", "dev", "storage", `{"throughputMode":"provisioned"}`,
			"morpheus-ha:storage.throughputMode", "provisioned throughput is not offered"},
		{"bursting in prod", "prod", "storage", `{"throughputMode":"bursting"}`,
			"morpheus-ha:storage.throughputMode", "prod needs \"elastic\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith(tc.env, tc.key, tc.value)
			requireFieldError(t, err, tc.wantKey, tc.wantRule)
		})
	}
}

func TestDataTierKeysAreKnown(t *testing.T) {
	unknown := config.UnknownKeys(testutil.Project, []string{"morpheus-ha:storage", "morpheus-ha:messaging"})
	assert.Empty(t, unknown)
}
