package shopify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

const testSecret = "shpss_0123456789abcdef0123456789abcdef"

// fakeShops is the installations as the webhooks see them.
type fakeShops struct {
	mu          sync.Mutex
	shops       map[string]*fakeShop
	uninstalled []string
	forgotten   []string
}

type fakeShop struct {
	brand     string
	installed bool
}

func (f *fakeShops) BrandOf(_ context.Context, shop string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.shops[shop]; ok {
		return s.brand, s.installed, nil
	}
	return "", false, nil
}

func (f *fakeShops) ShopsOf(_ context.Context, brandID string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for name, s := range f.shops {
		if s.brand == brandID {
			out = append(out, name)
		}
	}
	return out, nil
}

func (f *fakeShops) Uninstalled(_ context.Context, shop string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.shops[shop]; ok {
		s.installed = false
	}
	f.uninstalled = append(f.uninstalled, shop)
	return nil
}

func (f *fakeShops) Forget(_ context.Context, shop string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.shops, shop)
	f.forgotten = append(f.forgotten, shop)
	return nil
}

// fakeOrders records what the orders module is asked, idempotent by
// (brand, store, external id) as the real one is.
type fakeOrders struct {
	mu        sync.Mutex
	orders    map[string]*fakeOrder // key: brand|store|external
	ingests   int
	fail      error // returned by Ingest when set
	forgotten []string
}

type fakeOrder struct {
	brand     string
	in        OrderInput
	cancelled bool
}

func orderKey(brandID, store, ext string) string { return brandID + "|" + store + "|" + ext }

func (f *fakeOrders) Ingest(_ context.Context, brandID string, in OrderInput) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ingests++
	if f.fail != nil {
		return "", false, f.fail
	}
	k := orderKey(brandID, in.Store, in.ExternalID)
	if _, ok := f.orders[k]; ok {
		return k, false, nil
	}
	f.orders[k] = &fakeOrder{brand: brandID, in: in}
	return k, true, nil
}

func (f *fakeOrders) CancelExternal(_ context.Context, brandID, source, store, ext string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[orderKey(brandID, store, ext)]
	if !ok || source != SourceShopify {
		return apperr.New(apperr.NotFound, "no such order")
	}
	o.cancelled = true
	return nil
}

func (f *fakeOrders) ForgetStore(_ context.Context, brandID, store string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for k, o := range f.orders {
		if o.brand == brandID && o.in.Store == store {
			delete(f.orders, k)
			n++
		}
	}
	f.forgotten = append(f.forgotten, store)
	return n, nil
}

func (f *fakeOrders) ForgetCustomer(_ context.Context, brandID, store, customer string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, o := range f.orders {
		if o.brand == brandID && o.in.Store == store && o.in.Customer == customer {
			o.in.Customer = ""
			n++
		}
	}
	return n, nil
}

func (f *fakeOrders) CustomerOrders(_ context.Context, brandID, store, customer string) ([]HeldOrder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []HeldOrder
	for k, o := range f.orders {
		if o.brand == brandID && o.in.Store == store && o.in.Customer == customer && customer != "" {
			out = append(out, HeldOrder{ID: k, ExternalID: o.in.ExternalID, Name: o.in.Name, Status: "received",
				CreatedAt: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)})
		}
	}
	return out, nil
}

func (f *fakeOrders) get(brandID, store, ext string) *fakeOrder {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.orders[orderKey(brandID, store, ext)]
}

// fakeMembers gives every brand an owner, an admin and an editor.
type fakeMembers struct{}

func (fakeMembers) RoleOf(_ context.Context, _, userID string) (brand.Role, error) {
	return map[string]brand.Role{"u1": brand.Owner, "u2": brand.Admin, "u3": brand.Editor}[userID], nil
}

func (fakeMembers) MembersWho(_ context.Context, brandID string, action brand.Action) ([]brand.Member, error) {
	var out []brand.Member
	for _, m := range []brand.Member{
		{UserID: "u1", Email: "owner-" + brandID + "@example.com", Role: brand.Owner},
		{UserID: "u2", Email: "admin-" + brandID + "@example.com", Role: brand.Admin},
		{UserID: "u3", Email: "editor-" + brandID + "@example.com", Role: brand.Editor},
	} {
		if brand.Can(m.Role, action) {
			out = append(out, m)
		}
	}
	return out, nil
}

// fixture is the webhooks on a real database and queue (inserting only:
// tests work the jobs themselves, so nothing depends on timing), with two
// brands, each with a shop, products and a design.
type fixture struct {
	t       *testing.T
	ctx     context.Context
	d       *db.DB
	w       *Webhooks
	shops   *fakeShops
	orders  *fakeOrders
	a, b    string // brand ids
	shopA   string // installed for a
	shopB   string // installed for b
	mugA    string // product of a, SKU MUG-A, variant SKU MUG-A-RED
	shirtA  string // product of a, SKU SHIRT-A
	capB    string // product of b, SKU MUG-A-RED too (another brand's SKUs do not count)
	designA string // a design of mugA (version 1 and 2)
	designS string // a design of shirtA
	designB string // a design of capB
}

func eachDB(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFixture(t, d)) })
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	if _, err := queue.Migrate(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
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
	f := &fixture{t: t, ctx: ctx, d: d, a: ba.ID, b: bb.ID, shopA: "brand-a.myshopify.com", shopB: "brand-b.myshopify.com",
		orders: &fakeOrders{orders: map[string]*fakeOrder{}}}
	f.shops = &fakeShops{shops: map[string]*fakeShop{f.shopA: {brand: f.a, installed: true}, f.shopB: {brand: f.b, installed: true}}}
	reg := queue.NewRegistry()
	mail.Register(reg, mail.NewSendWorker(d, nil, nil)) // never worked: tests read the outbox
	q, err := queue.New(d, reg, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.w = NewWebhooks(d, WebhooksConfig{APISecret: testSecret, Shops: f.shops, Orders: f.orders,
		Members: fakeMembers{}, BaseURL: "https://luneo.example"})
	RegisterWebhooks(reg, f.w)
	f.w.SetQueue(q)

	f.mugA = f.product(f.a, "Mug", "MUG-A", "active", "MUG-A-RED")
	f.shirtA = f.product(f.a, "Shirt", "SHIRT-A", "active")
	f.capB = f.product(f.b, "Cap", "CAP-B", "active", "MUG-A-BLUE")
	f.designA = f.design(f.a, f.mugA, 2)
	f.designS = f.design(f.a, f.shirtA, 1)
	f.designB = f.design(f.b, f.capB, 1)
	return f
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.d.ExecContext(f.ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func newID() string { return shopifytest.RandomID() }

// product adds a product with variants of the given SKUs.
func (f *fixture) product(brandID, name, sku, status string, variantSKUs ...string) string {
	f.t.Helper()
	id := newID()
	now := db.Time(time.Now())
	f.exec(`INSERT INTO products (id, brand_id, name, sku, description, status, price, currency, created_at, updated_at)
		VALUES ($1, $2, $3, $4, '', $5, 2000, 'EUR', $6, $6)`, id, brandID, name, sku, status, now)
	for i, vs := range variantSKUs {
		f.exec(`INSERT INTO product_variants (id, brand_id, product_id, position, name, sku, price_delta)
			VALUES ($1, $2, $3, $4, $5, $6, 0)`, newID(), brandID, id, i, "V"+fmt.Sprint(i), vs)
	}
	return id
}

// design adds a design of product with versions 1..n.
func (f *fixture) design(brandID, productID string, n int) string {
	f.t.Helper()
	id := newID()
	now := db.Time(time.Now())
	f.exec(`INSERT INTO designs (id, brand_id, product_id, name, creator_kind, creator_id, latest_version, created_at, updated_at)
		VALUES ($1, $2, $3, '', 'shopper', 'sh1', $4, $5, $5)`, id, brandID, productID, n, now)
	for v := 1; v <= n; v++ {
		f.exec(`INSERT INTO design_versions (design_id, brand_id, version, sha256, document, warnings, produce, creator_kind, creator_id, created_at)
			VALUES ($1, $2, $3, 'x', '{}', '[]', FALSE, 'shopper', 'sh1', $4)`, id, brandID, v, now)
	}
	return id
}

// deliver hands a delivery to Receive as the route does.
func (f *fixture) deliver(d *shopifytest.Delivery) (Receipt, error) {
	if d.Secret == "" {
		d.Secret = testSecret
	}
	return f.w.Receive(f.ctx, d.Header(), d.Body)
}

// send delivers and works the resulting jobs, failing on any error.
func (f *fixture) send(topic, shop string, body []byte) *shopifytest.Delivery {
	f.t.Helper()
	d := &shopifytest.Delivery{Topic: topic, Shop: shop, Body: body}
	if _, err := f.deliver(d); err != nil {
		f.t.Fatalf("deliver %s: %v", topic, err)
	}
	f.workAll()
	return d
}

// jobs lists the webhook ids of the queued shopify_webhook jobs.
func (f *fixture) jobs() []string {
	f.t.Helper()
	rows, err := f.d.QueryContext(f.ctx, `SELECT args FROM river_job WHERE kind = 'shopify_webhook' ORDER BY id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var args string
		if err := rows.Scan(&args); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, args)
	}
	return out
}

// workAll works every unprocessed event, as the queue would.
func (f *fixture) workAll() {
	f.t.Helper()
	for _, id := range f.pending() {
		if err := f.w.work(f.ctx, id); err != nil {
			f.t.Fatalf("work %s: %v", id, err)
		}
	}
}

func (f *fixture) pending() []string {
	f.t.Helper()
	rows, err := f.d.QueryContext(f.ctx, `SELECT webhook_id FROM shopify_webhook_events WHERE processed_at IS NULL ORDER BY received_at, webhook_id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRowContext(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// mapSKU maps a Shopify product to a Luneo product through products/update.
func (f *fixture) mapSKU(shop string, shopifyID int64, skus ...string) {
	f.t.Helper()
	f.send(TopicProductsUpdate, shop, shopifytest.ProductPayload(shopifyID, "Product", skus...))
}

func (f *fixture) mapping(shop string, shopifyID int64) (product, by string) {
	f.t.Helper()
	err := f.d.QueryRowContext(f.ctx, `SELECT product_id, matched_by FROM shopify_product_map WHERE shop = $1 AND shopify_product_id = $2`,
		shop, fmt.Sprint(shopifyID)).Scan(&product, &by)
	if err != nil {
		return "", ""
	}
	return product, by
}

func principal(brandID string, role brand.Role) auth.Principal {
	return auth.Principal{UserID: "u-" + string(role), BrandID: brandID, Role: role}
}
