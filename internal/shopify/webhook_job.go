package shopify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/queue"
)

// WebhookArgs is the job working one recorded delivery; the events row
// holds the rest.
type WebhookArgs struct {
	WebhookID string `json:"webhook_id"`
}

// Kind names the job kind in the queue.
func (WebhookArgs) Kind() string { return "shopify_webhook" }

// WebhookMaxAttempts is how often a delivery's work is tried: River backs
// off between attempts (attempt⁴ seconds), so a module that is down for a
// few hours does not lose an order.
const WebhookMaxAttempts = 12

// InsertOpts sets the retry budget.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: WebhookMaxAttempts}
}

// webhookTimeout bounds one attempt (an order's ingestion locks designs
// and enqueues production; a data request sends a few emails).
const webhookTimeout = time.Minute

// WebhookWorker works WebhookArgs.
type WebhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	w *Webhooks
}

// RegisterWebhooks adds the shopify_webhook job kind to reg.
func RegisterWebhooks(reg *queue.Registry, w *Webhooks) {
	queue.Register(reg, &WebhookWorker{w: w})
}

// Timeout bounds one attempt.
func (*WebhookWorker) Timeout(*river.Job[WebhookArgs]) time.Duration { return webhookTimeout }

// Work does the delivery's work once: a row already processed (River runs a
// job at least once) or gone (shop/redact removed it) is done. The outcome
// is recorded on the row; an error is returned so River retries, except
// for a payload that cannot be read, which no retry would fix.
func (ww *WebhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	return ww.w.work(ctx, job.Args.WebhookID)
}

func (w *Webhooks) work(ctx context.Context, id string) error {
	var ev event
	var payload string
	var processed sql.NullTime
	err := w.db.QueryRowContext(ctx, `SELECT webhook_id, shop, topic, payload, processed_at
		FROM shopify_webhook_events WHERE webhook_id = $1`, id).Scan(&ev.ID, &ev.Shop, &ev.Topic, &payload, &processed)
	if errors.Is(err, sql.ErrNoRows) {
		w.logger.InfoContext(ctx, "shopify webhook to work is gone (shop redacted)", "webhook_id", id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("load shopify webhook %s: %w", id, err)
	}
	if processed.Valid {
		return nil
	}
	ev.Payload = []byte(payload)
	herr := w.handle(ctx, ev)

	// The outcome is recorded even when the attempt's context ran out.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if herr == nil {
		// Done: the payload (an order's carries the customer's name and
		// address) is no longer needed, so it is not kept.
		if _, err := w.db.ExecContext(bctx, `UPDATE shopify_webhook_events
			SET processed_at = $2, attempts = attempts + 1, error = '', payload = '' WHERE webhook_id = $1`,
			id, w.stamp()); err != nil {
			return fmt.Errorf("record shopify webhook %s as processed: %w", id, err)
		}
		w.logger.InfoContext(ctx, "shopify webhook processed", "topic", ev.Topic, "shop", ev.Shop, "webhook_id", id)
		return nil
	}
	// A payload refused as unreadable is not retried, so it is not kept
	// either; one that failed otherwise stays for the retry.
	refused := apperr.CodeOf(herr) == apperr.Invalid
	if _, err := w.db.ExecContext(bctx, `UPDATE shopify_webhook_events
		SET attempts = attempts + 1, error = $2, payload = CASE WHEN $3 THEN '' ELSE payload END WHERE webhook_id = $1`,
		id, clip(herr.Error(), 1000), refused); err != nil {
		w.logger.ErrorContext(ctx, "record shopify webhook failure", "webhook_id", id, "err", err)
	}
	if refused {
		w.logger.WarnContext(ctx, "shopify webhook payload refused, not retrying", "topic", ev.Topic, "shop", ev.Shop,
			"webhook_id", id, "err", herr)
		return river.JobCancel(fmt.Errorf("shopify webhook %s: %w", id, herr))
	}
	w.logger.WarnContext(ctx, "shopify webhook failed, will retry", "topic", ev.Topic, "shop", ev.Shop, "webhook_id", id, "err", herr)
	return fmt.Errorf("shopify webhook %s: %w", id, herr)
}

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
