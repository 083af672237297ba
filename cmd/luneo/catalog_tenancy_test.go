package main

import (
	"testing"
)

// catalogCall is one request of the tenancy matrix.
type catalogCall struct {
	method, path string
	write        bool
	kind         string // "json" (body below), "model" or "mask"
	body         any
}

// do sends the call as c.
func (rq catalogCall) do(t *testing.T, c *client) (int, map[string]any) {
	switch rq.kind {
	case "model":
		return c.send(rq.method, rq.path, "model/gltf+json", triangleGLTF(), false, nil)
	case "mask":
		return c.send(rq.method, rq.path, "image/png", pngBytes(t, 8, 8), false, nil)
	}
	return c.do(rq.method, rq.path, rq.body)
}

// flowCatalogTenancy proves that another brand reaches none of a brand's
// catalog (404 on every route), a viewer may read but never write (403), and
// an API key may do exactly what its scopes say.
func flowCatalogTenancy(t *testing.T, ce *catalogEnv) {
	a := signup(t, ce.url, ce.dbURL, "owner@cat-a.example", "Catalog A")
	b := signup(t, ce.url, ce.dbURL, "owner@cat-b.example", "Catalog B")
	id := str(a.must(201, "POST", "/api/products", map[string]any{"name": "Secret", "currency": "EUR"}), "product", "id")
	if status, out := (catalogCall{method: "POST", path: "/api/products/" + id + "/model", kind: "model"}).do(t, a); status != 201 {
		t.Fatalf("upload: %d %v", status, out)
	}
	zid := str(a.must(201, "POST", "/api/products/"+id+"/zones", zoneBody("Front", "Body")), "zone", "id")
	if status, out := (catalogCall{method: "POST", path: "/api/products/" + id + "/zones/" + zid + "/mask", kind: "mask"}).do(t, a); status != 200 {
		t.Fatalf("mask: %d %v", status, out)
	}
	p, z := "/api/products/"+id, "/api/products/"+id+"/zones/"+zid
	calls := []catalogCall{
		{method: "GET", path: p},
		{method: "PATCH", path: p, write: true, body: map[string]any{"name": "Mine now"}},
		{method: "GET", path: p + "/model"},
		{method: "POST", path: p + "/model", write: true, kind: "model"},
		{method: "GET", path: p + "/zones"},
		{method: "POST", path: p + "/zones", write: true, body: zoneBody("Back", "Body")},
		{method: "GET", path: z},
		{method: "PATCH", path: z, write: true, body: map[string]any{"dpi": 150}},
		{method: "POST", path: z + "/mask", write: true, kind: "mask"},
		{method: "DELETE", path: z + "/mask", write: true},
		{method: "DELETE", path: z, write: true},
		{method: "DELETE", path: p, write: true},
	}
	for _, rq := range calls {
		if status, out := rq.do(t, b); status != 404 {
			t.Errorf("other brand %s %s: %d %v", rq.method, rq.path, status, out)
		}
	}
	// The AR endpoint answers 200 or 202 to its own brand, 404 to another.
	if status, out := b.do("GET", p+"/ar", nil); status != 404 {
		t.Errorf("other brand GET %s/ar: %d %v", p, status, out)
	}
	if status, out := a.do("GET", p+"/ar", nil); status != 200 && status != 202 {
		t.Errorf("own brand GET %s/ar: %d %v", p, status, out)
	}
	if page := b.must(200, "GET", "/api/products", nil); len(page["products"].([]any)) != 0 {
		t.Errorf("other brand lists %v", page)
	}

	// A viewer of brand A reads everything and writes nothing.
	a.must(201, "POST", "/api/brand/invitations", map[string]any{"email": "viewer@cat-a.example", "role": "viewer"})
	token := lastEmailToken(t, ce.dbURL, "viewer@cat-a.example")
	v := signup(t, ce.url, ce.dbURL, "viewer@cat-a.example", "Viewer's own")
	brandA := str(v.must(200, "POST", "/api/invitations/accept", map[string]any{"token": token}), "invitation", "brand_id")
	v.token = str(v.must(200, "POST", "/api/auth/switch-brand", map[string]any{"brand_id": brandA}), "access_token")

	// An API key of brand A that may only read products.
	key := newClient(t, ce.url)
	key.token = str(a.must(201, "POST", "/api/brand/api-keys", map[string]any{"name": "feed", "scopes": []string{"products:read"}}), "secret")

	create := catalogCall{method: "POST", path: "/api/products", write: true, body: map[string]any{"name": "x", "currency": "EUR"}}
	for _, rq := range append([]catalogCall{create, {method: "GET", path: "/api/products"}}, calls...) {
		want := 200
		if rq.write {
			want = 403
		}
		for who, c := range map[string]*client{"viewer": v, "read-only key": key} {
			if status, out := rq.do(t, c); status != want {
				t.Errorf("%s %s %s: %d %v, want %d", who, rq.method, rq.path, status, out, want)
			}
		}
	}
	// Nothing changed: A still has its product, zone and mask.
	if zone := a.must(200, "GET", z, nil)["zone"].(map[string]any); zone["mask"] == nil || str(a.must(200, "GET", p, nil), "product", "name") != "Secret" {
		t.Errorf("brand A's data changed: %v", zone)
	}
}
