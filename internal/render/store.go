package render

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/platform/db"
)

// The SQL of the renders table. Every status change also notifies the
// watchers of the design (events.go): on PostgreSQL with pg_notify in the
// same statement's transaction, so a watcher in another process wakes on
// commit; on SQLite watchers poll.

const renderColumns = `id, brand_id, design_id, version, kind, status, progress, error, files, job_id, attempts,
	created_at, updated_at, started_at, finished_at`

// insertRender records a queued render inside tx and returns its ID.
func insertRender(ctx context.Context, tx *sql.Tx, t Target, kind Kind, now time.Time) (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("render id: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO renders (id, brand_id, design_id, version, kind, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6)`, id.String(), t.BrandID, t.DesignID, t.Version, kind, db.Time(now)); err != nil {
		return "", fmt.Errorf("record render: %w", err)
	}
	return id.String(), nil
}

// setJob records the job that works a render.
func setJob(ctx context.Context, tx *sql.Tx, id string, job int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE renders SET job_id = $2 WHERE id = $1`, id, job); err != nil {
		return fmt.Errorf("record render job: %w", err)
	}
	return nil
}

// store updates render rows and wakes their watchers.
type store struct {
	db  *db.DB
	now func() time.Time
	// hub is woken after every committed change, so watchers in this
	// process (dev: the worker and the API are one) see it at once rather
	// than at their next poll.
	hub *hub
}

// notify wakes the watchers of a design on PostgreSQL (a no-op on SQLite,
// whose watchers poll). It runs in q's transaction, so it fires on commit.
func (s *store) notify(ctx context.Context, q db.Querier, designID string) error {
	if s.db.Dialect != db.Postgres {
		return nil
	}
	if _, err := q.ExecContext(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, designID); err != nil {
		return fmt.Errorf("notify render watchers: %w", err)
	}
	return nil
}

// update runs one UPDATE of the render id and notifies its design's watchers.
func (s *store) update(ctx context.Context, id, set string, args ...any) error {
	return s.updateThen(ctx, id, nil, set, args...)
}

// updateThen is update, running then (when not nil) in the same
// transaction: what must happen if and only if the change commits.
func (s *store) updateThen(ctx context.Context, id string, then func(*sql.Tx) error, set string, args ...any) error {
	var designID string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE renders SET `+set+`, updated_at = $2 WHERE id = $1 RETURNING design_id`,
			append([]any{id, db.Time(s.now())}, args...)...).Scan(&designID)
		if errors.Is(err, sql.ErrNoRows) {
			return errGone
		}
		if err != nil {
			return fmt.Errorf("update render %s: %w", id, err)
		}
		if then != nil {
			if err := then(tx); err != nil {
				return err
			}
		}
		return s.notify(ctx, tx, designID)
	})
	if err == nil && s.hub != nil {
		s.hub.wake(designID)
	}
	return err
}

// errGone means the render's row is gone (its design was purged): its job
// has nothing left to do.
var errGone = errors.New("render: the render no longer exists")

// start marks a render processing and counts the attempt.
func (s *store) start(ctx context.Context, id string) error {
	return s.update(ctx, id, `status = 'processing', progress = 0, error = '', attempts = attempts + 1,
		started_at = $2, finished_at = NULL`)
}

// progress records how far a processing render is (0–100).
func (s *store) progress(ctx context.Context, id string, pct int) error {
	return s.update(ctx, id, `progress = $3`, min(max(pct, 0), 99))
}

// complete records a render's files and marks it completed, running then
// (when not nil) in the same transaction.
func (s *store) complete(ctx context.Context, id string, files []File, then func(*sql.Tx) error) error {
	b, err := encodeFiles(files)
	if err != nil {
		return fmt.Errorf("encode render files: %w", err)
	}
	return s.updateThen(ctx, id, then, `status = 'completed', progress = 100, error = '', files = $3, finished_at = $2`, string(b))
}

// fail marks a render failed with a message for the brand; final says no
// attempt is left (otherwise the render is queued again for its retry).
func (s *store) fail(ctx context.Context, id, msg string, final bool) error {
	if final {
		return s.update(ctx, id, `status = 'failed', error = $3, finished_at = $2`, msg)
	}
	return s.update(ctx, id, `status = 'queued', error = $3`, msg)
}

// list returns the renders of a design of brandID, newest first.
func (s *store) list(ctx context.Context, brandID, designID string) ([]Render, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+renderColumns+` FROM renders
		WHERE brand_id = $1 AND design_id = $2 ORDER BY created_at DESC, id DESC LIMIT 200`, brandID, designID)
	if err != nil {
		return nil, fmt.Errorf("list renders: %w", err)
	}
	defer rows.Close()
	out := []Render{}
	for rows.Next() {
		r, err := scanRender(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanRender(sc scanner) (Render, error) {
	var (
		r                 Render
		files             string
		job               sql.NullInt64
		started, finished sql.NullTime
	)
	err := sc.Scan(&r.ID, &r.brandID, &r.DesignID, &r.Version, &r.Kind, &r.Status, &r.Progress, &r.Error, &files, &job,
		&r.Attempts, &r.CreatedAt, &r.UpdatedAt, &started, &finished)
	if err != nil {
		return Render{}, fmt.Errorf("read render: %w", err)
	}
	if r.Files, err = decodeFiles(files); err != nil {
		return Render{}, fmt.Errorf("render %s files: %w", r.ID, err)
	}
	r.JobID = job.Int64
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if started.Valid {
		t := started.Time.UTC()
		r.StartedAt = &t
	}
	if finished.Valid {
		t := finished.Time.UTC()
		r.FinishedAt = &t
	}
	return r, nil
}

// storedFile is a File as the files column holds it: with its blob key,
// which the API never shows (it hands out signed URLs instead).
type storedFile struct {
	File
	Key string `json:"key"`
}

func encodeFiles(files []File) ([]byte, error) {
	out := make([]storedFile, len(files))
	for i, f := range files {
		f.URL = ""
		out[i] = storedFile{File: f, Key: f.Key}
	}
	return json.Marshal(out)
}

func decodeFiles(s string) ([]File, error) {
	var in []storedFile
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]File, len(in))
	for i, f := range in {
		out[i] = f.File
		out[i].Key = f.Key
	}
	return out, nil
}
