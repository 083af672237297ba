package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/webtest"
)

// customizerCalls is one call of every customizer route, for id a design
// of the shop.
func customizerCalls(sh *shop, id string) []struct{ method, path string } {
	return []struct{ method, path string }{
		{"GET", "/api/embed/product"},
		{"GET", "/api/embed/fonts/Noto%20Sans"},
		{"POST", "/api/embed/assets"},
		{"POST", "/api/embed/preview"},
		{"POST", "/api/embed/quote"},
		{"POST", "/api/embed/designs"},
		{"GET", "/api/embed/designs?product=current"},
		{"GET", "/api/embed/designs/" + id},
		{"GET", "/api/embed/designs/link/de_x"},
		{"POST", "/api/embed/designs/" + id + "/versions"},
		{"GET", "/api/embed/designs/" + id + "/ar"},
	}
}

// TestShopperAuth: every customizer route refuses (a bare 403) a missing,
// staff, expired or other brand's token, and a missing, forged or other
// brand's shopper key; the session route answers a new key for a key it
// does not accept, and the same key for its own.
func TestShopperAuth(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	sh := newShop(t, e, "shop-auth@example.com")
	rival := newShop(t, e, "shop-auth-rival@example.com")
	good := sh.session(t, "")
	created := e.API("POST", "/api/embed/designs", map[string]any{"document": sh.doc("Hi")}, good)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %d %v", created.Status, created.Body)
	}
	id := created.Body["design"].(map[string]any)["id"].(string)

	// The session route: its own key comes back, any other is replaced.
	rivalKey := rival.session(t, "")["X-Luneo-Shopper"]
	for name, key := range map[string]string{"other brand's": rivalKey, "forged": forge(good["X-Luneo-Shopper"]), "garbage": "sk_nope"} {
		if got := sh.session(t, key)["X-Luneo-Shopper"]; got == key || got == good["X-Luneo-Shopper"] || !strings.HasPrefix(got, "sk_") {
			t.Errorf("session with a %s key answered %q, want a new key", name, got)
		}
	}

	expired := sh.token(t, "")
	e.Clock.Advance(embed.TokenTTL + time.Second)
	fresh := sh.session(t, good["X-Luneo-Shopper"]) // after the clock moved
	staff := sh.staff["Authorization"]
	bad := map[string]map[string]string{
		"no token":              {"X-Luneo-Shopper": fresh["X-Luneo-Shopper"]},
		"a staff token":         {"Authorization": staff, "X-Luneo-Shopper": fresh["X-Luneo-Shopper"]},
		"an expired token":      {"Authorization": "Bearer " + expired, "X-Luneo-Shopper": fresh["X-Luneo-Shopper"]},
		"no shopper key":        {"Authorization": fresh["Authorization"]},
		"a forged key":          {"Authorization": fresh["Authorization"], "X-Luneo-Shopper": forge(fresh["X-Luneo-Shopper"])},
		"another brand's key":   {"Authorization": fresh["Authorization"], "X-Luneo-Shopper": rivalKey},
		"another brand's token": {"Authorization": rival.session(t, "")["Authorization"], "X-Luneo-Shopper": fresh["X-Luneo-Shopper"]},
	}
	for _, c := range customizerCalls(sh, id) {
		for name, hdr := range bad {
			status, h, body := raw(t, e, c.method, c.path, "application/json", []byte(`{"document":{}}`), hdr)
			if status != http.StatusForbidden || h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s with %s: %d %s, want 403", c.method, c.path, name, status, body)
			}
		}
		// And the good session gets past authentication.
		if status, _, body := raw(t, e, c.method, c.path, "application/json", []byte(`{"document":{}}`), fresh); status == http.StatusForbidden {
			t.Errorf("%s %s with a good session: 403 %s", c.method, c.path, body)
		}
	}
	// A token for another product than the one the query names is refused.
	if r := e.API("GET", "/api/embed/designs?product="+rival.product, nil, fresh); r.Status != http.StatusForbidden {
		t.Errorf("list of another product: %d, want 403", r.Status)
	}
}

// forge keeps a key's shopper ID and changes its MAC.
func forge(key string) string {
	i := strings.IndexByte(key, '.')
	mac := []byte(key[i+1:])
	if mac[0] == 'A' {
		mac[0] = 'B'
	} else {
		mac[0] = 'A'
	}
	return key[:i+1] + string(mac)
}

// TestShopperRateLimits: uploads, previews and saves are limited per
// session and per client address, with a 429 and Retry-After; a new
// handshake starts a new session count but not a new address count.
func TestShopperRateLimits(t *testing.T) {
	t.Parallel()
	lim := embed.Limits{
		Upload:  embed.Rate{PerSession: 2, PerIP: 3, Window: time.Minute},
		Preview: embed.Rate{PerSession: 2, PerIP: 3, Window: time.Minute},
		Save:    embed.Rate{PerSession: 2, PerIP: 3, Window: time.Minute},
	}
	e := webtest.Start(t, withEmbed(embed.Config{Limits: lim}))
	sh := newShop(t, e, "shop-limits@example.com")
	png := pngBytes(t, 8, 8)
	previewBody, _ := json.Marshal(map[string]any{"document": sh.doc("Hi"), "zone_id": sh.zone})
	for _, c := range []struct {
		name string
		call func(hdr map[string]string, i int) (int, http.Header, []byte)
	}{
		{"upload", func(hdr map[string]string, _ int) (int, http.Header, []byte) {
			return raw(t, e, "POST", "/api/embed/assets", "image/png", png, hdr)
		}},
		{"preview", func(hdr map[string]string, _ int) (int, http.Header, []byte) {
			return raw(t, e, "POST", "/api/embed/preview", "application/json", previewBody, hdr)
		}},
		{"save", func(hdr map[string]string, i int) (int, http.Header, []byte) {
			b, _ := json.Marshal(map[string]any{"document": sh.doc(strings.Repeat("x", i+1))})
			return raw(t, e, "POST", "/api/embed/designs", "application/json", b, hdr)
		}},
	} {
		first := sh.session(t, "")
		for i := range 2 {
			if status, _, body := c.call(first, i); status == http.StatusTooManyRequests || status >= 500 && status != http.StatusServiceUnavailable {
				t.Fatalf("%s %d of the session: %d %s", c.name, i+1, status, body)
			}
		}
		status, h, body := c.call(first, 2)
		if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(problem(body), "try again") {
			t.Fatalf("%s 3 of the session: %d %v %s, want 429 with Retry-After", c.name, status, h, body)
		}
		// The same browser handshakes again: a new session, the same
		// address, whose 3 are spent.
		second := sh.session(t, first["X-Luneo-Shopper"])
		if status, _, body := c.call(second, 3); status != http.StatusTooManyRequests {
			t.Fatalf("%s after a new handshake: %d %s, want 429 (the address's limit)", c.name, status, body)
		}
	}
	// Quotes and reads are not limited.
	hdr := sh.session(t, "")
	for range 5 {
		if r := e.API("POST", "/api/embed/quote", map[string]any{"document": sh.doc("Hi")}, hdr); r.Status != http.StatusOK {
			t.Fatalf("quote: %d %v", r.Status, r.Body)
		}
	}
}
