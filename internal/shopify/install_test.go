package shopify_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/seal"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

const (
	apiKey    = "test-client-id"
	apiSecret = "shpss_test_secret_0123456789"
	baseURL   = "https://luneo.example"
)

// members is brand membership as the tests need it: brand → user → role.
type members map[string]map[string]brand.Role

func (m members) RoleOf(_ context.Context, brandID, userID string) (brand.Role, error) {
	if r, ok := m[brandID][userID]; ok {
		return r, nil
	}
	return "", apperr.New(apperr.NotFound, "not a member")
}

func (m members) MembersWho(_ context.Context, brandID string, action brand.Action) ([]brand.Member, error) {
	var out []brand.Member
	for user, role := range m[brandID] {
		if brand.Can(role, action) {
			out = append(out, brand.Member{UserID: user, Email: user + "@example.com", Role: role})
		}
	}
	return out, nil
}

// clock is the service's time, moved by tests instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is the service on a real database and kv store, with the fake
// Shopify and two brands: A (owner "ann", editor "eve") and B (admin "bob").
type fixture struct {
	ctx    context.Context
	db     *db.DB
	svc    *shopify.Service
	embed  *embed.Service
	ring   *seal.Ring
	fake   *shopifytest.Server
	clock  *clock
	a, b   string
	client *http.Client
	kv     kv.Store
}

func eachStore(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Run("sqlkv", func(t *testing.T) { fn(t, newFixture(t, d, kv.NewSQL(d.DB, nil))) })
		t.Run("redis", func(t *testing.T) {
			u := os.Getenv("LUNEO_TEST_REDIS")
			if u == "" {
				t.Skip("Redis tests skipped: set LUNEO_TEST_REDIS=redis://… to run them")
			}
			r, err := kv.OpenRedis(context.Background(), u, "luneo-test-shopify:"+randomHex()+":")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = r.Close() })
			// A database of its own: shop domains are global.
			fresh := dbtest.SQLite(t)
			if d.Dialect == db.Postgres {
				fresh = dbtest.Postgres(t)
			}
			fn(t, newFixture(t, fresh, r))
		})
	})
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func newFixture(t *testing.T, d *db.DB, store kv.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	brands := brand.NewStore(d)
	ba, err := brands.Create(ctx, "a-"+randomHex(), "Brand A")
	if err != nil {
		t.Fatal(err)
	}
	bb, err := brands.Create(ctx, "b-"+randomHex(), "Brand B")
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.New(d, store, embed.Config{Secret: "embed secret embed secret embed secret",
		Products: func(context.Context, string, string) (embed.Product, error) {
			return embed.Product{}, apperr.New(apperr.NotFound, "none")
		}})
	if err != nil {
		t.Fatal(err)
	}
	ring, err := seal.New("seal secret seal secret seal secret 0123", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now()}
	fake := shopifytest.New(t, apiKey, apiSecret)
	fake.SetClock(c.Now)
	m := members{ba.ID: {"ann": brand.Owner, "eve": brand.Editor}, bb.ID: {"bob": brand.Admin}}
	svc, err := shopify.New(d, store, ring, m, emb, shopify.Config{APIKey: apiKey, APISecret: apiSecret,
		BaseURL: baseURL, AdminBase: fake.AdminBase, Now: c.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{ctx: ctx, db: d, svc: svc, embed: emb, ring: ring, fake: fake, clock: c, a: ba.ID, b: bb.ID, kv: store,
		client: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// start is a browser beginning an install: its cookie value and the
// consent screen's URL.
func (f *fixture) start(t *testing.T, brandID, user, shop string) (cookie, consent string) {
	t.Helper()
	cookie = randomHex()
	consent, err := f.svc.Install(f.ctx, brandID, user, shop, shopify.BrowserBinding(cookie))
	if err != nil {
		t.Fatalf("install: %v", err)
	}
	return cookie, consent
}

// authorize follows the consent screen (the fake grants at once) and
// returns the callback's query.
func (f *fixture) authorize(t *testing.T, consent string) url.Values {
	t.Helper()
	resp, err := f.client.Get(consent)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != baseURL+shopify.CallbackPath {
		t.Fatalf("Shopify redirects to %s", got)
	}
	return loc.Query()
}

func (f *fixture) install(t *testing.T, brandID, user, shop string) shopify.Installation {
	t.Helper()
	cookie, consent := f.start(t, brandID, user, shop)
	inst, err := f.svc.Callback(f.ctx, f.authorize(t, consent), shopify.BrowserBinding(cookie))
	if err != nil {
		t.Fatalf("callback: %v", err)
	}
	return inst
}

func wantCode(t *testing.T, err error, code apperr.Code, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: accepted, want %s", what, code)
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("%s: %v (%s), want %s", what, err, got, code)
	}
}

// nothingStored checks a failed install left no trace in Luneo.
func (f *fixture) nothingStored(t *testing.T, brandID string) {
	t.Helper()
	shops, err := f.svc.Shops(f.ctx, brandID)
	if err != nil {
		t.Fatal(err)
	}
	origins, err := f.embed.FrameAncestors(f.ctx, brandID)
	if err != nil {
		t.Fatal(err)
	}
	if len(shops) != 0 || len(origins) != 0 {
		t.Fatalf("a refused install left shops %v and origins %v", shops, origins)
	}
}

func TestInstallFlow(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		const shop = "mug-store.myshopify.com"
		f.fake.SetPrimaryDomain(shop, "mugs.example.com")
		_, consent := f.start(t, f.a, "ann", shop)
		u, _ := url.Parse(consent)
		q := u.Query()
		if u.Path != "/"+shop+"/admin/oauth/authorize" || q.Get("client_id") != apiKey || q.Get("scope") != "read_products,read_orders" ||
			q.Get("redirect_uri") != baseURL+"/api/shopify/callback" || len(q.Get("state")) != 32 {
			t.Fatalf("consent URL %s", consent)
		}
		inst := f.install(t, f.a, "ann", shop)
		if inst.Shop != shop || inst.BrandID != f.a || !slices.Equal(inst.Scopes, []string{"read_orders", "read_products"}) ||
			inst.PrimaryDomain != "mugs.example.com" {
			t.Fatalf("installation %+v", inst)
		}

		// The token is sealed at rest: the row does not hold it, the ring
		// opens it under the shop's context only.
		token := f.fake.TokenOf(shop)
		var sealed string
		if err := f.db.QueryRowContext(f.ctx, `SELECT access_token FROM shopify_shops WHERE shop = $1`, shop).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if token == "" || strings.Contains(sealed, token) || !strings.HasPrefix(sealed, "s2.") {
			t.Fatalf("stored token %q for %q", sealed, token)
		}
		if plain, err := f.ring.Open(sealed, shopify.TokenContext(shop)); err != nil || string(plain) != token {
			t.Fatalf("open: %q %v", plain, err)
		}
		if _, err := f.ring.Open(sealed, shopify.TokenContext("other.myshopify.com")); err == nil {
			t.Fatal("the sealed token opens under another shop's context")
		}
		if got, err := f.svc.AccessToken(f.ctx, shop); err != nil || got != token {
			t.Fatalf("AccessToken: %q %v", got, err)
		}

		// Five operational webhooks, to our route, at the pinned version.
		subs := f.fake.Subscriptions(shop)
		var topics []string
		for _, s := range subs {
			topics = append(topics, s.Topic)
			if s.URI != baseURL+"/api/shopify/webhooks" {
				t.Fatalf("subscription to %s", s.URI)
			}
		}
		slices.Sort(topics)
		if !slices.Equal(topics, []string{"APP_UNINSTALLED", "ORDERS_CREATE", "ORDERS_UPDATED", "PRODUCTS_CREATE", "PRODUCTS_DELETE", "PRODUCTS_UPDATE"}) {
			t.Fatalf("topics %v", topics)
		}
		for _, c := range f.fake.Calls() {
			if c.Operation != "" && c.Version != shopify.APIVersion {
				t.Fatalf("GraphQL call at version %q", c.Version)
			}
		}

		// Both storefront origins may embed; the admin may only frame.
		list, _ := f.embed.Origins(f.ctx, f.a)
		if !slices.Equal(list, []string{"https://mug-store.myshopify.com", "https://mugs.example.com"}) {
			t.Fatalf("embed origins %v", list)
		}
		frame, _ := f.embed.FrameAncestors(f.ctx, f.a)
		if !slices.Contains(frame, shopify.AdminOrigin) || len(frame) != 3 {
			t.Fatalf("frame ancestors %v", frame)
		}
		if ok, _ := f.embed.Allowed(f.ctx, f.a, shopify.AdminOrigin); ok {
			t.Fatal("the Shopify admin may run the handshake")
		}

		// Reinstall: the same row, updated; no duplicate subscription.
		f.clock.Advance(time.Minute)
		again := f.install(t, f.a, "ann", shop)
		shops, _ := f.svc.Shops(f.ctx, f.a)
		if len(shops) != 1 || !again.InstalledAt.After(inst.InstalledAt) {
			t.Fatalf("after reinstall: %+v", shops)
		}
		if n := len(f.fake.Subscriptions(shop)); n != len(shopify.Subscriptions) {
			t.Fatalf("%d subscriptions after a reinstall", n)
		}
		// The reinstall read the existing subscriptions and created none.
		creates := 0
		for _, c := range f.fake.Calls() {
			if c.Operation == "webhookSubscriptionCreate" && c.Shop == shop {
				creates++
			}
		}
		if creates != len(shopify.Subscriptions) {
			t.Fatalf("%d subscription creations for two installs, want %d", creates, len(shopify.Subscriptions))
		}
		if got, _ := f.svc.AccessToken(f.ctx, shop); got != f.fake.TokenOf(shop) || got == token {
			t.Fatal("the reinstall did not store the new token")
		}

		// A second shop for the same brand.
		f.install(t, f.a, "ann", "mug-outlet.myshopify.com")
		if shops, _ := f.svc.Shops(f.ctx, f.a); len(shops) != 2 {
			t.Fatalf("shops %+v", shops)
		}
	})
}

func TestInstallForgeries(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		const shop = "forged.myshopify.com"
		callback := func(q url.Values, cookie string) error {
			_, err := f.svc.Callback(f.ctx, q, shopify.BrowserBinding(cookie))
			return err
		}

		// Who may start: owners and admins of the brand; others get 404.
		for _, c := range []struct{ brand, user string }{{f.a, "eve"}, {f.a, "bob"}, {f.a, ""}, {"no-such-brand", "ann"}} {
			_, err := f.svc.Install(f.ctx, c.brand, c.user, shop, "binding")
			wantCode(t, err, apperr.NotFound, "install by "+c.user)
		}
		for _, bad := range []string{"evil.com", "shop.myshopify.com.evil.com", "-x.myshopify.com", "x.myshopify.com/admin",
			"X.MYSHOPIFY.COM", "admin.shopify.com", strings.Repeat("a", 250) + ".myshopify.com"} {
			_, err := f.svc.Install(f.ctx, f.a, "ann", bad, "binding")
			wantCode(t, err, apperr.Invalid, "shop "+bad)
		}

		// A tampered query: its HMAC no longer matches.
		cookie, consent := f.start(t, f.a, "ann", shop)
		q := f.authorize(t, consent)
		tampered := cloneQuery(q)
		tampered.Set("code", "attacker-code")
		wantCode(t, callback(tampered, cookie), apperr.Unauthorized, "tampered query")
		noHMAC := cloneQuery(q)
		noHMAC.Del("hmac")
		wantCode(t, callback(noHMAC, cookie), apperr.Unauthorized, "query without hmac")
		wrongKey := cloneQuery(q)
		wrongKey.Set("hmac", shopifytest.SignQuery("another app's secret", q))
		wantCode(t, callback(wrongKey, cookie), apperr.Unauthorized, "query signed by another app")

		// The original is still good (the forgeries did not burn the
		// nonce: the HMAC is checked first) and works once.
		if err := callback(q, cookie); err != nil {
			t.Fatalf("genuine callback: %v", err)
		}
		wantCode(t, callback(q, cookie), apperr.Unauthorized, "reused nonce")

		// Stale and future timestamps, correctly signed.
		cookie, consent = f.start(t, f.a, "ann", "stale.myshopify.com")
		q = f.authorize(t, consent)
		f.clock.Advance(shopify.MaxQueryAge + time.Second)
		wantCode(t, callback(q, cookie), apperr.Unauthorized, "stale timestamp")
		future := cloneQuery(q)
		future.Set("timestamp", itoa(f.clock.Now().Add(shopify.MaxQueryAhead+time.Minute).Unix()))
		future.Set("hmac", shopifytest.SignQuery(apiSecret, future))
		wantCode(t, callback(future, cookie), apperr.Unauthorized, "future timestamp")

		// Foreign nonces: another browser, another brand's install in the
		// same flow, another shop.
		_, consent = f.start(t, f.a, "ann", "foreign.myshopify.com")
		q = f.authorize(t, consent)
		wantCode(t, callback(q, randomHex()), apperr.Forbidden, "nonce from another browser")
		bobCookie, _ := f.start(t, f.b, "bob", "foreign.myshopify.com")
		_, consent = f.start(t, f.a, "ann", "foreign.myshopify.com")
		wantCode(t, callback(f.authorize(t, consent), bobCookie), apperr.Forbidden, "brand A's nonce with brand B's install cookie")
		cookie, consent = f.start(t, f.a, "ann", "foreign.myshopify.com")
		q = f.authorize(t, consent)
		other := cloneQuery(q)
		other.Set("shop", "other-shop.myshopify.com")
		other.Set("hmac", shopifytest.SignQuery(apiSecret, other))
		wantCode(t, callback(other, cookie), apperr.Forbidden, "nonce of another shop")
		cookie, consent = f.start(t, f.a, "ann", "foreign.myshopify.com")
		q = f.authorize(t, consent)
		evil := cloneQuery(q)
		evil.Set("shop", "evil.example.com")
		evil.Set("hmac", shopifytest.SignQuery(apiSecret, evil))
		wantCode(t, callback(evil, cookie), apperr.Invalid, "non-Shopify shop in the callback")
		f.nothingStored(t, f.b)

		// Fewer scopes than asked: refused, nothing stored, no webhook.
		f.fake.Grant("stingy.myshopify.com", "read_products")
		cookie, consent = f.start(t, f.b, "bob", "stingy.myshopify.com")
		wantCode(t, callback(f.authorize(t, consent), cookie), apperr.Forbidden, "missing scope")
		f.nothingStored(t, f.b)
		if n := len(f.fake.Subscriptions("stingy.myshopify.com")); n != 0 {
			t.Fatalf("%d webhooks registered for a refused install", n)
		}
		// A write scope covers its read.
		f.fake.Grant("generous.myshopify.com", "write_products,read_orders")
		f.install(t, f.b, "bob", "generous.myshopify.com")

		// Shopify failing mid-install: nothing stored; a retry works.
		f.fake.FailGraphQL(true)
		cookie, consent = f.start(t, f.a, "ann", "flaky.myshopify.com")
		wantCode(t, callback(f.authorize(t, consent), cookie), apperr.Unavailable, "Admin API down")
		if _, err := f.svc.Shop(f.ctx, "flaky.myshopify.com"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a failed install was stored: %v", err)
		}
		f.fake.FailGraphQL(false)
		// Only the webhook registration failing: still nothing stored.
		f.fake.FailOperation("webhookSubscriptionCreate")
		cookie, consent = f.start(t, f.a, "ann", "flaky.myshopify.com")
		wantCode(t, callback(f.authorize(t, consent), cookie), apperr.Unavailable, "webhook registration refused")
		if _, err := f.svc.Shop(f.ctx, "flaky.myshopify.com"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("an install whose webhooks failed was stored: %v", err)
		}
		if list, _ := f.embed.Origins(f.ctx, f.a); slices.Contains(list, "https://flaky.myshopify.com") {
			t.Fatalf("an install whose webhooks failed added origins: %v", list)
		}
		f.fake.FailOperation("")
		f.install(t, f.a, "ann", "flaky.myshopify.com")

		// A shop installed for brand A cannot be taken over by brand B
		// until A lets it go.
		cookie, consent = f.start(t, f.b, "bob", "flaky.myshopify.com")
		wantCode(t, callback(f.authorize(t, consent), cookie), apperr.Conflict, "shop of another brand")
		wantCode(t, f.svc.Disconnect(f.ctx, f.b, "bob", "flaky.myshopify.com"), apperr.NotFound, "disconnect another brand's shop")
		wantCode(t, f.svc.Disconnect(f.ctx, f.a, "eve", "flaky.myshopify.com"), apperr.NotFound, "disconnect by an editor")
		if err := f.svc.Disconnect(f.ctx, f.a, "ann", "flaky.myshopify.com"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AccessToken(f.ctx, "flaky.myshopify.com"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("token after disconnect: %v", err)
		}
		var sealed string
		_ = f.db.QueryRowContext(f.ctx, `SELECT access_token FROM shopify_shops WHERE shop = $1`, "flaky.myshopify.com").Scan(&sealed)
		if sealed != "" {
			t.Fatal("disconnect kept the sealed token")
		}
		var frames int
		if err := f.db.QueryRowContext(f.ctx, `SELECT count(*) FROM embed_frame_origins WHERE source = $1`,
			shopify.FrameSource("flaky.myshopify.com")).Scan(&frames); err != nil || frames != 0 {
			t.Fatalf("disconnect kept %d frame origins (%v)", frames, err)
		}
		f.install(t, f.b, "bob", "flaky.myshopify.com")
	})
}

func TestNonceExpires(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		cookie, consent := f.start(t, f.a, "ann", "slow.myshopify.com")
		// The kv store keeps real time: remove the nonce as its expiry
		// would, and the callback is refused like a used one.
		q := f.authorize(t, consent)
		if err := kvDelete(f, q.Get("state")); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Callback(f.ctx, q, shopify.BrowserBinding(cookie))
		wantCode(t, err, apperr.Unauthorized, "expired nonce")
	})
}

func kvDelete(f *fixture, state string) error {
	return f.kv.Delete(f.ctx, "shopify:install:"+state)
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

func itoa(n int64) string { return strconvFormat(n) }
