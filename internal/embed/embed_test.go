package embed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

// fixture is a service on a real database and kv store with two brands,
// each with one allowed origin and one active product.
type fixture struct {
	svc         *Service
	ctx         context.Context
	a, b        string // brand IDs
	clock       *time.Time
	shop, shop2 string
}

const (
	productA = "prod-a"
	productB = "prod-b"
	draft    = "prod-draft"
)

// products is the catalog as the test sees it: brand → product → active.
func products(a, b string) ProductLookup {
	return func(_ context.Context, brandID, productID string) (Product, error) {
		switch {
		case brandID == a && productID == productA:
			return Product{ID: productA, Name: "Mug", Active: true, Variants: []string{"v1"}}, nil
		case brandID == a && productID == draft:
			return Product{ID: draft, Name: "Draft", Active: false}, nil
		case brandID == b && productID == productB:
			return Product{ID: productB, Name: "Shirt", Active: true}, nil
		}
		return Product{}, apperr.New(apperr.NotFound, "no product")
	}
}

// eachStore runs fn on both dialects, with the SQL kv store of that
// database and, when LUNEO_TEST_REDIS is set, with Redis too.
func eachStore(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Run("sqlkv", func(t *testing.T) { fn(t, newFixture(t, d, kv.NewSQL(d.DB, nil))) })
		t.Run("redis", func(t *testing.T) {
			url := os.Getenv("LUNEO_TEST_REDIS")
			if url == "" {
				t.Skip("Redis tests skipped: set LUNEO_TEST_REDIS=redis://… to run them")
			}
			var b [8]byte
			_, _ = rand.Read(b[:])
			r, err := kv.OpenRedis(context.Background(), url, "luneo-test-embed:"+hex.EncodeToString(b[:])+":")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = r.Close() })
			fn(t, newFixture(t, d, r))
		})
	})
}

func newFixture(t *testing.T, d *db.DB, store kv.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	brands := brand.NewStore(d)
	var tag [4]byte
	_, _ = rand.Read(tag[:])
	ba, err := brands.Create(ctx, "a-"+hex.EncodeToString(tag[:]), "Brand A")
	if err != nil {
		t.Fatal(err)
	}
	bb, err := brands.Create(ctx, "b-"+hex.EncodeToString(tag[:]), "Brand B")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	f := &fixture{ctx: ctx, a: ba.ID, b: bb.ID, clock: &now, shop: "https://shop.example", shop2: "https://other.example"}
	f.svc, err = New(d, store, Config{Secret: "0123456789abcdef0123456789abcdef", Products: products(ba.ID, bb.ID),
		Now: func() time.Time { return *f.clock }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetOrigins(ctx, ba.ID, []string{f.shop}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetOrigins(ctx, bb.ID, []string{f.shop2}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) issue(t *testing.T, req Request) Grant {
	t.Helper()
	g, reason, err := f.svc.Issue(f.ctx, req)
	if err != nil {
		t.Fatalf("Issue(%+v): %v (%s)", req, err, reason)
	}
	return g
}

func TestTokenContents(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		g := f.issue(t, Request{Brand: f.a, Product: productA, Variant: "v1", Origin: f.shop, RequestOrigin: f.shop})
		if g.ExpiresIn != 300 || len(g.Nonce) < 22 || g.Token == "" {
			t.Fatalf("grant = %+v", g)
		}
		c, reason, err := f.svc.Verify(g.Token)
		if err != nil {
			t.Fatalf("Verify: %v (%s)", err, reason)
		}
		want := Claims{Audience: "embed", Brand: f.a, Product: productA, Variant: "v1", Origin: f.shop, SessionID: g.SessionID,
			IssuedAt: f.clock.Unix(), ExpiresAt: f.clock.Add(5 * time.Minute).Unix()}
		if c != want {
			t.Fatalf("claims = %+v, want %+v", c, want)
		}
		// Two grants never share a nonce or a session.
		g2 := f.issue(t, Request{Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: f.shop})
		if g2.Nonce == g.Nonce || g2.SessionID == g.SessionID {
			t.Fatal("two grants share a nonce or a session id")
		}
	})
}

func TestIssueRefusals(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		for name, req := range map[string]Request{
			"header differs":      {Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: "https://evil.example"},
			"no header":           {Brand: f.a, Product: productA, Origin: f.shop},
			"origin not listed":   {Brand: f.a, Product: productA, Origin: f.shop2, RequestOrigin: f.shop2},
			"other brand product": {Brand: f.a, Product: productB, Origin: f.shop, RequestOrigin: f.shop},
			"draft product":       {Brand: f.a, Product: draft, Origin: f.shop, RequestOrigin: f.shop},
			"unknown brand":       {Brand: "nope", Product: productA, Origin: f.shop, RequestOrigin: f.shop},
			"unknown variant":     {Brand: f.a, Product: productA, Variant: "v9", Origin: f.shop, RequestOrigin: f.shop},
		} {
			if _, _, err := f.svc.Issue(f.ctx, req); err != ErrRefused {
				t.Errorf("%s: Issue err = %v, want ErrRefused", name, err)
			}
		}
	})
}

func TestNonceSingleUseConcurrent(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		g := f.issue(t, Request{Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: f.shop})
		const racers = 40
		var mu sync.Mutex
		wins := 0
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range racers {
			wg.Go(func() {
				<-start
				b, _, err := f.svc.Validate(f.ctx, g.Nonce, f.shop)
				if err == nil {
					if b.Brand != f.a || b.Origin != f.shop || b.Session != g.SessionID {
						t.Errorf("binding = %+v", b)
					}
					mu.Lock()
					wins++
					mu.Unlock()
				} else if err != ErrRefused {
					t.Errorf("Validate: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d of %d concurrent validations succeeded, want exactly 1", wins, racers)
		}
		if _, _, err := f.svc.Validate(f.ctx, g.Nonce, f.shop); err != ErrRefused {
			t.Fatalf("replay after the race: %v, want ErrRefused", err)
		}
	})
}

func TestNonceOriginBinding(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		g := f.issue(t, Request{Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: f.shop})
		// Brand B's origin is allowed somewhere, but not for this nonce.
		if _, reason, err := f.svc.Validate(f.ctx, g.Nonce, f.shop2); err != ErrRefused {
			t.Fatalf("nonce from another origin: %v (%s)", err, reason)
		}
		// The attempt burnt it.
		if _, _, err := f.svc.Validate(f.ctx, g.Nonce, f.shop); err != ErrRefused {
			t.Fatalf("nonce after a wrong-origin attempt: %v, want ErrRefused", err)
		}
		// A nonce whose origin left the list is refused.
		g = f.issue(t, Request{Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: f.shop})
		if _, err := f.svc.SetOrigins(f.ctx, f.a, []string{"https://new.example"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Validate(f.ctx, g.Nonce, f.shop); err != ErrRefused {
			t.Fatalf("nonce of a removed origin: %v, want ErrRefused", err)
		}
		if _, _, err := f.svc.Validate(f.ctx, "made-up", f.shop); err != ErrRefused {
			t.Fatalf("made-up nonce: %v", err)
		}
	})
}

func TestTokenExpiry(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		g := f.issue(t, Request{Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: f.shop})
		*f.clock = f.clock.Add(TokenTTL - time.Second)
		if _, _, err := f.svc.Verify(g.Token); err != nil {
			t.Fatalf("token a second before expiry: %v", err)
		}
		*f.clock = f.clock.Add(time.Second)
		if _, reason, err := f.svc.Verify(g.Token); err != ErrRefused || reason != "expired" {
			t.Fatalf("token at expiry: %v (%s), want refused as expired", err, reason)
		}
	})
}

// TestForeignTokens: a token signed for staff (another key, another
// audience), a tampered one and garbage are all refused.
func TestForeignTokens(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		g := f.issue(t, Request{Brand: f.a, Product: productA, Origin: f.shop, RequestOrigin: f.shop})
		other, err := New(f.svc.db, f.svc.kv, Config{Secret: "another-secret-another-secret-xx", Products: f.svc.products})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := other.Verify(g.Token); err != ErrRefused {
			t.Fatalf("token under another secret: %v", err)
		}
		tampered := g.Token[:len(g.Token)-2] + "AA"
		for _, tok := range []string{tampered, "", "x.y.z", g.Nonce} {
			if _, _, err := f.svc.Verify(tok); err != ErrRefused {
				t.Errorf("Verify(%.20q): %v", tok, err)
			}
		}
		// A token with the right key but another audience.
		forged, _ := f.svc.signer.Sign(Claims{Audience: "luneo-api", Brand: f.a, Product: productA, Origin: f.shop, SessionID: "s",
			ExpiresAt: f.clock.Add(time.Minute).Unix()})
		if _, reason, err := f.svc.Verify(forged); err != ErrRefused || reason != "not an embed token" {
			t.Fatalf("other audience: %v (%s)", err, reason)
		}
	})
}
