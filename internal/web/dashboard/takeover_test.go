package dashboard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
)

// TestPreAccountTakeover is the whole attack: someone signs up with Ada's
// address and a password, never confirms it, and sets up everything that
// could outlive the real owner's arrival (a session and its refresh token,
// an API key, two-factor with their own app, their own GitHub login). Then
// Ada logs in with a provider that verified her address: the account is
// hers, and none of what came before works any more.
func TestPreAccountTakeover(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	ctx := context.Background()
	userID := a.register()
	atk := a.browser()
	resp := a.send(atk, "POST", "/api/auth/login", adaCreds)
	var tokens auth.Tokens
	if err := json.NewDecoder(resp.Body).Decode(&tokens); err != nil || resp.StatusCode != http.StatusOK || tokens.RefreshToken == "" {
		t.Fatalf("attacker login: %s %v", resp.Status, err)
	}
	resp = a.send(atk, "POST", "/api/brand/api-keys", `{"name":"squat","scopes":["brand:read"]}`)
	var key struct {
		Secret string `json:"secret"`
		APIKey auth.APIKey
	}
	if err := json.NewDecoder(resp.Body).Decode(&key); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("api key: %s %v", resp.Status, err)
	}
	resp = a.send(atk, "POST", "/api/auth/mfa/setup", "")
	var enroll auth.MFAEnrollment
	if err := json.NewDecoder(resp.Body).Decode(&enroll); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mfa setup: %s %v", resp.Status, err)
	}
	if r := a.send(atk, "POST", "/api/auth/mfa/confirm", `{"code":"`+totpNow(t, enroll.Secret)+`"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("mfa confirm: %s", r.Status)
	}
	a.login(atk, "github", "?link=1", "/app/account")
	apiKeyWorks := func() int {
		req, _ := http.NewRequest("GET", a.url+"/api/brand", nil)
		req.Header.Set("Authorization", "Bearer "+key.Secret)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if apiKeyWorks() != http.StatusOK {
		t.Fatal("the attacker's key did not work to begin with")
	}

	// Ada logs in with her provider: no second-factor step (the attacker's
	// app is gone), straight to the dashboard, told what happened.
	a.queue("ada-sub", "ada@example.com")
	ada := a.browser()
	resp = a.get(ada, "/auth/oidc/oidc/start")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/app" {
		t.Fatalf("victim login: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	if !strings.Contains(resp.Header.Get("Set-Cookie")+strings.Join(resp.Header.Values("Set-Cookie"), ";"), "luneo_flash") {
		t.Error("the victim is not told that earlier credentials were removed")
	}
	if id, _ := a.me(ada); id != userID {
		t.Fatalf("verified email made user %s instead of claiming %s", id, userID)
	}
	u, err := a.auth.UserByID(ctx, userID)
	if err != nil || u.HasPassword || u.MFAEnabled || !u.EmailConfirmed {
		t.Fatalf("after the claim: %+v %v", u, err)
	}

	// The attacker's password, session, refresh token and API key are dead.
	a.problem(a.send(a.browser(), "POST", "/api/auth/login", adaCreds), http.StatusUnauthorized, "email or password is wrong")
	a.problem(a.get(atk, "/api/auth/me"), http.StatusUnauthorized, "session has ended")
	a.problem(a.send(a.browser(), "POST", "/api/auth/refresh", `{"refresh_token":"`+tokens.RefreshToken+`"}`), http.StatusUnauthorized, "refresh token is invalid")
	if code := apiKeyWorks(); code != http.StatusUnauthorized {
		t.Fatalf("attacker's API key answered %d", code)
	}
	// Their GitHub login no longer opens Ada's account.
	gh := a.browser()
	a.login(gh, "github", "", "/app")
	if id, _ := a.me(gh); id == userID {
		t.Fatal("the attacker's linked GitHub login still opens the claimed account")
	}
	if list, _ := a.auth.Identities(ctx, userID); len(list) != 1 || list[0].Provider != "oidc" {
		t.Fatalf("identities after the claim: %+v", list)
	}
	// Ada's own session works.
	if r := a.get(ada, "/api/brand"); r.StatusCode != http.StatusOK {
		t.Fatalf("victim's session: %s", r.Status)
	}

	// Audited: the claim on Ada's account, the key's revocation in its brand.
	var claims, revoked int
	if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_events WHERE user_id = $1 AND event = $2 AND brand_id IS NULL`,
		userID, audit.UnconfirmedClaimed).Scan(&claims); err != nil {
		t.Fatal(err)
	}
	if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_events WHERE event = $1 AND brand_id IS NOT NULL AND detail LIKE $2`,
		audit.APIKeyRevoked, "%"+key.APIKey.ID+"%").Scan(&revoked); err != nil {
		t.Fatal(err)
	}
	if claims != 1 || revoked != 1 {
		t.Fatalf("audit: %d claim events, %d key revocations", claims, revoked)
	}
}
