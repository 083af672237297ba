package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/webtest"
)

// codeBody is a JSON body with one code.
func codeBody(code string) string { return fmt.Sprintf(`{"code":%q}`, code) }

// mfaUser signs a new user up in a new browser and, when on, turns MFA on
// through the account page; it returns the browser, the TOTP secret and
// the backup codes.
func mfaUser(e *webtest.Env, n int, on bool) (*webtest.Browser, string, []string) {
	e.T.Helper()
	b := e.Browser()
	b.Signup(fmt.Sprintf("user%d@example.com", n), "User", fmt.Sprintf("Brand %d", n))
	p := b.Post("/app/account/mfa/setup")
	secret := webtest.Find(e.T, p.Body, `<code class="secret">([A-Z2-7]+)</code>`)
	if !on {
		return b, secret, nil
	}
	p = b.Post("/app/account/mfa/confirm", "code", webtest.TOTP(e.T, secret, e.Clock.Now()))
	webtest.Want(e.T, p, http.StatusOK, "Two-factor authentication is on.")
	var codes []string
	for _, m := range regexp.MustCompile(`<li><code>([a-z0-9-]{14})</code></li>`).FindAllStringSubmatch(p.Body, -1) {
		codes = append(codes, m[1])
	}
	return b, secret, codes
}

// wrongCode has six characters, so it is checked as a TOTP code, and can
// never be one.
const wrongCode = "abcdef"

// hammer sends wrong codes until the account's MFA limit answers 429, which
// must happen within MFAPerAccount.N+1 tries, every earlier answer being a
// plain "wrong code"; then even the right code is refused.
func hammer(t *testing.T, name string, try func(code string) int, right string) {
	t.Helper()
	for i := 1; i <= int(auth.MFAPerAccount.N)+1; i++ {
		switch st := try(wrongCode); st {
		case http.StatusTooManyRequests:
			if i == 1 {
				t.Fatalf("%s: limited before any wrong code", name)
			}
			if st := try(right); st != http.StatusTooManyRequests {
				t.Fatalf("%s: the right code after the limit answered %d, want 429", name, st)
			}
			return
		case http.StatusUnauthorized:
		default:
			t.Fatalf("%s: wrong code %d answered %d", name, i, st)
		}
	}
	t.Fatalf("%s: %d wrong codes and never a 429", name, auth.MFAPerAccount.N+1)
}

// TestEveryCodeCheckIsRateLimited hammers every endpoint that checks a
// second-factor code, each for a fresh account.
func TestEveryCodeCheckIsRateLimited(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	loginStep := func(t *testing.T, n int) (*webtest.Browser, string) {
		c := e.Browser()
		p := c.JSON("POST", "/api/auth/login", fmt.Sprintf(`{"email":"user%d@example.com","password":%q}`, n, webtest.Password))
		var out struct {
			MFAToken string `json:"mfa_token"`
		}
		if err := json.Unmarshal([]byte(p.Body), &out); err != nil || out.MFAToken == "" {
			t.Fatalf("login of user %d: %d %s", n, p.Status, p.Body)
		}
		return c, out.MFAToken
	}
	cases := []struct {
		name string
		on   bool
		run  func(t *testing.T, n int, b *webtest.Browser, secret string, codes []string)
	}{
		{"API MFA confirm", false, func(t *testing.T, n int, b *webtest.Browser, secret string, _ []string) {
			hammer(t, "API MFA confirm", func(c string) int { return b.JSON("POST", "/api/auth/mfa/confirm", codeBody(c)).Status },
				webtest.TOTP(t, secret, e.Clock.Now()))
		}},
		{"page MFA confirm", false, func(t *testing.T, n int, b *webtest.Browser, secret string, _ []string) {
			hammer(t, "page MFA confirm", func(c string) int { return b.Post("/app/account/mfa/confirm", "code", c).Status },
				webtest.TOTP(t, secret, e.Clock.Now()))
		}},
		{"API backup codes", true, func(t *testing.T, n int, b *webtest.Browser, _ string, codes []string) {
			hammer(t, "API backup codes", func(c string) int { return b.JSON("POST", "/api/auth/mfa/backup-codes", codeBody(c)).Status }, codes[0])
		}},
		{"page backup codes", true, func(t *testing.T, n int, b *webtest.Browser, _ string, codes []string) {
			hammer(t, "page backup codes", func(c string) int { return b.Post("/app/account/mfa/backup-codes", "code", c).Status }, codes[0])
		}},
		{"API MFA disable", true, func(t *testing.T, n int, b *webtest.Browser, _ string, codes []string) {
			hammer(t, "API MFA disable", func(c string) int { return b.JSON("POST", "/api/auth/mfa/disable", codeBody(c)).Status }, codes[0])
		}},
		{"page MFA disable", true, func(t *testing.T, n int, b *webtest.Browser, _ string, codes []string) {
			hammer(t, "page MFA disable", func(c string) int { return b.Post("/app/account/mfa/disable", "code", c).Status }, codes[0])
		}},
		{"API login step", true, func(t *testing.T, n int, _ *webtest.Browser, _ string, codes []string) {
			c, token := loginStep(t, n)
			hammer(t, "API login step", func(code string) int {
				return c.JSON("POST", "/api/auth/login/mfa", fmt.Sprintf(`{"mfa_token":%q,"code":%q}`, token, code)).Status
			}, codes[0])
		}},
		{"page login step", true, func(t *testing.T, n int, _ *webtest.Browser, _ string, codes []string) {
			c, token := loginStep(t, n)
			hammer(t, "page login step", func(code string) int { return c.Post("/login/mfa", "mfa_token", token, "code", code).Status }, codes[0])
		}},
		{"API re-authentication", true, func(t *testing.T, n int, b *webtest.Browser, _ string, codes []string) {
			hammer(t, "API re-authentication", func(c string) int { return b.JSON("POST", "/api/auth/reauth", codeBody(c)).Status }, codes[0])
		}},
		{"page re-authentication", true, func(t *testing.T, n int, b *webtest.Browser, _ string, codes []string) {
			hammer(t, "page re-authentication", func(c string) int { return b.Post("/app/account/reauth", "code", c).Status }, codes[0])
		}},
	}
	for n, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, secret, codes := mfaUser(e, n, c.on)
			c.run(t, n, b, secret, codes)
		})
	}
}
