package public_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/pagetest"
	"github.com/luneo/luneo/internal/web/public"
)

// TestPagesAreCSPSafe renders every page of the surface with its own zero
// page type and checks it needs nothing the Content-Security-Policy blocks.
// A page added without an entry here fails.
func TestPagesAreCSPSafe(t *testing.T) {
	t.Parallel()
	p, assets := pagetest.Templates(t, public.Templates())
	pagetest.CheckEveryPage(t, p, assets, map[string]httpx.View{
		"home":      &httpx.PageData{},
		"ar":        &public.ARPage{},
		"ar_design": &public.ARDesignPage{},
		"error":     &httpx.PageData{Data: httpx.ErrorData{Status: 500}}, // ui's
	})
}

func TestRenderHome(t *testing.T) {
	t.Parallel()
	p, assets := pagetest.Templates(t, public.Templates())
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
	pagetest.CheckAssetLinks(t, body, assets)

	quiet := pagetest.Render(t, p, http.StatusOK, "home", &httpx.PageData{})
	if strings.Contains(quiet, "Development mode") {
		t.Error("development ribbon shown with Dev false")
	}
}

// TestARPageEscapes: the product name is the brand's text, shown on a
// public page.
func TestARPageEscapes(t *testing.T) {
	t.Parallel()
	p, _ := pagetest.Templates(t, public.Templates())
	body := pagetest.Render(t, p, http.StatusOK, "ar", &public.ARPage{Name: `<script>alert(1)</script>`, PageURL: `https://x.test/ar/"><b>`})
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `"><b>`) {
		t.Error("user-controlled text was not escaped")
	}
}
