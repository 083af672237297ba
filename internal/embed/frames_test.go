package embed

import (
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

func TestAddOriginsAndFrameOrigins(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		tx := func(fn func(tx *sql.Tx) error) error { return f.svc.db.InTx(f.ctx, fn) }
		var got []string
		// Added in canonical form, merged with what is there, deduplicated.
		err := tx(func(tx *sql.Tx) (err error) {
			got, err = f.svc.AddOriginsTx(f.ctx, tx, f.a, []string{"HTTPS://Mugs.Example:443", f.shop, "https://x.myshopify.com"})
			return err
		})
		want := []string{"https://mugs.example", f.shop, "https://x.myshopify.com"}
		slices.Sort(want)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("AddOriginsTx = %v, %v; want %v", got, err, want)
		}
		if list, _ := f.svc.Origins(f.ctx, f.a); !slices.Equal(list, want) {
			t.Fatalf("stored %v", list)
		}
		// A bad entry: 422 and nothing written.
		err = tx(func(tx *sql.Tx) error {
			_, err := f.svc.AddOriginsTx(f.ctx, tx, f.a, []string{"https://fine.example", "http://not-https.example"})
			return err
		})
		if apperr.CodeOf(err) != apperr.Unprocessable {
			t.Fatalf("bad origin: %v", err)
		}
		// Past the bound: refused.
		var many []string
		for i := range MaxOrigins {
			many = append(many, fmt.Sprintf("https://s%d.example", i))
		}
		err = tx(func(tx *sql.Tx) error { _, err := f.svc.AddOriginsTx(f.ctx, tx, f.a, many); return err })
		if apperr.CodeOf(err) != apperr.Unprocessable {
			t.Fatalf("over the bound: %v", err)
		}
		if list, _ := f.svc.Origins(f.ctx, f.a); !slices.Equal(list, want) {
			t.Fatalf("a refused add changed the list: %v", list)
		}

		// Frame-only origins frame, never handshake; removed by source.
		if err := tx(func(tx *sql.Tx) error {
			return f.svc.AddFrameOriginsTx(f.ctx, tx, f.a, "shopify:x", []string{"https://admin.shopify.com"})
		}); err != nil {
			t.Fatal(err)
		}
		frame, _ := f.svc.FrameAncestors(f.ctx, f.a)
		if !slices.Contains(frame, "https://admin.shopify.com") || len(frame) != len(want)+1 {
			t.Fatalf("frame ancestors %v", frame)
		}
		if ok, _ := f.svc.Allowed(f.ctx, f.a, "https://admin.shopify.com"); ok {
			t.Fatal("a frame-only origin may run the handshake")
		}
		if other, _ := f.svc.FrameAncestors(f.ctx, f.b); slices.Contains(other, "https://admin.shopify.com") {
			t.Fatal("another brand got the frame origin")
		}
		if err := tx(func(tx *sql.Tx) error { return f.svc.RemoveFrameOriginsTx(f.ctx, tx, f.a, "shopify:x") }); err != nil {
			t.Fatal(err)
		}
		if frame, _ := f.svc.FrameAncestors(f.ctx, f.a); !slices.Equal(frame, want) {
			t.Fatalf("after removal %v", frame)
		}
	})
}
