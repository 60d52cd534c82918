package loadcheck_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/loadcheck"
)

// ms builds a sample of millisecond latencies.
func ms(vals ...int) []time.Duration {
	out := make([]time.Duration, len(vals))
	for i, v := range vals {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

// seq is 1..n milliseconds.
func seq(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * time.Millisecond
	}
	return out
}

func TestPercentileNearestRank(t *testing.T) {
	tests := []struct {
		name   string
		sample []time.Duration
		p      int
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value is every percentile", ms(7), 99, 7 * time.Millisecond},
		{"p50 of 1..10 is the 5th", seq(10), 50, 5 * time.Millisecond},
		{"p90 of 1..10 is the 9th", seq(10), 90, 9 * time.Millisecond},
		{"p95 of 1..10 rounds the rank up to the 10th", seq(10), 95, 10 * time.Millisecond},
		{"p95 of 1..100 is the 95th", seq(100), 95, 95 * time.Millisecond},
		// 0.95*60 is 57.00000000000001 in float64: a float rank would say 58.
		{"p95 of 1..60 is exactly the 57th", seq(60), 95, 57 * time.Millisecond},
		{"p99 of 1..100 is the 99th", seq(100), 99, 99 * time.Millisecond},
		{"p50 of 1..100 is the 50th", seq(100), 50, 50 * time.Millisecond},
		{"p95 of 1..20 is the 19th", seq(20), 95, 19 * time.Millisecond},
		{"p99 of 1..1000 is the 990th", seq(1000), 99, 990 * time.Millisecond},
		{"p100 is the max", seq(3), 100, 3 * time.Millisecond},
		{"p0 is undefined", seq(3), 0, 0},
		{"p above 100 is undefined", seq(3), 101, 0},
		{"ties", ms(1, 1, 1, 9), 75, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, loadcheck.Percentile(tt.sample, tt.p))
		})
	}
}

func TestSummarizeSortsAndReportsEveryPercentile(t *testing.T) {
	// 1..100 ms shuffled deterministically: a multiplicative permutation mod 101.
	sample := make([]time.Duration, 100)
	for i := range sample {
		sample[i] = time.Duration((i+1)*37%101) * time.Millisecond
	}
	got := loadcheck.Summarize(sample)
	assert.Equal(t, loadcheck.Latency{
		Count: 100,
		P50:   loadcheck.Millis(50 * time.Millisecond), P90: loadcheck.Millis(90 * time.Millisecond),
		P95: loadcheck.Millis(95 * time.Millisecond), P99: loadcheck.Millis(99 * time.Millisecond),
		Max: loadcheck.Millis(100 * time.Millisecond),
	}, got)
	assert.Equal(t, loadcheck.Latency{}, loadcheck.Summarize(nil))
}

func TestMillisJSONIsFractionalMilliseconds(t *testing.T) {
	b, err := json.Marshal(loadcheck.Millis(1500 * time.Microsecond))
	require.NoError(t, err)
	assert.Equal(t, "1.5", string(b))
}

func TestMillisJSONRoundTrips(t *testing.T) {
	in := loadcheck.Latency{Count: 3, P50: loadcheck.Millis(1234 * time.Microsecond), Max: loadcheck.Millis(2 * time.Second)}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var out loadcheck.Latency
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)
}
