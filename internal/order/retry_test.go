package order_test

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/render"
)

// A failed print render stops production with the reason on the order (it
// stays producing, nothing is announced ready); a viewer cannot retry, the
// owner's retry renders the files again and the order becomes ready.
func TestProductionFailureAndRetry(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, true)
		s := e.a.Orders
		events := &recordedEvents{}
		s.SetEvents(events)
		// Let the demo's own renders finish, then make every print render
		// of version 1 a failure.
		waitFor(t, "the demo's renders", func() (bool, error) {
			rs, err := e.a.Renders.List(e.ctx, e.brand, e.design)
			for _, r := range rs {
				if !r.Status.Done() {
					return false, err
				}
			}
			return true, err
		})
		res, err := e.a.DB.ExecContext(e.ctx, `UPDATE renders SET status = 'failed', error = 'printer on fire'
			WHERE design_id = $1 AND version = 1 AND kind = 'produce'`, e.design)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			id, _ := db.NewID()
			now := db.Time(e.clock.now())
			if _, err := e.a.DB.ExecContext(e.ctx, `INSERT INTO renders (id, brand_id, design_id, version, kind, status, error, created_at, updated_at)
				VALUES ($1, $2, $3, 1, 'produce', 'failed', 'printer on fire', $4, $4)`, id, e.brand, e.design, now); err != nil {
				t.Fatal(err)
			}
		}

		o, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: "R-1",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		var got order.Order
		waitFor(t, "the production error", func() (bool, error) {
			got, err = s.Get(e.ctx, e.owner, o.ID)
			return got.Production != nil && got.Production.Error != "", err
		})
		if got.Status != order.Producing || !strings.Contains(got.Production.Error, "printer on fire") ||
			!strings.Contains(got.Production.Error, "line 1") || got.Production.Ready {
			t.Fatalf("after the failure: %s %+v", got.Status, got.Production)
		}
		if n := len(events.of(order.EventReady)); n != 0 {
			t.Fatalf("%d order.ready for a failed production", n)
		}

		if _, err := s.RetryProduction(e.ctx, e.viewer, o.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a viewer's retry: %v", err)
		}
		if _, err := s.RetryProduction(e.ctx, e.owner, o.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "ready after the retry", func() (bool, error) {
			got, err = s.Get(e.ctx, e.owner, o.ID)
			return got.Status == order.Ready, err
		})
		if got.Production.Error != "" || got.Production.Files == 0 || len(events.of(order.EventReady)) != 1 {
			t.Fatalf("after the retry: %+v, %d order.ready", got.Production, len(events.of(order.EventReady)))
		}
		rs, err := e.a.Renders.List(e.ctx, e.brand, e.design)
		if err != nil {
			t.Fatal(err)
		}
		completed := 0
		for _, r := range rs {
			if r.Kind == render.Produce && r.Version == 1 && r.Status == render.Completed {
				completed++
			}
		}
		if completed == 0 {
			t.Fatal("the retry made no new print render")
		}
	})
}

// A production that keeps failing for another reason (a print file gone
// from the blob store) is retried by River; its last attempt records why on
// the order instead of leaving it silently stuck in producing.
func TestProductionLastAttemptRecorded(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, true)
		s := e.a.Orders
		first, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: "L-1",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the first order ready", func() (bool, error) {
			got, err := s.Get(e.ctx, e.owner, first.ID)
			return got.Status == order.Ready, err
		})
		// The print files vanish from the store.
		rs, err := e.a.Renders.List(e.ctx, e.brand, e.design)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Kind == render.Produce {
				for _, f := range r.Files {
					if err := e.a.Blobs.Delete(e.ctx, f.Key); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		o, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: "L-2",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		// An attempt before the last fails without a word on the order …
		if err := s.ProduceAttempt(e.ctx, e.brand, o.ID, 1, 10); err == nil {
			t.Fatal("production without its print files succeeded")
		}
		if got, _ := s.Get(e.ctx, e.owner, o.ID); got.Production != nil && got.Production.Error != "" {
			t.Fatalf("an early attempt recorded %q", got.Production.Error)
		}
		// … the last one says why.
		if err := s.ProduceAttempt(e.ctx, e.brand, o.ID, 10, 10); err == nil {
			t.Fatal("the last attempt succeeded")
		}
		got, err := s.Get(e.ctx, e.owner, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != order.Producing || got.Production == nil ||
			!strings.Contains(got.Production.Error, "production stopped after 10 attempts: ") ||
			!strings.Contains(got.Production.Error, "not found") {
			t.Fatalf("after the last attempt: %s %+v", got.Status, got.Production)
		}
	})
}
