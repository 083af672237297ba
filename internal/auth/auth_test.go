package auth

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

// outbox records emails instead of queueing them.
type outbox struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (o *outbox) SendTx(_ context.Context, _ *sql.Tx, m mail.Message) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return "id", nil
}

func newService(t testing.TB, d *db.DB) *Service {
	t.Helper()
	s, err := New(Config{Secret: strings.Repeat("s", 40), BaseURL: "http://luneo.test", SignupsPerHour: 1 << 30},
		d, kv.NewSQL(d.DB, time.Now), brand.NewStore(d), audit.New(d), &outbox{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	h, err := hashPassword("correct horse battery", Config{}.cost())
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q %v", h, err)
	}
	if ok, err := verifyPassword(h, "correct horse battery"); !ok || err != nil {
		t.Fatal("right password refused")
	}
	if ok, _ := verifyPassword(h, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := hashPassword("correct horse battery", Config{}.cost())
	if h == h2 {
		t.Fatal("no salt")
	}
	// The test harnesses' weak hashes verify the same way; only their cost
	// differs, and only when asked for.
	weak, _ := hashPassword("correct horse battery", Config{WeakPasswordHashesForTests: true}.cost())
	if ok, err := verifyPassword(weak, "correct horse battery"); !ok || err != nil || !strings.HasPrefix(weak, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("weak hash %q: %v %v", weak, ok, err)
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=9999999999,t=1,p=1$AA$AA", "$bcrypt$x", "$argon2id$v=19$m=64,t=99,p=1$AAAA$AAAA"} {
		if _, err := verifyPassword(bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	p := newPasswordPolicy()
	for pw, ok := range map[string]bool{"short": false, "password123": false, "QWERTYUIOP": false, "alice.smith": false,
		"correct horse battery": true, strings.Repeat("x", 300): false} {
		if err := p.check(pw, "alice.smith@example.com"); (err == nil) != ok {
			t.Errorf("%q: %v", pw, err)
		}
	}
}

func TestJWT(t *testing.T) {
	t.Parallel()
	k, _ := newKeyring("https://luneo.test", strings.Repeat("a", 32))
	now := time.Unix(1_800_000_000, 0)
	tok, err := k.sign(Claims{Subject: "u1", SessionID: "s1", BrandID: "b1", IssuedAt: now.Unix(), NotBefore: now.Unix(), ExpiresAt: now.Add(AccessTTL).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := k.verify(tok, now.Add(time.Minute)); err != nil || c.Subject != "u1" || c.BrandID != "b1" {
		t.Fatalf("verify: %+v %v", c, err)
	}
	if _, err := k.verify(tok, now.Add(AccessTTL)); !errors.Is(err, ErrExpiredToken) {
		t.Fatalf("expired token: %v", err)
	}
	if _, err := k.verify(tok, now.Add(-time.Hour)); err == nil {
		t.Fatal("token used before nbf")
	}
	// Another secret (or another issuer) does not verify it.
	other, _ := newKeyring("https://luneo.test", strings.Repeat("b", 32))
	if _, err := other.verify(tok, now); err == nil {
		t.Fatal("verified with another key")
	}
	wrongIss, _ := newKeyring("https://evil.test", strings.Repeat("a", 32))
	if _, err := wrongIss.verify(tok, now); err == nil {
		t.Fatal("verified with another issuer")
	}
	// Rotation: the new keyring still verifies tokens of the previous secret.
	rotated, _ := newKeyring("https://luneo.test", strings.Repeat("c", 32), strings.Repeat("a", 32))
	if _, err := rotated.verify(tok, now); err != nil {
		t.Fatalf("previous key not accepted: %v", err)
	}
	parts := strings.Split(tok, ".")
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"` + k.current + `"}`))
	for name, bad := range map[string]string{
		"alg none":        noneHeader + "." + parts[1] + ".",
		"dropped sig":     parts[0] + "." + parts[1] + ".",
		"swapped payload": parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin"}`)) + "." + parts[2],
		"too long":        strings.Repeat("a", 5000),
	} {
		if _, err := k.verify(bad, now); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestTOTPRFC6238(t *testing.T) {
	t.Parallel()
	secret := []byte("12345678901234567890")
	// RFC 6238 appendix B (SHA-1), last 6 of the 8-digit values.
	for ts, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		if got := totpCode(secret, ts/30); got != want {
			t.Errorf("T=%d: %s, want %s", ts, got, want)
		}
	}
	now := time.Unix(1234567890, 0)
	if totpMatch(secret, "005924", now) < 0 || totpMatch(secret, "005924", now.Add(31*time.Second)) < 0 {
		t.Fatal("drift of one step refused")
	}
	if totpMatch(secret, "005924", now.Add(2*time.Minute)) >= 0 || totpMatch(secret, "12345", now) >= 0 {
		t.Fatal("stale or short code accepted")
	}
}

// BenchmarkLogin measures whole logins (rate limit, lookup, Argon2id, session,
// tokens) on SQLite and reports p50/p99 latency.
func BenchmarkLogin(b *testing.B) {
	d := dbtest.SQLite(b)
	s := newService(b, d)
	ctx := context.Background()
	if _, _, err := s.Register(ctx, RegisterInput{Email: "bench@example.com", Password: "correct horse battery", Name: "B", Brand: "B"}); err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		// A fresh IP and account key per call keeps the rate limiter out of the way.
		cctx := audit.WithClient(ctx, "10.0."+string(rune('0'+i%10)), "bench")
		if _, err := s.Login(cctx, "bench@example.com", "correct horse battery"); err != nil {
			_ = s.kv.Delete(ctx, "rl:"+LoginPerAccount.Name+":bench@example.com")
			_ = s.kv.Delete(ctx, "rl:"+LoginPerIP.Name+":10.0."+string(rune('0'+i%10)))
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkRefresh measures token refresh (rotation) throughput.
func BenchmarkRefresh(b *testing.B) {
	d := dbtest.SQLite(b)
	s := newService(b, d)
	ctx := context.Background()
	if _, _, err := s.Register(ctx, RegisterInput{Email: "r@example.com", Password: "correct horse battery", Name: "R", Brand: "R"}); err != nil {
		b.Fatal(err)
	}
	res, err := s.Login(ctx, "r@example.com", "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	tok := res.Tokens.RefreshToken
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		cctx := audit.WithClient(ctx, "10.1.0."+string(rune('0'+i%10)), "bench")
		t, err := s.Refresh(cctx, tok)
		if err != nil {
			b.Fatal(err)
		}
		tok = t.RefreshToken
		lat = append(lat, time.Since(t0))
		if i%250 == 249 { // stay under the per-IP refresh limit
			for j := range 10 {
				_ = s.kv.Delete(ctx, "rl:"+RefreshPerIP.Name+":10.1.0."+string(rune('0'+j)))
			}
		}
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
