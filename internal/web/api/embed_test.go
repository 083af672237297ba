package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// TestEmbedSettings: the list is normalised and kept per brand, a bad entry
// is a 422 naming it with nothing changed, and another brand never sees it.
func TestEmbedSettings(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	a := webtest.Bearer(e.RegisterAndLogin("embed-a@example.com"))
	b := webtest.Bearer(e.RegisterAndLogin("embed-b@example.com"))

	got := e.API("PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{"HTTPS://Shop.Example/", "https://shop.example:443", "https://b.example:8443"}}, a)
	if got.Status != http.StatusOK {
		t.Fatalf("PUT: %d %v", got.Status, got.Body)
	}
	want := "[https://b.example:8443 https://shop.example]"
	if s := fmtList(got.Body["allowed_origins"]); s != want {
		t.Fatalf("stored %s, want %s", s, want)
	}
	bad := e.API("PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{"https://ok.example", "https://shop.example/cart"}}, a)
	if detail, _ := bad.Body["detail"].(string); bad.Status != http.StatusUnprocessableEntity || !strings.Contains(detail, `"https://shop.example/cart"`) {
		t.Fatalf("bad entry: %d %v", bad.Status, bad.Body)
	}
	if s := fmtList(e.API("GET", "/api/brand/embed", nil, a).Body["allowed_origins"]); s != want {
		t.Fatalf("after a refused PUT: %s, want %s", s, want)
	}
	if s := fmtList(e.API("GET", "/api/brand/embed", nil, b).Body["allowed_origins"]); s != "[]" {
		t.Fatalf("another brand sees %s", s)
	}
}

func fmtList(v any) string {
	l, _ := v.([]any)
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i], _ = x.(string)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
