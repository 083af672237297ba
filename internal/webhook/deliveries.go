package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
)

// Delivery statuses: pending (waiting for its first attempt or a retry),
// delivered (a 2xx answer), failed (the last attempt failed, another is
// scheduled at NextAttemptAt), gave_up (the schedule ran out, or the
// endpoint was disabled meanwhile).
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
	StatusGaveUp    = "gave_up"
)

// Delivery is one event sent (or to send) to one endpoint, with the answer
// of its last attempt.
type Delivery struct {
	ID             string          `json:"id"`
	EndpointID     string          `json:"endpoint_id"`
	Topic          string          `json:"topic"`
	EventID        string          `json:"event_id"`
	Status         string          `json:"status"`
	Attempts       int             `json:"attempts"`
	NextAttemptAt  *time.Time      `json:"next_attempt_at,omitempty"`
	ResponseStatus int             `json:"response_status,omitempty"`
	ResponseBody   string          `json:"response_body,omitempty"`
	Error          string          `json:"error,omitempty"`
	DurationMS     int64           `json:"duration_ms"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	DeliveredAt    *time.Time      `json:"delivered_at,omitempty"`
	Payload        json.RawMessage `json:"payload"`
	// History lists every attempt, first first (GetDelivery only).
	History []Attempt `json:"history,omitempty"`
}

// Attempt is one try of a delivery and what the endpoint answered.
type Attempt struct {
	Attempt        int       `json:"attempt"`
	ResponseStatus int       `json:"response_status,omitempty"`
	ResponseBody   string    `json:"response_body,omitempty"`
	Error          string    `json:"error,omitempty"`
	DurationMS     int64     `json:"duration_ms"`
	AttemptedAt    time.Time `json:"attempted_at"`
}

// Page sizes of ListDeliveries.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// DeliveryPage is one page of an endpoint's deliveries, newest first.
type DeliveryPage struct {
	Deliveries []Delivery `json:"deliveries"`
	// NextCursor fetches the following page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

const deliveryColumns = `id, endpoint_id, topic, event_id, status, attempts, next_attempt_at, response_status,
	response_body, last_error, duration_ms, created_at, updated_at, delivered_at, payload`

func scanDelivery(row interface{ Scan(...any) error }) (Delivery, error) {
	var d Delivery
	var next, delivered sql.NullTime
	var payload string
	if err := row.Scan(&d.ID, &d.EndpointID, &d.Topic, &d.EventID, &d.Status, &d.Attempts, &next, &d.ResponseStatus,
		&d.ResponseBody, &d.Error, &d.DurationMS, &d.CreatedAt, &d.UpdatedAt, &delivered, &payload); err != nil {
		return Delivery{}, err
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	if next.Valid && (d.Status == StatusPending || d.Status == StatusFailed) {
		t := next.Time.UTC()
		d.NextAttemptAt = &t
	}
	if delivered.Valid {
		t := delivered.Time.UTC()
		d.DeliveredAt = &t
	}
	d.Payload = json.RawMessage(payload)
	return d, nil
}

// ListDeliveries returns a page of an endpoint's deliveries, newest first,
// keyed by ID (time-ordered) so new deliveries never shift a page.
func (s *Service) ListDeliveries(ctx context.Context, p auth.Principal, endpointID, cursor string, limit int) (DeliveryPage, error) {
	if err := canManage(p); err != nil {
		return DeliveryPage{}, err
	}
	switch {
	case limit == 0:
		limit = DefaultPageSize
	case limit < 0 || limit > MaxPageSize:
		return DeliveryPage{}, apperr.New(apperr.Invalid, "limit must be 1 to %d", MaxPageSize)
	}
	if len(cursor) > 100 {
		return DeliveryPage{}, apperr.New(apperr.Invalid, "the cursor is too long")
	}
	if _, err := s.endpoint(ctx, s.db, p.BrandID, endpointID); err != nil {
		return DeliveryPage{}, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE brand_id = $1 AND endpoint_id = $2 AND ($3 = '' OR id < $3)
		ORDER BY id DESC LIMIT $4`, p.BrandID, endpointID, cursor, limit+1)
	if err != nil {
		return DeliveryPage{}, fmt.Errorf("list webhook deliveries: %w", err)
	}
	defer rows.Close()
	page := DeliveryPage{Deliveries: []Delivery{}}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return DeliveryPage{}, fmt.Errorf("list webhook deliveries: %w", err)
		}
		page.Deliveries = append(page.Deliveries, d)
	}
	if err := rows.Err(); err != nil {
		return DeliveryPage{}, fmt.Errorf("list webhook deliveries: %w", err)
	}
	if len(page.Deliveries) > limit {
		page.Deliveries = page.Deliveries[:limit]
		page.NextCursor = page.Deliveries[limit-1].ID
	}
	return page, nil
}

// GetDelivery returns one of the brand's deliveries with every attempt.
func (s *Service) GetDelivery(ctx context.Context, p auth.Principal, id string) (Delivery, error) {
	if err := canManage(p); err != nil {
		return Delivery{}, err
	}
	d, err := s.delivery(ctx, p.BrandID, id)
	if err != nil {
		return Delivery{}, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT attempt, response_status, response_body, error, duration_ms, attempted_at
		FROM webhook_attempts WHERE brand_id = $1 AND delivery_id = $2 ORDER BY attempt`, p.BrandID, id)
	if err != nil {
		return Delivery{}, fmt.Errorf("read webhook attempts: %w", err)
	}
	defer rows.Close()
	d.History = []Attempt{}
	for rows.Next() {
		var a Attempt
		if err := rows.Scan(&a.Attempt, &a.ResponseStatus, &a.ResponseBody, &a.Error, &a.DurationMS, &a.AttemptedAt); err != nil {
			return Delivery{}, fmt.Errorf("read webhook attempts: %w", err)
		}
		a.AttemptedAt = a.AttemptedAt.UTC()
		d.History = append(d.History, a)
	}
	return d, rows.Err()
}

func (s *Service) delivery(ctx context.Context, brandID, id string) (Delivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE brand_id = $1 AND id = $2`, brandID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, apperr.New(apperr.NotFound, "webhook delivery not found")
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("read webhook delivery: %w", err)
	}
	return d, nil
}

// RetryDelivery sends a delivery again now, whatever its status: a failed
// one before its scheduled retry, one that gave up, or a delivered one the
// receiver lost. The same event (same ID and body) is sent, so a receiver
// that keeps the IDs it processed can ignore a duplicate. If the attempt
// fails, the schedule continues from where it was (a delivery that had used
// its attempts gives up again).
func (s *Service) RetryDelivery(ctx context.Context, p auth.Principal, id string) (Delivery, error) {
	if err := canManage(p); err != nil {
		return Delivery{}, err
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var attempts int
		var enabled bool
		err := tx.QueryRowContext(ctx, `SELECT d.attempts, e.enabled FROM webhook_deliveries d
			JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.brand_id = d.brand_id
			WHERE d.brand_id = $1 AND d.id = $2`, p.BrandID, id).Scan(&attempts, &enabled)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "webhook delivery not found")
		}
		if err != nil {
			return fmt.Errorf("retry webhook delivery: %w", err)
		}
		if !enabled {
			return apperr.New(apperr.Conflict, "the endpoint is disabled; enable it to retry its deliveries")
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $3,
			updated_at = $3 WHERE brand_id = $1 AND id = $2`, p.BrandID, id, now); err != nil {
			return fmt.Errorf("retry webhook delivery: %w", err)
		}
		if _, err := s.q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: id, Attempt: attempts + 1}, nil); err != nil {
			return fmt.Errorf("retry webhook delivery: %w", err)
		}
		return nil
	})
	if err != nil {
		return Delivery{}, err
	}
	return s.delivery(ctx, p.BrandID, id)
}
