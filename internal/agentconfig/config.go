package agentconfig

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// maxDimensionValue is CloudWatch's limit on a dimension value; the process
// pattern is one.
const maxDimensionValue = 1024

// logGroupPattern is CloudWatch Logs' log group name rule.
var logGroupPattern = regexp.MustCompile(`^[A-Za-z0-9_/.#-]{1,512}$`)

// New renders the agent configuration the app-node alarms expect: logs go to
// groups, the morpheus-ui process is counted with procstat pattern
// processPattern (a regular expression over command lines), and disk use is
// published for each mount point in diskPaths. The arguments are the ones
// components/monitoring receives, so the alarms query exactly what this
// publishes.
func New(groups LogGroups, processPattern string, diskPaths []string) (Config, error) {
	var errs []error
	if err := CheckProcessPattern(processPattern); err != nil {
		errs = append(errs, fmt.Errorf("agentconfig: process pattern %q %w", processPattern, err))
	}
	if err := checkDiskPaths(diskPaths); err != nil {
		errs = append(errs, err)
	}
	var collect []CollectEntry
	for _, f := range LogFiles {
		group := groups.name(f.Group)
		if !logGroupPattern.MatchString(group) {
			errs = append(errs, fmt.Errorf("agentconfig: LogGroups.%s %q must be a log group name", f.Group, group))
			continue
		}
		collect = append(collect, CollectEntry{FilePath: f.Path, LogGroupName: group, LogStreamName: f.Stream})
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}

	agent := func() *AgentSection {
		return &AgentSection{MetricsCollectionInterval: collectionIntervalSeconds, RunAsUser: "root"}
	}
	return Config{
		Logs: Document{Agent: agent(), Logs: &LogsSection{
			LogsCollected:      LogsCollected{Files: Files{CollectList: collect}},
			ForceFlushInterval: flushIntervalSeconds,
		}},
		// No aggregation_dimensions: the alarms aggregate at query time (Metrics
		// Insights over ASGDimension), and a rolled-up series would drop the path
		// and pattern dimensions the disk and process alarms filter on, so it
		// would only add custom metrics nobody reads.
		Metrics: Document{Agent: agent(), Metrics: &MetricsSection{
			Namespace: Namespace,
			AppendDimensions: map[string]string{
				ASGDimension:      "${aws:AutoScalingGroupName}",
				InstanceDimension: "${aws:InstanceId}",
			},
			MetricsCollected: MetricsCollected{
				Mem:      Measurements{Measurement: []string{memUsedMeasurement}},
				Disk:     Disk{Measurement: []string{diskUsedMeasurement}, Resources: append([]string(nil), diskPaths...), DropDevice: true},
				Procstat: []Procstat{{Pattern: processPattern, Measurement: []string{pidCountMeasurement}}},
			},
		}},
	}, nil
}

// CheckProcessPattern reports why p cannot be the procstat pattern: it must be
// a regular expression the agent (Go, RE2) accepts, and, as the value of
// PatternDimension in a Metrics Insights query, short and free of quotes.
func CheckProcessPattern(p string) error {
	switch {
	case strings.TrimSpace(p) == "":
		return errors.New("must not be empty; it selects the morpheus-ui process")
	case len(p) > maxDimensionValue || strings.ContainsAny(p, `'"\`):
		return fmt.Errorf("must be at most %d characters without quotes or backslashes (it is a metric dimension value in a Metrics Insights query)", maxDimensionValue)
	}
	if _, err := regexp.Compile(p); err != nil {
		return fmt.Errorf("must be a regular expression (RE2): %v", err)
	}
	return nil
}

// CheckDiskPath reports why p cannot be a disk plugin resource: it must be an
// absolute, clean mount point without quotes (it is a dimension value in a
// Metrics Insights query).
func CheckDiskPath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/") || path.Clean(p) != p:
		return errors.New("must be an absolute, clean mount point such as / or /var/opt/morpheus")
	case strings.ContainsAny(p, `'"\`):
		return errors.New("must not contain quotes or backslashes (it goes into a Metrics Insights query)")
	}
	return nil
}

// checkDiskPaths requires at least one path, each valid and listed once.
func checkDiskPaths(paths []string) error {
	if len(paths) == 0 {
		return errors.New("agentconfig: disk paths need at least one mount point")
	}
	var errs []error
	seen := map[string]bool{}
	for _, p := range paths {
		if err := CheckDiskPath(p); err != nil {
			errs = append(errs, fmt.Errorf("agentconfig: disk path %q %w", p, err))
		}
		if seen[p] {
			errs = append(errs, fmt.Errorf("agentconfig: disk path %q is listed twice", p))
		}
		seen[p] = true
	}
	return errors.Join(errs...)
}
