package mail

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/queue"
)

// outboxEnv is a migrated database, a queue over it and a real SMTP server.
type outboxEnv struct {
	d      *db.DB
	q      *queue.Queue
	outbox *Outbox
	worker *SendWorker
	ts     *testServer
}

// newOutboxEnv builds the environment; with work, the queue works jobs (and
// is stopped at the end of the test) as in the worker process.
func newOutboxEnv(t *testing.T, d *db.DB, opts serverOpts, smtpURL string, work bool) *outboxEnv {
	t.Helper()
	ctx := context.Background()
	if _, err := queue.Migrate(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, opts)
	w := NewSendWorker(d, newTestSMTP(t, ts, strings.Replace(smtpURL, "ADDR", ts.addr, 1)), nil)
	reg := queue.NewRegistry()
	Register(reg, w)
	q, err := queue.New(d, reg, queue.Options{Work: work, PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if work {
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := q.Stop(sctx); err != nil {
				t.Error(err)
			}
		})
	}
	return &outboxEnv{d: d, q: q, outbox: NewOutbox(d, q), worker: w, ts: ts}
}

// row is an outbox row's delivery state.
type row struct {
	sent     bool
	attempts int
	lastErr  string
}

func (e *outboxEnv) row(t *testing.T, id string) row {
	t.Helper()
	var r row
	var sentAt sql.NullTime
	err := e.d.QueryRow(`SELECT sent_at, attempts, last_error FROM email_outbox WHERE id = $1`, id).
		Scan(&sentAt, &r.attempts, &r.lastErr)
	if err != nil {
		t.Fatalf("read outbox row %s: %v", id, err)
	}
	r.sent = sentAt.Valid
	return r
}

// jobStates lists the states of the send_email jobs, oldest first.
func (e *outboxEnv) jobStates(t *testing.T) []string {
	t.Helper()
	rows, err := e.d.Query(`SELECT state FROM river_job WHERE kind = 'send_email' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var states []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		states = append(states, s)
	}
	return states
}

// sendCommitted queues testMessage in a committed transaction.
func (e *outboxEnv) sendCommitted(t *testing.T) string {
	t.Helper()
	var id string
	err := e.d.InTx(context.Background(), func(tx *sql.Tx) error {
		var err error
		id, err = e.outbox.SendTx(context.Background(), tx, testMessage)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// eventually polls cond until it holds, failing t after 30 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOutboxDeliversOnCommit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, tt := range []struct {
			name, url string
			opts      serverOpts
			user      string
		}{
			{"starttls with auth", "smtp://luneo:pw@ADDR", serverOpts{tls: "starttls", user: "luneo", pass: "pw"}, "luneo"},
			{"local relay without auth", "smtp://ADDR?tls=none", serverOpts{}, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				e := newOutboxEnv(t, d, tt.opts, tt.url, true)
				id := e.sendCommitted(t)
				eventually(t, "delivery", func() bool { return e.row(t, id).sent })
				if r := checkDelivered(t, e.ts); r.User != tt.user {
					t.Fatalf("authenticated as %q, want %q", r.User, tt.user)
				}
				if r := e.row(t, id); r.attempts != 1 || r.lastErr != "" {
					t.Fatalf("row %+v", r)
				}
			})
		}
	})
}

func TestOutboxRollbackSendsNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newOutboxEnv(t, d, serverOpts{}, "smtp://ADDR?tls=none", true)
		ctx := context.Background()
		boom := errors.New("business step failed")
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			if _, err := e.outbox.SendTx(ctx, tx, testMessage); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		// An invalid message is refused before anything is written.
		if _, err := e.outbox.Send(ctx, Message{To: "x@y.co\r\nBcc: z@y.co", Subject: "s", Text: "t"}); err == nil {
			t.Fatal("invalid message queued")
		}
		// Neither left a row or a job, so no worker can ever send them.
		var n int
		if err := d.QueryRow(`SELECT count(*) FROM email_outbox`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d outbox rows (%v)", n, err)
		}
		if states := e.jobStates(t); len(states) != 0 {
			t.Fatalf("jobs %v", states)
		}
		// And the worker is live: a message committed afterwards is the only
		// one the server ever gets.
		id := e.sendCommitted(t)
		eventually(t, "delivery of the committed message", func() bool { return e.row(t, id).sent })
		eventually(t, "its job's completion", func() bool {
			s := e.jobStates(t)
			return len(s) == 1 && s[0] == "completed"
		})
		checkDelivered(t, e.ts)
	})
}

func TestOutboxRetriesUntilServerRecovers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newOutboxEnv(t, d, serverOpts{}, "smtp://ADDR?tls=none", true)
		e.ts.failData.Store(true)
		id := e.sendCommitted(t)
		eventually(t, "a failed attempt", func() bool { return e.row(t, id).attempts >= 1 })
		r := e.row(t, id)
		if r.sent || !strings.Contains(r.lastErr, "451") {
			t.Fatalf("after failure: %+v", r)
		}
		// River sets a soon-retried job straight back to available.
		if s := e.jobStates(t); len(s) != 1 || (s[0] != "available" && s[0] != "retryable" && s[0] != "running") {
			t.Fatalf("job states %v, want it pending a retry", s)
		}
		e.ts.failData.Store(false)
		eventually(t, "delivery after recovery", func() bool { return e.row(t, id).sent })
		eventually(t, "job completion", func() bool {
			s := e.jobStates(t)
			return len(s) == 1 && s[0] == "completed"
		})
		checkDelivered(t, e.ts)
		if r := e.row(t, id); r.attempts < 2 || r.lastErr != "" {
			t.Fatalf("after recovery: %+v", r)
		}
	})
}

func TestOutboxJobRunTwiceSendsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newOutboxEnv(t, d, serverOpts{}, "smtp://ADDR?tls=none", true)
		id := e.sendCommitted(t)
		eventually(t, "delivery", func() bool { return e.row(t, id).sent })
		// A second job for the same row, as when River runs a job again
		// after a crash between sending and completing.
		if _, err := e.q.Insert(context.Background(), SendArgs{OutboxID: id}, nil); err != nil {
			t.Fatal(err)
		}
		eventually(t, "second job completion", func() bool {
			s := e.jobStates(t)
			return len(s) == 2 && s[0] == "completed" && s[1] == "completed"
		})
		checkDelivered(t, e.ts)
		if r := e.row(t, id); r.attempts != 1 {
			t.Fatalf("row %+v", r)
		}
	})
}
