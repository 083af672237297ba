package queue

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
)

// River keeps finished jobs by age only (24 h completed, and a week
// discarded in Luneo's configuration). The seed keeps the last 100
// completed and 50 failed render jobs per kind, whatever their age, so that
// a busy brand's job history stays small and a quiet one's stays visible: a
// periodic job trims the limited kinds to that. Rows of other kinds are
// left to River's own cleaner.

// retentionArgs is the periodic trim of limited kinds' finished jobs.
type retentionArgs struct{}

// Kind implements river.JobArgs.
func (retentionArgs) Kind() string { return "queue_retention" }

// retentionTimeout bounds one trim; a trim cut short is finished by the next.
const retentionTimeout = 30 * time.Second

// retentionWorker deletes the finished jobs of each limited kind beyond the
// newest KeepCompleted completed and KeepFailed discarded or cancelled ones.
type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	db     *db.DB
	kinds  []string
	keep   [2]int // completed, failed
	logger *slog.Logger
}

// The newest rows are those finalized last (id breaks ties, as two jobs may
// finish in the same millisecond). One statement for both dialects: a
// LIMIT inside an IN subquery and the $1 placeholder reused work on
// PostgreSQL and SQLite alike. The states are literals rather than a
// parameter list, which the two drivers would bind differently.
const (
	sqlTrimCompleted = `DELETE FROM river_job WHERE kind = $1 AND state = 'completed' AND id NOT IN (
	SELECT id FROM river_job WHERE kind = $1 AND state = 'completed'
	ORDER BY finalized_at DESC, id DESC LIMIT $2)`
	sqlTrimFailed = `DELETE FROM river_job WHERE kind = $1 AND state IN ('discarded', 'cancelled') AND id NOT IN (
	SELECT id FROM river_job WHERE kind = $1 AND state IN ('discarded', 'cancelled')
	ORDER BY finalized_at DESC, id DESC LIMIT $2)`
)

// Timeout implements river.Worker.
func (w *retentionWorker) Timeout(*river.Job[retentionArgs]) time.Duration { return retentionTimeout }

// Work implements river.Worker.
func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	n, err := trim(ctx, w.db, w.kinds, w.keep[0], w.keep[1])
	if n > 0 {
		w.logger.InfoContext(ctx, "trimmed finished jobs", "deleted", n)
	}
	return err
}

// trim applies the retention to kinds and returns how many rows it deleted.
func trim(ctx context.Context, d *db.DB, kinds []string, keepCompleted, keepFailed int) (int64, error) {
	var total int64
	for _, kind := range kinds {
		for _, step := range []struct {
			query string
			keep  int
		}{{sqlTrimCompleted, keepCompleted}, {sqlTrimFailed, keepFailed}} {
			res, err := d.ExecContext(ctx, step.query, kind, step.keep)
			if err != nil {
				return total, fmt.Errorf("trim finished %s jobs: %w", kind, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return total, fmt.Errorf("trim finished %s jobs: %w", kind, err)
			}
			total += n
		}
	}
	return total, nil
}

// addRetention registers the retention worker and its schedule in reg when
// there are limited kinds to trim.
func addRetention(reg *Registry, d *db.DB, lim Limits, logger *slog.Logger) {
	if reg.retention {
		return // a second queue over the same registry (tests) shares it
	}
	kinds := make([]string, 0, len(reg.limited))
	for kind := range reg.limited {
		kinds = append(kinds, kind)
	}
	if len(kinds) == 0 {
		return
	}
	slices.Sort(kinds)
	reg.retention = true
	river.AddWorker(reg.workers, &retentionWorker{db: d, kinds: kinds,
		keep: [2]int{lim.KeepCompleted, lim.KeepFailed}, logger: logger})
	reg.timeouts[retentionArgs{}.Kind()] = retentionTimeout
	reg.Every(lim.RetentionEvery, func() river.JobArgs { return retentionArgs{} })
}
