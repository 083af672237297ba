package widget

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/ui"
)

// TestFrameStylesheetShipped: the stylesheet the frame page links is in the
// binary's static files (it is committed, not built), and it is the
// customizer's: its root classes are there.
func TestFrameStylesheetShipped(t *testing.T) {
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assets.Lookup(frameStylesheet); err != nil {
		t.Fatalf("%s is not in the static files: %v", frameStylesheet, err)
	}
	body, _ := assets.Body(frameStylesheet)
	for _, class := range []string{".lw-body", ".lw-layout", ".lw-canvas", ".lw-viewer", ".lw-sr"} {
		if !strings.Contains(string(body), class) {
			t.Errorf("%s has no %s rule", frameStylesheet, class)
		}
	}
}
