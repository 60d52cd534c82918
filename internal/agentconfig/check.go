package agentconfig

import (
	"errors"
	"fmt"
)

// CheckLogs reports why d cannot be the boot-time document: it must ship at
// least one file, each to a named group and stream, and publish no metrics
// (metrics start only once morpheus-ui answers).
func (d Document) CheckLogs() error {
	var errs []error
	if d.Metrics != nil {
		errs = append(errs, errors.New("must not publish metrics: they start only once morpheus-ui answers"))
	}
	if d.Logs == nil || len(d.Logs.LogsCollected.Files.CollectList) == 0 {
		return errors.Join(append(errs, errors.New("must ship at least one log file"))...)
	}
	for i, f := range d.Logs.LogsCollected.Files.CollectList {
		if f.FilePath == "" || !logGroupPattern.MatchString(f.LogGroupName) || f.LogStreamName == "" {
			errs = append(errs, fmt.Errorf("collect_list[%d] needs a file path, a log group name and a stream name", i))
		}
	}
	return errors.Join(errs...)
}

// CheckMetrics reports why d cannot be the document appended once morpheus-ui
// answers: it must publish the contract (Namespace, ASGDimension appended, a
// procstat pattern, at least one disk path) and ship no logs (the boot-time
// document already does; appending the same files again would duplicate them).
func (d Document) CheckMetrics() error {
	var errs []error
	if d.Logs != nil {
		errs = append(errs, errors.New("must not ship logs: the boot-time document does"))
	}
	m := d.Metrics
	if m == nil {
		return errors.Join(append(errs, errors.New("must publish metrics"))...)
	}
	if m.Namespace != Namespace {
		errs = append(errs, fmt.Errorf("namespace %q must be %q, which the alarms query", m.Namespace, Namespace))
	}
	if _, ok := m.AppendDimensions[ASGDimension]; !ok {
		errs = append(errs, fmt.Errorf("must append %s, which the alarms aggregate over", ASGDimension))
	}
	if len(m.MetricsCollected.Procstat) == 0 {
		errs = append(errs, errors.New("must count the morpheus-ui process (procstat)"))
	}
	for _, p := range m.MetricsCollected.Procstat {
		if err := CheckProcessPattern(p.Pattern); err != nil {
			errs = append(errs, fmt.Errorf("procstat pattern %q %w", p.Pattern, err))
		}
	}
	if len(m.MetricsCollected.Disk.Resources) == 0 {
		errs = append(errs, errors.New("must publish disk use of at least one mount point"))
	}
	return errors.Join(errs...)
}
