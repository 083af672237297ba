package render

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Collecting render files no render lists any more: renders go when their
// design is purged (the rows cascade), and their files are shared by input,
// so a file is garbage only once no remaining render names its key. Files
// younger than collectGrace are kept, so a render that has just found a file
// by its inputs (file) and not yet recorded it is not robbed of it. The blob
// is deleted before its row: a crash in between leaves a row whose blob is
// gone, which file() treats as missing and draws again, never an orphan blob.

// collectGrace is how old an unlisted file must be to be collected.
const collectGrace = 24 * time.Hour

// collectBatch bounds the files one run collects.
const collectBatch = 500

// Collect deletes up to collectBatch unlisted render files and returns how
// many it deleted.
func (s *Service) Collect(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT f.brand_id, f.input_sha256, f.blob_key FROM render_files f
		WHERE f.created_at < $1 AND NOT EXISTS (
			SELECT 1 FROM renders r WHERE r.brand_id = f.brand_id AND r.files LIKE '%' || f.blob_key || '%')
		LIMIT $2`, db.Time(s.cfg.Now().Add(-collectGrace)), collectBatch)
	if err != nil {
		return 0, fmt.Errorf("find unused render files: %w", err)
	}
	type garbage struct{ brand, input, key string }
	var gs []garbage
	for rows.Next() {
		var g garbage
		if err := rows.Scan(&g.brand, &g.input, &g.key); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find unused render files: %w", err)
		}
		gs = append(gs, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find unused render files: %w", err)
	}
	for i, g := range gs {
		if err := s.blobs.Delete(ctx, g.key); err != nil {
			return i, fmt.Errorf("delete render file: %w", err)
		}
		if _, err := s.db.ExecContext(ctx, `DELETE FROM render_files WHERE brand_id = $1 AND input_sha256 = $2`, g.brand, g.input); err != nil {
			return i, fmt.Errorf("forget render file: %w", err)
		}
	}
	return len(gs), nil
}

// CollectArgs is the periodic job that collects unlisted render files.
type CollectArgs struct{}

// Kind names the job kind in the queue.
func (CollectArgs) Kind() string { return "collect_render_files" }

type collectWorker struct {
	river.WorkerDefaults[CollectArgs]
	s *Service
}

func (w *collectWorker) Work(ctx context.Context, _ *river.Job[CollectArgs]) error {
	n, err := w.s.Collect(ctx)
	if n > 0 {
		w.s.logger.InfoContext(ctx, "render: collected unused files", "files", n)
	}
	return err
}

func (*collectWorker) Timeout(*river.Job[CollectArgs]) time.Duration { return 50 * time.Second }

// registerCollect schedules Collect every interval.
func registerCollect(reg *queue.Registry, s *Service, interval time.Duration) {
	queue.Register(reg, &collectWorker{s: s})
	reg.Every(interval, func() river.JobArgs { return CollectArgs{} })
}
