package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestRoleMatrixOverHTTP: the brand and catalog routes, called by a member
// of each role, answer what the role allows, written out per route. The
// policy table itself is tested in internal/brand; this test catches a route
// that checks the wrong permission (or none): the audit log is the owner's,
// settings, team management and API keys are for owners and admins,
// products are written by editors and up, and everyone reads the rest.
func TestRoleMatrixOverHTTP(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	owner := e.RegisterAndLogin("owner@example.com")
	brandID := currentBrand(e, owner.Body["access_token"].(string))

	tokens := map[brand.Role]string{brand.Owner: owner.Body["access_token"].(string)}
	for _, role := range []brand.Role{brand.Admin, brand.Editor, brand.Viewer} {
		email := string(role) + "@example.com"
		login := e.RegisterAndLogin(email)
		var uid string
		if err := e.DB.QueryRowContext(t.Context(), `SELECT id FROM users WHERE email = $1`, email).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if err := e.Deps.Brands.AddMember(t.Context(), e.DB, brandID, uid, role); err != nil {
			t.Fatal(err)
		}
		sw := e.API("POST", "/api/auth/switch-brand", map[string]any{"brand_id": brandID},
			map[string]string{"Authorization": "Bearer " + login.Body["access_token"].(string)})
		if sw.Status != http.StatusOK {
			t.Fatalf("%s switches to the brand: %d %v", role, sw.Status, sw.Body)
		}
		tokens[role] = sw.Body["access_token"].(string)
	}

	const ok, no = true, false
	n := 0
	for _, c := range []struct {
		method, path                 string
		body                         func() any // fresh per call: names and emails must not collide
		owner, admin, editor, viewer bool
	}{
		{"GET", "/api/brand", nil, ok, ok, ok, ok},
		{"PATCH", "/api/brand", func() any { return map[string]any{"name": "Renamed"} }, ok, ok, no, no},
		{"GET", "/api/brand/members", nil, ok, ok, ok, ok},
		{"GET", "/api/brand/embed", nil, ok, ok, ok, ok},
		{"PUT", "/api/brand/embed", func() any { return map[string]any{"allowed_origins": []string{"https://shop.example"}} }, ok, ok, no, no},
		{"GET", "/api/brand/invitations", nil, ok, ok, no, no},
		{"POST", "/api/brand/invitations", func() any { n++; return map[string]any{"email": fmt.Sprintf("new%d@example.com", n), "role": "viewer"} }, ok, ok, no, no},
		{"GET", "/api/brand/api-keys", nil, ok, ok, no, no},
		{"POST", "/api/brand/api-keys", func() any {
			n++
			return map[string]any{"name": fmt.Sprintf("key %d", n), "scopes": []string{"products:read"}}
		}, ok, ok, no, no},
		{"GET", "/api/brand/audit", nil, ok, no, no, no},
		{"GET", "/api/products", nil, ok, ok, ok, ok},
		{"POST", "/api/products", func() any {
			n++
			return map[string]any{"name": "Mug", "sku": fmt.Sprintf("MUG-%d", n), "status": "draft", "price": 1200, "currency": "EUR"}
		}, ok, ok, ok, no},
	} {
		for role, allowed := range map[brand.Role]bool{brand.Owner: c.owner, brand.Admin: c.admin, brand.Editor: c.editor, brand.Viewer: c.viewer} {
			var body any
			if c.body != nil {
				body = c.body()
			}
			r := e.API(c.method, c.path, body, map[string]string{"Authorization": "Bearer " + tokens[role]})
			switch {
			case allowed && (r.Status < 200 || r.Status > 299):
				t.Errorf("%s %s as %s: %d %v, want success", c.method, c.path, role, r.Status, r.Body["detail"])
			case !allowed && (r.Status != http.StatusForbidden || r.Body["code"] != "forbidden"):
				t.Errorf("%s %s as %s: %d %v, want 403 forbidden", c.method, c.path, role, r.Status, r.Body["detail"])
			}
		}
	}
}

// currentBrand returns the brand an access token acts for.
func currentBrand(e *webtest.Env, access string) string {
	t := e.T
	t.Helper()
	r := e.API("GET", "/api/brand", nil, map[string]string{"Authorization": "Bearer " + access})
	b, _ := r.Body["brand"].(map[string]any)
	id, _ := b["id"].(string)
	if r.Status != http.StatusOK || id == "" {
		t.Fatalf("GET /api/brand: %d %v", r.Status, r.Body)
	}
	return id
}
