package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestClaimUnconfirmedAccount is the pre-account takeover at the service
// level, on every database: whatever a squatter set up on an unconfirmed
// account stops working once the address's owner logs in through a
// provider that verified it (internal/web/takeover_test.go runs the same
// over HTTP).
func TestClaimUnconfirmedAccount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		u, b, err := s.Register(ctx, RegisterInput{Email: "ada@example.com", Password: "correct horse battery", Name: "Ada", Brand: "Ada"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Login(ctx, "ada@example.com", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Authenticate(ctx, res.Tokens.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		_, key, err := s.CreateAPIKey(ctx, p, "squat", []string{string(brand.BrandRead)})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.BeginMFA(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		secret, _ := b32.DecodeString(e.Secret)
		if _, err := s.ConfirmMFA(ctx, p, totpCode(secret, time.Now().Unix()/totpPeriod)); err != nil {
			t.Fatal(err)
		}
		squatterGitHub := ExternalIdentity{Provider: "github", Subject: "666", Email: "squatter@example.com", EmailVerified: true}
		if err := s.LinkIdentity(ctx, u.ID, squatterGitHub); err != nil {
			t.Fatal(err)
		}

		claim, err := s.LoginWithIdentity(ctx, ExternalIdentity{Provider: "google", Subject: "ada", Email: "Ada@Example.com", EmailVerified: true})
		if err != nil || !claim.Claimed || claim.Tokens == nil || claim.MFARequired {
			t.Fatalf("claim: %+v %v", claim, err)
		}
		if _, err := s.Login(ctx, "ada@example.com", "correct horse battery"); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("squatter's password: %v", err)
		}
		if _, err := s.Authenticate(ctx, res.Tokens.AccessToken); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("squatter's session: %v", err)
		}
		if _, err := s.Refresh(ctx, res.Tokens.RefreshToken); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("squatter's refresh token: %v", err)
		}
		if _, err := s.Authenticate(ctx, key); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("squatter's API key: %v", err)
		}
		if again, err := s.LoginWithIdentity(ctx, squatterGitHub); err != nil {
			t.Fatal(err)
		} else if p, _ := s.Authenticate(ctx, again.Tokens.AccessToken); p.UserID == u.ID {
			t.Error("the squatter's GitHub login still opens the account")
		}
		if _, err := s.Authenticate(ctx, claim.Tokens.AccessToken); err != nil {
			t.Errorf("owner's session: %v", err)
		}
		after, _ := s.UserByID(ctx, u.ID)
		if after.HasPassword || after.MFAEnabled || !after.EmailConfirmed {
			t.Errorf("after the claim: %+v", after)
		}

		// The audit trail: the claim on the account, the key in the brand.
		mine, _ := s.audit.ForUser(ctx, u.ID, 50, time.Time{})
		theirs, _ := s.audit.ForBrand(ctx, b.ID, 50, time.Time{})
		if !hasEvent(mine, audit.UnconfirmedClaimed) || hasEvent(mine, audit.Signup) {
			t.Errorf("account events: %+v", mine)
		}
		if !hasEvent(theirs, audit.APIKeyRevoked) || hasEvent(theirs, audit.UnconfirmedClaimed) {
			t.Errorf("brand events: %+v", theirs)
		}

		// A confirmed account only gains the login.
		v, _, err := s.Register(ctx, RegisterInput{Email: "bob@example.com", Password: "correct horse battery", Name: "Bob", Brand: "Bob"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, `UPDATE users SET email_confirmed_at = $2 WHERE id = $1`, v.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if res, err := s.LoginWithIdentity(ctx, ExternalIdentity{Provider: "google", Subject: "bob", Email: "bob@example.com", EmailVerified: true}); err != nil || res.Claimed {
			t.Fatalf("confirmed account: %+v %v", res, err)
		}
		if _, err := s.Login(ctx, "bob@example.com", "correct horse battery"); err != nil {
			t.Errorf("confirmed account's password: %v", err)
		}
	})
}

func hasEvent(list []audit.Entry, name string) bool {
	for _, e := range list {
		if e.Event == name {
			return true
		}
	}
	return false
}

// TestRecentAuth on every database: a session's proof of identity lasts
// RecentAuthWindow, a refresh does not renew it, a password does, and only
// a provider account linked to the user counts as one.
func TestRecentAuth(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		now := time.Now()
		s.now = func() time.Time { return now }
		u, _, err := s.Register(ctx, RegisterInput{Email: "ada@example.com", Password: "correct horse battery", Name: "Ada", Brand: "Ada"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Login(ctx, "ada@example.com", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		who := func(access string) Principal {
			t.Helper()
			p, err := s.Authenticate(ctx, access)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if err := s.RequireRecentAuth(who(res.Tokens.AccessToken)); err != nil {
			t.Fatalf("fresh login: %v", err)
		}
		now = now.Add(RecentAuthWindow + time.Second)
		tok, err := s.Refresh(ctx, res.Tokens.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		p := who(tok.AccessToken)
		if err := s.RequireRecentAuth(p); apperr.CodeOf(err) != apperr.ReauthRequired {
			t.Fatalf("stale login after a refresh: %v", err)
		}
		// Turning MFA on is one of the things a stale session cannot do,
		// whichever surface asks.
		if _, err := s.BeginMFA(ctx, p); apperr.CodeOf(err) != apperr.ReauthRequired {
			t.Fatalf("MFA setup on a stale session: %v", err)
		}
		if _, err := s.ConfirmMFA(ctx, p, "123456"); apperr.CodeOf(err) != apperr.ReauthRequired {
			t.Fatalf("MFA confirmation on a stale session: %v", err)
		}
		if err := s.Reauthenticate(ctx, p, "wrong password", ""); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("wrong password: %v", err)
		}
		if err := s.ReauthenticateWithIdentity(ctx, u.ID, p.SessionID, ExternalIdentity{Provider: "github", Subject: "1"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("unlinked provider: %v", err)
		}
		if err := s.Reauthenticate(ctx, p, "correct horse battery", ""); err != nil {
			t.Fatal(err)
		}
		if err := s.RequireRecentAuth(who(tok.AccessToken)); err != nil {
			t.Fatalf("after re-authentication: %v", err)
		}
	})
}

// TestResetClaimsUnconfirmedAccount: a password reset link proves the inbox
// too, so resetting the password of an unconfirmed account also removes
// what was set up before: MFA, other logins, API keys, sessions.
func TestResetClaimsUnconfirmedAccount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newService(t, d)
		u, _, err := s.Register(ctx, RegisterInput{Email: "ada@example.com", Password: "correct horse battery", Name: "Ada", Brand: "Ada"})
		if err != nil {
			t.Fatal(err)
		}
		res, _ := s.Login(ctx, "ada@example.com", "correct horse battery")
		p, _ := s.Authenticate(ctx, res.Tokens.AccessToken)
		_, key, err := s.CreateAPIKey(ctx, p, "squat", []string{string(brand.BrandRead)})
		if err != nil {
			t.Fatal(err)
		}
		e, _ := s.BeginMFA(ctx, p)
		secret, _ := b32.DecodeString(e.Secret)
		if _, err := s.ConfirmMFA(ctx, p, totpCode(secret, time.Now().Unix()/totpPeriod)); err != nil {
			t.Fatal(err)
		}
		squatterGitHub := ExternalIdentity{Provider: "github", Subject: "666", Email: "squatter@example.com", EmailVerified: true}
		if err := s.LinkIdentity(ctx, u.ID, squatterGitHub); err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(ctx, "ada@example.com"); err != nil {
			t.Fatal(err)
		}
		box := s.mailer.(*outbox)
		token := box.sent[len(box.sent)-1].Text
		token = token[strings.Index(token, "token=")+len("token="):]
		token = token[:strings.IndexAny(token, "\n ")]
		if err := s.ResetPassword(ctx, token, "the owner's own passphrase"); err != nil {
			t.Fatal(err)
		}
		after, _ := s.UserByID(ctx, u.ID)
		if after.MFAEnabled || !after.EmailConfirmed || !after.HasPassword {
			t.Errorf("after the reset: %+v", after)
		}
		if r, err := s.Login(ctx, "ada@example.com", "the owner's own passphrase"); err != nil || r.MFARequired {
			t.Errorf("owner's login asks for the squatter's app or fails: %+v %v", r, err)
		}
		if _, err := s.Authenticate(ctx, key); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Errorf("squatter's API key: %v", err)
		}
		if list, _ := s.Identities(ctx, u.ID); len(list) != 0 {
			t.Errorf("squatter's logins still linked: %+v", list)
		}
	})
}
