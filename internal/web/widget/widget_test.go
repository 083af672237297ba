package widget_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/widget"
)

const (
	shop  = "https://shop.example.com"
	media = "https://s3.example.com"
)

// surface mounts the widget routes on a router of their own, over a real
// database with one brand listing shop, and assets holding the bundles
// (withBundles false: a binary built without them).
func surface(t *testing.T, withBundles bool) (http.Handler, string) {
	t.Helper()
	h, brandID, _, _ := surfaceOn(t, withBundles)
	return h, brandID
}

// surfaceOn is surface with the embed service and database it runs on.
func surfaceOn(t *testing.T, withBundles bool) (http.Handler, string, *embed.Service, *db.DB) {
	t.Helper()
	ctx := context.Background()
	d := dbtest.SQLite(t)
	b, err := brand.NewStore(d).Create(ctx, "widget-co", "Widget Co")
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(context.Context, string, string) (embed.Product, error) { return embed.Product{}, nil }
	svc, err := embed.New(d, kv.NewSQL(d.DB, time.Now), embed.Config{Secret: strings.Repeat("s", 32), Products: lookup})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetOrigins(ctx, b.ID, []string{shop}); err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{"app.css": {Data: []byte("body{}")}, "widget.css": {Data: []byte(".lw-body{}")}}
	if withBundles {
		files["dist/luneo.js"] = &fstest.MapFile{Data: []byte("window.LuneoWidget={};")}
		files["dist/embed-frame.js"] = &fstest.MapFile{Data: []byte("console.log(1);")}
		files["dist/viewer.js"] = &fstest.MapFile{Data: []byte("console.log(2);")}
	}
	assets, err := ui.NewAssets(files)
	if err != nil {
		t.Fatal(err)
	}
	kit := &httpx.Kit{Logger: slog.New(slog.DiscardHandler), BaseURL: "https://luneo.test"}
	rt := httpx.NewRouter(kit, httpx.Options{Metrics: obs.NewMetrics()})
	rt.Add(widget.New(widget.Deps{Kit: kit, Embed: svc, Assets: assets, MediaOrigins: []string{media}}).Routes()...)
	return rt, b.ID, svc, d
}

func get(h http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	return w
}

func TestLoader(t *testing.T) {
	h, _ := surface(t, true)
	w := get(h, "/embed/luneo.js")
	body, _ := io.ReadAll(w.Body)
	if w.Code != 200 || string(body) != "window.LuneoWidget={};" {
		t.Fatalf("loader: %d %q", w.Code, body)
	}
	for k, want := range map[string]string{"Content-Type": "text/javascript; charset=utf-8",
		"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"} {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if h, _ := surface(t, false); get(h, "/embed/luneo.js").Code != http.StatusNotFound {
		t.Error("a binary without the loader bundle must answer 404")
	}
}

func TestFrame(t *testing.T) {
	h, brandID := surface(t, true)
	q := "/embed/frame?brand=" + brandID + "&product=p1&nonce=n1&origin=" + shop
	w := get(h, q+"&locale=fr")
	if w.Code != 200 {
		t.Fatalf("frame for a listed origin: %d %s", w.Code, w.Body)
	}
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.HasSuffix(csp, "; frame-ancestors "+shop) || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q: want exactly the brand's origins as frame-ancestors", csp)
	}
	checkFrameCSP(t, csp)
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q: the page holds a nonce", cc)
	}
	body := w.Body.String()
	if !strings.Contains(body, `lang="fr"`) || !strings.Contains(body, "Chargement") ||
		!strings.Contains(body, "/static/dist/embed-frame") {
		t.Errorf("frame page:\n%s", body)
	}
	// The customizer's root, and only hashed assets: the widget's own
	// stylesheet, no inline script or style (the CSP would block them).
	for _, want := range []string{`id="luneo-customizer"`, `id="luneo-status"`, `/static/widget.`, `data-locale="fr"`} {
		if !strings.Contains(body, want) {
			t.Errorf("frame page lacks %s:\n%s", want, body)
		}
	}
	for _, bad := range []string{"<style", "style=", "<script>", "onload=", "app.css"} {
		if strings.Contains(body, bad) {
			t.Errorf("frame page has %q:\n%s", bad, body)
		}
	}
	if !strings.Contains(get(h, q+"&locale=xx").Body.String(), `lang="en"`) {
		t.Error("an unknown locale must fall back to English")
	}
	for name, target := range map[string]string{
		"unlisted origin": "/embed/frame?brand=" + brandID + "&product=p1&nonce=n1&origin=https://evil.example",
		"no nonce":        "/embed/frame?brand=" + brandID + "&product=p1&origin=" + shop,
		"no product":      "/embed/frame?brand=" + brandID + "&nonce=n1&origin=" + shop,
		"unknown brand":   "/embed/frame?brand=nope&product=p1&nonce=n1&origin=" + shop,
	} {
		w := get(h, target)
		if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "embed-frame") {
			t.Errorf("%s: %d, want 403 without the page", name, w.Code)
		}
		if name == "unknown brand" && !strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("unknown brand: CSP %q, want frame-ancestors 'none'", w.Header().Get("Content-Security-Policy"))
		}
	}
	if h, id := surface(t, false); get(h, "/embed/frame?brand="+id+"&product=p1&nonce=n1&origin="+shop).Code != http.StatusInternalServerError {
		t.Error("a binary without the frame bundle must say so (500), not serve a page without its script")
	}
}

// checkFrameCSP: the frame's policy grants what the customizer's 3D view
// needs (model-viewer's decoders, workers and stylesheet, media from the
// blob store) and nothing inline.
func checkFrameCSP(t *testing.T, csp string) {
	t.Helper()
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = " " + value + " "
	}
	for name, wants := range map[string][]string{
		"default-src": {"'none'"},
		"script-src":  {"'self'", "'wasm-unsafe-eval'"},
		"worker-src":  {"'self'", "blob:"},
		"style-src":   {"'self'", "'" + httpx.ModelViewerStyleHash + "'"},
		"img-src":     {"'self'", "data:", "blob:", media},
		"connect-src": {"'self'", "blob:", media},
		"base-uri":    {"'none'"},
		"object-src":  {"'none'"},
	} {
		for _, want := range wants {
			if !strings.Contains(directives[name], " "+want+" ") {
				t.Errorf("CSP %s = %q, want %s in it", name, directives[name], want)
			}
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("CSP %q: no inline code or eval", csp)
	}
}
