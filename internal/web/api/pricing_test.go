package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// TestPricingAPI sets, reads and refuses a product's customization prices
// through the API; another brand's caller gets 404.
func TestPricingAPI(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	a := webtest.Bearer(e.RegisterAndLogin("merchant@example.com"))
	b := webtest.Bearer(e.RegisterAndLogin("other-merchant@example.com"))
	pr := e.API("POST", "/api/products", map[string]any{"name": "Tee", "price": 1500, "currency": "EUR"}, a)
	if pr.Status != http.StatusCreated {
		t.Fatalf("product: %d %v", pr.Status, pr.Body)
	}
	id := pr.Body["product"].(map[string]any)["id"].(string)
	zone := insertPrintZone(t, e, id)
	path := "/api/products/" + id + "/pricing"

	if g := e.API("GET", path, nil, a); g.Status != http.StatusOK || len(g.Body["rules"].([]any)) != 0 {
		t.Fatalf("empty: %d %v", g.Status, g.Body)
	}
	rules := []any{map[string]any{"zone_id": "", "layer_type": "text", "amount": 300},
		map[string]any{"zone_id": zone, "layer_type": "image", "amount": 700}}
	if p := e.API("PUT", path, map[string]any{"rules": rules}, a); p.Status != http.StatusOK || len(p.Body["rules"].([]any)) != 2 {
		t.Fatalf("put: %d %v", p.Status, p.Body)
	}
	g := e.API("GET", path, nil, a)
	if got := g.Body["rules"].([]any); len(got) != 2 || got[1].(map[string]any)["amount"] != 700.0 || got[1].(map[string]any)["zone_id"] != zone {
		t.Fatalf("read back %v", g.Body)
	}
	bad := e.API("PUT", path, map[string]any{"rules": []any{map[string]any{"zone_id": "elsewhere", "layer_type": "text", "amount": 1}}}, a)
	if bad.Status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(bad.Body), "rules[0].zone_id") {
		t.Fatalf("bad zone: %d %v", bad.Status, bad.Body)
	}
	if g := e.API("GET", path, nil, a); len(g.Body["rules"].([]any)) != 2 {
		t.Errorf("a refused table changed the rules: %v", g.Body)
	}
	for _, m := range []string{"GET", "PUT"} {
		if r := e.API(m, path, map[string]any{"rules": []any{}}, b); r.Status != http.StatusNotFound {
			t.Errorf("%s by another brand: %d", m, r.Status)
		}
	}
}
