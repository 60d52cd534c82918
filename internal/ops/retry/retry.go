// Package retry repeats an idempotent call to a data service with exponential
// backoff, a bounded number of times. A service that is briefly unreachable
// (a broker restarting in its maintenance window, an Aurora failover) gets a
// few seconds to come back; one that keeps failing is given up on, and the
// invocation fails, which the ops function's error alarm reports, instead of
// the function hammering it.
package retry

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Policy bounds the retries.
type Policy struct {
	// Attempts is how many calls at most, the first included.
	Attempts int
	// Base is the wait after the first failure; each further wait doubles,
	// up to Max.
	Base, Max time.Duration
	// Sleep waits d or until ctx ends; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Default fits the bootstrap's Lambda timeout (120 s): 4 calls with 2, 4 and
// 8 s between them.
var Default = Policy{Attempts: 4, Base: 2 * time.Second, Max: 8 * time.Second}

// Do calls fn until it succeeds or Attempts calls have failed, logging each
// failure; the last error is returned wrapped with how many attempts were made.
func Do(ctx context.Context, p Policy, what string, log *slog.Logger, fn func() error) error {
	if p.Attempts < 1 {
		p.Attempts = 1
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = timerSleep
	}
	wait := p.Base
	var err error
	for i := 1; ; i++ {
		if err = fn(); err == nil {
			return nil
		}
		if i >= p.Attempts {
			return fmt.Errorf("gave up after %d attempts: %w", i, err)
		}
		if log != nil {
			log.Warn("retrying", "what", what, "attempt", i, "of", p.Attempts, "wait", wait.String(), "error", err)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return fmt.Errorf("gave up after %d attempts (%v): %w", i, serr, err)
		}
		if wait *= 2; p.Max > 0 && wait > p.Max {
			wait = p.Max
		}
	}
}

func timerSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
