package order

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// APIOrder is the body of POST /api/orders.
type APIOrder struct {
	ExternalID string    `json:"external_id"`
	Name       string    `json:"name,omitempty"`
	Customer   string    `json:"customer,omitempty"`
	Lines      []APILine `json:"lines"`
}

// APILine is one line of an APIOrder.
type APILine struct {
	DesignID string `json:"design_id"`
	Version  int    `json:"version"`
	Quantity int    `json:"quantity"`
	SKU      string `json:"sku,omitempty"`
}

// MaxIdempotencyKey is the longest Idempotency-Key.
const MaxIdempotencyKey = 255

// CreateAPI records an order posted to the API (orders:write). With an
// Idempotency-Key, the same key and the same body within IdempotencyTTL
// answer the same order (created=false after the first time), and the same
// key with another body is a conflict; without one, the order is still
// idempotent by its external_id (Ingest).
func (s *Service) CreateAPI(ctx context.Context, p auth.Principal, key string, req APIOrder) (Order, bool, error) {
	if err := p.Require(brand.OrdersWrite); err != nil {
		return Order{}, false, err
	}
	if len(key) > MaxIdempotencyKey || !short(key, MaxIdempotencyKey) {
		return Order{}, false, apperr.New(apperr.Invalid, "the Idempotency-Key must be at most %d printable characters", MaxIdempotencyKey)
	}
	in := Input{Source: SourceAPI, ExternalID: req.ExternalID, Name: req.Name, Customer: req.Customer}
	for _, l := range req.Lines {
		in.Lines = append(in.Lines, LineInput{DesignID: l.DesignID, Version: l.Version, Quantity: l.Quantity, SKU: l.SKU})
	}
	if key == "" {
		return s.Ingest(ctx, p.BrandID, in)
	}
	canonical, err := json.Marshal(req)
	if err != nil {
		return Order{}, false, fmt.Errorf("hash order request: %w", err)
	}
	sum := sha256.Sum256(canonical)
	hash := hex.EncodeToString(sum[:])
	for attempt := 0; ; attempt++ {
		var o Order
		var created bool
		err := s.db.InTx(ctx, func(tx *sql.Tx) error {
			var seenHash, orderID string
			var at time.Time
			err := tx.QueryRowContext(ctx, `SELECT request_sha256, order_id, created_at FROM order_idempotency
				WHERE brand_id = $1 AND idem_key = $2`, p.BrandID, key).Scan(&seenHash, &orderID, &at)
			fresh := err == nil && s.now().Sub(at) < IdempotencyTTL
			switch {
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("read idempotency key: %w", err)
			case fresh && seenHash != hash:
				return apperr.New(apperr.Conflict, "this Idempotency-Key was used with another request body in the last 24 hours")
			case fresh:
				o, err = loadOrder(ctx, tx, p.BrandID, orderID)
				return err
			case err == nil: // expired: the key may be used again
				if _, err := tx.ExecContext(ctx, `DELETE FROM order_idempotency WHERE brand_id = $1 AND idem_key = $2`, p.BrandID, key); err != nil {
					return fmt.Errorf("expire idempotency key: %w", err)
				}
			}
			if o, created, err = s.ingestTx(ctx, tx, p.BrandID, in, nil); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO order_idempotency (brand_id, idem_key, request_sha256, order_id, created_at)
				VALUES ($1, $2, $3, $4, $5)`, p.BrandID, key, hash, o.ID, s.stamp()); err != nil {
				return fmt.Errorf("record idempotency key: %w", err)
			}
			return nil
		})
		if err != nil && db.IsUniqueViolation(err) && attempt == 0 {
			continue // a concurrent request with the key (or the order) won: answer as it did
		}
		return o, created, err
	}
}

// PurgeIdempotency deletes the Idempotency-Key answers older than
// IdempotencyTTL.
func (s *Service) PurgeIdempotency(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM order_idempotency WHERE created_at < $1`, db.Time(s.now().Add(-IdempotencyTTL)))
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return res.RowsAffected()
}

// PurgeArgs is the periodic job purging old Idempotency-Key answers.
type PurgeArgs struct{}

// Kind names the job kind in the queue.
func (PurgeArgs) Kind() string { return "order_idempotency_purge" }

// InsertOpts keeps at most one purge pending at a time.
func (PurgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Minute}}
}

// PurgeWorker works PurgeArgs.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	svc *Service
}

// Timeout bounds one run; what it deleted stays deleted.
func (w *PurgeWorker) Timeout(*river.Job[PurgeArgs]) time.Duration { return queue.MaxJobTimeout }

// Work runs PurgeIdempotency.
func (w *PurgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	n, err := w.svc.PurgeIdempotency(ctx)
	if err == nil && n > 0 {
		w.svc.logger.InfoContext(ctx, "order idempotency keys purged", "count", n)
	}
	return err
}
