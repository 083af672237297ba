package devtools_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestPagesAreCSPSafe renders every page of the surface with its own zero
// page type and checks it needs nothing the Content-Security-Policy blocks.
// A page added without an entry here fails.
func TestPagesAreCSPSafe(t *testing.T) {
	t.Parallel()
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		t.Fatal(err)
	}
	p, err := ui.NewTemplates(assets, devtools.Templates())
	if err != nil {
		t.Fatal(err)
	}
	zero := map[string]httpx.View{
		"viewer_test": &devtools.ViewerTestPage{},
		"error":       &httpx.PageData{Data: httpx.ErrorData{Status: 500}}, // ui's
	}
	for _, name := range p.Names() {
		data, ok := zero[name]
		if !ok {
			t.Errorf("page %s has no zero value in this test", name)
			continue
		}
		data.Common().Title, data.Common().Dev = "T", true
		w := httptest.NewRecorder()
		if err := p.Render(w, http.StatusOK, name, data); err != nil {
			t.Fatalf("Render(%s): %v", name, err)
		}
		webtest.CheckCSPSafe(t, name, w.Body.String())
		checkAssetLinks(t, w.Body.String(), assets)
	}
}
