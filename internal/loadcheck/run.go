package loadcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"sync"
	"time"
)

// Error classes besides "http_<status>".
const (
	// ClassTimeout is a request that ran past -timeout (or the hard cap).
	ClassTimeout = "timeout"
	// ClassTransport is any other failure to get a whole response: refused or
	// reset connections, TLS failures, truncated bodies.
	ClassTransport = "transport"
)

// Pacing bounds. Ticks are at most maxTick apart so a slow rate still notices
// the end of the run promptly, and at least minTick apart so a high rate does
// not spin; each tick sends every request that is due, so the tick size never
// changes the offered rate.
const (
	minTick = time.Millisecond
	maxTick = 50 * time.Millisecond
	// hardCapGrace is added to -duration and -timeout for the hard cap that
	// ends requests still in flight, so a run always ends.
	hardCapGrace = 5 * time.Second
	// maxResponseBody bounds how much of a response is read (and timed); the
	// rest is dropped with the connection.
	maxResponseBody = 16 << 20
)

// sample is the outcome of one request.
type sample struct {
	path    int
	latency time.Duration
	// status is 0 when no response arrived.
	status int
	// class is "" for a 2xx, else the error class.
	class string
}

// Run offers cfg.Rate requests per second for cfg.Duration, cycling through
// cfg.Paths, with cfg.Concurrency workers, and returns the report (not yet
// evaluated against thresholds).
//
// The load is open-loop: a ticker schedules request k at k/Rate seconds,
// whatever the server does. A request that falls due while every worker is
// busy is counted as dropped instead of waiting, so a slow server shows up as
// drops and latency rather than as a quietly lower offered rate.
//
// Cancelling ctx (Ctrl-C) stops offering requests; requests in flight still
// finish, so each request sent is counted once with its outcome. They are
// bounded by their timeout and by a hard cap of Duration+Timeout+5s.
func Run(ctx context.Context, client *http.Client, cfg Config, token Secret) *Report {
	targets := targetURLs(cfg.BaseURL, cfg.Paths)
	reqCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.Duration+cfg.Timeout+hardCapGrace)
	defer cancel()

	// A slot is held from dispatch until the response is read, so "every
	// worker busy" means Concurrency requests outstanding, whether or not a
	// worker goroutine has been scheduled yet. Slots bound the jobs queued, so
	// a send on jobs never blocks the dispatcher.
	slots := make(chan struct{}, cfg.Concurrency)
	jobs := make(chan int, cfg.Concurrency)
	perWorker := make([][]sample, cfg.Concurrency)
	var wg sync.WaitGroup
	for w := range cfg.Concurrency {
		wg.Go(func() {
			for p := range jobs {
				perWorker[w] = append(perWorker[w], doRequest(reqCtx, client, token, p, targets[p]))
				<-slots
			}
		})
	}

	// Requests are scheduled at k/Rate for k/Rate < Duration. The epsilon
	// keeps 50/s × 1s at 50 when floating point lands a hair above it.
	total := int64(math.Ceil(cfg.Rate*cfg.Duration.Seconds() - 1e-9))
	var offered, dropped int64
	offerUpTo := func(due int64) {
		for offered < min(due, total) {
			p := int(offered % int64(len(targets)))
			offered++
			select {
			case slots <- struct{}{}:
				jobs <- p
			default:
				dropped++
			}
		}
	}
	tick := min(max(time.Duration(float64(time.Second)/cfg.Rate), minTick), maxTick)
	ticker := time.NewTicker(tick)
	start := time.Now()
	interrupted := false
	offerUpTo(1)
dispatch:
	for {
		select {
		case <-ctx.Done():
			interrupted = true
			break dispatch
		case <-ticker.C:
			// The clock, not the tick's timestamp, which is stale when this
			// goroutine waited for a CPU: every request due by now is sent,
			// including those of coalesced ticks.
			elapsed := time.Since(start)
			offerUpTo(int64(cfg.Rate*elapsed.Seconds()) + 1)
			if elapsed >= cfg.Duration {
				break dispatch
			}
		}
	}
	window := time.Since(start)
	ticker.Stop()
	close(jobs)
	wg.Wait()

	// Each worker's samples are read in place: at the caps a merged copy
	// would double the largest allocation of the run.
	return buildReport(cfg, perWorker, offered, dropped, window, interrupted)
}

// doRequest sends one GET and times it until the whole body is read, which is
// what a client of the API waits for.
func doRequest(ctx context.Context, client *http.Client, token Secret, path int, target string) sample {
	s := sample{path: path}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		s.class = ClassTransport
		return s
	}
	req.Header.Set("Authorization", "Bearer "+token.Reveal())
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		s.latency, s.class = time.Since(start), classify(err)
		return s
	}
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBody))
	resp.Body.Close()
	s.latency = time.Since(start)
	switch {
	case err != nil:
		s.class = classify(err)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		s.status, s.class = resp.StatusCode, fmt.Sprintf("http_%d", resp.StatusCode)
	default:
		s.status = resp.StatusCode
	}
	return s
}

// classify sorts a failure without a whole response into timeout or transport.
func classify(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return ClassTimeout
	}
	return ClassTransport
}
