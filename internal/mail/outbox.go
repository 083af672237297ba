package mail

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Outbox queues email for delivery by SendWorker.
type Outbox struct {
	db  *db.DB
	q   *queue.Queue
	now func() time.Time
}

// NewOutbox returns an Outbox writing to d and enqueuing on q (which only
// needs to insert: the worker may run in another process).
func NewOutbox(d *db.DB, q *queue.Queue) *Outbox {
	return &Outbox{db: d, q: q, now: time.Now}
}

// SendTx validates m and records it, with the job that will send it, in tx:
// the email is sent if and only if tx commits, and the caller never waits for
// the mail server. It returns the outbox row's ID. Invalid messages give an
// *apperr.Error (Invalid). On SQLite, use nothing but tx until it ends.
func (o *Outbox) SendTx(ctx context.Context, tx *sql.Tx, m Message) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	u, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("email id: %w", err)
	}
	id := u.String()
	_, err = tx.ExecContext(ctx, `INSERT INTO email_outbox
		(id, to_addr, subject, body_text, body_html, created_at, attempts, last_error)
		VALUES ($1, $2, $3, $4, $5, $6, 0, '')`,
		id, m.To, m.Subject, m.Text, m.HTML, o.now().UTC())
	if err != nil {
		return "", fmt.Errorf("queue email: %w", err)
	}
	if _, err := o.q.InsertTx(ctx, tx, SendArgs{OutboxID: id}, nil); err != nil {
		return "", fmt.Errorf("queue email: %w", err)
	}
	return id, nil
}

// Send is SendTx in a transaction of its own, for callers that write nothing
// else (a "resend the confirmation" button, for example).
func (o *Outbox) Send(ctx context.Context, m Message) (string, error) {
	var id string
	err := o.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = o.SendTx(ctx, tx, m)
		return err
	})
	return id, err
}
