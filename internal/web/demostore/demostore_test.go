package demostore_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/demostore"
)

// TestStore: the product page pastes the two lines for the demo product,
// its policy lets only Luneo's script, frame and API in, the locale link
// works, and nothing else is served.
func TestStore(t *testing.T) {
	h := demostore.Store{Luneo: "http://127.0.0.1:8080/", Brand: "b-1", Product: `p-1"><script>`}
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	page := get("/")
	body, csp := page.Body.String(), page.Header().Get("Content-Security-Policy")
	for _, want := range []string{`<script src="http://127.0.0.1:8080/embed/luneo.js"></script>`, `<script src="/store.js"></script>`,
		`data-brand="b-1"`, `data-product="p-1&#34;&gt;&lt;script&gt;"`, `data-locale="en"`, `<html lang="en">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, want := range []string{"default-src 'self'", "script-src 'self' http://127.0.0.1:8080;", "frame-src http://127.0.0.1:8080;",
		"connect-src http://127.0.0.1:8080;", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy %q lacks %s", csp, want)
		}
	}
	if strings.Contains(body, "<script>LuneoWidget") {
		t.Error("an inline script, which the page's own policy forbids")
	}
	if fr := get("/?locale=fr").Body.String(); !strings.Contains(fr, `data-locale="fr"`) || !strings.Contains(fr, `<html lang="fr">`) {
		t.Error("?locale=fr is not passed to the widget")
	}
	if x := get("/?locale=xx").Body.String(); !strings.Contains(x, `data-locale="en"`) {
		t.Error("an unknown locale is not English")
	}
	js := get("/store.js")
	if js.Code != 200 || !strings.HasPrefix(js.Header().Get("Content-Type"), "text/javascript") ||
		!strings.Contains(js.Body.String(), "LuneoWidget.init(") || !strings.Contains(js.Body.String(), "onAddToCart") {
		t.Errorf("store.js: %d %q", js.Code, js.Header().Get("Content-Type"))
	}
	if css := get("/store.css"); css.Code != 200 || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") {
		t.Errorf("store.css: %d", css.Code)
	}
	if nf := get("/../secret"); nf.Code != http.StatusNotFound {
		t.Errorf("another path: %d", nf.Code)
	}
}
