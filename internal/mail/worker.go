package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Sender delivers one message. SMTP and LogSender are the implementations.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// MaxAttempts is how often a message is tried before River discards its job.
// With River's default backoff (attempt⁴ seconds) ten attempts span about
// four and a half hours, long enough to ride out a provider's outage.
const MaxAttempts = 10

// JobTimeout bounds one delivery attempt, SMTP conversation included. It
// stays within queue.MaxJobTimeout so that the attempt of a crashed worker is
// retried within two minutes; Work checks sent_at first, so that retry does
// not send the email twice.
const JobTimeout = queue.MaxJobTimeout

// SendArgs is the "send_email" job: deliver one outbox row.
type SendArgs struct {
	OutboxID string `json:"outbox_id"`
}

// Kind names the job kind in the queue.
func (SendArgs) Kind() string { return "send_email" }

// InsertOpts sets the retry budget of every send job.
func (SendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// SendWorker works SendArgs.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	db     *db.DB
	sender Sender
	logger *slog.Logger
	now    func() time.Time
}

// NewSendWorker returns a worker that delivers outbox rows of d through s.
func NewSendWorker(d *db.DB, s Sender, logger *slog.Logger) *SendWorker {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &SendWorker{db: d, sender: s, logger: logger, now: time.Now}
}

// Register adds the send_email job kind to reg.
func Register(reg *queue.Registry, w *SendWorker) { queue.Register(reg, w) }

// Timeout bounds one attempt.
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return JobTimeout }

// Work sends the row unless it was already sent: River delivers a job at
// least once (a worker can die between sending and completing the job), so
// sent_at, not the job's state, is what says an email went out. A failure is
// recorded on the row and returned, so River retries with backoff.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	id := job.Args.OutboxID
	var m Message
	var sentAt sql.NullTime
	err := w.db.QueryRowContext(ctx, `SELECT to_addr, subject, body_text, body_html, sent_at
		FROM email_outbox WHERE id = $1`, id).Scan(&m.To, &m.Subject, &m.Text, &m.HTML, &sentAt)
	if errors.Is(err, sql.ErrNoRows) {
		// Rows are only ever inserted with their job, so it was deleted since.
		w.logger.WarnContext(ctx, "email to send is gone", "outbox_id", id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("load email %s: %w", id, err)
	}
	if sentAt.Valid {
		w.logger.InfoContext(ctx, "email already sent", "outbox_id", id, "sent_at", sentAt.Time)
		return nil
	}

	sendErr := w.sender.Send(ctx, m)
	// The bookkeeping must happen even when the attempt's context just ran
	// out: losing a success would send the email again on the retry.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if sendErr == nil {
		if _, err := w.db.ExecContext(bctx, `UPDATE email_outbox
			SET sent_at = $2, attempts = attempts + 1, last_error = '' WHERE id = $1`,
			id, w.now().UTC()); err != nil {
			w.logger.ErrorContext(ctx, "email sent but not recorded: a retry will send it again",
				"outbox_id", id, "err", err)
			return fmt.Errorf("record email %s as sent: %w", id, err)
		}
		w.logger.InfoContext(ctx, "email sent", "outbox_id", id, "attempt", job.Attempt)
		return nil
	}

	if _, err := w.db.ExecContext(bctx, `UPDATE email_outbox
		SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, id, truncate(sendErr.Error(), 1000)); err != nil {
		w.logger.ErrorContext(ctx, "record email failure", "outbox_id", id, "err", err)
	}
	var perm *PermanentError
	switch {
	case errors.As(sendErr, &perm) || apperr.CodeOf(sendErr) == apperr.Invalid:
		w.logger.WarnContext(ctx, "email refused, not retrying", "outbox_id", id, "err", sendErr)
		return river.JobCancel(fmt.Errorf("send email %s: %w", id, sendErr))
	case job.Attempt >= job.MaxAttempts:
		w.logger.ErrorContext(ctx, "email failed for the last time, giving up",
			"outbox_id", id, "attempt", job.Attempt, "err", sendErr)
	default:
		w.logger.WarnContext(ctx, "email failed, will retry", "outbox_id", id, "attempt", job.Attempt, "err", sendErr)
	}
	return fmt.Errorf("send email %s: %w", id, sendErr)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
