package devtools_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

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

func mustAssets(t *testing.T, files fstest.MapFS) *ui.Assets {
	t.Helper()
	a, err := ui.NewAssets(files)
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	return a
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

// corpusMissing skips the test when the shared corpus (../shared/corpus
// from the repository root) is absent, or fails it when LUNEO_TEST_CORPUS
// is set, as CI does: there a missing corpus must not quietly turn the
// real-world checks into skips.
func corpusMissing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("LUNEO_TEST_CORPUS") != "" {
		t.Fatalf("LUNEO_TEST_CORPUS is set but "+format, args...)
	}
	t.Skipf(format, args...)
}
