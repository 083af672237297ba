package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// TestWebhooksPages: add an endpoint (its secret on that answer only), see
// it listed, ping it into the delivery log, disable and enable it, rotate
// its secret, refuse a private address on the form, keep another brand out,
// and delete it.
func TestWebhooksPages(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("hooks@example.com", "Hana", "Hooks Co")
	webtest.Want(t, b.Get("/app"), http.StatusOK, `href="/app/webhooks"`)
	webtest.Want(t, b.Get("/app/webhooks"), http.StatusOK, "No webhook endpoints yet.")

	bad := b.Post("/app/webhooks", "url", "https://10.0.0.8/hook", "topics", "order.created")
	webtest.Want(t, bad, http.StatusUnprocessableEntity, "private, loopback or link-local", "https://10.0.0.8/hook")

	p := b.Post("/app/webhooks", "url", "https://hooks.example.com/luneo", "description", "ERP",
		"topics", "order.created", "topics", "order.ready")
	webtest.Want(t, p, http.StatusCreated, "only time it is shown", `id="webhook-secret">whsec_`)
	secret := webtest.Find(t, p.Body, `id="webhook-secret">(whsec_[A-Za-z0-9_-]+)<`)
	id := webtest.Find(t, p.Body, `action="/app/webhooks/([0-9a-f-]+)/ping"`)
	page := "/app/webhooks/" + id

	list := b.Get("/app/webhooks")
	webtest.Want(t, list, http.StatusOK, "https://hooks.example.com/luneo", "order.created", "order.ready", "ERP")
	if strings.Contains(list.Body, secret) || strings.Contains(b.Get(page).Body, secret) {
		t.Fatal("the secret is shown again")
	}

	ping := b.Post(page + "/ping")
	webtest.WantRedirect(t, ping, page)
	webtest.Want(t, b.Follow(ping), http.StatusOK, "A ping is on its way", "<code>ping</code>", "pending")

	off := b.Post(page+"/enabled", "enabled", "false")
	webtest.WantRedirect(t, off, page)
	webtest.Want(t, b.Follow(off), http.StatusOK, "The endpoint is disabled", "badge-revoked")
	webtest.WantRedirect(t, b.Post(page+"/enabled", "enabled", "true"), page)

	saved := b.Post(page, "url", "https://hooks.example.com/v2", "description", "", "topics", "order.cancelled")
	webtest.WantRedirect(t, saved, page)
	webtest.Want(t, b.Follow(saved), http.StatusOK, "https://hooks.example.com/v2", "The endpoint has been saved.")
	webtest.Want(t, b.Post(page, "url", "https://hooks.example.com/v2"), http.StatusBadRequest, "at least one topic")

	rot := b.Post(page + "/rotate")
	webtest.Want(t, rot, http.StatusOK, `id="webhook-secret">whsec_`)
	if strings.Contains(rot.Body, secret) {
		t.Fatal("rotation kept the old secret")
	}

	other := e.Browser()
	other.Signup("other-hooks@example.com", "Olga", "Other Co")
	for _, path := range []string{page} {
		if p := other.Get(path); p.Status != http.StatusNotFound {
			t.Fatalf("another brand GET %s: %d", path, p.Status)
		}
	}
	for _, path := range []string{page + "/ping", page + "/rotate", page + "/delete"} {
		if p := other.Post(path); p.Status != http.StatusNotFound {
			t.Fatalf("another brand POST %s: %d", path, p.Status)
		}
	}

	del := b.Post(page + "/delete")
	webtest.WantRedirect(t, del, "/app/webhooks")
	webtest.Want(t, b.Follow(del), http.StatusOK, "No webhook endpoints yet.")
}
