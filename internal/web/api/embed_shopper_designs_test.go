package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// TestShopperDesigns drives a shopper's designs end to end: save, an
// unchanged save, a new version, reopen, list, price; another shopper of
// the brand reaches the design only through its link (and then saves a
// version of it); another brand's shopper not even with the link; the
// same browser finds its designs again after a new handshake.
func TestShopperDesigns(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	sh := newShop(t, e, "shop-designs@example.com")
	alice := sh.session(t, "")

	created := e.API("POST", "/api/embed/designs", map[string]any{"name": "Gift", "document": sh.doc("Hi")}, alice)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %d %v", created.Status, created.Body)
	}
	d := created.Body["design"].(map[string]any)
	id := d["id"].(string)
	v := created.Body["version"].(map[string]any)
	price := created.Body["price"].(map[string]any)
	link, _ := created.Body["link"].(string)
	preview, _ := created.Body["preview_url"].(string)
	if d["name"] != "Gift" || d["product_id"] != sh.product || d["version"] != 1.0 || v["number"] != 1.0 || len(v["sha256"].(string)) != 64 ||
		len(created.Body["warnings"].([]any)) != 0 || !strings.HasPrefix(link, "de_") || !strings.HasPrefix(preview, e.URL+"/p/dp_") {
		t.Fatalf("created %v", created.Body)
	}
	if price["amount"] != 3000.0 || price["currency"] != "EUR" || len(price["lines"].([]any)) != 1 {
		t.Fatalf("price %v, want 2500 + 500 for one text layer", price)
	}

	same := e.API("POST", "/api/embed/designs/"+id+"/versions", map[string]any{"document": sh.doc("Hi")}, alice)
	if same.Status != http.StatusOK || same.Body["version"].(map[string]any)["number"] != 1.0 || same.Body["link"] != link {
		t.Fatalf("unchanged save: %d %v", same.Status, same.Body)
	}
	v2 := e.API("POST", "/api/embed/designs/"+id+"/versions", map[string]any{"document": sh.doc("Hi", "there")}, alice)
	if v2.Status != http.StatusCreated || v2.Body["version"].(map[string]any)["number"] != 2.0 || v2.Body["price"].(map[string]any)["amount"] != 3500.0 {
		t.Fatalf("version 2: %d %v", v2.Status, v2.Body)
	}
	got := e.API("GET", "/api/embed/designs/"+id, nil, alice)
	if got.Status != http.StatusOK || got.Body["design"].(map[string]any)["version"] != 2.0 ||
		len(got.Body["document"].(map[string]any)["zones"].([]any)[0].(map[string]any)["layers"].([]any)) != 2 {
		t.Fatalf("reopen: %d %v", got.Status, got.Body)
	}
	list := e.API("GET", "/api/embed/designs?product=current", nil, alice)
	items, _ := list.Body["designs"].([]any)
	if list.Status != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["id"] != id || items[0].(map[string]any)["version"] != 2.0 ||
		items[0].(map[string]any)["preview_url"] != preview {
		t.Fatalf("list: %d %v", list.Status, list.Body)
	}
	if q := e.API("POST", "/api/embed/quote", map[string]any{"document": sh.doc("a", "b", "c")}, alice); q.Status != http.StatusOK || q.Body["amount"] != 4000.0 {
		t.Fatalf("quote: %d %v", q.Status, q.Body)
	}

	// The same browser (its kept shopper key) after a new handshake.
	again := sh.session(t, alice["X-Luneo-Shopper"])
	if again["X-Luneo-Shopper"] != alice["X-Luneo-Shopper"] || again["Authorization"] == alice["Authorization"] {
		t.Fatal("the session route did not keep the browser's shopper key")
	}
	if l := e.API("GET", "/api/embed/designs?product=current", nil, again); len(l.Body["designs"].([]any)) != 1 {
		t.Fatalf("after a new handshake: %v", l.Body)
	}

	// Another shopper of the brand: not found without the link…
	bob := sh.session(t, "")
	for name, r := range map[string]webtest.Result{
		"get":     e.API("GET", "/api/embed/designs/"+id, nil, bob),
		"version": e.API("POST", "/api/embed/designs/"+id+"/versions", map[string]any{"document": sh.doc("Bob")}, bob),
		"ar":      e.API("GET", "/api/embed/designs/"+id+"/ar", nil, bob),
		"bad link": e.API("POST", "/api/embed/designs/"+id+"/versions",
			map[string]any{"document": sh.doc("Bob"), "link": "de_" + strings.Repeat("A", 43)}, bob),
	} {
		if r.Status != http.StatusNotFound {
			t.Errorf("bob's %s of alice's design: %d %v, want 404", name, r.Status, r.Body)
		}
	}
	if l := e.API("GET", "/api/embed/designs?product=current", nil, bob); len(l.Body["designs"].([]any)) != 0 {
		t.Fatalf("bob lists %v", l.Body)
	}
	// …and reopens and saves it with the link.
	byLink := e.API("GET", "/api/embed/designs/link/"+link, nil, bob)
	if byLink.Status != http.StatusOK || byLink.Body["design"].(map[string]any)["id"] != id || byLink.Body["document"] == nil {
		t.Fatalf("reopen by link: %d %v", byLink.Status, byLink.Body)
	}
	v3 := e.API("POST", "/api/embed/designs/"+id+"/versions", map[string]any{"document": sh.doc("Bob was here"), "link": link}, bob)
	if v3.Status != http.StatusCreated || v3.Body["version"].(map[string]any)["number"] != 3.0 {
		t.Fatalf("bob's version through the link: %d %v", v3.Status, v3.Body)
	}
	if r := e.API("GET", "/api/embed/designs/"+id+"/ar?link="+url.QueryEscape(link), nil, bob); r.Status != http.StatusOK {
		t.Fatalf("bob's AR through the link: %d %v", r.Status, r.Body)
	}
	// A link opens its own design only, not another of the same shopper.
	second := e.API("POST", "/api/embed/designs", map[string]any{"document": sh.doc("Second")}, alice)
	secondID := second.Body["design"].(map[string]any)["id"].(string)
	for name, r := range map[string]webtest.Result{
		"version": e.API("POST", "/api/embed/designs/"+secondID+"/versions", map[string]any{"document": sh.doc("Bob"), "link": link}, bob),
		"ar":      e.API("GET", "/api/embed/designs/"+secondID+"/ar?link="+url.QueryEscape(link), nil, bob),
	} {
		if r.Status != http.StatusNotFound {
			t.Errorf("bob's %s of another design with this link: %d %v, want 404", name, r.Status, r.Body)
		}
	}
	// The product route opens a design by link or own ID, and nothing
	// for a design it cannot reach.
	for ref, want := range map[string]bool{link: true, id: false} {
		r := e.API("GET", "/api/embed/product?design="+url.QueryEscape(ref), nil, bob)
		if r.Status != http.StatusOK || (r.Body["design"] != nil) != want {
			t.Errorf("product?design=%.12s for bob: %d design=%v, want opened %v", ref, r.Status, r.Body["design"], want)
		}
	}
	if r := e.API("GET", "/api/embed/product?design="+id, nil, alice); r.Body["design"] == nil {
		t.Errorf("product?design=<own id>: %v", r.Body)
	}

	// Another brand's shopper, with the link: not found.
	other := newShop(t, e, "shop-rival@example.com")
	carol := other.session(t, "")
	for name, r := range map[string]webtest.Result{
		"by link": e.API("GET", "/api/embed/designs/link/"+link, nil, carol),
		"version": e.API("POST", "/api/embed/designs/"+id+"/versions", map[string]any{"document": other.doc("Carol"), "link": link}, carol),
		"get":     e.API("GET", "/api/embed/designs/"+id, nil, carol),
	} {
		if r.Status != http.StatusNotFound {
			t.Errorf("another brand's %s: %d %v, want 404", name, r.Status, r.Body)
		}
	}

	// The AR answer: the public page with its QR code; other views are
	// not found.
	ar := e.API("GET", "/api/embed/designs/"+id+"/ar", nil, alice)
	if page, _ := ar.Body["page_url"].(string); ar.Status != http.StatusOK || !strings.HasPrefix(page, e.URL+"/ar/d/da_") ||
		!strings.HasPrefix(ar.Body["qr"].(string), "data:image/png;base64,") || ar.Body["status"] != "pending" {
		t.Fatalf("ar: %d %v", ar.Status, ar.Body)
	}
	if r := e.API("GET", "/api/embed/designs/"+id+"/renders", nil, alice); r.Status != http.StatusNotFound {
		t.Errorf("designs/{id}/renders: %d, want 404", r.Status)
	}

	// A design of another product is not reached with this product's
	// token, even the shopper's own.
	moved := e.API("POST", "/api/embed/designs", map[string]any{"document": sh.doc("Moved")}, alice)
	movedID := moved.Body["design"].(map[string]any)["id"].(string)
	if _, err := e.DB.Exec(`UPDATE designs SET product_id = 'another-product' WHERE id = $1`, movedID); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]webtest.Result{
		"get":     e.API("GET", "/api/embed/designs/"+movedID, nil, alice),
		"by link": e.API("GET", "/api/embed/designs/link/"+moved.Body["link"].(string), nil, alice),
		"ar":      e.API("GET", "/api/embed/designs/"+movedID+"/ar", nil, alice),
	} {
		if r.Status != http.StatusNotFound {
			t.Errorf("%s of a design of another product: %d, want 404", name, r.Status)
		}
	}

	// Refusals name what is wrong and store nothing.
	rows := countRows(t, e.DB, "designs") + countRows(t, e.DB, "design_versions")
	bad := sh.doc("x")
	bad["zones"].([]any)[0].(map[string]any)["layers"].([]any)[0].(map[string]any)["font"] = "Comic Sans"
	other2 := sh.doc("x")
	other2["product_id"] = other.product
	for name, c := range map[string]struct {
		r      webtest.Result
		status int
		field  string
	}{
		"unknown font":     {e.API("POST", "/api/embed/designs", map[string]any{"document": bad}, alice), 422, "zones[0].layers[0].font"},
		"quote of it":      {e.API("POST", "/api/embed/quote", map[string]any{"document": bad}, alice), 422, "zones[0].layers[0].font"},
		"another product":  {e.API("POST", "/api/embed/designs", map[string]any{"document": other2}, alice), 400, ""},
		"no document":      {e.API("POST", "/api/embed/designs", map[string]any{"name": "x"}, alice), 400, ""},
		"unknown field":    {e.API("POST", "/api/embed/designs", map[string]any{"document": sh.doc("x"), "produce": true}, alice), 400, ""},
		"variant of token": {e.API("POST", "/api/embed/designs", map[string]any{"document": withVariant(sh.doc("x"), "nope")}, alice), 0, ""},
	} {
		errs, _ := c.r.Body["errors"].(map[string]any)
		if (c.status != 0 && c.r.Status != c.status) || c.r.Status < 400 || (c.field != "" && errs[c.field] == nil) {
			t.Errorf("%s: %d %v, want %d naming %q", name, c.r.Status, c.r.Body, c.status, c.field)
		}
	}
	if n := countRows(t, e.DB, "designs") + countRows(t, e.DB, "design_versions"); n != rows {
		t.Errorf("refusals stored rows: %d → %d", rows, n)
	}
}

func withVariant(doc map[string]any, v string) map[string]any {
	doc["variant_id"] = v
	return doc
}

// TestShopperVariant: a token for a variant prices with its delta and
// saves designs of that variant only.
func TestShopperVariant(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	sh := newShop(t, e, "shop-variant@example.com")
	hdr := sh.sessionFor(t, sh.token(t, sh.variant), "")
	p := e.API("GET", "/api/embed/product", nil, hdr)
	prod := p.Body["product"].(map[string]any)
	if p.Status != http.StatusOK || prod["price"] != 2800.0 || prod["variant"].(map[string]any)["id"] != sh.variant {
		t.Fatalf("product for a variant: %d %v", p.Status, p.Body)
	}
	c := e.API("POST", "/api/embed/designs", map[string]any{"document": sh.doc("Hi")}, hdr)
	if c.Status != http.StatusCreated || c.Body["price"].(map[string]any)["amount"] != 3300.0 {
		t.Fatalf("create for a variant: %d %v", c.Status, c.Body)
	}
	if r := e.API("POST", "/api/embed/designs", map[string]any{"document": withVariant(sh.doc("Hi"), "another")}, hdr); r.Status != http.StatusBadRequest {
		t.Fatalf("a document naming another variant: %d %v, want 400", r.Status, r.Body)
	}
}
