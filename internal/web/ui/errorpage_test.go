package ui_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/pagetest"
)

func TestRenderError(t *testing.T) {
	t.Parallel()
	p, assets := pagetest.Templates(t)
	w := httptest.NewRecorder()
	if err := p.Render(w, http.StatusNotFound, "error", &httpx.PageData{
		RequestID: "req-7f3a",
		Data:      httpx.ErrorData{Status: http.StatusNotFound, Message: "This product does not exist or was deleted."},
	}); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusNotFound {
		t.Errorf("status %d, want 404", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{"404", "Not Found", "This product does not exist or was deleted.", "req-7f3a"} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	pagetest.CheckAssetLinks(t, body, assets)

	// The page of last resort must render even when a caller forgets Data.
	bare := pagetest.Render(t, p, http.StatusInternalServerError, "error", &httpx.PageData{})
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
	t.Parallel()
	p, _ := pagetest.Templates(t)
	body := pagetest.Render(t, p, http.StatusBadRequest, "error", &httpx.PageData{
		Title: "<b>x</b>",
		Data:  httpx.ErrorData{Status: http.StatusBadRequest, Message: `<script>alert(1)</script>`},
	})
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>x</b>") {
		t.Error("user-controlled text was not escaped")
	}
}

// TestErrorPageIsCSPSafe: the page of last resort needs nothing the
// Content-Security-Policy blocks.
func TestErrorPageIsCSPSafe(t *testing.T) {
	t.Parallel()
	p, assets := pagetest.Templates(t)
	pagetest.CheckEveryPage(t, p, assets, map[string]httpx.View{"error": &httpx.PageData{Data: httpx.ErrorData{Status: 500}}})
}
