package order_test

import (
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/order"
)

func wantCode(t *testing.T, err error, code apperr.Code, contains string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if contains != "" && !strings.Contains(err.Error(), contains) {
		t.Fatalf("error %q does not say %q", err, contains)
	}
}

// Ingest: idempotent by (brand, source, store, external id), every design
// version locked in the order's transaction, foreign designs refused (API)
// or flagged (Shopify), product mismatches flagged.
func TestIngest(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, false)
		s := e.a.Orders
		in := order.Input{Source: order.SourceAPI, ExternalID: "A-1", Customer: "cust-9",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 2, SKU: "MUG-RED"}}}
		o, created, err := s.Ingest(e.ctx, e.brand, in)
		if err != nil || !created {
			t.Fatalf("ingest: %v, created %v", err, created)
		}
		if o.Status != order.Received || len(o.Lines) != 1 || o.Lines[0].ProductID != e.product || o.Lines[0].Flag != "" {
			t.Fatalf("order %+v", o)
		}
		again, created, err := s.Ingest(e.ctx, e.brand, in)
		if err != nil || created || again.ID != o.ID || len(again.Lines) != 1 {
			t.Fatalf("second ingest: %v, created %v, id %s want %s", err, created, again.ID, o.ID)
		}
		var lockedBy string
		if err := e.a.DB.QueryRowContext(e.ctx, `SELECT locked_by FROM design_versions WHERE design_id = $1 AND version = 1`, e.design).Scan(&lockedBy); err != nil || lockedBy != "order:"+o.ID {
			t.Fatalf("version 1 locked by %q (%v), want the order", lockedBy, err)
		}

		// Another brand's design: the API refuses naming the line, a
		// Shopify order records the line without it, flagged.
		foreign := order.Input{Source: order.SourceAPI, ExternalID: "B-1",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}}
		_, _, err = s.Ingest(e.ctx, e.other.BrandID, foreign)
		wantCode(t, err, apperr.Unprocessable, "line 1")
		var n int
		if err := e.a.DB.QueryRowContext(e.ctx, `SELECT count(*) FROM orders WHERE brand_id = $1`, e.other.BrandID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("a refused order left %d rows (%v)", n, err)
		}
		shop := order.Input{Source: order.SourceShopify, Store: "x.myshopify.com", ExternalID: "1001", Name: "#1001",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}}
		so, _, err := s.Ingest(e.ctx, e.other.BrandID, shop)
		if err != nil || so.Lines[0].Flag != order.FlagForeignDesign || so.Lines[0].DesignID != "" {
			t.Fatalf("foreign Shopify line: %v %+v", err, so.Lines)
		}
		// A version that does not exist: 422 naming the line.
		_, _, err = s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: "A-2",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}, {DesignID: e.design, Version: 9, Quantity: 1}}})
		wantCode(t, err, apperr.Unprocessable, "line 2")
		// The design of another product: flagged, never produced.
		mm, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceShopify, Store: "x.myshopify.com", ExternalID: "1002",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1, ProductID: "some-other-product"}}})
		if err != nil || mm.Lines[0].Flag != order.FlagProductMismatch {
			t.Fatalf("product mismatch: %v %+v", err, mm.Lines)
		}
		// Bad input names the field.
		for _, c := range []struct {
			in   order.Input
			want string
		}{
			{order.Input{Source: "ebay", ExternalID: "x", Lines: in.Lines}, "source"},
			{order.Input{Source: order.SourceAPI, Lines: in.Lines}, "external_id"},
			{order.Input{Source: order.SourceAPI, ExternalID: "x"}, "at least one line"},
			{order.Input{Source: order.SourceAPI, ExternalID: "x", Lines: []order.LineInput{{DesignID: e.design, Version: 1}}}, "quantity"},
			{order.Input{Source: order.SourceShopify, ExternalID: "x", Lines: in.Lines}, "shop domain"},
		} {
			_, _, err := s.Ingest(e.ctx, e.brand, c.in)
			wantCode(t, err, apperr.Invalid, c.want)
		}
	})
}

// The brand sets fulfilled or cancelled; final statuses stay final (409
// saying why); other brands' orders are not found; viewers may not.
func TestStatusTransitionsAndTenancy(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, false)
		s := e.a.Orders
		mk := func(id string) order.Order {
			o, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: id,
				Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		a, b := mk("S-1"), mk("S-2")
		if o, err := s.SetStatus(e.ctx, e.owner, a.ID, order.Fulfilled); err != nil || o.Status != order.Fulfilled {
			t.Fatalf("fulfil: %v %v", o.Status, err)
		}
		if _, err := s.SetStatus(e.ctx, e.owner, a.ID, order.Fulfilled); err != nil {
			t.Fatalf("fulfilling again changes nothing: %v", err)
		}
		_, err := s.SetStatus(e.ctx, e.owner, a.ID, order.Cancelled)
		wantCode(t, err, apperr.Conflict, "fulfilled")
		if _, err := s.SetStatus(e.ctx, e.owner, b.ID, order.Cancelled); err != nil {
			t.Fatal(err)
		}
		_, err = s.SetStatus(e.ctx, e.owner, b.ID, order.Fulfilled)
		wantCode(t, err, apperr.Conflict, "cancelled")
		_, err = s.SetStatus(e.ctx, e.owner, b.ID, order.Ready)
		wantCode(t, err, apperr.Invalid, "fulfilled or cancelled")
		_, err = s.SetStatus(e.ctx, e.viewer, b.ID, order.Cancelled)
		wantCode(t, err, apperr.Forbidden, "")

		// Another brand: every ID is unknown.
		_, err = s.Get(e.ctx, e.other, a.ID)
		wantCode(t, err, apperr.NotFound, "")
		_, err = s.SetStatus(e.ctx, e.other, b.ID, order.Cancelled)
		wantCode(t, err, apperr.NotFound, "")
		_, err = s.RetryProduction(e.ctx, e.other, b.ID)
		wantCode(t, err, apperr.NotFound, "")
		if p, err := s.List(e.ctx, e.other, order.ListOptions{}); err != nil || len(p.Orders) != 0 {
			t.Fatalf("other brand lists %d orders (%v)", len(p.Orders), err)
		}
		// The store cancels: a fulfilled order stays fulfilled.
		if err := s.CancelExternal(e.ctx, e.brand, order.SourceAPI, "", "S-1"); err != nil {
			t.Fatal(err)
		}
		if o, _ := s.Get(e.ctx, e.owner, a.ID); o.Status != order.Fulfilled {
			t.Fatalf("a store cancel moved a fulfilled order to %s", o.Status)
		}
		wantCode(t, s.CancelExternal(e.ctx, e.other.BrandID, order.SourceAPI, "", "S-2"), apperr.NotFound, "")

		// Filters and paging.
		mk("S-3")
		p, err := s.List(e.ctx, e.owner, order.ListOptions{Limit: 2})
		if err != nil || len(p.Orders) != 2 || p.NextCursor == "" || p.Orders[0].ExternalID != "S-3" {
			t.Fatalf("page 1: %v %+v", err, p)
		}
		p2, err := s.List(e.ctx, e.owner, order.ListOptions{Limit: 2, Cursor: p.NextCursor})
		if err != nil || len(p2.Orders) != 1 || p2.NextCursor != "" || p2.Orders[0].ExternalID != "S-1" {
			t.Fatalf("page 2: %v %+v", err, p2)
		}
		if p, _ := s.List(e.ctx, e.owner, order.ListOptions{Status: order.Cancelled}); len(p.Orders) != 1 || p.Orders[0].ID != b.ID {
			t.Fatalf("status filter: %+v", p.Orders)
		}
		if p, _ := s.List(e.ctx, e.owner, order.ListOptions{Query: "s-2"}); len(p.Orders) != 1 || p.Orders[0].ID != b.ID {
			t.Fatalf("query filter: %+v", p.Orders)
		}
		if p, _ := s.List(e.ctx, e.owner, order.ListOptions{From: time.Now().Add(time.Hour)}); len(p.Orders) != 0 {
			t.Fatalf("from filter: %+v", p.Orders)
		}
		_, err = s.List(e.ctx, e.owner, order.ListOptions{Status: "lost"})
		wantCode(t, err, apperr.Invalid, "status")
	})
}

// Idempotency-Key: the same key and body answer the same order, another
// body with the key is a conflict, and after 24 hours the key is free.
func TestIdempotencyKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, false)
		s := e.a.Orders
		req := order.APIOrder{ExternalID: "K-1", Lines: []order.APILine{{DesignID: e.design, Version: 1, Quantity: 3}}}
		o, created, err := s.CreateAPI(e.ctx, e.owner, "key-1", req)
		if err != nil || !created {
			t.Fatalf("first: %v %v", created, err)
		}
		o2, created, err := s.CreateAPI(e.ctx, e.owner, "key-1", req)
		if err != nil || created || o2.ID != o.ID {
			t.Fatalf("replay: %v %v %s", created, err, o2.ID)
		}
		other := order.APIOrder{ExternalID: "K-2", Lines: req.Lines}
		_, _, err = s.CreateAPI(e.ctx, e.owner, "key-1", other)
		wantCode(t, err, apperr.Conflict, "Idempotency-Key")
		// Keys are per brand.
		if _, _, err := s.CreateAPI(e.ctx, e.other, "key-1", other); apperr.CodeOf(err) != apperr.Unprocessable {
			t.Fatalf("other brand, same key: %v (want its own answer: the design is not its)", err)
		}
		// 24 hours later the key is free, and the purge forgets it.
		e.clock.advance(order.IdempotencyTTL + time.Minute)
		o3, created, err := s.CreateAPI(e.ctx, e.owner, "key-1", other)
		if err != nil || !created || o3.ID == o.ID {
			t.Fatalf("after 24 h: %v %v", created, err)
		}
		e.clock.advance(order.IdempotencyTTL + time.Minute)
		if n, err := s.PurgeIdempotency(e.ctx); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		// Without a key, the external id still makes it idempotent.
		o4, created, err := s.CreateAPI(e.ctx, e.owner, "", req)
		if err != nil || created || o4.ID != o.ID {
			t.Fatalf("no key: %v %v", created, err)
		}
		_, _, err = s.CreateAPI(e.ctx, e.viewer, "", req)
		wantCode(t, err, apperr.Forbidden, "")
	})
}

// Privacy: a store's orders forgotten, a customer's reference blanked,
// what is kept about a customer listed.
func TestPrivacy(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, false)
		s := e.a.Orders
		for _, id := range []string{"1", "2"} {
			if _, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceShopify, Store: "a.myshopify.com", ExternalID: id,
				Customer: "c-" + id, Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}}); err != nil {
				t.Fatal(err)
			}
		}
		kept, err := s.CustomerOrders(e.ctx, e.brand, "a.myshopify.com", "c-1")
		if err != nil || len(kept) != 1 || kept[0].ExternalID != "1" || len(kept[0].Lines) != 1 {
			t.Fatalf("customer orders: %v %+v", err, kept)
		}
		if n, err := s.ForgetCustomer(e.ctx, e.brand, "a.myshopify.com", "c-1"); err != nil || n != 1 {
			t.Fatalf("forget customer: %d %v", n, err)
		}
		if kept, _ := s.CustomerOrders(e.ctx, e.brand, "a.myshopify.com", "c-1"); len(kept) != 0 {
			t.Fatalf("customer still has %d orders", len(kept))
		}
		if n, err := s.ForgetStore(e.ctx, e.other.BrandID, "a.myshopify.com"); err != nil || n != 0 {
			t.Fatalf("another brand forgot %d orders (%v)", n, err)
		}
		if n, err := s.ForgetStore(e.ctx, e.brand, "a.myshopify.com"); err != nil || n != 2 {
			t.Fatalf("forget store: %d %v", n, err)
		}
		if p, _ := s.List(e.ctx, e.owner, order.ListOptions{}); len(p.Orders) != 0 {
			t.Fatalf("%d orders left", len(p.Orders))
		}
	})
}
