package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/queue"
)

// TestRetentionKeepsNewestPerKind fills the queue with more finished jobs
// of a limited kind than the retention keeps (140 completed, 60 discarded or cancelled)
// and as many of an unlimited kind, finalized in an order unlike their
// IDs; the retention job, which runs when the queue starts, must leave
// exactly the 100 and 50 last finalized of the limited kind, and every job
// of the other kind.
func TestRetentionKeepsNewestPerKind(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := queue.Migrate(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
		reg := queue.NewRegistry()
		queue.Register(reg, &renderWorker{d: d})
		queue.Register(reg, &echoWorker{seen: make(chan [2]string, 1)})
		q, err := queue.New(d, reg, queue.Options{Work: true, KV: kv.NewSQL(d.DB, nil), PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		base := time.Now().Add(-time.Hour)
		// finish sets a job's final state, finalized at base+offset: the
		// offsets run against the IDs, so "newest" cannot mean "highest ID".
		finish := func(id int64, state string, offset time.Duration) {
			if _, err := d.ExecContext(ctx, `UPDATE river_job SET state = $2, finalized_at = $3 WHERE id = $1`,
				id, state, riverTime(d, base.Add(offset))); err != nil {
				t.Fatal(err)
			}
		}
		type job struct {
			id     int64
			offset time.Duration
		}
		var completed, failed []job
		for i := range 200 {
			id, err := q.Insert(ctx, renderArgs{Brand: "b"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			offset := time.Duration(1000-i) * time.Second
			if i%10 < 3 { // 60 failed, alternating states
				state := "discarded"
				if i%2 == 1 {
					state = "cancelled"
				}
				finish(id, state, offset)
				failed = append(failed, job{id, offset})
			} else {
				finish(id, "completed", offset)
				completed = append(completed, job{id, offset})
			}
			other, err := q.Insert(ctx, echoArgs{Msg: "x"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			finish(other, "completed", offset)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer scancel()
			if err := q.Stop(sctx); err != nil {
				t.Error(err)
			}
		}()
		for {
			var n int
			if err := d.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'test_render'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 150 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("%d limited jobs left, want 150 once the retention job ran", n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		// The earliest inserted were finalized last: they are the newest.
		wantKept := map[int64]bool{}
		for _, j := range completed[:100] {
			wantKept[j.id] = true
		}
		for _, j := range failed[:50] {
			wantKept[j.id] = true
		}
		rows, err := d.QueryContext(ctx, `SELECT id FROM river_job WHERE kind = 'test_render'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			if !wantKept[id] {
				t.Errorf("job %d kept, but it is not among the newest", id)
			}
		}
		var others int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'test_echo'`).Scan(&others); err != nil || others != 200 {
			t.Fatalf("%d jobs of the unlimited kind left (%v), want all 200", others, err)
		}
	})
}
