package public_test

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestHomeAndFavicon: the home page is public, renders without anything
// the CSP blocks (the browser checks every page it gets), and cannot be
// framed; /favicon.ico points at the hashed icon.
func TestHomeAndFavicon(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	p := b.Get("/")
	webtest.Want(t, p, http.StatusOK, "Let shoppers design your products in live 3D and AR", `href="/signup"`, `href="/login"`)
	if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || p.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("home page may be framed: CSP %q, X-Frame-Options %q", csp, p.Header.Get("X-Frame-Options"))
	}
	css := regexp.MustCompile(`/static/app\.[0-9a-f]{12}\.css`).FindString(p.Body)
	if css == "" {
		t.Fatal("home page links no hashed stylesheet")
	}
	if s := b.Get(css); s.Status != http.StatusOK || !strings.HasPrefix(s.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s = %d %q", css, s.Status, s.Header.Get("Content-Type"))
	}
	f := b.Get("/favicon.ico")
	if f.Status != http.StatusMovedPermanently || !regexp.MustCompile(`^/static/favicon\.[0-9a-f]{12}\.svg$`).MatchString(f.Location) {
		t.Errorf("favicon: %d to %q", f.Status, f.Location)
	}
	// Only the root is the home page; other paths are the catch-all's.
	webtest.Want(t, b.Get("/nothing-here"), http.StatusNotFound)
}

// TestARPage: the AR page of an active product is public, keeps out of
// caches (its signed URLs expire) and may not be framed; its event
// counter takes only the AR launch.
func TestARPage(t *testing.T) {
	t.Parallel()
	glb := webtest.CorpusModel(t, "BoxTextured.glb")
	e := webtest.Start(t)
	auth := webtest.Bearer(e.RegisterAndLogin("ar@example.com"))
	r := e.API("POST", "/api/products", map[string]any{"name": "Box", "currency": "EUR", "price": 100}, auth)
	product, _ := r.Body["product"].(map[string]any)
	id, _ := product["id"].(string)
	if r.Status != http.StatusCreated || id == "" {
		t.Fatalf("create product: %d %v", r.Status, r.Body)
	}
	uploadModel(t, e, id, glb, auth)

	b := e.Browser()
	webtest.Want(t, b.Get("/ar/"+id), http.StatusNotFound) // a draft has no public page
	if r := e.API("PATCH", "/api/products/"+id, map[string]any{"status": "active"}, auth); r.Status != http.StatusOK {
		t.Fatalf("activate: %d %v", r.Status, r.Body)
	}
	p := b.Get("/ar/" + id)
	webtest.Want(t, p, http.StatusOK, "<h1>Box</h1>", `<img src="data:image/png;base64,`, e.URL+"/ar/"+id)
	if _, err := fs.Stat(ui.StaticFS(), "dist/viewer.js"); err == nil {
		// The viewer is there only when the web bundles are built (make web).
		webtest.Want(t, p, http.StatusOK, `alt="Box, 3D model"`, `data-ar-events="/ar/`+id+`/events"`)
		if !regexp.MustCompile(`src="/blobs/[^"]+\?`).MatchString(p.Body) {
			t.Error("no same-origin signed model URL in the page")
		}
	} else {
		webtest.Want(t, p, http.StatusOK, "3D preview unavailable")
	}
	h := p.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "sandbox") {
		t.Errorf("AR page CSP %q, want the default policy with frame-ancestors 'none'", csp)
	}
	if h.Get("X-Frame-Options") != "DENY" || h.Get("Cache-Control") != "no-store" || h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("AR page headers: X-Frame-Options %q, Cache-Control %q, ACAO %q", h.Get("X-Frame-Options"), h.Get("Cache-Control"), h.Get("Access-Control-Allow-Origin"))
	}

	if r := e.API("POST", "/ar/"+id+"/events", map[string]any{"event": "opened"}, nil); r.Status != http.StatusBadRequest {
		t.Errorf("event opened: %d %v, want 400", r.Status, r.Body)
	}
	if r := e.API("POST", "/ar/"+id+"/events", map[string]any{"event": "ar_launched"}, nil); r.Status != http.StatusNoContent {
		t.Errorf("event ar_launched: %d %v, want 204", r.Status, r.Body)
	}
	if r := e.API("POST", "/ar/nope/events", map[string]any{"event": "ar_launched"}, nil); r.Status != http.StatusNotFound {
		t.Errorf("event of a missing product: %d, want 404", r.Status)
	}
}

// uploadModel stores a GLB as the product's model through the API.
func uploadModel(t *testing.T, e *webtest.Env, id string, glb []byte, hdr map[string]string) {
	t.Helper()
	req, err := http.NewRequest("POST", e.URL+"/api/products/"+id+"/model?filename=box.glb", bytes.NewReader(glb))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "model/gltf-binary")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("upload model: %d %s", resp.StatusCode, raw)
	}
}
