package dashboard

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/pagetest"
)

// zeroPages is the zero value of every page's data type, by page name. A
// page added without its entry here fails TestPagesRenderEmpty.
var zeroPages = map[string]func() page{
	"account":          func() page { return &accountPage{} },
	"api_keys":         func() page { return &apiKeysPage{} },
	"app":              func() page { return &homePage{} },
	"audit":            func() page { return &auditPage{} },
	"brand":            func() page { return &brandPage{} },
	"confirm":          func() page { return &confirmPage{} },
	"design":           func() page { return &designPage{} },
	"embed":            func() page { return &embedPage{} },
	"integrations":     func() page { return &integrationsPage{} },
	"shopify_products": func() page { return &shopifyProductsPage{} },
	"designs":          func() page { return &designsPage{} },
	"forgot":           func() page { return &forgotPage{} },
	"invitation":       func() page { return &invitationPage{} },
	"login":            func() page { return &loginPage{} },
	"login_mfa":        func() page { return &loginMFAPage{} },
	"logout":           func() page { return &logoutPage{} },
	"product":          func() page { return &productPage{} },
	"products":         func() page { return &productsPage{} },
	"reset":            func() page { return &resetPage{} },
	"signup":           func() page { return &signupPage{} },
	"team":             func() page { return &teamPage{} },
	"webhooks":         func() page { return &webhooksPage{} },
	"webhook":          func() page { return &webhookPage{} },

	// orders
	"orders":         func() page { return &ordersPage{} },
	"order":          func() page { return &orderPage{} },
	"order_settings": func() page { return &orderSettingsPage{} },
}

// TestPagesRenderEmpty renders every page of the dashboard with the zero
// value of its data type, and checks it needs nothing the
// Content-Security-Policy blocks: inline styles, inline scripts, handlers.
func TestPagesRenderEmpty(t *testing.T) {
	p, assets := pagetest.Templates(t, Templates())
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
		pagetest.CheckCSPSafe(t, name, body)
		pagetest.CheckAssetLinks(t, body, assets)
	}
}
