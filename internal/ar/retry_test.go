package ar

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/platform/queue"
)

// A conversion rescued from a crashed worker, even for the second or third
// time, is retried within seconds; later attempts back off as River does.
func TestConversionRetrySchedule(t *testing.T) {
	t.Parallel()
	w := &ConvertWorker{}
	for _, c := range []struct {
		attempt int
		want    time.Duration // 0: River's default policy
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 3 * time.Second}, {4, 0}, {25, 0}} {
		before := time.Now()
		got := w.NextRetry(&river.Job[ConvertArgs]{JobRow: &rivertype.JobRow{Attempt: c.attempt}})
		switch {
		case c.want == 0 && !got.IsZero():
			t.Errorf("attempt %d: retry at %v, want River's default policy (zero time)", c.attempt, got)
		case c.want != 0 && (got.Before(before.Add(c.want)) || got.After(time.Now().Add(c.want))):
			t.Errorf("attempt %d: retry at %v, want %v from now", c.attempt, got.Sub(before), c.want)
		}
	}
	// A job rescued for the third time waits retryDelay(3) where
	// queue.RecoveryBound counts River's first backoff (about 1 s): still
	// within the promise.
	worst := queue.RecoveryBound(queue.DefaultRescueAfter) - 1100*time.Millisecond + retryDelay(quickRetries)
	if worst > queue.MaxRecovery {
		t.Errorf("a third rescue may take %v, more than %v", worst, queue.MaxRecovery)
	}
}
