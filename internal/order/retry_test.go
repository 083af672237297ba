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
