package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/webtest"
)

// storeOrigin is the store page every test brand lists.
const storeOrigin = "https://shop.example"

// shop is a brand whose store embeds the widget: an active product (2500
// EUR, a variant at +300) with a print zone, and a customization price of
// 500 per text layer. Products are activated in the database, so these
// tests need no 3D model (the product route's test uploads one).
type shop struct {
	e       *webtest.Env
	staff   map[string]string
	brand   string
	product string
	variant string
	zone    string
}

func newShop(t *testing.T, e *webtest.Env, email string) *shop {
	t.Helper()
	sh := &shop{e: e, staff: webtest.Bearer(e.RegisterAndLogin(email))}
	pr := e.API("POST", "/api/products", map[string]any{"name": "Mug", "description": "A mug", "price": 2500, "currency": "EUR",
		"variants": []any{map[string]any{"name": "Large", "price_delta": 300}}}, sh.staff)
	if pr.Status != http.StatusCreated {
		t.Fatalf("product: %d %v", pr.Status, pr.Body)
	}
	p := pr.Body["product"].(map[string]any)
	sh.product = p["id"].(string)
	sh.variant = p["variants"].([]any)[0].(map[string]any)["id"].(string)
	if err := e.DB.QueryRow(`SELECT brand_id FROM products WHERE id = $1`, sh.product).Scan(&sh.brand); err != nil {
		t.Fatal(err)
	}
	sh.zone = "zone-" + sh.product
	now := db.Time(time.Now())
	if _, err := e.DB.Exec(`INSERT INTO product_zones (id, brand_id, product_id, name, type, material, width_mm, height_mm, dpi,
		layer_types, max_layers, max_chars, fonts, colours, colour_options, position, created_at, updated_at)
		VALUES ($1, $2, $3, 'Front', 'print', 'mat', 100, 50, 300, '["text","image"]', 10, 200, '[]', '[]', '[]', 0, $4, $4)`,
		sh.zone, sh.brand, sh.product, now); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(`UPDATE products SET status = 'active' WHERE id = $1`, sh.product); err != nil {
		t.Fatal(err)
	}
	if r := e.API("PUT", "/api/products/"+sh.product+"/pricing", map[string]any{"rules": []any{
		map[string]any{"zone_id": "", "layer_type": "text", "amount": 500}}}, sh.staff); r.Status != http.StatusOK {
		t.Fatalf("pricing: %d %v", r.Status, r.Body)
	}
	if _, err := e.App.Embed.SetOrigins(context.Background(), sh.brand, []string{storeOrigin}); err != nil {
		t.Fatal(err)
	}
	return sh
}

// token is a new widget session's embed token (a new handshake: a new
// session ID), for variant when not "".
func (sh *shop) token(t *testing.T, variant string) string {
	t.Helper()
	g, reason, err := sh.e.App.Embed.Issue(context.Background(), embed.Request{Brand: sh.brand, Product: sh.product,
		Variant: variant, Origin: storeOrigin, RequestOrigin: storeOrigin})
	if err != nil {
		t.Fatalf("issue: %v (%s)", err, reason)
	}
	return g.Token
}

// session handshakes a new widget session, presenting key (a shopper key
// the browser kept, or ""), and returns the headers of the customizer's
// calls: the bearer token and the shopper key the session route answered.
func (sh *shop) session(t *testing.T, key string) map[string]string {
	t.Helper()
	return sh.sessionFor(t, sh.token(t, ""), key)
}

func (sh *shop) sessionFor(t *testing.T, token, key string) map[string]string {
	t.Helper()
	hdr := map[string]string{"Authorization": "Bearer " + token}
	if key != "" {
		hdr["X-Luneo-Shopper"] = key
	}
	r := sh.e.API("GET", "/api/embed/session", nil, hdr)
	shopper, _ := r.Body["shopper"].(string)
	if r.Status != http.StatusOK || shopper == "" {
		t.Fatalf("session: %d %v", r.Status, r.Body)
	}
	hdr["X-Luneo-Shopper"] = shopper
	return hdr
}

// doc is a design document of the shop's product: one text layer per
// text in the print zone.
func (sh *shop) doc(texts ...string) map[string]any {
	layers := []any{}
	for i, s := range texts {
		layers = append(layers, map[string]any{"type": "text", "text": s, "font": "Noto Sans", "size_pt": 12, "x_mm": 10, "y_mm": 10 + 10*i})
	}
	return map[string]any{"zones": []any{map[string]any{"zone_id": sh.zone, "layers": layers}}}
}

// raw sends a request whose answer may not be JSON.
func raw(t *testing.T, e *webtest.Env, method, path, ctype string, body []byte, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// problem decodes a problem+json answer's detail.
func problem(b []byte) string {
	var p struct {
		Detail string `json:"detail"`
	}
	_ = json.Unmarshal(b, &p)
	return p.Detail
}

// withEmbed serves the app with its own widget service, built like the
// app's but with cfg's limits.
func withEmbed(cfg embed.Config) func(*webtest.Env, *web.Deps) {
	return func(e *webtest.Env, d *web.Deps) {
		cfg.Secret = webtest.Secret
		cfg.Now = e.Clock.Now
		cfg.Products = func(ctx context.Context, brandID, productID string) (embed.Product, error) {
			p, _, err := e.App.Catalog.ProductZones(ctx, brandID, productID)
			return embed.Product{ID: p.ID, Name: p.Name, Active: p.Status == catalog.Active}, err
		}
		emb, err := embed.New(e.DB, e.KV, cfg)
		if err != nil {
			e.T.Fatal(err)
		}
		d.Embed = emb
	}
}

// uploadModel stores a GLB as the product's model through the API.
func uploadModel(t *testing.T, e *webtest.Env, id string, glb []byte, hdr map[string]string) {
	t.Helper()
	status, _, body := raw(t, e, "POST", "/api/products/"+id+"/model?filename=box.glb", "model/gltf-binary", glb, hdr)
	if status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("model upload: %d %s", status, body)
	}
}
