package design

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// fixture is a design service on a real database and local blob store,
// with two brands, a product of brand A with a print zone ("front", 100×50
// mm at 300 DPI) and a colour zone ("body"), and actors of several kinds.
type fixture struct {
	svc     *Service
	cat     *catalog.Service
	db      *db.DB
	blobs   *blob.FS
	ctx     context.Context
	brandA  string
	brandB  string
	product catalog.Product
	front   string // print zone ID
	body    string // colour zone ID
	owner   Actor  // staff of brand A
	viewer  Actor  // staff of brand A who may only read
	key     Actor  // API key of brand A with products:write
	other   Actor  // owner of brand B
	shopper Actor  // a shopper of brand A
	clock   *testClock

	mu    sync.Mutex
	saved []VersionRef // what OnVersionSaved saw
	hook  error        // what OnVersionSaved returns
}

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost:8080", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	brands := brand.NewStore(d)
	a, err := brands.Create(ctx, "brand-a", "Brand A")
	if err != nil {
		t.Fatal(err)
	}
	b, err := brands.Create(ctx, "brand-b", "Brand B")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &fixture{db: d, blobs: blobs, ctx: ctx, brandA: a.ID, brandB: b.ID,
		cat:     catalog.New(d, blobs, catalog.Config{}, logger),
		owner:   StaffActor(auth.Principal{UserID: "u-owner", BrandID: a.ID, Role: brand.Owner}),
		viewer:  StaffActor(auth.Principal{UserID: "u-viewer", BrandID: a.ID, Role: brand.Viewer}),
		key:     StaffActor(auth.Principal{APIKeyID: "k-1", BrandID: a.ID, Scopes: []brand.Action{brand.ProductsRead, brand.ProductsWrite}}),
		other:   StaffActor(auth.Principal{UserID: "u-other", BrandID: b.ID, Role: brand.Owner}),
		shopper: ShopperActor(a.ID, "shopper-1"),
		clock:   &testClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)},
	}
	f.svc = New(d, blobs, f.cat, Config{
		Fonts: func(context.Context, string) ([]string, error) { return []string{"Noto Sans", "Noto Serif"}, nil },
		OnVersionSaved: func(_ context.Context, _ *sql.Tx, v VersionRef) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.hook != nil {
				return f.hook
			}
			f.saved = append(f.saved, v)
			return nil
		},
	}, logger)
	f.svc.SetClock(f.clock.now)
	owner := auth.Principal{UserID: "u-owner", BrandID: a.ID, Role: brand.Owner}
	f.product, err = f.cat.CreateProduct(ctx, owner, catalog.ProductSpec{Name: "Mug", Price: 1000, Currency: "EUR",
		Variants: []catalog.Variant{{Name: "Large"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.front = f.zone(t, a.ID, f.product.ID, "Front", "print", `{}`)
	f.body = f.zone(t, a.ID, f.product.ID, "Body", "colour", `{}`)
	return f
}

// zone inserts a zone row directly: the catalog only adds zones to a
// product with an uploaded 3D model, which these tests do not need. over
// is a JSON object of column values replacing the defaults below.
func (f *fixture) zone(t *testing.T, brandID, productID, name, typ, over string) string {
	t.Helper()
	cols := map[string]any{"width_mm": 100.0, "height_mm": 50.0, "dpi": 300, "layer_types": `["text","image","colour"]`,
		"max_layers": 10, "max_chars": 200, "fonts": `[]`, "colours": `[]`, "colour_options": `[]`,
		"bleed_mm": 0.0, "safe_mm": 0.0, "min_image_dpi": 100, "min_text_pt": 6.0}
	if typ == "colour" {
		cols["colour_options"] = `[{"name":"Red","hex":"#ff0000"},{"name":"Black","hex":"#000000"}]`
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(over), &o); err != nil {
		t.Fatal(err)
	}
	for k, v := range o {
		cols[k] = v
	}
	id := "z-" + strings.ToLower(name) + "-" + productID[len(productID)-6:]
	now := db.Time(time.Now())
	_, err := f.db.ExecContext(f.ctx, `INSERT INTO product_zones (id, brand_id, product_id, name, type, material,
		width_mm, height_mm, dpi, layer_types, max_layers, max_chars, fonts, colours, colour_options, position,
		bleed_mm, safe_mm, min_image_dpi, min_text_pt, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'mat', $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $16, $17, $18, $19, $19)`,
		id, brandID, productID, name, typ, cols["width_mm"], cols["height_mm"], cols["dpi"], cols["layer_types"],
		cols["max_layers"], cols["max_chars"], cols["fonts"], cols["colours"], cols["colour_options"],
		cols["bleed_mm"], cols["safe_mm"], cols["min_image_dpi"], cols["min_text_pt"], now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// asset records an image asset of w×h pixels for brandID without a file
// (validation reads only the row).
func (f *fixture) asset(t *testing.T, brandID, sha string, w, h int) {
	t.Helper()
	now := db.Time(f.clock.now())
	if _, err := f.db.ExecContext(f.ctx, `INSERT INTO design_assets (brand_id, sha256, upload_sha256, blob_key, format,
		width, height, size, filename, creator_kind, creator_id, created_at, used_at)
		VALUES ($1, $2, $2, $3, 'png', $4, $5, 1, 'x.png', 'staff', 'u', $6, $6)`,
		brandID, sha, assetKey(brandID, sha, "png"), w, h, now); err != nil {
		t.Fatal(err)
	}
}

// doc builds a document JSON for the fixture's product from zone entries.
func (f *fixture) doc(zones ...string) json.RawMessage {
	return json.RawMessage(`{"product_id":"` + f.product.ID + `","zones":[` + strings.Join(zones, ",") + `]}`)
}

// text is a zone entry of the front zone with one text layer; extra is
// more JSON members of the layer.
func (f *fixture) text(extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	return `{"zone_id":"` + f.front + `","layers":[{"type":"text","text":"Hello","font":"Noto Sans","size_pt":24,"x_mm":10,"y_mm":20` + extra + `}]}`
}

// count returns the number of rows of table.
func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantCode fails unless err carries code and mentions every string.
func wantCode(t *testing.T, err error, code apperr.Code, contains ...string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("got %v, want code %s", err, code)
	}
	for _, c := range contains {
		if !strings.Contains(err.Error(), c) {
			t.Errorf("error %q does not mention %q", err, c)
		}
	}
}

func second[T any](_ T, err error) error { return err }
