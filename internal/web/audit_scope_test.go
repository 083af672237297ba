package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/audit"
)

// TestBrandAuditShowsOnlyBrandEvents: a brand's log holds the events
// recorded for that brand, not the personal history of whoever joins it
// (their logins, password changes, other brands); those stay on the
// person's own account page.
func TestBrandAuditShowsOnlyBrandEvents(t *testing.T) {
	e := newPageEnv(t)
	zoe, bob := e.browser(), e.browser()
	zoe.signup("zoe@example.com", "Zoé", "Acme Mugs")
	bob.signup("bob@example.com", "Bob", "Bob Prints")
	// Bob's history before joining Acme: logins and a password change, and
	// events of his own brand.
	bob.login("bob@example.com", "correct horse battery")
	if p := bob.api("POST", "/api/auth/password/change",
		`{"current_password":"correct horse battery","new_password":"another horse battery"}`); p.status != http.StatusNoContent {
		t.Fatalf("password change: %d %s", p.status, p.body)
	}
	want(t, bob.follow(bob.post("/app/brand", "name", "Bob Prints and Co")), http.StatusOK)
	e.join(zoe, bob, "bob@example.com", "viewer")
	bobID := e.userID("bob@example.com")

	p := zoe.api("GET", "/api/brand/audit", "")
	var out struct{ Events []audit.Entry }
	if err := json.Unmarshal([]byte(p.body), &out); err != nil || p.status != http.StatusOK {
		t.Fatalf("audit: %d %s", p.status, p.body)
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
	log := zoe.get("/app/audit")
	for _, leak := range []string{"<code>login_ok</code>", "<code>password_changed</code>", "Bob Prints and Co"} {
		if strings.Contains(log.body, leak) {
			t.Errorf("Acme's audit page shows %s", leak)
		}
	}
	// Bob sees his own account events on his account page, and nobody else's.
	acc := bob.get("/app/account")
	want(t, acc, http.StatusOK, "<code>login_ok</code>", "<code>password_changed</code>")
	var mine int
	if err := e.db.QueryRowContext(t.Context(), `SELECT count(*) FROM audit_events WHERE user_id = $1 AND event = 'login_ok'`, bobID).Scan(&mine); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(acc.body, "<code>login_ok</code>"); got != mine {
		t.Errorf("Bob's account page shows %d logins, he made %d", got, mine)
	}
	// And over the API.
	p = bob.api("GET", "/api/auth/audit", "")
	var own struct{ Events []audit.Entry }
	if err := json.Unmarshal([]byte(p.body), &own); err != nil || p.status != http.StatusOK || len(own.Events) == 0 {
		t.Fatalf("own audit: %d %s", p.status, p.body)
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
