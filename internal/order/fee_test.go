package order_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/webhook"
)

// A store order's fee is checked against Luneo's quote of the locked
// version: enough is fine, short or in another currency is an issue on the
// line (kept, shown, production goes on), a flagged line is not checked,
// and an API order reports no fee at all.
func TestFeeCheck(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, false)
		s := e.a.Orders
		// 6.50 once the print zone holds anything.
		if _, err := e.a.Catalog.SetPriceRules(e.ctx, e.owner, e.product, []catalog.PriceRule{{ZoneID: e.zone, Amount: 650}}); err != nil {
			t.Fatal(err)
		}
		pr, _, _, err := e.a.Catalog.ProductPricing(e.ctx, e.brand, e.product)
		if err != nil {
			t.Fatal(err)
		}
		cur := pr.Currency
		other := "USD"
		if cur == other {
			other = "EUR"
		}
		line := func(qty int, fee int64, currency string) order.LineInput {
			return order.LineInput{DesignID: e.design, Version: 1, Quantity: qty, Fee: &order.Money{Amount: fee, Currency: currency}}
		}
		flagged := line(1, 0, cur)
		flagged.Flag = "the Shopify product is not mapped"
		o, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceShopify, Store: "fee.myshopify.com", ExternalID: "F-1",
			Lines: []order.LineInput{line(2, 1300, cur), line(2, 650, strings.ToLower(cur)), line(1, 650, other), flagged, line(1, 9999, cur)}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(e.ctx, e.owner, o.ID) // as stored
		if err != nil {
			t.Fatal(err)
		}
		ls := got.Lines
		check := func(i int, charged, quoted int64, issue string) {
			t.Helper()
			l := ls[i]
			if l.FeeCharged == nil || l.FeeQuoted == nil || *l.FeeCharged != charged || *l.FeeQuoted != quoted || l.FeeCurrency != cur {
				t.Errorf("line %d: charged %v quoted %v %s, want %d %d %s", i+1, l.FeeCharged, l.FeeQuoted, l.FeeCurrency, charged, quoted, cur)
			}
			if (issue == "") != (l.PriceIssue == "") || !strings.Contains(l.PriceIssue, issue) {
				t.Errorf("line %d: issue %q, want %q", i+1, l.PriceIssue, issue)
			}
		}
		check(0, 1300, 1300, "")
		check(1, 650, 1300, "fee short: the store charged 6.50 "+cur+", Luneo's quote is 13.00 "+cur)
		check(2, 650, 650, "charged in "+other)
		check(4, 9999, 650, "") // more than the quote is the merchant's business
		if l := ls[3]; l.Flag == "" || l.DesignID != "" || l.FeeCharged != nil || l.PriceIssue != "" {
			t.Errorf("flagged line %+v", l)
		}

		api, _, err := s.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceAPI, ExternalID: "F-2",
			Lines: []order.LineInput{{DesignID: e.design, Version: 1, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		if l := api.Lines[0]; l.FeeCharged != nil || l.FeeQuoted != nil || l.PriceIssue != "" {
			t.Errorf("API line has a fee check: %+v", l)
		}
	})
}

// The largest order a store may send, with every field at its longest,
// still makes its order.created event (emitted in the order's own
// transaction: an event over the webhook bound would refuse the order).
func TestLargestOrderEmitsItsEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, vars map[string]string) {
		e := newEnv(t, vars, false)
		if _, _, err := e.a.Webhooks.CreateEndpoint(e.ctx, e.owner, webhook.EndpointSpec{URL: "https://hooks.example.com/luneo",
			Topics: []string{order.EventCreated}}); err != nil {
			t.Fatal(err)
		}
		// Half the lines produced with a price issue, half flagged with the
		// longest flag Shopify's side writes, every id and SKU at 100
		// characters.
		lines := make([]order.LineInput, order.MaxLines)
		for i := range lines {
			lines[i] = order.LineInput{DesignID: e.design, Version: 1, Quantity: 1,
				SKU: strings.Repeat("S", 100), ExternalLineID: fmt.Sprintf("%0100d", i),
				Fee: &order.Money{Amount: 1, Currency: "XXX"}} // another currency: a price issue
			if i%2 == 1 {
				lines[i].ProductID = strings.Repeat("p", 100)
				lines[i].Flag = `_luneo_design "` + strings.Repeat("d", 100) + `" is a design of another product than the one ordered`
			}
		}
		o, _, err := e.a.Orders.Ingest(e.ctx, e.brand, order.Input{Source: order.SourceShopify, Store: "big.myshopify.com",
			ExternalID: "BIG-1", Lines: lines})
		if err != nil {
			t.Fatalf("the largest order: %v", err)
		}
		var n int
		if err := e.a.DB.QueryRowContext(e.ctx, `SELECT count(*) FROM webhook_deliveries WHERE brand_id = $1 AND topic = $2 AND payload LIKE $3`,
			e.brand, order.EventCreated, "%"+o.ID+"%").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d order.created deliveries (%v)", n, err)
		}
	})
}
