package shopify

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

func TestParseDesignRef(t *testing.T) {
	id, v, ok := ParseDesignRef(" 01938C2E-7a1b-7000-8000-000000000001:v3 ")
	if !ok || id != "01938c2e-7a1b-7000-8000-000000000001" || v != 3 {
		t.Fatalf("got %q %d %v", id, v, ok)
	}
	for _, bad := range []string{"", "abc", "abc:v0", "abc:v", "abc:3", ":v1", "abc:v1x", "a'b:v1", "abc:v-1", "abc:v1234567890"} {
		if _, _, ok := ParseDesignRef(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// orders/create with a design line becomes an order with that design
// version, its quantity, SKU, line id, customer reference and the mapped
// product; lines without the property are not Luneo's.
func TestOrdersCreate(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A-RED")
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 820982911946154508, Number: 1001,
			CustomerID: 115310627314723954, Lines: []shopifytest.Line{
				{ID: 466157049, ProductID: 7001, VariantID: 39072856, SKU: "MUG-A-RED", Title: "Mug", Quantity: 2, Design: f.designA + ":v2"},
				{ID: 518995019, ProductID: 632910392, VariantID: 49148385, SKU: "IPOD", Title: "iPod", Quantity: 1},
			}}))
		o := f.orders.get(f.a, f.shopA, "820982911946154508")
		if o == nil {
			t.Fatal("no order")
		}
		in := o.in
		if in.Source != SourceShopify || in.Name != "#1001" || in.Customer != "115310627314723954" || len(in.Lines) != 1 {
			t.Fatalf("order input %+v", in)
		}
		l := in.Lines[0]
		want := OrderLine{DesignID: f.designA, Version: 2, Quantity: 2, SKU: "MUG-A-RED", ExternalLineID: "466157049", ProductID: f.mugA}
		fee := l.Fee
		l.Fee = nil
		if l != want {
			t.Fatalf("line %+v, want %+v", l, want)
		}
		// No fee line, not priced by the Cart Transform: nothing charged.
		if fee == nil || *fee != (Fee{Amount: 0, Currency: "EUR"}) {
			t.Fatalf("fee %+v, want 0 EUR", fee)
		}
	})
}

// An order without a _luneo_design line is not recorded.
func TestOrdersWithoutDesignIgnored(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 9, Number: 1002,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 5, Quantity: 1, Properties: map[string]string{"Gift": "yes"}}}}))
		if f.orders.ingests != 0 {
			t.Fatalf("%d ingests of an order without a design", f.orders.ingests)
		}
	})
}

// A _luneo_design is a shopper-editable claim: a design of another brand,
// of another product than the one ordered, a version that does not exist,
// an unreadable value or an unmapped Shopify product make the line flagged
// (recorded without a design, never produced); the good line of the same
// order is unaffected.
func TestOrdersForeignDesignFlagged(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		f.mapSKU(f.shopA, 7002, "SHIRT-A")
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 77, Number: 1003, CustomerID: 3,
			Lines: []shopifytest.Line{
				{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"},  // good
				{ID: 2, ProductID: 7001, Quantity: 1, Design: f.designB + ":v1"},  // other brand's design
				{ID: 3, ProductID: 7001, Quantity: 1, Design: f.designS + ":v1"},  // the brand's shirt design on a mug
				{ID: 4, ProductID: 7001, Quantity: 1, Design: f.designA + ":v9"},  // no such version
				{ID: 5, ProductID: 7001, Quantity: 1, Design: "'; DROP TABLE x"},  // unreadable
				{ID: 6, ProductID: 9999, Quantity: 1, Design: f.designA + ":v1"},  // unmapped Shopify product
				{ID: 7, ProductID: 7002, Quantity: 1, Design: f.designS + ":v1"},  // good (shirt)
				{ID: 8, ProductID: 0, Quantity: 1, Design: f.designA + ":v1"},     // custom line, no product
				{ID: 9, ProductID: 7002, Quantity: 1, Design: f.designA + ":v1"},  // mug design on a shirt
				{ID: 10, ProductID: 7001, Quantity: 0, Design: f.designA + ":v1"}, // no quantity
			}}))
		o := f.orders.get(f.a, f.shopA, "77")
		if o == nil || len(o.in.Lines) != 10 {
			t.Fatalf("order %+v", o)
		}
		good := map[string]bool{"1": true, "7": true}
		for _, l := range o.in.Lines {
			if good[l.ExternalLineID] {
				if l.Flag != "" || l.DesignID == "" || l.ProductID == "" {
					t.Errorf("line %s: %+v, want produced", l.ExternalLineID, l)
				}
				continue
			}
			if l.Flag == "" || l.DesignID != "" || l.Version != 0 {
				t.Errorf("line %s: %+v, want flagged without a design", l.ExternalLineID, l)
			}
		}
		// The brand check on its own: brand B's design is no design of A's.
		if p, err := f.w.designProduct(f.ctx, f.a, f.designB, 1); err != nil || p != "" {
			t.Fatalf("brand B's design read as brand A's: %q %v", p, err)
		}
		// Another brand's shop cannot claim brand A's design either.
		f.mapSKU(f.shopB, 8001, "CAP-B")
		f.send(TopicOrdersCreate, f.shopB, shopifytest.OrderPayload(shopifytest.Order{ID: 78, Number: 1,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 8001, Quantity: 1, Design: f.designA + ":v1"}}}))
		ob := f.orders.get(f.b, f.shopB, "78")
		if ob == nil || ob.in.Lines[0].Flag == "" || ob.in.Lines[0].DesignID != "" {
			t.Fatalf("brand B's order claiming A's design: %+v", ob)
		}
	})
}

// orders/updated with cancelled_at cancels; an update without it is the
// same order (idempotent); a cancellation of an order Luneo never recorded
// is nothing.
func TestOrdersUpdatedCancels(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		o := shopifytest.Order{ID: 42, Number: 1004, Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}}
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(o))
		f.send(TopicOrdersUpdated, f.shopA, shopifytest.OrderPayload(o))
		if len(f.orders.orders) != 1 || f.orders.get(f.a, f.shopA, "42").cancelled {
			t.Fatalf("orders after an update: %d", len(f.orders.orders))
		}
		o.Cancelled = true
		f.send(TopicOrdersUpdated, f.shopA, shopifytest.OrderPayload(o))
		if !f.orders.get(f.a, f.shopA, "42").cancelled {
			t.Fatal("not cancelled")
		}
		// Never recorded: no error, nothing created.
		f.send(TopicOrdersUpdated, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 43, Number: 1005, Cancelled: true,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}}))
		if len(f.orders.orders) != 1 {
			t.Fatal("a cancelled order was ingested")
		}
	})
}

// Orders of a shop not installed (uninstalled, or unknown) are not ingested.
func TestOrdersOfUninstalledShop(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		f.send(TopicAppUninstalled, f.shopA, shopifytest.AppUninstalledPayload(f.shopA))
		if len(f.shops.uninstalled) != 1 {
			t.Fatal("app/uninstalled did not reach the installations")
		}
		body := shopifytest.OrderPayload(shopifytest.Order{ID: 50, Number: 1, Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}})
		f.send(TopicOrdersCreate, f.shopA, body)
		f.send(TopicOrdersCreate, "unknown.myshopify.com", body)
		if f.orders.ingests != 0 {
			t.Fatal("an order of a shop not installed was ingested")
		}
		// The data is kept until shop/redact.
		if p, _ := f.mapping(f.shopA, 7001); p != f.mugA {
			t.Fatal("uninstall dropped the mappings")
		}
	})
}

func TestOrderIDsKeptExactly(t *testing.T) {
	var o shopifyOrder
	ev := event{Topic: TopicOrdersCreate, Payload: []byte(`{"id": 9007199254740993, "customer": {"id": "123"}, "line_items": []}`)}
	if err := decode(ev, &o); err != nil {
		t.Fatal(err)
	}
	if o.ID != "9007199254740993" || o.Customer.ID != "123" {
		t.Fatalf("ids %q %q", o.ID, o.Customer.ID)
	}
	ev.Payload = []byte(`{"id": 1.5}`)
	if err := decode(ev, &o); err == nil || !strings.Contains(err.Error(), "not the JSON") {
		t.Fatalf("a fractional id: %v", err)
	}
}

// The fee each customized line was charged: its fee lines (unit price ×
// quantity, split over the design's lines by quantity), else its
// _luneo_fee per unit when the Cart Transform priced it (its title says
// so; shoppers cannot set titles), else nothing; fee lines are not order
// lines.
func TestOrderFees(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A-RED")
		a2 := f.designA + ":v2"
		a1 := f.designA + ":v1"
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 4242, Number: 1010, Lines: []shopifytest.Line{
			// v2 twice (3 + 1 mugs), paid by two fee lines of 0.01: 1950 + 650.
			{ID: 1, ProductID: 7001, SKU: "MUG-A-RED", Title: "Mug", Quantity: 3, Design: a2, Fee: "650"},
			{ID: 2, ProductID: 9999, SKU: "FEE", Title: "Personalization fee", Quantity: 1950, Price: "0.01", Design: a2, FeeFor: "k1"},
			{ID: 3, ProductID: 7001, SKU: "MUG-A-RED", Title: "Mug", Quantity: 1, Design: a2, Fee: "650"},
			{ID: 4, ProductID: 9999, SKU: "FEE", Title: "Personalization fee", Quantity: 650, Price: "0.01", Design: a2, FeeFor: "k3"},
			// v1 priced by the Cart Transform: 650 per unit.
			{ID: 5, ProductID: 7001, SKU: "MUG-A-RED", Title: "Mug (personalized)", Quantity: 2, Design: a1, Fee: "650"},
			// v1 again, claiming a fee no fee line and no transform charged.
			{ID: 6, ProductID: 7001, SKU: "MUG-A-RED", Title: "Mug", Quantity: 1, Design: a1, Fee: "650"},
		}}))
		o := f.orders.get(f.a, f.shopA, "4242")
		if o == nil {
			t.Fatal("no order")
		}
		var got []string
		for _, l := range o.in.Lines {
			got = append(got, fmt.Sprintf("%s %d:%d %s", l.ExternalLineID, l.Quantity, l.Fee.Amount, l.Fee.Currency))
		}
		want := []string{"1 3:1950 EUR", "3 1:650 EUR", "5 2:1300 EUR", "6 1:0 EUR"}
		if !slices.Equal(got, want) {
			t.Fatalf("lines (id qty:fee) %v, want %v", got, want)
		}
	})
}

func TestMinorUnits(t *testing.T) {
	for _, c := range []struct {
		price, currency string
		want            int64
		ok              bool
	}{
		{"0.01", "EUR", 1, true}, {"24.00", "EUR", 2400, true}, {"24", "EUR", 2400, true}, {"1300.00", "JPY", 1300, true},
		{"1.500", "KWD", 1500, true}, {"0.015", "EUR", 0, false}, {"1.50", "JPY", 0, false}, {"-1.00", "EUR", 0, false},
		{"1e3", "EUR", 0, false}, {"", "EUR", 0, false},
	} {
		got, ok := minorUnits(c.price, c.currency)
		if got != c.want || ok != c.ok {
			t.Errorf("minorUnits(%q, %s) = %d, %v; want %d, %v", c.price, c.currency, got, ok, c.want, c.ok)
		}
	}
}
