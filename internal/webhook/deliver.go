package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Schedule is the wait before each retry of a failed delivery (before
// jitter): 30 s, 2 min, 10 min, 1 h, 6 h, 24 h. After the last retry fails
// the delivery gives up; MaxAttempts counts the first attempt too.
var Schedule = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour}

// MaxAttempts is how often a delivery is tried in all.
var MaxAttempts = len(Schedule) + 1

// MaxExcerpt is how much of an answer's body is read and kept.
const MaxExcerpt = 2 << 10

// UserAgent identifies deliveries to receivers.
const UserAgent = "Luneo-Webhooks/1"

// The headers of a delivery (docs/webhooks.md).
const (
	HeaderID        = "Luneo-Webhook-Id"
	HeaderTimestamp = "Luneo-Webhook-Timestamp"
	HeaderSignature = "Luneo-Webhook-Signature"
)

// jobTimeout bounds one job: the attempt (AttemptTimeout) and its
// bookkeeping, well inside queue.MaxJobTimeout.
const jobTimeout = 30 * time.Second

// DeliverArgs is the "webhook_deliver" job: make attempt Attempt of a
// delivery. A job whose attempt the row has already moved past (a manual
// retry raced a scheduled one) does nothing.
type DeliverArgs struct {
	DeliveryID string `json:"delivery_id"`
	Attempt    int    `json:"attempt"`
}

// Kind names the job kind in the queue.
func (DeliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts: River's own retries only cover failures to read or record a
// delivery (the database); failed deliveries are rescheduled by Work with
// Schedule, as new jobs.
func (DeliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// DeliverWorker works DeliverArgs.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

// Timeout bounds one job.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return jobTimeout }

// Work makes one attempt.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.s.Deliver(ctx, job.Args)
}

// Register adds the delivery and purge job kinds to reg, with the purge
// running every few hours.
func Register(reg *queue.Registry, s *Service) {
	queue.Register(reg, &DeliverWorker{s: s})
	queue.Register(reg, &PurgeWorker{s: s})
	reg.Every(6*time.Hour, func() river.JobArgs { return PurgeArgs{} })
}

// result is what one attempt got.
type result struct {
	status   int
	body     string
	err      string
	duration time.Duration
}

func (r result) ok() bool { return r.err == "" && r.status >= 200 && r.status < 300 }

// Deliver makes attempt a.Attempt of a delivery: it POSTs the stored body,
// signed with the endpoint's current secret, and records the answer, the
// attempt, and either success, the next retry (enqueued in the same
// transaction) or giving up. River delivers a job at least once, so an
// attempt may be repeated after a crash: receivers dedupe on the event ID.
func (s *Service) Deliver(ctx context.Context, a DeliverArgs) error {
	var brandID, endpointID, eventID, status, payload, url, sealed string
	var attempts int
	var enabled bool
	err := s.db.QueryRowContext(ctx, `SELECT d.brand_id, d.endpoint_id, d.event_id, d.status, d.attempts, d.payload,
		e.url, e.secret_sealed, e.enabled
		FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
		WHERE d.id = $1`, a.DeliveryID).Scan(&brandID, &endpointID, &eventID, &status, &attempts, &payload, &url, &sealed, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		s.logger.InfoContext(ctx, "webhook delivery is gone (endpoint deleted or purged)", "delivery_id", a.DeliveryID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("load webhook delivery %s: %w", a.DeliveryID, err)
	}
	log := s.logger.With("delivery_id", a.DeliveryID, "endpoint_id", endpointID, "brand_id", brandID, "attempt", a.Attempt)
	if (status != StatusPending && status != StatusFailed) || attempts != a.Attempt-1 {
		log.InfoContext(ctx, "webhook attempt already made or superseded", "status", status, "attempts", attempts)
		return nil
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if !enabled {
		_, err := s.db.ExecContext(bctx, `UPDATE webhook_deliveries SET status = 'gave_up', next_attempt_at = NULL,
			last_error = 'the endpoint is disabled', updated_at = $3 WHERE id = $1 AND attempts = $2`,
			a.DeliveryID, attempts, s.now())
		if err != nil {
			return fmt.Errorf("record webhook delivery %s: %w", a.DeliveryID, err)
		}
		log.InfoContext(ctx, "webhook endpoint disabled: delivery dropped")
		return nil
	}

	var res result
	if secret, err := s.seal.Open(sealed, secretContext(endpointID)); err != nil {
		res.err = "cannot open the endpoint's signing secret (was LUNEO_SECRET changed without LUNEO_SECRET_PREVIOUS?)"
	} else {
		res = s.post(ctx, url, string(secret), eventID, []byte(payload))
	}
	if err := s.record(bctx, a, attempts, res); err != nil {
		return err
	}
	if res.ok() {
		log.InfoContext(ctx, "webhook delivered", "status", res.status, "duration", res.duration)
	} else {
		log.WarnContext(ctx, "webhook attempt failed", "status", res.status, "error", res.err, "duration", res.duration)
	}
	return nil
}

// post sends one signed attempt and reads at most MaxExcerpt of the answer.
func (s *Service) post(ctx context.Context, url, secret, eventID string, body []byte) result {
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	ts := s.cfg.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return result{err: "cannot build the request: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderID, eventID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(secret, ts, body))
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return result{err: truncate(err.Error(), 1000), duration: time.Since(start)}
	}
	defer resp.Body.Close()
	excerpt, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxExcerpt))
	res := result{status: resp.StatusCode, body: clean(excerpt), duration: time.Since(start)}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		res.err = fmt.Sprintf("answered %d, a redirect (to %q), which is not followed: give the final URL",
			resp.StatusCode, truncate(resp.Header.Get("Location"), 300))
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		res.err = fmt.Sprintf("answered %d", resp.StatusCode)
	case readErr != nil:
		// A 2xx whose body broke off still counts: the status was sent.
		res.body += " [body unreadable: " + truncate(readErr.Error(), 200) + "]"
		res.body = truncate(res.body, MaxExcerpt)
	}
	return res
}

// record stores an attempt's outcome and schedules the next one, in one
// transaction. It changes nothing when the row moved on meanwhile.
func (s *Service) record(ctx context.Context, a DeliverArgs, before int, res result) error {
	now := s.now()
	n := before + 1
	status, next, delivered := StatusDelivered, sql.NullTime{}, sql.NullTime{Time: now, Valid: true}
	if !res.ok() {
		delivered = sql.NullTime{}
		status = StatusGaveUp
		if n < MaxAttempts {
			status = StatusFailed
			next = sql.NullTime{Time: db.Time(now.Add(s.cfg.Jitter(Schedule[n-1]))), Valid: true}
		}
	}
	ms := res.duration.Milliseconds()
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = $3, status = $4, next_attempt_at = $5,
			response_status = $6, response_body = $7, last_error = $8, duration_ms = $9, updated_at = $10,
			delivered_at = COALESCE($11, delivered_at)
			WHERE id = $1 AND attempts = $2 AND status IN ('pending', 'failed')`,
			a.DeliveryID, before, n, status, next, res.status, res.body, res.err, ms, now, delivered)
		if err != nil {
			return fmt.Errorf("record webhook attempt: %w", err)
		}
		if c, _ := r.RowsAffected(); c == 0 {
			return nil // another attempt was recorded first
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts
			(delivery_id, brand_id, attempt, response_status, response_body, error, duration_ms, attempted_at)
			SELECT id, brand_id, $2, $3, $4, $5, $6, $7 FROM webhook_deliveries WHERE id = $1`,
			a.DeliveryID, n, res.status, res.body, res.err, ms, now); err != nil {
			return fmt.Errorf("record webhook attempt: %w", err)
		}
		if next.Valid {
			if _, err := s.q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: a.DeliveryID, Attempt: n + 1},
				&river.InsertOpts{ScheduledAt: next.Time}); err != nil {
				return fmt.Errorf("schedule webhook retry: %w", err)
			}
		}
		return nil
	})
}

// Sign is the Luneo-Webhook-Signature of body sent at timestamp (unix
// seconds): "v1=" and the hex HMAC-SHA256, keyed with the whole secret
// (whsec_ included), of the timestamp, a dot and the body.
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// jitter spreads d by ±10 %.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// clean makes an answer's excerpt storable and showable: valid UTF-8
// without NUL bytes (PostgreSQL's text refuses both), at most MaxExcerpt.
func clean(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	return truncate(s, MaxExcerpt)
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
