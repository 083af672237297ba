package ui

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
)

// newTestTemplates parses the embedded shared templates (the error page)
// with the embedded static files.
func newTestTemplates(t *testing.T) (*httpx.Templates, *Assets) {
	t.Helper()
	assets, err := NewAssets(StaticFS())
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewTemplates(assets)
	if err != nil {
		t.Fatal(err)
	}
	return p, assets
}

func render(t *testing.T, p *httpx.Templates, status int, name string, data *httpx.PageData) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	if err := p.Render(w, status, name, data); err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	return w
}

func TestRenderError(t *testing.T) {
	p, assets := newTestTemplates(t)
	w := render(t, p, http.StatusNotFound, "error", &httpx.PageData{
		RequestID: "req-7f3a",
		Data:      httpx.ErrorData{Status: http.StatusNotFound, Message: "This product does not exist or was deleted."},
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
	bare := render(t, p, http.StatusInternalServerError, "error", &httpx.PageData{}).Body.String()
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
	p, _ := newTestTemplates(t)
	body := render(t, p, http.StatusBadRequest, "error", &httpx.PageData{
		Title: "<b>x</b>",
		Data:  httpx.ErrorData{Status: http.StatusBadRequest, Message: `<script>alert(1)</script>`},
	}).Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>x</b>") {
		t.Error("user-controlled text was not escaped")
	}
}

// checkAssetLinks requests every /static/ URL in a page from assets and
// fails unless each is served and at least the stylesheet is linked.
func checkAssetLinks(t *testing.T, body string, assets *Assets) {
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

// TestErrorPageIsCSPSafe: the page of last resort needs nothing the
// Content-Security-Policy blocks.
func TestErrorPageIsCSPSafe(t *testing.T) {
	p, assets := newTestTemplates(t)
	body := render(t, p, http.StatusInternalServerError, "error", &httpx.PageData{Title: "T", RequestID: "r", Dev: true, Version: "v",
		Data: httpx.ErrorData{Status: 500}}).Body.String()
	lower := strings.ToLower(body)
	for _, bad := range []string{" style=", "<style", "javascript:", "<script>"} {
		if strings.Contains(lower, bad) {
			t.Errorf("error page contains %q", bad)
		}
	}
	checkAssetLinks(t, body, assets)
}
