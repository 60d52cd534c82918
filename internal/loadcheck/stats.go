package loadcheck

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest recorded value with at least p percent of
// the values at or below it. It is exact and always a latency that was
// observed, never interpolated. The rank is computed in integers: in floating
// point 0.95*60 is 57.00000000000001, and its ceiling the wrong rank, 58.
// An empty sample or a p outside (0, 100] gives 0.
func Percentile(sorted []time.Duration, p int) time.Duration {
	n := len(sorted)
	if n == 0 || p <= 0 || p > 100 {
		return 0
	}
	rank := (p*n + 99) / 100 // ceil(p*n/100), 1-based
	return sorted[rank-1]
}

// Latency summarises the latencies of requests that got a response.
type Latency struct {
	// Count is the number of latencies summarised.
	Count int `json:"count"`
	// P50, P90, P95, P99 and Max are nearest-rank percentiles.
	P50 Millis `json:"p50Ms"`
	P90 Millis `json:"p90Ms"`
	P95 Millis `json:"p95Ms"`
	P99 Millis `json:"p99Ms"`
	Max Millis `json:"maxMs"`
}

// Millis is a duration that JSON renders as fractional milliseconds, the unit
// dashboards and the albTargetP99 alarm's readers think in.
type Millis time.Duration

// MarshalJSON renders milliseconds with microsecond precision.
func (m Millis) MarshalJSON() ([]byte, error) {
	us := time.Duration(m).Microseconds()
	return []byte(formatFloat(float64(us) / 1000)), nil
}

// UnmarshalJSON reads fractional milliseconds, so a saved -json report can be
// read back (to compare runs) with the same types.
func (m *Millis) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("latency %s: not a number of milliseconds", b)
	}
	*m = Millis(time.Duration(math.Round(f*1000)) * time.Microsecond)
	return nil
}

// String renders the duration rounded for a terminal table.
func (m Millis) String() string {
	d := time.Duration(m)
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// Summarize sorts latencies in place and summarises them.
func Summarize(latencies []time.Duration) Latency {
	slices.Sort(latencies)
	if len(latencies) == 0 {
		return Latency{}
	}
	return Latency{
		Count: len(latencies),
		P50:   Millis(Percentile(latencies, 50)),
		P90:   Millis(Percentile(latencies, 90)),
		P95:   Millis(Percentile(latencies, 95)),
		P99:   Millis(Percentile(latencies, 99)),
		Max:   Millis(latencies[len(latencies)-1]),
	}
}
