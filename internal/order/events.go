package order

import (
	"context"
	"database/sql"
)

// Lifecycle events of an order, as the brand webhooks name their topics
// (internal/webhook). Each is emitted inside the transaction that makes it
// true, so an event exists exactly when its change does: a crash can
// neither lose one nor announce a change that was rolled back.
const (
	EventCreated   = "order.created"   // a new order, with its lines
	EventUpdated   = "order.updated"   // production started, or the brand fulfilled it
	EventReady     = "order.ready"     // the production ZIP is ready, with a download link
	EventCancelled = "order.cancelled" // the brand or the store cancelled it
)

// Events records events (webhook.Service.EmitTx does, queueing one
// delivery per subscribed endpoint).
type Events interface {
	EmitTx(ctx context.Context, tx *sql.Tx, brandID, topic string, data any) error
}

// EventData is the "data" of an order event: the order with its lines
// (and production, once started), and for order.ready a download link of
// the ZIP valid for EmailLinkTTL.
type EventData struct {
	Order    Order         `json:"order"`
	Download *DownloadLink `json:"download,omitempty"`
}

// emit sends topic for o inside tx when events are wired.
func (s *Service) emit(ctx context.Context, tx *sql.Tx, topic string, o Order, link *DownloadLink) error {
	if s.cfg.Events == nil {
		return nil
	}
	return s.cfg.Events.EmitTx(ctx, tx, o.brandID, topic, EventData{Order: o, Download: link})
}
