package design

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// purgeBatch bounds one run's work per step; the next run takes the rest.
const purgeBatch = 500

// Purged counts what a retention run removed.
type Purged struct {
	Designs  int `json:"designs"`
	Versions int `json:"versions"`
	Assets   int `json:"assets"`
}

// Purge applies retention once:
//   - shopper designs unchanged for Retention, no version of which an
//     order locked, are deleted with their versions;
//   - designs deleted more than Retention ago lose their unlocked
//     versions, and the design row goes once no locked version remains;
//   - assets that no remaining version references and that nobody used
//     for AssetGrace are deleted: their row first, in a transaction that
//     checks again that nothing references them, then their blob. A crash
//     in between leaves an unreferenced blob, never a row without its file.
//
// Staff and API key designs that are not deleted are kept.
func (s *Service) Purge(ctx context.Context) (Purged, error) {
	var out Purged
	cutoff := db.Time(s.now().Add(-s.cfg.Retention))
	res, err := s.db.ExecContext(ctx, `DELETE FROM designs WHERE id IN (SELECT d.id FROM designs d
		WHERE d.creator_kind = 'shopper' AND d.updated_at < $1
		AND NOT EXISTS (SELECT 1 FROM design_versions v WHERE v.design_id = d.id AND v.locked_at IS NOT NULL)
		LIMIT $2)`, cutoff, purgeBatch)
	if err != nil {
		return out, fmt.Errorf("purge shopper designs: %w", err)
	}
	n, _ := res.RowsAffected()
	out.Designs += int(n)

	res, err = s.db.ExecContext(ctx, `DELETE FROM design_versions WHERE locked_at IS NULL AND design_id IN
		(SELECT id FROM designs WHERE deleted_at IS NOT NULL AND deleted_at < $1)`, cutoff)
	if err != nil {
		return out, fmt.Errorf("purge deleted designs' versions: %w", err)
	}
	n, _ = res.RowsAffected()
	out.Versions += int(n)
	res, err = s.db.ExecContext(ctx, `DELETE FROM designs WHERE deleted_at IS NOT NULL AND deleted_at < $1
		AND NOT EXISTS (SELECT 1 FROM design_versions v WHERE v.design_id = designs.id)`, cutoff)
	if err != nil {
		return out, fmt.Errorf("purge deleted designs: %w", err)
	}
	n, _ = res.RowsAffected()
	out.Designs += int(n)

	assets, err := s.collectAssets(ctx)
	out.Assets = assets
	return out, err
}

// collectAssets deletes unreferenced assets, row before blob.
func (s *Service) collectAssets(ctx context.Context) (int, error) {
	grace := db.Time(s.now().Add(-AssetGrace))
	type cand struct{ brand, sha, key string }
	rows, err := s.db.QueryContext(ctx, `SELECT brand_id, sha256, blob_key FROM design_assets a
		WHERE used_at < $1 AND NOT EXISTS (SELECT 1 FROM design_version_assets r
			WHERE r.brand_id = a.brand_id AND r.asset_sha256 = a.sha256) LIMIT $2`, grace, purgeBatch)
	if err != nil {
		return 0, fmt.Errorf("find unreferenced assets: %w", err)
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.brand, &c.sha, &c.key); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find unreferenced assets: %w", err)
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find unreferenced assets: %w", err)
	}
	done := 0
	for _, c := range cands {
		var gone int64
		err := s.db.InTx(ctx, func(tx *sql.Tx) error {
			// The same conditions again, in one statement: a save or an
			// upload since the listing keeps the asset.
			res, err := tx.ExecContext(ctx, `DELETE FROM design_assets WHERE brand_id = $1 AND sha256 = $2 AND used_at < $3
				AND NOT EXISTS (SELECT 1 FROM design_version_assets r WHERE r.brand_id = $1 AND r.asset_sha256 = $2)`,
				c.brand, c.sha, grace)
			if err != nil {
				return err
			}
			gone, _ = res.RowsAffected()
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("collect asset %s: %w", c.sha, err)
		}
		if gone > 0 {
			s.deleteBlobs(ctx, c.key)
			done++
		}
	}
	return done, nil
}

// RetentionArgs is the periodic retention job.
type RetentionArgs struct{}

// Kind names the job kind in the queue.
func (RetentionArgs) Kind() string { return "design_retention" }

// InsertOpts keeps at most one retention job pending at a time.
func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Minute}}
}

// RetentionWorker works RetentionArgs.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	svc *Service
}

// Timeout bounds one run; a run cut short loses nothing (what it deleted
// stays deleted, the next run takes the rest).
func (w *RetentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration {
	return queue.MaxJobTimeout
}

// Work runs Purge.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	p, err := w.svc.Purge(ctx)
	if err != nil {
		return err
	}
	w.svc.logger.InfoContext(ctx, "design retention", "designs", p.Designs, "versions", p.Versions, "assets", p.Assets)
	return nil
}

// RegisterRetention adds the retention job kind and schedules it every
// interval.
func RegisterRetention(reg *queue.Registry, s *Service, interval time.Duration) {
	queue.Register(reg, &RetentionWorker{svc: s})
	reg.Every(interval, func() river.JobArgs { return RetentionArgs{} })
}
