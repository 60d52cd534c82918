package loadcheck

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a run; its JSON form is the -json output.
type Report struct {
	// URL is the appliance URL (it never holds credentials).
	URL string `json:"url"`
	// TargetRate and Concurrency echo the run's settings.
	TargetRate  float64 `json:"targetRps"`
	Concurrency int     `json:"concurrency"`
	// WindowSeconds is how long requests were offered.
	WindowSeconds float64 `json:"windowSeconds"`
	// Interrupted is true when the run was stopped before its duration.
	Interrupted bool `json:"interrupted"`
	// Offered counts requests scheduled; Sent those handed to a worker;
	// Dropped those that found every worker busy (Offered = Sent + Dropped).
	Offered int64 `json:"offered"`
	Sent    int64 `json:"sent"`
	Dropped int64 `json:"dropped"`
	// Succeeded counts 2xx responses read whole; Errors the other sent requests.
	Succeeded int64 `json:"succeeded"`
	Errors    int64 `json:"errors"`
	// ErrorsByClass counts errors by class: http_<status>, timeout, transport.
	ErrorsByClass map[string]int64 `json:"errorsByClass"`
	// OfferedRate is Offered per second of the window; AchievedRate is
	// Succeeded per second of it, the throughput the stack actually delivered.
	OfferedRate  float64 `json:"offeredRps"`
	AchievedRate float64 `json:"achievedRps"`
	// ErrorRate is Errors / Sent; FailureRate is (Errors + Dropped) / Offered,
	// the share -max-error-rate gates on.
	ErrorRate   float64 `json:"errorRate"`
	FailureRate float64 `json:"failureRate"`
	// Overall summarises the latency of every request that got a response
	// (any status); ByPath does so per path, in the order given.
	Overall Latency       `json:"latency"`
	ByPath  []PathSummary `json:"paths"`
	// Violations lists the thresholds the run failed; Passed is true when none.
	Violations []string `json:"violations"`
	Passed     bool     `json:"passed"`
}

// PathSummary is one path's share of a run.
type PathSummary struct {
	// Path is the API path as given in -paths.
	Path string `json:"path"`
	// Sent, Errors and ErrorsByClass count this path's requests.
	Sent          int64            `json:"sent"`
	Errors        int64            `json:"errors"`
	ErrorsByClass map[string]int64 `json:"errorsByClass"`
	// Latency summarises this path's responses.
	Latency Latency `json:"latency"`
}

// buildReport aggregates samples. Latency counts every request that got a
// response, errors included, as the ALB's TargetResponseTime does: a fast 503
// is caught by the error rate, and a slow one belongs in the latency.
func buildReport(cfg Config, perWorker [][]sample, offered, dropped int64, window time.Duration, interrupted bool) *Report {
	r := &Report{
		URL: cfg.BaseURL.String(), TargetRate: cfg.Rate, Concurrency: cfg.Concurrency,
		WindowSeconds: window.Seconds(), Interrupted: interrupted,
		Offered: offered, Dropped: dropped,
		ErrorsByClass: map[string]int64{}, Violations: []string{},
	}
	var all []time.Duration
	perPath := make([][]time.Duration, len(cfg.Paths))
	r.ByPath = make([]PathSummary, len(cfg.Paths))
	for i, p := range cfg.Paths {
		r.ByPath[i] = PathSummary{Path: p, ErrorsByClass: map[string]int64{}}
	}
	for _, samples := range perWorker {
		r.Sent += int64(len(samples))
		for _, s := range samples {
			ps := &r.ByPath[s.path]
			ps.Sent++
			if s.status != 0 {
				all = append(all, s.latency)
				perPath[s.path] = append(perPath[s.path], s.latency)
			}
			if s.class == "" {
				r.Succeeded++
				continue
			}
			r.Errors++
			r.ErrorsByClass[s.class]++
			ps.Errors++
			ps.ErrorsByClass[s.class]++
		}
	}
	r.Overall = Summarize(all)
	for i := range r.ByPath {
		r.ByPath[i].Latency = Summarize(perPath[i])
	}
	if secs := window.Seconds(); secs > 0 {
		r.OfferedRate = float64(offered) / secs
		r.AchievedRate = float64(r.Succeeded) / secs
	}
	if r.Sent > 0 {
		r.ErrorRate = float64(r.Errors) / float64(r.Sent)
	}
	if offered > 0 {
		r.FailureRate = float64(r.Errors+dropped) / float64(offered)
	}
	return r
}

// Evaluate records which thresholds the run failed and sets Passed. Dropped
// requests count as failures: they are load the stack was offered and did not
// absorb at the given concurrency, so a slow stack cannot pass by shedding it.
// A run that sent nothing, or measured no latency while a p95 limit is set,
// proves nothing and fails.
func (r *Report) Evaluate(t Thresholds) {
	r.Violations = []string{}
	if r.Sent == 0 {
		r.Violations = append(r.Violations, "no request was sent")
	}
	if r.FailureRate > t.MaxErrorRate {
		r.Violations = append(r.Violations, fmt.Sprintf("failure rate %s (errors %d + dropped %d of %d offered) exceeds -max-error-rate %s",
			percent(r.FailureRate), r.Errors, r.Dropped, r.Offered, percent(t.MaxErrorRate)))
	}
	if t.MaxP95 > 0 {
		switch p95 := time.Duration(r.Overall.P95); {
		case r.Overall.Count == 0:
			r.Violations = append(r.Violations, fmt.Sprintf("no response to measure against -max-p95 %s", t.MaxP95))
		case p95 > t.MaxP95:
			r.Violations = append(r.Violations, fmt.Sprintf("p95 %s exceeds -max-p95 %s", r.Overall.P95, t.MaxP95))
		}
	}
	r.Passed = len(r.Violations) == 0
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "loadcheck %s: %g req/s, concurrency %d, %.1fs", r.URL, r.TargetRate, r.Concurrency, r.WindowSeconds)
	if r.Interrupted {
		b.WriteString(" (interrupted)")
	}
	fmt.Fprintf(&b, "\nrate      offered %.1f/s, achieved %.1f/s (2xx)\n", r.OfferedRate, r.AchievedRate)
	fmt.Fprintf(&b, "requests  offered %d, sent %d, dropped %d (all workers busy), succeeded %d\n", r.Offered, r.Sent, r.Dropped, r.Succeeded)
	fmt.Fprintf(&b, "errors    %d (%s of sent)%s\n", r.Errors, percent(r.ErrorRate), classList(r.ErrorsByClass))
	fmt.Fprintf(&b, "failures  %s of offered (errors + dropped)\n\n", percent(r.FailureRate))

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	// The path comes last: numbers align right, a path reads best left-aligned.
	fmt.Fprintln(tw, "sent\terrors\tp50\tp90\tp95\tp99\tmax\t  path")
	row := func(name string, sent, errs int64, l Latency) {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t  %s\n", sent, errs, l.P50, l.P90, l.P95, l.P99, l.Max, name)
	}
	for _, p := range r.ByPath {
		row(p.Path, p.Sent, p.Errors, p.Latency)
	}
	row("(all)", r.Sent, r.Errors, r.Overall)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range r.ByPath {
		if p.Errors > 0 {
			fmt.Fprintf(&b, "errors on %s%s\n", p.Path, classList(p.ErrorsByClass))
		}
	}
	if r.Passed {
		b.WriteString("\nPASS\n")
	} else {
		b.WriteString("\nFAIL\n")
		for _, v := range r.Violations {
			fmt.Fprintf(&b, "  %s\n", v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// classList renders " class=n, ..." sorted by class, or "" when empty.
func classList(m map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

func percent(f float64) string { return strconv.FormatFloat(100*f, 'f', 2, 64) + "%" }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
