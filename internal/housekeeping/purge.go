// Package housekeeping holds the platform's own periodic jobs: today the purge
// of expired key-value rows and of stale temporary blobs. It is also the job
// kind that proves the queue loop end to end.
package housekeeping

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/queue"
)

// TmpPrefix is where code puts blobs that are only needed for a while
// (uploads being processed, exports waiting for download). They are deleted
// once older than the configured age.
const TmpPrefix = "tmp/"

// ExpiredPurger deletes expired rows; the SQL key-value store is one. Redis
// expires keys by itself, so with Redis there is nothing to purge.
type ExpiredPurger interface {
	Purge(ctx context.Context) (int64, error)
}

// PurgeArgs is the job that purges expired data.
type PurgeArgs struct{}

// Kind names the job kind in the queue.
func (PurgeArgs) Kind() string { return "purge_expired" }

// InsertOpts makes at most one purge job pending at a time.
func (PurgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Minute}}
}

// PurgeWorker works PurgeArgs.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	kv     ExpiredPurger // may be nil
	blobs  blob.Store
	maxAge time.Duration
	logger *slog.Logger
	now    func() time.Time
}

// NewPurgeWorker returns a worker purging kv (when not nil) and blobs under
// TmpPrefix older than maxAge.
func NewPurgeWorker(kv ExpiredPurger, blobs blob.Store, maxAge time.Duration, logger *slog.Logger) *PurgeWorker {
	return &PurgeWorker{kv: kv, blobs: blobs, maxAge: maxAge, logger: logger, now: time.Now}
}

// Register adds the purge job kind and schedules it every interval.
func Register(reg *queue.Registry, w *PurgeWorker, interval time.Duration) {
	queue.Register(reg, w)
	reg.Every(interval, func() river.JobArgs { return PurgeArgs{} })
}

// Timeout bounds one purge run to the queue's maximum, so a crashed worker's
// purge is retried promptly (queue.DefaultRescueAfter exceeds every kind's
// timeout). A run cut short loses nothing: what it deleted stays deleted and
// the next run, or the retry, takes the rest.
func (w *PurgeWorker) Timeout(*river.Job[PurgeArgs]) time.Duration { return queue.MaxJobTimeout }

// Work purges; an error makes River retry the job later.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	var rows int64
	if w.kv != nil {
		n, err := w.kv.Purge(ctx)
		if err != nil {
			return fmt.Errorf("purge kv: %w", err)
		}
		rows = n
	}
	cutoff := w.now().Add(-w.maxAge)
	var stale []string
	err := w.blobs.List(ctx, TmpPrefix, func(info blob.Info) bool {
		if info.ModTime.Before(cutoff) {
			stale = append(stale, info.Key)
		}
		return len(stale) < 10000 // the next run takes the rest
	})
	if err != nil {
		return fmt.Errorf("list tmp blobs: %w", err)
	}
	for _, key := range stale {
		if err := w.blobs.Delete(ctx, key); err != nil {
			return fmt.Errorf("delete tmp blob %s: %w", key, err)
		}
	}
	w.logger.InfoContext(ctx, "purged expired data", "kv_rows", rows, "tmp_blobs", len(stale))
	return nil
}
