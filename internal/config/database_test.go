package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/aurora"
	"github.com/morpheus-ha/morpheus-ha/internal/config"
)

func TestDatabaseDefaults(t *testing.T) {
	for _, tc := range []struct {
		env       string
		class     string
		instances int
		retention int
	}{
		{"dev", "db.t4g.medium", 1, 7},
		{"staging", "db.r6g.large", 2, 7},
		{"prod", "db.r6g.large", 2, 14},
	} {
		t.Run(tc.env, func(t *testing.T) {
			cfg, err := parseWith(tc.env)
			require.NoError(t, err)
			d := cfg.Database
			assert.Equal(t, aurora.DefaultEngineVersion, d.EngineVersion)
			assert.Equal(t, tc.class, d.InstanceClass)
			assert.Equal(t, tc.instances, d.InstanceCount)
			assert.Equal(t, tc.retention, d.BackupRetentionDays)
			assert.Equal(t, config.DefaultDatabasePort, d.Port)
			assert.NotEqual(t, 3306, d.Port, "RDS.23: the default port is not MySQL's")
			assert.Equal(t, 60, d.MonitoringInterval)
			assert.Equal(t, "rds-ca-rsa2048-g1", d.CACertIdentifier)
			assert.Equal(t, "02:00-03:00", d.BackupWindow)
			assert.Equal(t, "sun:04:00-sun:05:00", d.MaintenanceWindow)
		})
	}
}

// TestDatabaseFieldKeepsSiblings: setting one field keeps the environment's
// defaults for the others.
func TestDatabaseFieldKeepsSiblings(t *testing.T) {
	cfg, err := parseWith("prod", "database", `{"instanceCount":3,"engineVersion":"8.0.mysql_aurora.3.05.2"}`)
	require.NoError(t, err)
	assert.Equal(t, 3, cfg.Database.InstanceCount)
	assert.Equal(t, "8.0.mysql_aurora.3.05.2", cfg.Database.EngineVersion)
	assert.Equal(t, "db.r6g.large", cfg.Database.InstanceClass)
	assert.Equal(t, 14, cfg.Database.BackupRetentionDays)
}

func TestDatabaseValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  string
		obj  string
		key  string
		rule string
	}{
		{"old 3.04 LTS", "prod", `{"engineVersion":"8.0.mysql_aurora.3.04.2"}`, "engineVersion", "8.0.32"},
		{"Aurora MySQL 2", "dev", `{"engineVersion":"5.7.mysql_aurora.2.12.1"}`, "engineVersion", "MySQL 8.0 only"},
		{"bare minor", "dev", `{"engineVersion":"3.10.3"}`, "engineVersion", "8.0.mysql_aurora.3.MM.P"},
		{"prod single instance", "prod", `{"instanceCount":1}`, "instanceCount", "at least 2"},
		{"no instances", "dev", `{"instanceCount":0}`, "instanceCount", "between 1 and 16"},
		{"too many instances", "staging", `{"instanceCount":17}`, "instanceCount", "between 1 and 16"},
		{"no backups", "dev", `{"backupRetentionDays":0}`, "backupRetentionDays", "between 7 and 35"},
		{"too long retention", "prod", `{"backupRetentionDays":36}`, "backupRetentionDays", "between 7 and 35"},
		{"backup window format", "prod", `{"backupWindow":"2am-3am"}`, "backupWindow", "hh24:mi-hh24:mi"},
		{"short backup window", "prod", `{"backupWindow":"02:00-02:15"}`, "backupWindow", "at least 30 minutes"},
		{"maintenance window format", "prod", `{"maintenanceWindow":"sun:04:00-05:00"}`, "maintenanceWindow", "ddd:hh24:mi-ddd:hh24:mi"},
		{"overlapping windows", "prod", `{"backupWindow":"03:30-04:30","maintenanceWindow":"sun:04:00-sun:05:00"}`, "maintenanceWindow", "overlaps database.backupWindow"},
		{"class without db. prefix", "prod", `{"instanceClass":"r6g.large"}`, "instanceClass", "starts with db."},
		{"serverless", "staging", `{"instanceClass":"db.serverless"}`, "instanceClass", "Serverless v2"},
		{"burstable in prod", "prod", `{"instanceClass":"db.t4g.medium"}`, "instanceClass", "burstable"},
		{"port too low", "dev", `{"port":1024}`, "port", "between 1150 and 65535"},
		{"monitoring off", "dev", `{"monitoringInterval":0}`, "monitoringInterval", "RDS.6"},
		{"expired CA", "prod", `{"caCertIdentifier":"rds-ca-2019"}`, "caCertIdentifier", "rds-ca-rsa2048-g1"},
		{"unknown field", "prod", `{"engine":"aurora-postgresql"}`, "engine", "unknown field"},
		{"wrong type", "prod", `{"port":"3307"}`, "port", "integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseWith(tc.env, "database", tc.obj)
			require.Error(t, err)
			var errs config.Errors
			require.ErrorAs(t, err, &errs)
			require.Len(t, errs, 1, err.Error())
			assert.Equal(t, "morpheus-ha:database."+tc.key, errs[0].Key)
			assert.Contains(t, err.Error(), "morpheus-ha:database."+tc.key)
			assert.Contains(t, errs[0].Rule, tc.rule)
		})
	}
}

// TestDatabaseAcceptsNonProdSingleInstanceAndBurstable: what prod refuses is
// the cost-minimal dev layout.
func TestDatabaseAcceptsNonProdSingleInstanceAndBurstable(t *testing.T) {
	cfg, err := parseWith("staging", "database", `{"instanceCount":1,"instanceClass":"db.t4g.large","port":3306}`)
	require.NoError(t, err)
	assert.Equal(t, 1, cfg.Database.InstanceCount)
	assert.Equal(t, 3306, cfg.Database.Port)
}
