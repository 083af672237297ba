package dashboard_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

// stale is just past the window in which a proof of identity counts.
const stale = auth.RecentAuthWindow + time.Minute

// wantReauth expects the API's 403 asking for re-authentication.
func wantReauth(t *testing.T, p webtest.Page) {
	t.Helper()
	var pr httpx.Problem
	_ = json.Unmarshal([]byte(p.Body), &pr)
	if p.Status != http.StatusForbidden || pr.Code != apperr.ReauthRequired || !strings.Contains(pr.Detail, "confirm it is you") {
		t.Fatalf("got %d %s, want 403 reauth_required", p.Status, p.Body)
	}
}

// TestTurningMFAOnNeedsRecentAuth over the API: a session whose login is
// older than the window cannot start or finish turning MFA on until it
// proves its user again; a wrong password does not count.
func TestTurningMFAOnNeedsRecentAuth(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	e.Clock.Advance(auth.RecentAuthWindow - time.Minute)
	if p := b.JSON("POST", "/api/auth/mfa/setup", ""); p.Status != http.StatusOK {
		t.Fatalf("setup within the window: %d %s", p.Status, p.Body)
	}
	var enroll auth.MFAEnrollment
	e.Clock.Advance(2 * time.Minute)
	wantReauth(t, b.JSON("POST", "/api/auth/mfa/setup", ""))
	wantReauth(t, b.JSON("POST", "/api/auth/mfa/confirm", codeBody("123456")))
	// A refresh is not a proof of identity.
	if p := b.JSON("POST", "/api/auth/refresh", ""); p.Status != http.StatusOK {
		t.Fatalf("refresh: %d %s", p.Status, p.Body)
	}
	wantReauth(t, b.JSON("POST", "/api/auth/mfa/setup", ""))

	if p := b.JSON("POST", "/api/auth/reauth", `{"password":"not my password"}`); p.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d %s", p.Status, p.Body)
	}
	if p := b.JSON("POST", "/api/auth/reauth", `{}`); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "enter your password") {
		t.Fatalf("empty proof: %d %s", p.Status, p.Body)
	}
	wantReauth(t, b.JSON("POST", "/api/auth/mfa/setup", ""))
	if p := b.JSON("POST", "/api/auth/reauth", `{"password":"correct horse battery"}`); p.Status != http.StatusNoContent {
		t.Fatalf("reauth: %d %s", p.Status, p.Body)
	}
	p := b.JSON("POST", "/api/auth/mfa/setup", "")
	if err := json.Unmarshal([]byte(p.Body), &enroll); err != nil || p.Status != http.StatusOK {
		t.Fatalf("setup after reauth: %d %s", p.Status, p.Body)
	}
	if p := b.JSON("POST", "/api/auth/mfa/confirm", codeBody(webtest.TOTP(t, enroll.Secret, e.Clock.Now()))); p.Status != http.StatusOK {
		t.Fatalf("confirm after reauth: %d %s", p.Status, p.Body)
	}
	var n int
	if err := e.DB.QueryRowContext(t.Context(), `SELECT count(*) FROM audit_events WHERE event = 'reauthenticated'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d reauthenticated events (%v)", n, err)
	}
}

// TestAccountPageAsksToConfirm: the page shows a "confirm it is you" form
// instead of the QR code, and the QR code once the password is given.
func TestAccountPageAsksToConfirm(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	e.Clock.Advance(stale)
	p := b.Post("/app/account/mfa/setup")
	webtest.Want(t, p, http.StatusForbidden, "Confirm it is you", `action="/app/account/reauth"`, `name="password"`)
	if strings.Contains(p.Body, "data:image/png") {
		t.Fatal("the QR code was shown without a recent login")
	}
	webtest.Want(t, b.Post("/app/account/reauth", "password", "wrong password!"), http.StatusUnauthorized, "The password is wrong", "Confirm it is you")
	webtest.WantRedirect(t, b.Post("/app/account/reauth", "password", "correct horse battery"), "/app/account")
	webtest.Want(t, b.Post("/app/account/mfa/setup"), http.StatusOK, `src="data:image/png;base64,`)
}

// TestFirstPasswordNeedsRecentAuth: an account made through an external
// login sets a first password only after a recent login, which it proves
// again through a provider linked to it (not any other); changing an
// existing password needs the current one instead.
func TestFirstPasswordNeedsRecentAuth(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	a.queue("sub-1", "ada@example.com")
	b := a.browser()
	a.login(b, "oidc", "", "/app")
	setPassword := `{"new_password":"a long enough passphrase 42"}`
	a.clock.Advance(stale)
	resp := a.send(b, "POST", "/api/auth/password/change", setPassword)
	var pr httpx.Problem
	if _ = json.NewDecoder(resp.Body).Decode(&pr); resp.StatusCode != http.StatusForbidden || pr.Code != apperr.ReauthRequired {
		t.Fatalf("first password without a recent login: %s %+v", resp.Status, pr)
	}
	a.problem(a.send(b, "POST", "/api/auth/reauth", `{"password":"guess"}`), http.StatusBadRequest, "log in again with your linked provider")

	// The account page offers the linked provider to confirm with.
	req, _ := http.NewRequest("POST", a.url+"/app/account/password", strings.NewReader("new_password=a+long+enough+passphrase+42"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.url)
	req.Header.Set("Accept", "text/html")
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), `href="/auth/oidc/oidc/start?reauth=1&amp;return=%2Fapp%2Faccount"`) {
		t.Fatalf("account page: %s\n%s", resp.Status, body)
	}

	// Another provider account is not a proof for this user.
	resp = a.get(b, "/auth/oidc/github/start?reauth=1")
	a.problem(resp, http.StatusForbidden, "not linked to your Luneo account")
	// The linked one is.
	a.queue("sub-1", "ada@example.com")
	a.login(b, "oidc", "?reauth=1&return=%2Fapp%2Faccount", "/app/account")
	if resp := a.send(b, "POST", "/api/auth/password/change", setPassword); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("first password after reauth: %s", resp.Status)
	}
	// Changing it later needs the current password, not a recent login.
	a.clock.Advance(stale)
	if resp := a.send(b, "POST", "/api/auth/refresh", ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %s", resp.Status)
	}
	if resp := a.send(b, "POST", "/api/auth/password/change",
		`{"current_password":"a long enough passphrase 42","new_password":"another long passphrase 43"}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("password change: %s", resp.Status)
	}
}

// TestLinkingALoginNeedsRecentAuth: a stale session cannot add a provider
// account as a way in; a browser is sent to confirm first, then may link.
func TestLinkingALoginNeedsRecentAuth(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	a.register()
	b := a.browser()
	if resp := a.send(b, "POST", "/api/auth/login", adaCreds); resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %s", resp.Status)
	}
	a.clock.Advance(stale)
	resp := a.get(b, "/auth/oidc/oidc/start?link=1")
	var pr httpx.Problem
	if _ = json.NewDecoder(resp.Body).Decode(&pr); resp.StatusCode != http.StatusForbidden || pr.Code != apperr.ReauthRequired {
		t.Fatalf("stale link: %s %+v", resp.Status, pr)
	}
	req, _ := http.NewRequest("GET", a.url+"/auth/oidc/oidc/start?link=1", nil)
	req.Header.Set("Accept", "text/html")
	if resp, err := b.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/app/account?reauth=1#reauth" {
		t.Fatalf("browser: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if resp := a.send(b, "POST", "/api/auth/reauth", `{"password":"a long enough passphrase 42"}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reauth: %s", resp.Status)
	}
	a.queue("corp-7", "ada@corp.example")
	a.login(b, "oidc", "?link=1", "/app/account")
}

// codeBody is a JSON body with one code.
func codeBody(code string) string { return fmt.Sprintf(`{"code":%q}`, code) }
