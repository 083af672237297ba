package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

// unconfirmedMessage starts what a user who has not confirmed their address
// reads when logins require it (with the code apperr.Forbidden: 403); the
// rest of the sentence (where the link went) may be reworded freely.
const unconfirmedMessage = "confirm your email address first"

// TestLoginRequiresConfirmedEmail: with RequireConfirmedEmail (the default
// outside dev), the right password of an unconfirmed account gets 403 with
// a message saying what to do, and no session; a wrong password still gets
// the usual 401, so the 403 never tells a stranger the password was right
// without it being right. After confirming, the login works.
func TestLoginRequiresConfirmedEmail(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		s, mails := newServiceOn(t, d, kv.NewSQL(d.DB, time.Now), func(c *Config) { c.RequireConfirmedEmail = true })
		uid := registerUser(t, s, "new@example.com")

		res, err := s.Login(ctx, "new@example.com", testPassword)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Forbidden || !strings.HasPrefix(e.Message, unconfirmedMessage) {
			t.Fatalf("unconfirmed login: %+v, %v; want forbidden: %s…", res, err, unconfirmedMessage)
		}
		if res.Tokens != nil || sessionCount(t, d, uid) != 0 {
			t.Fatalf("an unconfirmed login left tokens or a session: %+v", res)
		}
		if _, err := s.Login(ctx, "new@example.com", "wrong horse battery"); !errors.Is(err, errBadLogin) {
			t.Fatalf("unconfirmed, wrong password: %v, want the bad login error", err)
		}

		if _, err := s.ConfirmEmail(ctx, confirmationToken(t, mails, "new@example.com")); err != nil {
			t.Fatalf("confirm: %v", err)
		}
		tokens := login(t, s, "new@example.com")
		if n := sessionCount(t, d, uid); n != 1 {
			t.Fatalf("confirmed login made %d sessions, want 1", n)
		}
		wantAuthenticated(t, s, tokens.AccessToken, uid)
	})
}

// TestLoginWithoutConfirmationWhenNotRequired: in dev (the setting off),
// an unconfirmed user logs in and the result says so, for the banner.
func TestLoginWithoutConfirmationWhenNotRequired(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	s, _ := newServiceOn(t, d, kv.NewSQL(d.DB, time.Now), nil)
	uid := registerUser(t, s, "dev@example.com")
	res, err := s.Login(t.Context(), "dev@example.com", testPassword)
	if err != nil || res.Tokens == nil || !res.Unconfirmed {
		t.Fatalf("unconfirmed login in dev: %+v, %v; want tokens and Unconfirmed", res, err)
	}
	wantAuthenticated(t, s, res.Tokens.AccessToken, uid)
}

var confirmLink = regexp.MustCompile(`/confirm-email\?token=([A-Za-z0-9_-]+)`)

// confirmationToken returns the token of the newest confirmation email to addr.
func confirmationToken(t *testing.T, mails *outbox, addr string) string {
	t.Helper()
	mails.mu.Lock()
	defer mails.mu.Unlock()
	for i := len(mails.sent) - 1; i >= 0; i-- {
		if m := mails.sent[i]; m.To == addr {
			if sub := confirmLink.FindStringSubmatch(m.Text); sub != nil {
				return sub[1]
			}
		}
	}
	t.Fatalf("no confirmation email to %s", addr)
	return ""
}

func sessionCount(t *testing.T, d *db.DB, userID string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM sessions WHERE user_id = $1`, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
