package loadcheck_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/morpheus-ha/morpheus-ha/internal/loadcheck"
)

func TestEvaluateThresholds(t *testing.T) {
	p95 := func(d time.Duration) loadcheck.Latency {
		return loadcheck.Latency{Count: 100, P95: loadcheck.Millis(d)}
	}
	tests := []struct {
		name       string
		report     loadcheck.Report
		thresholds loadcheck.Thresholds
		violations []string // substrings, one per expected violation
	}{
		{"clean run", loadcheck.Report{Offered: 100, Sent: 100, Overall: p95(time.Second)},
			loadcheck.Thresholds{MaxErrorRate: 0.01}, nil},
		{"failure rate at the limit passes", loadcheck.Report{Offered: 100, Sent: 100, Errors: 1, FailureRate: 0.01, Overall: p95(time.Second)},
			loadcheck.Thresholds{MaxErrorRate: 0.01}, nil},
		{"failure rate above the limit fails", loadcheck.Report{Offered: 100, Sent: 100, Errors: 2, FailureRate: 0.02, Overall: p95(time.Second)},
			loadcheck.Thresholds{MaxErrorRate: 0.01}, []string{"failure rate 2.00%"}},
		{"zero tolerance fails on one error", loadcheck.Report{Offered: 100, Sent: 100, Errors: 1, FailureRate: 0.01},
			loadcheck.Thresholds{}, []string{"exceeds -max-error-rate 0.00%"}},
		{"drops count", loadcheck.Report{Offered: 100, Sent: 90, Dropped: 10, FailureRate: 0.1},
			loadcheck.Thresholds{MaxErrorRate: 0.05}, []string{"dropped 10"}},
		{"p95 unchecked when unset", loadcheck.Report{Offered: 10, Sent: 10, Overall: p95(time.Hour)},
			loadcheck.Thresholds{MaxErrorRate: 0.01}, nil},
		{"p95 at the limit passes", loadcheck.Report{Offered: 10, Sent: 10, Overall: p95(2 * time.Second)},
			loadcheck.Thresholds{MaxErrorRate: 0.01, MaxP95: 2 * time.Second}, nil},
		{"p95 above the limit fails", loadcheck.Report{Offered: 10, Sent: 10, Overall: p95(2*time.Second + time.Millisecond)},
			loadcheck.Thresholds{MaxErrorRate: 0.01, MaxP95: 2 * time.Second}, []string{"p95 2.001s exceeds -max-p95 2s"}},
		{"no response with a p95 limit fails", loadcheck.Report{Offered: 10, Sent: 10, Errors: 10, FailureRate: 1},
			loadcheck.Thresholds{MaxErrorRate: 1, MaxP95: time.Second}, []string{"no response to measure"}},
		{"nothing sent fails", loadcheck.Report{Offered: 0},
			loadcheck.Thresholds{MaxErrorRate: 1}, []string{"no request was sent"}},
		{"both thresholds", loadcheck.Report{Offered: 10, Sent: 10, Errors: 5, FailureRate: 0.5, Overall: p95(3 * time.Second)},
			loadcheck.Thresholds{MaxErrorRate: 0.01, MaxP95: time.Second}, []string{"failure rate 50.00%", "p95 3s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.report
			r.Evaluate(tt.thresholds)
			assert.Equal(t, len(tt.violations) == 0, r.Passed)
			if assert.Len(t, r.Violations, len(tt.violations), "%q", r.Violations) {
				for i, want := range tt.violations {
					assert.Contains(t, r.Violations[i], want)
				}
			}
		})
	}
}
