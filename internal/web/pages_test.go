package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// newTestPages builds Pages and ui.Assets from the embedded files, as the
// server does.
func newTestPages(t *testing.T) (*httpx.Templates, *ui.Assets) {
	t.Helper()
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	pages, err := NewPages(TemplatesFS(), assets)
	if err != nil {
		t.Fatalf("NewPages: %v", err)
	}
	return pages, assets
}

func render(t *testing.T, p *httpx.Templates, status int, name string, data PageData) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	if err := p.Render(w, status, name, data); err != nil {
		t.Fatalf("Render(%s): %v", name, err)
	}
	return w
}

func TestRenderHome(t *testing.T) {
	p, assets := newTestPages(t)
	w := render(t, p, http.StatusOK, "home", PageData{RequestID: "req-1", Version: "1.4.2", Dev: true})
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

	quiet := render(t, p, http.StatusOK, "home", PageData{}).Body.String()
	if strings.Contains(quiet, "Development mode") {
		t.Error("development ribbon shown with Dev false")
	}
}

func TestRenderError(t *testing.T) {
	p, assets := newTestPages(t)
	w := render(t, p, http.StatusNotFound, "error", PageData{
		RequestID: "req-7f3a",
		Data:      ErrorData{Status: http.StatusNotFound, Message: "This product does not exist or was deleted."},
	})
	if w.Code != http.StatusNotFound {
		t.Errorf("status %d, want 404", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{"404", "Not Found", "This product does not exist or was deleted.", "req-7f3a"} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	checkAssetLinks(t, body, assets)

	// The page of last resort must render even when a caller forgets Data.
	bare := render(t, p, http.StatusInternalServerError, "error", PageData{}).Body.String()
	for _, want := range []string{"500", "Internal Server Error", "Something went wrong"} {
		if !strings.Contains(bare, want) {
			t.Errorf("error page without Data lacks %q", want)
		}
	}
	if strings.Contains(bare, "request ID") {
		t.Error("error page mentions a request ID when there is none")
	}
}

func TestRenderEscapes(t *testing.T) {
	p, _ := newTestPages(t)
	body := render(t, p, http.StatusBadRequest, "error", PageData{
		Title: "<b>x</b>",
		Data:  ErrorData{Status: http.StatusBadRequest, Message: `<script>alert(1)</script>`},
	}).Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>x</b>") {
		t.Error("user-controlled text was not escaped")
	}
}

// TestPagesAreCSPSafe renders every page and checks it needs nothing the
// Content-Security-Policy blocks: inline styles, inline scripts, handlers.
func TestPagesAreCSPSafe(t *testing.T) {
	p, assets := newTestPages(t)
	if len(p.Names()) < 2 {
		t.Fatalf("pages %v, want at least home and error", p.Names())
	}
	scriptTag := regexp.MustCompile(`(?i)<script\b[^>]*>`)
	handler := regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	for _, name := range p.Names() {
		if name == "ar" || name == "viewer_test" {
			continue // rendered with their own page types by the public and devtools tests
		}
		if _, err := fs.Stat(dashboard.Templates(), name+".html"); err == nil {
			continue // the dashboard's pages take their own data: its tests render them
		}
		data := PageData{Title: "T", RequestID: "r", Dev: true, Version: "v", Data: ErrorData{Status: 500}}
		body := render(t, p, http.StatusOK, name, data).Body.String()
		lower := strings.ToLower(body)
		if strings.Contains(lower, " style=") {
			t.Errorf("%s: inline style attribute", name)
		}
		if strings.Contains(lower, "<style") {
			t.Errorf("%s: inline <style> element", name)
		}
		for _, tag := range scriptTag.FindAllString(body, -1) {
			if !strings.Contains(strings.ToLower(tag), " src=") {
				t.Errorf("%s: inline script %s", name, tag)
			}
		}
		if m := handler.FindString(body); m != "" {
			t.Errorf("%s: inline event handler in %s", name, m)
		}
		if strings.Contains(lower, "javascript:") {
			t.Errorf("%s: javascript: URL", name)
		}
		checkAssetLinks(t, body, assets)
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
