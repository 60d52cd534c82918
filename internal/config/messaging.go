package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	// Embedded zone data makes maintenance-window time zone checks the same on
	// every machine, whatever the host has installed.
	_ "time/tzdata"
)

// Amazon MQ for RabbitMQ deployment modes. ACTIVE_STANDBY_MULTI_AZ is ActiveMQ only.
const (
	// MQSingleInstance is one broker node in one AZ (dev).
	MQSingleInstance = "SINGLE_INSTANCE"
	// MQClusterMultiAZ is three nodes in three AZs behind an NLB.
	MQClusterMultiAZ = "CLUSTER_MULTI_AZ"
)

// Defaults of the `messaging` object that do not depend on the environment.
const (
	// DefaultRabbitMQVersion is the newest RabbitMQ Morpheus 8.0.7 supports.
	DefaultRabbitMQVersion = "3.13"
	// DefaultMQClusterInstanceType runs 3.13 and keeps the path to 4.x open.
	DefaultMQClusterInstanceType = "mq.m7g.large"
	// DefaultMQDevInstanceType is the cheapest type that runs 3.13 (single instance only).
	DefaultMQDevInstanceType = "mq.t3.micro"
)

// Messaging is the `messaging` config object: the Amazon MQ for RabbitMQ
// broker.
type Messaging struct {
	// EngineVersion is the RabbitMQ major.minor version: patch versions (Amazon
	// MQ applies patches itself) and versions before 3.13 are rejected, newer
	// ones need allowUnsupportedVersion.
	EngineVersion string `json:"engineVersion"`
	// InstanceType is the broker host type; clusters need mq.m5.large,
	// mq.m7g.large or bigger, and RabbitMQ 4.x needs mq.m7g.
	InstanceType string `json:"instanceType"`
	// DeploymentMode is the broker layout: SINGLE_INSTANCE or CLUSTER_MULTI_AZ
	// (three nodes in three AZs); prod requires CLUSTER_MULTI_AZ.
	DeploymentMode string `json:"deploymentMode"`
	// MaintenanceWindow is when Amazon MQ may patch and reboot the broker.
	MaintenanceWindow MaintenanceWindow `json:"maintenanceWindow"`
	// AllowUnsupportedVersion accepts a RabbitMQ newer than Morpheus 8.0.7
	// supports (3.13).
	AllowUnsupportedVersion bool `json:"allowUnsupportedVersion"`
}

// MaintenanceWindow is the weekly start of the broker's maintenance window.
type MaintenanceWindow struct {
	// DayOfWeek is the day the window starts, MONDAY to SUNDAY.
	DayOfWeek string `json:"dayOfWeek"`
	// TimeOfDay is the window's start time, HH:MM on a 24-hour clock.
	TimeOfDay string `json:"timeOfDay"`
	// TimeZone is an IANA zone name such as UTC, CET or Europe/Berlin.
	TimeZone string `json:"timeZone"`
}

// messagingDefaults: dev runs the cheapest single broker, staging and prod a
// three-AZ cluster. The window is early Sunday UTC, off business hours in Europe.
func messagingDefaults(env Environment) Messaging {
	m := Messaging{
		EngineVersion:  DefaultRabbitMQVersion,
		InstanceType:   DefaultMQClusterInstanceType,
		DeploymentMode: MQClusterMultiAZ,
		// Sunday 06:00 UTC: after Aurora's window (04:00-05:00) and every backup.
		MaintenanceWindow: MaintenanceWindow{DayOfWeek: "SUNDAY", TimeOfDay: "06:00", TimeZone: "UTC"},
	}
	if env == Dev {
		m.InstanceType, m.DeploymentMode = DefaultMQDevInstanceType, MQSingleInstance
	}
	return m
}

var (
	mqVersionRE  = regexp.MustCompile(`^([0-9]+)\.([0-9]+)(\.[0-9]+)?$`)
	mqInstanceRE = regexp.MustCompile(`^mq\.(t3|m5|m7g)\.([0-9a-z]+)$`)
	timeOfDayRE  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	weekdays     = []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}
)

// maxMorpheusRabbitMQ is the newest RabbitMQ Morpheus 8.0.7 lists as compatible.
var maxMorpheusRabbitMQ = [2]int{3, 13}

func validateMessaging(cfg *Config, c *collector) {
	m := cfg.Messaging
	major := validateMQVersion(m, c)

	mode := m.DeploymentMode
	switch {
	case mode != MQSingleInstance && mode != MQClusterMultiAZ:
		c.addf("messaging.deploymentMode", mode, "must be %q or %q (ACTIVE_STANDBY_MULTI_AZ is ActiveMQ only)", MQSingleInstance, MQClusterMultiAZ)
	case cfg.IsProd() && mode != MQClusterMultiAZ:
		c.addf("messaging.deploymentMode", mode, "prod needs %q: a single-instance broker is lost with its AZ and is down for every maintenance reboot", MQClusterMultiAZ)
	}

	parts := mqInstanceRE.FindStringSubmatch(m.InstanceType)
	switch {
	case parts == nil:
		c.addf("messaging.instanceType", m.InstanceType, "must be an Amazon MQ for RabbitMQ type of the t3, m5 or m7g family, e.g. %s", DefaultMQClusterInstanceType)
	case mode == MQClusterMultiAZ && (parts[1] == "t3" || slices.Contains([]string{"micro", "small", "medium"}, parts[2])):
		c.addf("messaging.instanceType", m.InstanceType,
			"%s needs mq.m5.large or mq.m7g.large or bigger: mq.t3.micro runs single-instance brokers only and medium sizes are for evaluation", MQClusterMultiAZ)
	case major >= 4 && parts[1] != "m7g":
		c.addf("messaging.instanceType", m.InstanceType, "RabbitMQ %s runs only on the mq.m7g family", m.EngineVersion)
	}

	validateMaintenanceWindow(m.MaintenanceWindow, c)
}

// validateMQVersion checks engineVersion and returns its major version (0 when
// it cannot be read).
func validateMQVersion(m Messaging, c *collector) int {
	const key = "messaging.engineVersion"
	parts := mqVersionRE.FindStringSubmatch(m.EngineVersion)
	if parts == nil {
		c.addf(key, m.EngineVersion, "must be a RabbitMQ major.minor version such as %q", DefaultRabbitMQVersion)
		return 0
	}
	major, _ := strconv.Atoi(parts[1])
	minor, _ := strconv.Atoi(parts[2])
	mm := fmt.Sprintf("%d.%d", major, minor)
	switch {
	case parts[3] != "":
		c.addf(key, m.EngineVersion,
			"give major.minor only (%q): from 3.13 Amazon MQ applies patch versions itself in the maintenance window, and a pinned patch causes perpetual diffs or update errors (https://github.com/hashicorp/terraform-provider-aws/issues/38930, https://github.com/hashicorp/terraform-provider-aws/issues/42516)", mm)
	case compareVersion(major, minor, maxMorpheusRabbitMQ) < 0:
		c.addf(key, m.EngineVersion,
			"RabbitMQ before 3.13 has ended Amazon MQ support (3.12 on 2025-03-17, 3.11 on 2025-02-17) and cannot be deployed; use %q", DefaultRabbitMQVersion)
	case compareVersion(major, minor, maxMorpheusRabbitMQ) > 0 && !m.AllowUnsupportedVersion:
		c.addf(key, m.EngineVersion,
			"Morpheus 8.0.7 supports RabbitMQ up to 3.13 (RabbitMQ 4 removes classic queue mirroring); use %q, or set messaging.allowUnsupportedVersion to true to run an untested version at your own risk", DefaultRabbitMQVersion)
	}
	return major
}

func compareVersion(major, minor int, ref [2]int) int {
	if major != ref[0] {
		return major - ref[0]
	}
	return minor - ref[1]
}

func validateMaintenanceWindow(w MaintenanceWindow, c *collector) {
	if !slices.Contains(weekdays, w.DayOfWeek) {
		c.addf("messaging.maintenanceWindow.dayOfWeek", w.DayOfWeek, "must be one of %s (upper case)", strings.Join(weekdays, ", "))
	}
	if !timeOfDayRE.MatchString(w.TimeOfDay) {
		c.addf("messaging.maintenanceWindow.timeOfDay", w.TimeOfDay, "must be HH:MM on the 24-hour clock, e.g. 03:00")
	}
	if !validTimeZone(w.TimeZone) {
		c.addf("messaging.maintenanceWindow.timeZone", w.TimeZone, "must be an IANA time zone name such as UTC, CET or Europe/Berlin")
	}
}

// validTimeZone accepts IANA names only. Amazon MQ also takes "UTC offset
// format", whose exact form its documentation does not spell out; Etc/GMT-2 and
// friends cover fixed offsets.
func validTimeZone(tz string) bool {
	if tz == "" || strings.EqualFold(tz, "local") {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// mqMajorUpgrades are the only major upgrades Amazon MQ for RabbitMQ performs
// in place: 3.13 to 4.2 (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-version-management.html);
// within a major any later minor is an upgrade.
var mqMajorUpgrades = map[string]string{"3.13": "4.2"}

// checkMessagingChange refuses a broker version change Amazon MQ cannot apply
// in place: a downgrade, or a major upgrade off the documented path. Either
// fails the update halfway through a run.
func checkMessagingChange(cfg *Config, d Deployed, c *collector) {
	const key = "messaging.engineVersion"
	to, from := cfg.Messaging.EngineVersion, d.MessagingEngineVersion
	if from == "" || to == from {
		return
	}
	fm, tm := mqVersionRE.FindStringSubmatch(from), mqVersionRE.FindStringSubmatch(to)
	if fm == nil || tm == nil || tm[3] != "" {
		return
	}
	fMajor, _ := strconv.Atoi(fm[1])
	fMinor, _ := strconv.Atoi(fm[2])
	tMajor, _ := strconv.Atoi(tm[1])
	tMinor, _ := strconv.Atoi(tm[2])
	fromMM, toMM := fmt.Sprintf("%d.%d", fMajor, fMinor), fmt.Sprintf("%d.%d", tMajor, tMinor)
	switch {
	case compareVersion(tMajor, tMinor, [2]int{fMajor, fMinor}) < 0:
		c.addf(key, to, "is older than the deployed %s: Amazon MQ cannot downgrade a broker; keep %s", from, fromMM)
	case tMajor == fMajor:
		// A later minor of the same major: an in-place upgrade.
	case mqMajorUpgrades[fromMM] != toMM:
		next, ok := mqMajorUpgrades[fromMM]
		if !ok {
			c.addf(key, to, "is not an upgrade Amazon MQ offers from the deployed %s", from)
			return
		}
		c.addf(key, to, "is not an upgrade Amazon MQ offers from the deployed %s: the only major upgrade from it is to %s", from, next)
	}
}
