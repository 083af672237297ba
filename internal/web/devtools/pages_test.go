package devtools_test

import (
	"testing"
	"testing/fstest"

	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/pagetest"
	"github.com/luneo/luneo/internal/web/ui"
)

// TestPagesAreCSPSafe renders every page of the surface with its own zero
// page type and checks it needs nothing the Content-Security-Policy blocks.
// A page added without an entry here fails.
func TestPagesAreCSPSafe(t *testing.T) {
	t.Parallel()
	p, assets := pagetest.Templates(t, devtools.Templates())
	pagetest.CheckEveryPage(t, p, assets, map[string]httpx.View{
		"viewer_test": &devtools.ViewerTestPage{},
		"error":       &httpx.PageData{Data: httpx.ErrorData{Status: 500}}, // ui's
	})
}

func mustAssets(t *testing.T, files fstest.MapFS) *ui.Assets {
	t.Helper()
	a, err := ui.NewAssets(files)
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	return a
}
