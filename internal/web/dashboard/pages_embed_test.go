package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// TestEmbedSettingsPage: the widget page shows the snippet with the brand's
// ID, saves a list from the form (one origin a line, normalised), and
// shows a refused entry by name without changing the list.
func TestEmbedSettingsPage(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("widget@example.com", "Wanda", "Widget Co")
	var brandID string
	if err := e.DB.QueryRowContext(t.Context(), `SELECT id FROM brands WHERE name = 'Widget Co'`).Scan(&brandID); err != nil {
		t.Fatal(err)
	}
	page := b.Get("/app/brand/embed")
	webtest.Want(t, page, http.StatusOK, "/embed/luneo.js", "LuneoWidget.init", brandID, "No store may embed the widget yet.")

	p := b.Post("/app/brand/embed", "origins", "HTTPS://Shop.Example/\r\n\r\nhttps://b.example:8443\n")
	webtest.WantRedirect(t, p, "/app/brand/embed")
	page = b.Follow(p)
	webtest.Want(t, page, http.StatusOK, "<code>https://b.example:8443</code>", "<code>https://shop.example</code>", "2 store origins")

	page = b.Post("/app/brand/embed", "origins", "https://ok.example\nftp://nope.example")
	webtest.Want(t, page, http.StatusUnprocessableEntity, "ftp://nope.example")
	if body := b.Get("/app/brand/embed").Body; !strings.Contains(body, "<code>https://shop.example</code>") || strings.Contains(body, "ok.example</code>") {
		t.Fatal("a refused form changed the list")
	}
}
