package catalog

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// corpus is the shared folder of real-world models (see its README).
const corpus = "../../../shared/corpus"

// fixture is a catalog on a real database and a local blob store, with two
// brands and principals of several kinds.
type fixture struct {
	svc     *Service
	db      *db.DB
	blobs   *blob.FS
	tmp     string
	owner   auth.Principal // brand A
	viewer  auth.Principal // brand A
	reader  auth.Principal // API key of brand A with products:read
	other   auth.Principal // owner of brand B
	ctx     context.Context
	brandID string
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
	tmp := t.TempDir()
	f := &fixture{
		svc: New(d, blobs, Config{MaxModelSize: 2 << 20, TempDir: tmp}, slog.New(slog.NewTextHandler(io.Discard, nil))),
		db:  d, blobs: blobs, tmp: tmp, ctx: ctx, brandID: a.ID,
		owner:  auth.Principal{UserID: "u-owner", BrandID: a.ID, Role: brand.Owner},
		viewer: auth.Principal{UserID: "u-viewer", BrandID: a.ID, Role: brand.Viewer},
		reader: auth.Principal{APIKeyID: "k-read", BrandID: a.ID, Scopes: []brand.Action{brand.ProductsRead}},
		other:  auth.Principal{UserID: "u-other", BrandID: b.ID, Role: brand.Owner},
	}
	t.Cleanup(func() {
		// No upload may leave a temporary file behind, whatever happened.
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("temporary files left behind: %v", left)
		}
	})
	return f
}

// blobKeys lists every stored object.
func (f *fixture) blobKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	if err := f.blobs.List(f.ctx, "", func(i blob.Info) bool { keys = append(keys, i.Key); return true }); err != nil {
		t.Fatal(err)
	}
	return keys
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

// product creates a draft product.
func (f *fixture) product(t *testing.T, name, sku string) Product {
	t.Helper()
	p, err := f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: name, SKU: sku, Price: 1990, Currency: "eur"})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return p
}

// upload uploads a corpus file as the model of productID.
func (f *fixture) upload(t *testing.T, productID, path string) (Model, error) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		corpusMissing(t, "corpus file missing (%v): the shared corpus is not checked out here", err)
	}
	defer file.Close()
	return f.svc.UploadModel(f.ctx, f.owner, productID, Upload{Body: file, Filename: filepath.Base(path)})
}

// wantCode fails unless err carries code.
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

func ptr[T any](v T) *T { return &v }

// corpusMissing skips the test when the shared corpus (../shared/corpus
// from the repository root) is absent, or fails it when LUNEO_TEST_CORPUS
// is set, as CI does: there a missing corpus must not quietly turn the
// real-world checks into skips.
func corpusMissing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("LUNEO_TEST_CORPUS") != "" {
		t.Fatalf("LUNEO_TEST_CORPUS is set but "+format, args...)
	}
	t.Skipf(format, args...)
}
