package api_test

import (
	"net/http"
	"testing"

	"github.com/luneo/luneo/internal/web/webtest"
)

// join invites email into owner's brand with role and has b (signed up
// already) accept; b's session then acts for that brand.
func join(e *webtest.Env, owner, b *webtest.Browser, email, role string) {
	e.T.Helper()
	webtest.WantRedirect(e.T, owner.Post("/app/team/invite", "email", email, "role", role), "/app/team")
	webtest.WantRedirect(e.T, b.Post("/invitations/accept", "token", e.Mailed(email, "/invitations/accept")), "/app")
}

// newKey creates an API key through the page and returns its secret.
func newKey(t *testing.T, b *webtest.Browser, name string) string {
	t.Helper()
	p := b.Post("/app/api-keys", "name", name, "scopes", "brand:read")
	webtest.Want(t, p, http.StatusOK, "this is the only time it is shown")
	return webtest.Find(t, p.Body, `<code class="secret">(lk_[A-Za-z0-9_-]+)</code>`)
}

// keyStatus is what GET /api/brand answers to a key.
func keyStatus(e *webtest.Env, secret string) int {
	e.T.Helper()
	return e.Browser().Do(http.MethodGet, "/api/brand", nil, "Authorization", "Bearer "+secret).Status
}

// TestRemovedMembersKeysAreRevoked: the keys a member made for a brand stop
// working when they are removed from it (or leave it); the brand's other
// keys, and the keys they made for their own brand, keep working.
func TestRemovedMembersKeysAreRevoked(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	zoe, bob, cat := e.Browser(), e.Browser(), e.Browser()
	zoe.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	bob.Signup("bob@example.com", "Bob", "Bob Prints")
	bobOwn := newKey(t, bob, "bob's own brand")
	cat.Signup("cat@example.com", "Cat", "Cat Cups")
	join(e, zoe, bob, "bob@example.com", "admin")
	join(e, zoe, cat, "cat@example.com", "admin")
	zoeKey, bobKey, catKey := newKey(t, zoe, "zoe"), newKey(t, bob, "bob in acme"), newKey(t, cat, "cat in acme")

	webtest.WantRedirect(t, zoe.Post("/app/team/members/"+e.UserID("bob@example.com")+"/remove"), "/app/team")
	webtest.WantRedirect(t, cat.Post("/app/team/members/"+e.UserID("cat@example.com")+"/remove"), "/app")
	for _, k := range []struct {
		name, secret string
		status       int
	}{{"removed member's key", bobKey, http.StatusUnauthorized}, {"departed member's key", catKey, http.StatusUnauthorized},
		{"owner's key", zoeKey, http.StatusOK}, {"removed member's key in their own brand", bobOwn, http.StatusOK}} {
		if got := keyStatus(e, k.secret); got != k.status {
			t.Errorf("%s: %d, want %d", k.name, got, k.status)
		}
	}
	webtest.Want(t, zoe.Get("/app/audit"), http.StatusOK, "its creator left the brand")
}
