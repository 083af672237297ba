// Package pagetest checks server-rendered pages in tests: it parses a
// surface's templates as the server does, renders every page with its zero
// data, and fails on anything the Content-Security-Policy would block or a
// static link that answers nothing. Every surface with pages uses it, and so
// do webtest's browsers on every HTML page they get.
package pagetest

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// Templates parses the shared templates and the given surfaces' pages over
// the embedded static files, as the server does.
func Templates(t testing.TB, surfaces ...fs.FS) (*httpx.Templates, *ui.Assets) {
	t.Helper()
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	p, err := ui.NewTemplates(assets, surfaces...)
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}
	return p, assets
}

// Render renders page name, failing the test on an error.
func Render(t testing.TB, p *httpx.Templates, status int, name string, data httpx.View) string {
	t.Helper()
	w := httptest.NewRecorder()
	if err := p.Render(w, status, name, data); err != nil {
		t.Fatalf("Render(%s): %v", name, err)
	}
	return w.Body.String()
}

// CheckEveryPage renders every page of p with its entry in zero (the page's
// own data type, empty), in dev mode, and checks each against the CSP and
// its static links. A page without an entry fails, so a new page cannot
// skip the check.
func CheckEveryPage(t *testing.T, p *httpx.Templates, assets *ui.Assets, zero map[string]httpx.View) {
	t.Helper()
	for _, name := range p.Names() {
		data, ok := zero[name]
		if !ok {
			t.Errorf("page %s has no zero value in this test", name)
			continue
		}
		data.Common().Title, data.Common().Dev = "T", true
		body := Render(t, p, http.StatusOK, name, data)
		CheckCSPSafe(t, name, body)
		CheckAssetLinks(t, body, assets)
	}
}

var (
	scriptTag = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	handler   = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	static    = regexp.MustCompile(`(?:href|src)="(/static/[^"]*)"`)
)

// CheckCSPSafe fails on anything the Content-Security-Policy would block:
// inline styles and scripts, event handler attributes, javascript: URLs.
func CheckCSPSafe(t testing.TB, what, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, bad := range []string{" style=", "<style", "javascript:"} {
		if strings.Contains(lower, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
	for _, tag := range scriptTag.FindAllString(body, -1) {
		if !strings.Contains(strings.ToLower(tag), " src=") {
			t.Errorf("%s: inline script %s", what, tag)
		}
	}
	if m := handler.FindString(body); m != "" {
		t.Errorf("%s: inline event handler in %s", what, m)
	}
}

// CheckAssetLinks requests every /static/ URL in a page from assets and
// fails unless each is served and at least the stylesheet is linked.
func CheckAssetLinks(t testing.TB, body string, assets *ui.Assets) {
	t.Helper()
	links := static.FindAllStringSubmatch(body, -1)
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
