package retry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morpheus-ha/morpheus-ha/internal/ops/retry"
)

// recorder is a Sleep that records the waits instead of waiting.
type recorder struct{ waits []time.Duration }

func (r *recorder) sleep(_ context.Context, d time.Duration) error {
	r.waits = append(r.waits, d)
	return nil
}

func TestDo(t *testing.T) {
	boom := errors.New("connection refused")
	for _, tc := range []struct {
		name      string
		failures  int
		wantCalls int
		wantWaits []time.Duration
		wantErr   bool
	}{
		{"first call works", 0, 1, nil, false},
		{"recovers on the third call", 2, 3, []time.Duration{2 * time.Second, 4 * time.Second}, false},
		{"gives up after the bound", 99, 4, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{}
			p := retry.Default
			p.Sleep = r.sleep
			calls := 0
			err := retry.Do(context.Background(), p, "test", nil, func() error {
				calls++
				if calls <= tc.failures {
					return boom
				}
				return nil
			})
			assert.Equal(t, tc.wantCalls, calls)
			assert.Equal(t, tc.wantWaits, r.waits)
			if tc.wantErr {
				require.Error(t, err)
				assert.ErrorIs(t, err, boom)
				assert.Contains(t, err.Error(), "gave up after 4 attempts")
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestDoStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := retry.Do(ctx, retry.Policy{Attempts: 5, Base: time.Hour}, "test", nil, func() error {
		calls++
		return errors.New("down")
	})
	require.Error(t, err)
	assert.Equal(t, 1, calls, "no second call once the invocation's time is up")
}
