package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestBrandAuditShowsOnlyBrandEvents: a brand's log holds the events
// recorded for that brand, not the personal history of whoever joins it
// (their logins, password changes, other brands); those stay on the
// person's own account page.
func TestBrandAuditShowsOnlyBrandEvents(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	zoe, bob := e.Browser(), e.Browser()
	zoe.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	bob.Signup("bob@example.com", "Bob", "Bob Prints")
	// Bob's history before joining Acme: logins and a password change, and
	// events of his own brand.
	bob.Login("bob@example.com", webtest.Password)
	if p := bob.JSON("POST", "/api/auth/password/change",
		`{"current_password":"correct horse battery","new_password":"another horse battery"}`); p.Status != http.StatusNoContent {
		t.Fatalf("password change: %d %s", p.Status, p.Body)
	}
	webtest.Want(t, bob.Follow(bob.Post("/app/brand", "name", "Bob Prints and Co")), http.StatusOK)
	join(e, zoe, bob, "bob@example.com", "viewer")
	bobID := e.UserID("bob@example.com")

	p := zoe.JSON("GET", "/api/brand/audit", "")
	var out struct{ Events []audit.Entry }
	if err := json.Unmarshal([]byte(p.Body), &out); err != nil || p.Status != http.StatusOK {
		t.Fatalf("audit: %d %s", p.Status, p.Body)
	}
	acme := out.Events[0].BrandID
	seen := map[string]bool{}
	for _, ev := range out.Events {
		if ev.BrandID != acme {
			t.Errorf("Acme's log shows %s of brand %q (user %s)", ev.Event, ev.BrandID, ev.UserID)
		}
		seen[ev.Event] = true
	}
	for _, ev := range []string{audit.Signup, audit.MemberInvited, audit.MemberJoined} {
		if !seen[ev] {
			t.Errorf("Acme's log lacks %s: %+v", ev, out.Events)
		}
	}
	// The page says the same.
	log := zoe.Get("/app/audit")
	for _, leak := range []string{"<code>login_ok</code>", "<code>password_changed</code>", "Bob Prints and Co"} {
		if strings.Contains(log.Body, leak) {
			t.Errorf("Acme's audit page shows %s", leak)
		}
	}
	// Bob sees his own account events on his account page, and nobody else's.
	acc := bob.Get("/app/account")
	webtest.Want(t, acc, http.StatusOK, "<code>login_ok</code>", "<code>password_changed</code>")
	var mine int
	if err := e.DB.QueryRowContext(t.Context(), `SELECT count(*) FROM audit_events WHERE user_id = $1 AND event = 'login_ok'`, bobID).Scan(&mine); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(acc.Body, "<code>login_ok</code>"); got != mine {
		t.Errorf("Bob's account page shows %d logins, he made %d", got, mine)
	}
	// And over the API.
	p = bob.JSON("GET", "/api/auth/audit", "")
	var own struct{ Events []audit.Entry }
	if err := json.Unmarshal([]byte(p.Body), &own); err != nil || p.Status != http.StatusOK || len(own.Events) == 0 {
		t.Fatalf("own audit: %d %s", p.Status, p.Body)
	}
	logins := 0
	for _, ev := range own.Events {
		if ev.UserID != bobID || ev.BrandID != "" {
			t.Errorf("Bob's own log shows %s of user %s, brand %q", ev.Event, ev.UserID, ev.BrandID)
		}
		if ev.Event == audit.LoginOK {
			logins++
		}
	}
	if logins != mine {
		t.Errorf("Bob's own log shows %d logins, he made %d", logins, mine)
	}
}
