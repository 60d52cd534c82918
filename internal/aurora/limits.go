package aurora

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Limits RDS and this project put on an Aurora MySQL cluster.
const (
	// MinBackupRetentionDays is the shortest retention allowed: 7 days is the
	// floor of Security Hub RDS.11, and 0 (no automated backups) is refused.
	MinBackupRetentionDays = 7
	// MaxBackupRetentionDays is the longest retention RDS accepts.
	MaxBackupRetentionDays = 35
	// MaxInstances is a writer plus Aurora's 15 replicas.
	MaxInstances = 16
	// MinPort and MaxPort bound the port an Aurora MySQL cluster may listen on.
	MinPort = 1150
	MaxPort = 65535
	// MaxConnectionsLimit is the highest max_connections Aurora MySQL accepts.
	MaxConnectionsLimit = 16000
	// DefaultCACertIdentifier is the RSA 2048 CA every MySQL client library accepts.
	DefaultCACertIdentifier = "rds-ca-rsa2048-g1"
)

// MonitoringIntervals are the enhanced-monitoring periods RDS accepts, in
// seconds; 0 (off) is not offered because enhanced monitoring stays on (RDS.6).
var MonitoringIntervals = []int{1, 5, 10, 15, 30, 60}

// CACertIdentifiers are the current RDS certificate authorities (the 2019 CA
// expired in August 2024).
var CACertIdentifiers = []string{"rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"}

var instanceClassRE = regexp.MustCompile(`^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$`)

// CheckInstanceClass accepts a provisioned DB instance class such as
// db.r6g.large. Serverless v2 is refused: the vendor has not tested Morpheus on it.
func CheckInstanceClass(class string) error {
	switch {
	case class == "db.serverless":
		return errors.New("Aurora Serverless v2 is not supported for Morpheus (the vendor guide requires provisioned instances); use a class such as db.r6g.large")
	case !instanceClassRE.MatchString(class):
		return errors.New("must be an RDS DB instance class such as db.r6g.large (starts with db.)")
	}
	return nil
}

// Burstable reports whether class is a T-family (burstable CPU) class.
func Burstable(class string) bool { return strings.HasPrefix(class, "db.t") }

// CheckMonitoringInterval accepts one of MonitoringIntervals.
func CheckMonitoringInterval(seconds int) error {
	if !slices.Contains(MonitoringIntervals, seconds) {
		return fmt.Errorf("must be one of %v seconds; enhanced monitoring stays on everywhere (Security Hub RDS.6)", MonitoringIntervals)
	}
	return nil
}

// CheckCACertIdentifier accepts one of CACertIdentifiers.
func CheckCACertIdentifier(id string) error {
	if !slices.Contains(CACertIdentifiers, id) {
		return fmt.Errorf("must be one of %s", strings.Join(CACertIdentifiers, ", "))
	}
	return nil
}

// CheckBackupRetention accepts MinBackupRetentionDays..MaxBackupRetentionDays.
func CheckBackupRetention(days int) error {
	if days < MinBackupRetentionDays || days > MaxBackupRetentionDays {
		return fmt.Errorf("must be between %d and %d days; 0 would turn automated backups and point-in-time recovery off",
			MinBackupRetentionDays, MaxBackupRetentionDays)
	}
	return nil
}

// CheckPort accepts MinPort..MaxPort.
func CheckPort(port int) error {
	if port < MinPort || port > MaxPort {
		return fmt.Errorf("must be between %d and %d (the ports Aurora MySQL may listen on)", MinPort, MaxPort)
	}
	return nil
}
