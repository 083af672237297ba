package public_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/public"
	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/webtest"
)

// newPages parses the shared templates and this surface's pages over the
// embedded static files, as the server does.
func newPages(t *testing.T) (*httpx.Templates, *ui.Assets) {
	t.Helper()
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	pages, err := ui.NewTemplates(assets, public.Templates())
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}
	return pages, assets
}

func render(t *testing.T, p *httpx.Templates, status int, name string, data httpx.View) string {
	t.Helper()
	w := httptest.NewRecorder()
	if err := p.Render(w, status, name, data); err != nil {
		t.Fatalf("Render(%s): %v", name, err)
	}
	return w.Body.String()
}

// TestPagesAreCSPSafe renders every page of the surface with its own zero
// page type and checks it needs nothing the Content-Security-Policy blocks.
// A page added without an entry here fails.
func TestPagesAreCSPSafe(t *testing.T) {
	t.Parallel()
	p, assets := newPages(t)
	zero := map[string]httpx.View{
		"home":  &httpx.PageData{},
		"ar":    &public.ARPage{},
		"error": &httpx.PageData{Data: httpx.ErrorData{Status: 500}}, // ui's
	}
	for _, name := range p.Names() {
		data, ok := zero[name]
		if !ok {
			t.Errorf("page %s has no zero value in this test", name)
			continue
		}
		data.Common().Title, data.Common().Dev = "T", true
		body := render(t, p, http.StatusOK, name, data)
		webtest.CheckCSPSafe(t, name, body)
		checkAssetLinks(t, body, assets)
	}
}

func TestRenderHome(t *testing.T) {
	t.Parallel()
	p, assets := newPages(t)
	w := httptest.NewRecorder()
	if err := p.Render(w, http.StatusOK, "home", &httpx.PageData{RequestID: "req-1", Version: "1.4.2", Dev: true}); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusOK {
		t.Errorf("status %d, want 200", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
		t.Errorf("Content-Length = %s for a %d byte body", cl, w.Body.Len())
	}
	body := w.Body.String()
	for _, want := range []string{
		"<!doctype html>", `<meta name="viewport"`, `name="theme-color"`,
		"3D", "AR", "Shopify", "GLB", "print zones", "production-ready files",
		"REST API and webhooks", "Runs as one binary",
		`href="/login"`, `href="/signup"`,
		"Development mode", "1.4.2",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	checkAssetLinks(t, body, assets)

	quiet := render(t, p, http.StatusOK, "home", &httpx.PageData{})
	if strings.Contains(quiet, "Development mode") {
		t.Error("development ribbon shown with Dev false")
	}
}

// TestARPageEscapes: the product name is the brand's text, shown on a
// public page.
func TestARPageEscapes(t *testing.T) {
	t.Parallel()
	p, _ := newPages(t)
	body := render(t, p, http.StatusOK, "ar", &public.ARPage{Name: `<script>alert(1)</script>`, PageURL: `https://x.test/ar/"><b>`})
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `"><b>`) {
		t.Error("user-controlled text was not escaped")
	}
}

// checkAssetLinks requests every /static/ URL in a page from assets and
// fails unless each is served and at least the stylesheet is linked.
func checkAssetLinks(t *testing.T, body string, assets *ui.Assets) {
	t.Helper()
	links := regexp.MustCompile(`(?:href|src)="(/static/[^"]*)"`).FindAllStringSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatal("page links no static assets")
	}
	css := false
	for _, m := range links {
		w := httptest.NewRecorder()
		assets.ServeHTTP(w, httptest.NewRequest(http.MethodGet, m[1], nil))
		if w.Code != http.StatusOK {
			t.Errorf("page links %s, which answers %d", m[1], w.Code)
		}
		css = css || strings.HasPrefix(w.Header().Get("Content-Type"), "text/css")
	}
	if !css {
		t.Error("page links no stylesheet")
	}
}
