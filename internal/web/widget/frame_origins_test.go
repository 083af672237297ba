package widget_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// TestFrameOrigins: a frame-only origin (the Shopify admin, added by an
// app install) may frame the widget page, but it is not a store origin:
// a page asking for the handshake from it is refused.
func TestFrameOrigins(t *testing.T) {
	h, brandID, svc, d := surfaceOn(t, true)
	const admin = "https://admin.shopify.com"
	err := d.InTx(context.Background(), func(tx *sql.Tx) error {
		return svc.AddFrameOriginsTx(context.Background(), tx, brandID, "shopify:x.myshopify.com", []string{admin})
	})
	if err != nil {
		t.Fatal(err)
	}
	w := get(h, "/embed/frame?brand="+brandID+"&product=p1&nonce=n1&origin="+shop)
	if csp := w.Header().Get("Content-Security-Policy"); w.Code != 200 || !strings.HasSuffix(csp, "; frame-ancestors "+admin+" "+shop) {
		t.Fatalf("%d, CSP %q: want the store and the admin as frame-ancestors", w.Code, csp)
	}
	if w := get(h, "/embed/frame?brand="+brandID+"&product=p1&nonce=n1&origin="+admin); w.Code != 403 {
		t.Fatalf("the admin origin ran the handshake page: %d", w.Code)
	}
}
