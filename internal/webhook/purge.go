package webhook

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Retention is how long deliveries (and their attempts) are kept: the log
// is for following up on recent events, not an archive. A delivery's retries
// end within about 31 hours, far inside it.
const Retention = 30 * 24 * time.Hour

// PurgeArgs is the periodic "webhook_purge" job.
type PurgeArgs struct{}

// Kind names the job kind in the queue.
func (PurgeArgs) Kind() string { return "webhook_purge" }

// PurgeWorker works PurgeArgs.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	s *Service
}

// Timeout bounds one purge.
func (w *PurgeWorker) Timeout(*river.Job[PurgeArgs]) time.Duration { return jobTimeout }

// Work deletes the deliveries older than Retention.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	n, err := w.s.Purge(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.s.logger.InfoContext(ctx, "old webhook deliveries purged", "count", n)
	}
	return nil
}

// Purge deletes deliveries created more than Retention ago, with their
// attempts, and returns how many.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE created_at < $1`, s.now().Add(-Retention))
	if err != nil {
		return 0, fmt.Errorf("purge webhook deliveries: %w", err)
	}
	return res.RowsAffected()
}
