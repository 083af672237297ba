package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/auth"
)

// api sends a JSON call from our own origin with b's cookies.
func (b *browser) api(method, path, body string) page {
	t := b.env.t
	t.Helper()
	req, err := http.NewRequest(method, b.env.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", b.env.url)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, loc: resp.Header.Get("Location"), body: string(raw)}
}

// codeBody is a JSON body with one code.
func codeBody(code string) string { return fmt.Sprintf(`{"code":%q}`, code) }

// mfaUser signs a new user up in a new browser and, when on, turns MFA on
// through the account page; it returns the browser, the TOTP secret and
// the backup codes.
func (e *pageEnv) mfaUser(n int, on bool) (*browser, string, []string) {
	e.t.Helper()
	b := e.browser()
	b.signup(fmt.Sprintf("user%d@example.com", n), "User", fmt.Sprintf("Brand %d", n))
	p := b.post("/app/account/mfa/setup")
	secret := find(e.t, p.body, `<code class="secret">([A-Z2-7]+)</code>`)
	if !on {
		return b, secret, nil
	}
	p = b.post("/app/account/mfa/confirm", "code", totp(e.t, secret, e.clock.Now()))
	want(e.t, p, http.StatusOK, "Two-factor authentication is on.")
	var codes []string
	for _, m := range regexp.MustCompile(`<li><code>([a-z0-9-]{14})</code></li>`).FindAllStringSubmatch(p.body, -1) {
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
	e := newPageEnv(t)
	loginStep := func(t *testing.T, n int) (*browser, string) {
		c := e.browser()
		p := c.api("POST", "/api/auth/login", fmt.Sprintf(`{"email":"user%d@example.com","password":"correct horse battery"}`, n))
		var out struct {
			MFAToken string `json:"mfa_token"`
		}
		if err := json.Unmarshal([]byte(p.body), &out); err != nil || out.MFAToken == "" {
			t.Fatalf("login of user %d: %d %s", n, p.status, p.body)
		}
		return c, out.MFAToken
	}
	cases := []struct {
		name string
		on   bool
		run  func(t *testing.T, n int, b *browser, secret string, codes []string)
	}{
		{"API MFA confirm", false, func(t *testing.T, n int, b *browser, secret string, _ []string) {
			hammer(t, "API MFA confirm", func(c string) int { return b.api("POST", "/api/auth/mfa/confirm", codeBody(c)).status },
				totp(t, secret, e.clock.Now()))
		}},
		{"page MFA confirm", false, func(t *testing.T, n int, b *browser, secret string, _ []string) {
			hammer(t, "page MFA confirm", func(c string) int { return b.post("/app/account/mfa/confirm", "code", c).status },
				totp(t, secret, e.clock.Now()))
		}},
		{"API backup codes", true, func(t *testing.T, n int, b *browser, _ string, codes []string) {
			hammer(t, "API backup codes", func(c string) int { return b.api("POST", "/api/auth/mfa/backup-codes", codeBody(c)).status }, codes[0])
		}},
		{"page backup codes", true, func(t *testing.T, n int, b *browser, _ string, codes []string) {
			hammer(t, "page backup codes", func(c string) int { return b.post("/app/account/mfa/backup-codes", "code", c).status }, codes[0])
		}},
		{"API MFA disable", true, func(t *testing.T, n int, b *browser, _ string, codes []string) {
			hammer(t, "API MFA disable", func(c string) int { return b.api("POST", "/api/auth/mfa/disable", codeBody(c)).status }, codes[0])
		}},
		{"page MFA disable", true, func(t *testing.T, n int, b *browser, _ string, codes []string) {
			hammer(t, "page MFA disable", func(c string) int { return b.post("/app/account/mfa/disable", "code", c).status }, codes[0])
		}},
		{"API login step", true, func(t *testing.T, n int, _ *browser, _ string, codes []string) {
			c, token := loginStep(t, n)
			hammer(t, "API login step", func(code string) int {
				return c.api("POST", "/api/auth/login/mfa", fmt.Sprintf(`{"mfa_token":%q,"code":%q}`, token, code)).status
			}, codes[0])
		}},
		{"page login step", true, func(t *testing.T, n int, _ *browser, _ string, codes []string) {
			c, token := loginStep(t, n)
			hammer(t, "page login step", func(code string) int { return c.post("/login/mfa", "mfa_token", token, "code", code).status }, codes[0])
		}},
		{"API re-authentication", true, func(t *testing.T, n int, b *browser, _ string, codes []string) {
			hammer(t, "API re-authentication", func(c string) int { return b.api("POST", "/api/auth/reauth", codeBody(c)).status }, codes[0])
		}},
		{"page re-authentication", true, func(t *testing.T, n int, b *browser, _ string, codes []string) {
			hammer(t, "page re-authentication", func(c string) int { return b.post("/app/account/reauth", "code", c).status }, codes[0])
		}},
	}
	for n, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, secret, codes := e.mfaUser(n, c.on)
			c.run(t, n, b, secret, codes)
		})
	}
}
