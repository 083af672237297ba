package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestOrdersPages: the list with its filters and status badges, an order's
// page (a refused line shown as not produced), the fulfilled form, the
// settings form refusing a path in the pattern, and another brand's order
// answering 404.
func TestOrdersPages(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("orders-page@example.com", "Olga", "Order Co")
	var brandID string
	if err := e.DB.QueryRowContext(t.Context(), `SELECT id FROM brands WHERE name = 'Order Co'`).Scan(&brandID); err != nil {
		t.Fatal(err)
	}
	o, _, err := e.App.Orders.Ingest(t.Context(), brandID, order.Input{Source: order.SourceShopify, Store: "o.myshopify.com",
		ExternalID: "555", Name: "#1555", Lines: []order.LineInput{{Quantity: 3, SKU: "TEE-M"}}})
	if err != nil {
		t.Fatal(err)
	}
	webtest.Want(t, b.Get("/app/orders"), http.StatusOK, "#1555", "badge-order-received", `href="/app/orders/`+o.ID+`"`)
	webtest.Want(t, b.Get("/app/orders?status=cancelled"), http.StatusOK, "No orders match these filters")
	webtest.Want(t, b.Get("/app/orders/"+o.ID), http.StatusOK, "Order #1555", "not produced", order.FlagNoDesign, "TEE-M", "Mark fulfilled")
	if strings.Contains(b.Get("/app/orders/"+o.ID).Body, "check the price") {
		t.Error("a line without a fee issue asks to check the price")
	}
	// What the fee check found is shown on its line.
	if _, err := e.DB.ExecContext(t.Context(), `UPDATE order_lines SET price_issue = $2 WHERE order_id = $1`, o.ID,
		"fee short: the store charged 0.00 EUR, Luneo's quote is 6.50 EUR"); err != nil {
		t.Fatal(err)
	}
	webtest.Want(t, b.Get("/app/orders/"+o.ID), http.StatusOK, "check the price", "fee short: the store charged 0.00 EUR, Luneo&#39;s quote is 6.50 EUR")

	p := b.Post("/app/orders/"+o.ID+"/status", "status", "fulfilled")
	webtest.WantRedirect(t, p, "/app/orders/"+o.ID)
	page := b.Follow(p)
	webtest.Want(t, page, http.StatusOK, "Order #1555 is fulfilled.", "badge-order-fulfilled")
	if strings.Contains(page.Body, "Mark fulfilled") {
		t.Error("a fulfilled order still offers the status forms")
	}
	p = b.Post("/app/orders/"+o.ID+"/status", "status", "cancelled")
	webtest.Want(t, b.Follow(p), http.StatusOK, "cannot be marked cancelled")

	webtest.Want(t, b.Get("/app/orders/settings"), http.StatusOK, order.DefaultPattern)
	webtest.Want(t, b.Post("/app/orders/settings", "file_pattern", "../{order}"), http.StatusBadRequest, "must not contain")
	p = b.Post("/app/orders/settings", "file_pattern", "{order}-{zone}", "notify_email", "on")
	webtest.WantRedirect(t, p, "/app/orders/settings")
	webtest.Want(t, b.Follow(p), http.StatusOK, "Order settings saved.", `value="{order}-{zone}"`)

	// Another brand's member: the order does not exist for them.
	other := e.Browser()
	other.Signup("orders-other@example.com", "Otto", "Other Co")
	if got := other.Get("/app/orders/" + o.ID); got.Status != http.StatusNotFound {
		t.Errorf("another brand's order page: %d", got.Status)
	}
	if got := other.Post("/app/orders/"+o.ID+"/status", "status", "cancelled"); got.Status != http.StatusNotFound {
		t.Errorf("another brand's status form: %d", got.Status)
	}
	if body := other.Get("/app/orders").Body; strings.Contains(body, "#1555") {
		t.Error("another brand lists the order")
	}
}
