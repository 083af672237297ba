package web

import (
	"net/http"
	"testing"
)

// join invites email into owner's brand with role and has b (signed up
// already) accept; b's session then acts for that brand.
func (e *pageEnv) join(owner, b *browser, email, role string) {
	e.t.Helper()
	wantRedirect(e.t, owner.post("/app/team/invite", "email", email, "role", role), "/app/team")
	wantRedirect(e.t, b.post("/invitations/accept", "token", e.mailed(email, "/invitations/accept")), "/app")
}

// newKey creates an API key through the page and returns its secret.
func (b *browser) newKey(name string) string {
	b.env.t.Helper()
	p := b.post("/app/api-keys", "name", name, "scopes", "brand:read")
	want(b.env.t, p, http.StatusOK, "this is the only time it is shown")
	return find(b.env.t, p.body, `<code class="secret">(lk_[A-Za-z0-9_-]+)</code>`)
}

// keyStatus is what GET /api/brand answers to a key.
func (e *pageEnv) keyStatus(secret string) int {
	e.t.Helper()
	return e.browser().do(http.MethodGet, "/api/brand", nil, "Authorization", "Bearer "+secret).status
}

// TestRemovedMembersKeysAreRevoked: the keys a member made for a brand stop
// working when they are removed from it (or leave it); the brand's other
// keys, and the keys they made for their own brand, keep working.
func TestRemovedMembersKeysAreRevoked(t *testing.T) {
	e := newPageEnv(t)
	zoe, bob, cat := e.browser(), e.browser(), e.browser()
	zoe.signup("zoe@example.com", "Zoé", "Acme Mugs")
	bob.signup("bob@example.com", "Bob", "Bob Prints")
	bobOwn := bob.newKey("bob's own brand")
	cat.signup("cat@example.com", "Cat", "Cat Cups")
	e.join(zoe, bob, "bob@example.com", "admin")
	e.join(zoe, cat, "cat@example.com", "admin")
	zoeKey, bobKey, catKey := zoe.newKey("zoe"), bob.newKey("bob in acme"), cat.newKey("cat in acme")

	wantRedirect(t, zoe.post("/app/team/members/"+e.userID("bob@example.com")+"/remove"), "/app/team")
	wantRedirect(t, cat.post("/app/team/members/"+e.userID("cat@example.com")+"/remove"), "/app")
	for _, k := range []struct {
		name, secret string
		status       int
	}{{"removed member's key", bobKey, http.StatusUnauthorized}, {"departed member's key", catKey, http.StatusUnauthorized},
		{"owner's key", zoeKey, http.StatusOK}, {"removed member's key in their own brand", bobOwn, http.StatusOK}} {
		if got := e.keyStatus(k.secret); got != k.status {
			t.Errorf("%s: %d, want %d", k.name, got, k.status)
		}
	}
	want(t, zoe.get("/app/audit"), http.StatusOK, "its creator left the brand")
}
