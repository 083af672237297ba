package queue

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// A worker killed mid-job (SIGKILL, OOM, a lost machine) leaves its job in
// the running state: nothing in that process will ever finish it. River's
// rescuer, run by the leader worker, retries a job that has been running
// longer than RescueStuckJobsAfter. That delay is one setting for the whole
// client and must exceed every kind's timeout, or a job still working
// somewhere would be started a second time. So every kind is kept short and
// the delay is set just above the longest kind.
const (
	// MaxJobTimeout is the longest one attempt of any job kind may run.
	// Longer work is split into steps (one job enqueuing the next) instead.
	MaxJobTimeout = time.Minute
	// DefaultRescueAfter is how long a job may run before it counts as
	// crashed: MaxJobTimeout plus a margin for a timed-out attempt to
	// notice its cancelled context and record its outcome.
	DefaultRescueAfter = MaxJobTimeout + 15*time.Second
	// MaxRecovery is the promise: a crashed job is retried within it.
	MaxRecovery = 2 * time.Minute
)

// What else, besides the rescue delay, stands between a crash and the retry.
// River v0.51.2 fixes these in its maintenance services and does not let a
// client change them (internal/maintenance: JobRescuerIntervalDefault,
// JobSchedulerIntervalDefault; internal/retrypolicy for the backoff).
const (
	rescuerInterval   = 30 * time.Second                   // the rescuer looks this often
	schedulerInterval = 5 * time.Second                    // a rescued (retryable) job becomes available
	firstRetryBackoff = time.Second + 100*time.Millisecond // 1⁴ s + 10 % jitter after a first failure
	fetchAfterCrash   = time.Second                        // default FetchPollInterval
	recoverySlack     = rescuerInterval + schedulerInterval + firstRetryBackoff + fetchAfterCrash
)

// RecoveryBound is the longest a job of a crashed worker waits before it is
// worked again when jobs count as crashed after rescueAfter, provided
// another worker runs: a crashed leader is replaced within about 20 s
// (River's 15 s leadership lease and 5 s election interval), well inside
// rescueAfter, and the new leader's rescuer runs at once. It assumes the
// job had not failed before; a retry after earlier failures also waits its
// backoff (attempt⁴ seconds, unless the worker's NextRetry says otherwise:
// conversions retry after 1–3 s, see internal/ar).
func RecoveryBound(rescueAfter time.Duration) time.Duration {
	return rescueAfter + recoverySlack
}

// checkTimeouts refuses a set of kinds that the rescue delay cannot cover: a
// kind without a bound (River's -1), or longer than MaxJobTimeout, or not
// shorter than rescueAfter. Kinds that keep River's default (0) run for
// MaxJobTimeout, the client-wide JobTimeout.
func checkTimeouts(timeouts map[string]time.Duration, rescueAfter time.Duration) error {
	if rescueAfter <= MaxJobTimeout {
		return fmt.Errorf("job rescue delay %s must exceed the longest job timeout %s", rescueAfter, MaxJobTimeout)
	}
	var bad []string
	for kind, d := range timeouts {
		switch {
		case d < 0:
			bad = append(bad, kind+" has no timeout")
		case d > MaxJobTimeout:
			bad = append(bad, fmt.Sprintf("%s has a timeout of %s", kind, d))
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return fmt.Errorf("job kinds must finish within %s (split longer work into steps): %s",
			MaxJobTimeout, strings.Join(bad, "; "))
	}
	return nil
}

// timeoutOf asks w for its per-attempt timeout. Luneo's workers answer the
// same for every job of a kind, so asking with an empty job is enough to
// check the kind at start-up, before any job exists.
func timeoutOf[T river.JobArgs](w river.Worker[T]) time.Duration {
	var args T
	return w.Timeout(&river.Job[T]{JobRow: &rivertype.JobRow{}, Args: args})
}

// Timeouts returns each registered kind's per-attempt timeout as River will
// apply it (River's default, 0, replaced by MaxJobTimeout).
func (r *Registry) Timeouts() map[string]time.Duration {
	out := make(map[string]time.Duration, len(r.timeouts))
	for kind, d := range r.timeouts {
		if d == 0 {
			d = MaxJobTimeout
		}
		out[kind] = d
	}
	return out
}

// Timeouts returns the per-attempt timeout of every kind this queue works.
func (q *Queue) Timeouts() map[string]time.Duration { return maps.Clone(q.kinds) }
