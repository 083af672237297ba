package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// POST /api/orders with an API key: 201 then 200 for the same
// Idempotency-Key and body, 409 for the key with another body, 422 naming
// the line for a design of another brand; list, get, status, settings; and
// every order route answers 404 for another brand's order.
func TestOrdersAPI(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	sh := newShop(t, e, "orders@example.com")
	d := e.API("POST", "/api/designs", map[string]any{"product_id": sh.product, "name": "Gift", "document": sh.doc("Hi")}, sh.staff)
	if d.Status != http.StatusCreated {
		t.Fatalf("design: %d %v", d.Status, d.Body)
	}
	design := d.Body["design"].(map[string]any)["id"].(string)
	k := e.API("POST", "/api/brand/api-keys", map[string]any{"name": "store", "scopes": []string{"orders:write", "orders:read"}}, sh.staff)
	secret, _ := k.Body["secret"].(string)
	if k.Status != http.StatusCreated || secret == "" {
		t.Fatalf("key: %d %v", k.Status, k.Body)
	}
	key := map[string]string{"Authorization": "Bearer " + secret, "Idempotency-Key": "order-77"}
	body := map[string]any{"external_id": "77", "customer": "cus_1", "lines": []any{
		map[string]any{"design_id": design, "version": 1, "quantity": 2, "sku": "MUG"}}}

	first := e.API("POST", "/api/orders", body, key)
	if first.Status != http.StatusCreated {
		t.Fatalf("create: %d %v", first.Status, first.Body)
	}
	o := first.Body["order"].(map[string]any)
	id := o["id"].(string)
	if o["status"] != "received" || o["name"] != "77" {
		t.Fatalf("order %v", o)
	}
	if again := e.API("POST", "/api/orders", body, key); again.Status != http.StatusOK || again.Body["order"].(map[string]any)["id"] != id {
		t.Fatalf("replay: %d %v", again.Status, again.Body)
	}
	changed := map[string]any{"external_id": "78", "lines": body["lines"]}
	if c := e.API("POST", "/api/orders", changed, key); c.Status != http.StatusConflict {
		t.Fatalf("same key, other body: %d %v", c.Status, c.Body)
	}
	// No key: idempotent by external_id.
	if again := e.API("POST", "/api/orders", body, map[string]string{"Authorization": key["Authorization"]}); again.Status != http.StatusOK ||
		again.Body["order"].(map[string]any)["id"] != id {
		t.Fatalf("no key: %d %v", again.Status, again.Body)
	}
	bad := map[string]any{"external_id": "79", "lines": []any{map[string]any{"design_id": design, "version": 1, "quantity": 1},
		map[string]any{"design_id": "nope", "version": 1, "quantity": 1}}}
	if r := e.API("POST", "/api/orders", bad, map[string]string{"Authorization": key["Authorization"]}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body["detail"].(string), "line 2") {
		t.Fatalf("unknown design: %d %v", r.Status, r.Body)
	}
	if r := e.API("POST", "/api/orders", map[string]any{"lines": body["lines"]}, sh.staff); r.Status != http.StatusBadRequest {
		t.Fatalf("no external_id: %d %v", r.Status, r.Body)
	}

	// Read it back.
	g := e.API("GET", "/api/orders/"+id, nil, sh.staff)
	lines, _ := g.Body["order"].(map[string]any)["lines"].([]any)
	if g.Status != http.StatusOK || len(lines) != 1 || lines[0].(map[string]any)["version"] != float64(1) {
		t.Fatalf("get: %d %v", g.Status, g.Body)
	}
	if l := e.API("GET", "/api/orders?status=received&q=77", nil, sh.staff); l.Status != http.StatusOK || len(l.Body["orders"].([]any)) != 1 {
		t.Fatalf("list: %d %v", l.Status, l.Body)
	}
	if l := e.API("GET", "/api/orders?from=2999-01-01", nil, sh.staff); l.Status != http.StatusOK || len(l.Body["orders"].([]any)) != 0 {
		t.Fatalf("list from: %d %v", l.Status, l.Body)
	}
	if l := e.API("GET", "/api/orders?from=yesterday", nil, sh.staff); l.Status != http.StatusBadRequest {
		t.Fatalf("bad from: %d %v", l.Status, l.Body)
	}

	// Settings.
	if s := e.API("PUT", "/api/orders/settings", map[string]any{"file_pattern": "../{order}", "notify_email": true}, sh.staff); s.Status != http.StatusBadRequest {
		t.Fatalf("bad pattern: %d %v", s.Status, s.Body)
	}
	if s := e.API("PUT", "/api/orders/settings", map[string]any{"file_pattern": "{order}-{zone}", "notify_email": false}, sh.staff); s.Status != http.StatusOK {
		t.Fatalf("settings: %d %v", s.Status, s.Body)
	}
	if s := e.API("GET", "/api/orders/settings", nil, sh.staff); s.Body["settings"].(map[string]any)["file_pattern"] != "{order}-{zone}" {
		t.Fatalf("settings: %d %v", s.Status, s.Body)
	}

	// Another brand: 404 on every order route.
	other := newShop(t, e, "other-orders@example.com")
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/orders/" + id}, {"POST", "/api/orders/" + id + "/status"}, {"POST", "/api/orders/" + id + "/production/retry"},
	} {
		if got := e.API(r.method, r.path, map[string]any{"status": "cancelled"}, other.staff); got.Status != http.StatusNotFound {
			t.Errorf("%s %s by another brand: %d %v", r.method, r.path, got.Status, got.Body)
		}
	}
	if l := e.API("GET", "/api/orders", nil, other.staff); len(l.Body["orders"].([]any)) != 0 {
		t.Errorf("another brand lists %v", l.Body)
	}
	// A design of another brand in an order: 422 naming the line.
	if r := e.API("POST", "/api/orders", body, other.staff); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body["detail"].(string), "line 1") {
		t.Errorf("foreign design: %d %v", r.Status, r.Body)
	}

	// Status: fulfilled, then cancelled is a conflict.
	if s := e.API("POST", "/api/orders/"+id+"/status", map[string]any{"status": "fulfilled"}, sh.staff); s.Status != http.StatusOK {
		t.Fatalf("fulfil: %d %v", s.Status, s.Body)
	}
	if s := e.API("POST", "/api/orders/"+id+"/status", map[string]any{"status": "cancelled"}, sh.staff); s.Status != http.StatusConflict ||
		!strings.Contains(s.Body["detail"].(string), "fulfilled") {
		t.Fatalf("cancel a fulfilled order: %d %v", s.Status, s.Body)
	}
	// A key without orders:write cannot post orders.
	rk := e.API("POST", "/api/brand/api-keys", map[string]any{"name": "ro", "scopes": []string{"orders:read"}}, sh.staff)
	ro, _ := rk.Body["secret"].(string)
	if r := e.API("POST", "/api/orders", body, map[string]string{"Authorization": "Bearer " + ro}); r.Status != http.StatusForbidden {
		t.Fatalf("read-only key: %d %v", r.Status, r.Body)
	}
}
