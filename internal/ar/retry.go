package ar

import (
	"time"

	"github.com/riverqueue/river"
)

// quickRetries is how many failed or rescued attempts are retried on a short
// schedule before River's default backoff (attempt⁴ seconds) takes over.
const quickRetries = 3

// retryDelay is the wait before retrying a conversion whose attempt number
// attempt failed or was rescued from a crashed worker, or 0 to leave it to
// River's default policy. A shopper or brand is waiting for the AR file, and
// a crashed worker's job reaches the rescuer only after
// LUNEO_JOB_RESCUE_AFTER (75 s) plus up to 30 s until the rescuer runs:
// River's default backoff would then add 16 s after a second attempt and
// 81 s after a third, so a job rescued twice would miss the two-minute
// promise. The first retries come after 1, 2 and 3 s (conversions are
// deterministic and cheap to retry); later ones (an outage rather than a
// crash) back off as River does, so an S3 outage does not use up every
// attempt in minutes.
func retryDelay(attempt int) time.Duration {
	if attempt < 1 || attempt > quickRetries {
		return 0
	}
	return time.Duration(attempt) * time.Second
}

// NextRetry schedules the retry of a failed or rescued conversion (River
// asks the worker first, the job rescuer included); zero means River's
// default policy.
func (w *ConvertWorker) NextRetry(job *river.Job[ConvertArgs]) time.Time {
	d := retryDelay(job.Attempt)
	if d == 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}
