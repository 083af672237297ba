package dashboard

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

// zeroPages is the zero value of every page's data type, by page name. A
// page added without its entry here fails TestPagesRenderEmpty.
var zeroPages = map[string]func() page{
	"account":    func() page { return &accountPage{} },
	"api_keys":   func() page { return &apiKeysPage{} },
	"app":        func() page { return &homePage{} },
	"audit":      func() page { return &auditPage{} },
	"brand":      func() page { return &brandPage{} },
	"confirm":    func() page { return &confirmPage{} },
	"forgot":     func() page { return &forgotPage{} },
	"invitation": func() page { return &invitationPage{} },
	"login":      func() page { return &loginPage{} },
	"login_mfa":  func() page { return &loginMFAPage{} },
	"logout":     func() page { return &logoutPage{} },
	"product":    func() page { return &productPage{} },
	"products":   func() page { return &productsPage{} },
	"reset":      func() page { return &resetPage{} },
	"signup":     func() page { return &signupPage{} },
	"team":       func() page { return &teamPage{} },
}

// TestPagesRenderEmpty renders every page of the dashboard with the zero
// value of its data type, and checks it needs nothing the
// Content-Security-Policy blocks: inline styles, inline scripts, handlers.
func TestPagesRenderEmpty(t *testing.T) {
	p, assets := newTestTemplates(t)
	files, err := fs.Glob(Templates(), "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := zeroPages[strings.TrimSuffix(f, ".html")]; !ok {
			t.Errorf("page %s has no zero value in zeroPages", f)
		}
	}
	if len(zeroPages) != len(files) {
		t.Errorf("zeroPages has %d pages, the templates %d", len(zeroPages), len(files))
	}
	for name, zero := range zeroPages {
		data := zero()
		*data.Common() = httpx.PageData{Title: "T", RequestID: "r", Dev: true, Version: "v"}
		w := httptest.NewRecorder()
		if err := p.Render(w, http.StatusOK, name, data); err != nil {
			t.Errorf("Render(%s): %v", name, err)
			continue
		}
		body := w.Body.String()
		checkCSPSafe(t, name, body)
		checkAssetLinks(t, body, assets)
	}
}

// newTestTemplates parses the shared templates and the dashboard's pages,
// as the server does.
func newTestTemplates(t *testing.T) (*httpx.Templates, *ui.Assets) {
	t.Helper()
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	p, err := ui.NewTemplates(assets, Templates())
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}
	return p, assets
}

// checkCSPSafe fails on anything the Content-Security-Policy blocks:
// inline styles, inline scripts, event handlers, javascript: URLs.
func checkCSPSafe(t *testing.T, name, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	if strings.Contains(lower, " style=") {
		t.Errorf("%s: inline style attribute", name)
	}
	if strings.Contains(lower, "<style") {
		t.Errorf("%s: inline <style> element", name)
	}
	for _, tag := range regexp.MustCompile(`(?i)<script\b[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(strings.ToLower(tag), " src=") {
			t.Errorf("%s: inline script %s", name, tag)
		}
	}
	if m := regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`).FindString(body); m != "" {
		t.Errorf("%s: inline event handler in %s", name, m)
	}
	if strings.Contains(lower, "javascript:") {
		t.Errorf("%s: javascript: URL", name)
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
