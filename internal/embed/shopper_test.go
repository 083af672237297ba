package embed

import (
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
)

// TestShopperKeys: a key verifies for its brand only, comes back unchanged
// from Shopper, survives a secret rotation, and cannot be forged or
// tampered with.
func TestShopperKeys(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		key, id, err := f.svc.IssueShopper(f.a)
		if err != nil || !strings.HasPrefix(key, "sk_") || len(id) != 22 || len(key) != 3+22+1+43 {
			t.Fatalf("IssueShopper = %q %q %v", key, id, err)
		}
		if got, reason, err := f.svc.VerifyShopper(f.a, key); err != nil || got != id {
			t.Fatalf("VerifyShopper = %q %v (%s)", got, err, reason)
		}
		// Another brand's session does not accept it.
		if _, reason, err := f.svc.VerifyShopper(f.b, key); err != ErrRefused || reason != "shopper key not signed for this brand" {
			t.Fatalf("key of brand A for brand B: %v (%s)", err, reason)
		}
		// Shopper keeps a valid key and replaces anything else.
		if k, got, _, err := f.svc.Shopper(f.a, key); err != nil || k != key || got != id {
			t.Fatalf("Shopper(valid) = %q %q %v", k, got, err)
		}
		k2, id2, reason, err := f.svc.Shopper(f.b, key)
		if err != nil || k2 == key || id2 == id || reason == "" {
			t.Fatalf("Shopper(other brand's key) = %q %q %q %v", k2, id2, reason, err)
		}
		if _, got, reason, _ := f.svc.Shopper(f.a, ""); got == id || reason != "" {
			t.Fatalf("Shopper(none) gave %q (%s)", got, reason)
		}

		// Forgeries: another shopper ID under this MAC, a tampered MAC, a
		// key under another secret, garbage.
		_, otherID, _ := f.svc.IssueShopper(f.a)
		mac := key[strings.IndexByte(key, '.'):]
		stranger, err := New(f.svc.db, f.svc.kv, Config{Secret: "another-secret-another-secret-xx", Products: f.svc.products})
		if err != nil {
			t.Fatal(err)
		}
		foreign, _, _ := stranger.IssueShopper(f.a)
		// A tampered MAC changes a character in its middle (the last one of
		// base64 carries padding bits a decoder may ignore).
		i := len(key) - 10
		swap := byte('A')
		if key[i] == 'A' {
			swap = 'B'
		}
		tampered := key[:i] + string(swap) + key[i+1:]
		for _, bad := range []string{"sk_" + otherID + mac, tampered, foreign, "sk_", "sk_.", "lk_" + key[3:],
			"sk_" + id + "." + strings.Repeat("A", 43), key + strings.Repeat("A", 60), "sk_" + id[:20] + mac} {
			if _, _, err := f.svc.VerifyShopper(f.a, bad); err != ErrRefused {
				t.Errorf("VerifyShopper(%q) = %v, want ErrRefused", bad, err)
			}
		}

		// After a rotation, keys signed under the previous secret verify,
		// and new keys are signed under the new one.
		rotated, err := New(f.svc.db, f.svc.kv, Config{Secret: "the-new-secret-the-new-secret-xx",
			PreviousSecrets: []string{"0123456789abcdef0123456789abcdef"}, Products: f.svc.products})
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := rotated.VerifyShopper(f.a, key); err != nil || got != id {
			t.Fatalf("key after a rotation: %q %v", got, err)
		}
		fresh, _, _ := rotated.IssueShopper(f.a)
		if _, _, err := f.svc.VerifyShopper(f.a, fresh); err != ErrRefused {
			t.Fatalf("a key of the new secret verified under the old one alone: %v", err)
		}
	})
}

// TestRateLimits: each action is limited per session and per IP address;
// a new session (a new handshake) gets a new session count but not a new
// IP count; another address is not affected.
func TestRateLimits(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		lim := Limits{Upload: Rate{PerSession: 2, PerIP: 3, Window: time.Minute}}
		svc, err := New(f.svc.db, f.svc.kv, Config{Secret: "0123456789abcdef0123456789abcdef", Products: f.svc.products, Limits: lim})
		if err != nil {
			t.Fatal(err)
		}
		if got := svc.Limits(); got.Upload != lim.Upload || got.Preview != DefaultLimits().Preview || got.Save != DefaultLimits().Save {
			t.Fatalf("Limits() = %+v: zero rates must take their defaults", got)
		}
		tag := f.a // a fresh subject per run, so stores shared by tests do not meet
		ip, other := "192.0.2.1-"+tag, "192.0.2.2-"+tag
		allow := func(sid, ip string) error { return svc.Allow(f.ctx, Upload, sid+tag, ip) }
		for i := range 2 {
			if err := allow("s1", ip); err != nil {
				t.Fatalf("upload %d of session 1: %v", i+1, err)
			}
		}
		err = allow("s1", ip)
		ae, ok := apperr.As(err)
		if !ok || ae.Code != apperr.RateLimited || ae.RetryAfter <= 0 || ae.RetryAfter > time.Minute || !strings.Contains(ae.Message, "image uploads") {
			t.Fatalf("third upload of a session: %v, want rate limited with a Retry-After", err)
		}
		// A new handshake: a fresh session count, but the IP has spent its
		// three (the refused call counted too).
		if err := allow("s2", ip); apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("new session on a spent IP: %v, want rate limited", err)
		}
		if err := allow("s3", other); err != nil {
			t.Fatalf("another address: %v", err)
		}
		// Previews are counted apart from uploads.
		if err := svc.Allow(f.ctx, Preview, "s1"+tag, ip); err != nil {
			t.Fatalf("a preview after the uploads ran out: %v", err)
		}
		if err := svc.Allow(f.ctx, "dance", "s1", ip); err == nil {
			t.Fatal("an unknown action was allowed")
		}

		// ScaleIP raises the per-IP allowances only.
		sc := DefaultLimits().ScaleIP(10)
		if sc.Upload.PerIP != 600 || sc.Preview.PerIP != 12000 || sc.Save.PerIP != 1200 || sc.Upload.PerSession != 20 {
			t.Fatalf("ScaleIP(10) = %+v", sc)
		}
		if DefaultLimits().ScaleIP(0) != DefaultLimits() {
			t.Fatal("ScaleIP(0) changed the limits")
		}
	})
}
