package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/db"
)

// MaxPayload bounds an event's body: events describe what changed and link
// to the rest (an order's files are download links, never the files). An
// event is emitted in the transaction of its change, so one over the bound
// fails the change itself: the bound holds the largest order event with
// room to spare (500 lines, order.MaxLines, of at most about 700 bytes of
// JSON each: ids, SKU, flag and fee check).
const MaxPayload = 1 << 20

// Event is the JSON body of every delivery.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt string          `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// Emit records the event topic of brandID, with data as its "data", for
// every enabled endpoint of the brand subscribed to topic, and enqueues
// their deliveries, all in one transaction of its own.
func (s *Service) Emit(ctx context.Context, brandID, topic string, data any) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error { return s.EmitTx(ctx, tx, brandID, topic, data) })
}

// EmitTx is Emit inside the caller's transaction: the deliveries exist if
// and only if tx commits, with the change they announce. On SQLite use only
// tx until it ends.
func (s *Service) EmitTx(ctx context.Context, tx *sql.Tx, brandID, topic string, data any) error {
	if !KnownTopic(topic) {
		return fmt.Errorf("emit webhook: unknown topic %q", topic)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, topics FROM webhook_endpoints
		WHERE brand_id = $1 AND enabled = $2 ORDER BY id`, brandID, true)
	if err != nil {
		return fmt.Errorf("emit webhook %s: %w", topic, err)
	}
	var targets []string
	for rows.Next() {
		var id, tj string
		var topics []string
		if err := rows.Scan(&id, &tj); err != nil {
			rows.Close()
			return fmt.Errorf("emit webhook %s: %w", topic, err)
		}
		if json.Unmarshal([]byte(tj), &topics) == nil && slices.Contains(topics, topic) {
			targets = append(targets, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("emit webhook %s: %w", topic, err)
	}
	if len(targets) == 0 {
		return nil
	}
	eventID, body, err := s.event(topic, data)
	if err != nil {
		return err
	}
	for _, endpointID := range targets {
		if _, err := s.insertDelivery(ctx, tx, brandID, endpointID, topic, eventID, body); err != nil {
			return err
		}
	}
	return nil
}

// event builds an event's ID and body.
func (s *Service) event(topic string, data any) (string, []byte, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return "", nil, fmt.Errorf("emit webhook %s: encode data: %w", topic, err)
	}
	id, err := db.NewID()
	if err != nil {
		return "", nil, err
	}
	body, err := json.Marshal(Event{ID: id, Type: topic, CreatedAt: s.cfg.Now().UTC().Format(time.RFC3339), Data: raw})
	if err != nil {
		return "", nil, fmt.Errorf("emit webhook %s: %w", topic, err)
	}
	if len(body) > MaxPayload {
		return "", nil, fmt.Errorf("emit webhook %s: the event is %d bytes, over the %d limit", topic, len(body), MaxPayload)
	}
	return id, body, nil
}

// insertDelivery records one pending delivery and enqueues its first attempt.
func (s *Service) insertDelivery(ctx context.Context, tx *sql.Tx, brandID, endpointID, topic, eventID string, body []byte) (string, error) {
	if s.q == nil {
		return "", errors.New("emit webhook: no queue set")
	}
	id, err := db.NewID()
	if err != nil {
		return "", err
	}
	now := s.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries
		(id, endpoint_id, brand_id, topic, event_id, payload, attempts, status, next_attempt_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 0, 'pending', $7, $7, $7)`,
		id, endpointID, brandID, topic, eventID, string(body), now); err != nil {
		return "", fmt.Errorf("record webhook delivery: %w", err)
	}
	if _, err := s.q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: id, Attempt: 1}, nil); err != nil {
		return "", fmt.Errorf("enqueue webhook delivery: %w", err)
	}
	return id, nil
}

// Ping sends a "ping" event to one endpoint, whatever its topics, so a brand
// can check its receiver; it returns the delivery to follow in the log. A
// disabled endpoint is refused: disabled endpoints receive nothing.
func (s *Service) Ping(ctx context.Context, p auth.Principal, endpointID string) (Delivery, error) {
	if err := canManage(p); err != nil {
		return Delivery{}, err
	}
	var id string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.endpoint(ctx, tx, p.BrandID, endpointID)
		if err != nil {
			return err
		}
		if !e.Enabled {
			return apperr.New(apperr.Conflict, "the endpoint is disabled; enable it to send it a ping")
		}
		eventID, body, err := s.event(TopicPing, map[string]string{"endpoint_id": e.ID,
			"message": "A test event sent from Luneo. Check its signature as your other events'."})
		if err != nil {
			return err
		}
		id, err = s.insertDelivery(ctx, tx, p.BrandID, e.ID, TopicPing, eventID, body)
		return err
	})
	if err != nil {
		return Delivery{}, err
	}
	return s.delivery(ctx, p.BrandID, id)
}
