package accountsecurity

import "github.com/morpheus-ha/morpheus-ha/components/monitoring"

// EventPattern is the event pattern type the monitoring component's rules use.
type EventPattern = monitoring.EventPattern

// GuardDutyAlertSeverity is the lowest GuardDuty severity sent to the alerts
// topic: 7.0 starts HIGH (7.0-8.9), and CRITICAL is 9.0-10.0.
const GuardDutyAlertSeverity = 7

// SecurityHubFindingsPattern matches Security Hub findings labelled HIGH or
// CRITICAL that are new and active: a finding already triaged (workflow
// NOTIFIED, SUPPRESSED, RESOLVED) or archived does not page again.
func SecurityHubFindingsPattern() EventPattern {
	return EventPattern{
		Source:     []string{"aws.securityhub"},
		DetailType: []string{"Security Hub Findings - Imported"},
		Detail: map[string]any{"findings": map[string]any{
			"Severity":    map[string]any{"Label": []string{"CRITICAL", "HIGH"}},
			"Workflow":    map[string]any{"Status": []string{"NEW"}},
			"RecordState": []string{"ACTIVE"},
		}},
	}
}

// GuardDutyFindingsPattern matches GuardDuty findings of severity
// GuardDutyAlertSeverity or more.
func GuardDutyFindingsPattern() EventPattern {
	return EventPattern{
		Source:     []string{"aws.guardduty"},
		DetailType: []string{"GuardDuty Finding"},
		Detail: map[string]any{"severity": []map[string]any{
			{"numeric": []any{">=", GuardDutyAlertSeverity}},
		}},
	}
}
