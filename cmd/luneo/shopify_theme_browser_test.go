package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// fakeShop is a minimal Shopify product page, as a theme renders it with
// Luneo's app embed and Personalize block (shopify/extensions/luneo-theme,
// the Liquid rendered by hand below), with a fake Cart AJAX API that
// records what the block posts, beside a fake Luneo that answers the
// storefront product resolution and serves a stub widget loader whose
// LuneoWidget.init records its options and offers a button calling
// onAddToCart with an item shaped as the real widget's (docs/embed.md §6;
// TestBrowserCustomizer drives the real widget up to onAddToCart).
type fakeShop struct {
	luneo, store *httptest.Server
	mu           sync.Mutex
	adds         []map[string]any // bodies of POST /cart/add.js
	changes      []map[string]any // bodies of POST /cart/change.js
	failFee      bool             // answer 422 to the fee line
}

const stubLoader = `window.LuneoWidget = {init: function (o) {
  window.__init = {brand: o.brand, product: o.product, locale: o.locale, inBox: o.container.hasAttribute('data-luneo-box')};
  var b = document.createElement('button'); b.id = 'stub-add'; b.textContent = 'Add to cart (widget)';
  b.onclick = function () { o.onAddToCart({designId: '01938c2e-5f1a-7b2c-8d3e-4f5a6b7c7a1b', version: 3,
    properties: {Design: 'Mug', _luneo_design: '01938c2e-5f1a-7b2c-8d3e-4f5a6b7c7a1b', _luneo_version: '3'},
    previewUrl: '%s/p/dp_preview', price: {amount: 1940, currency: 'EUR', formatted: '€19.40', fee: 650}}); };
  o.container.appendChild(b);
}};`

// block is personalize.liquid's output for product 111 of luneo-test.myshopify.com.
const block = `<div class="luneo-personalize" data-luneo-personalize data-shop="luneo-test.myshopify.com"
  data-product="%d" data-variant="4241" data-currency="EUR" data-shop-currency="EUR" data-locale="fr"
  data-placement="inline" data-transform="%t" data-fee-variant="777"
  data-cart-add="/cart/add" data-cart-change="/cart/change" data-cart="/cart" data-design-mode="false"
  data-msg-error="Could not add." data-msg-loader="No loader." data-msg-fee-setup="No fee." data-msg-currency="Currency."
  data-msg-design="Design." data-msg-adding="Adding…" data-msg-added="Added." hidden>
  <button type="button" class="button" aria-expanded="false" aria-controls="luneo-box-b1" data-luneo-open>Personalize</button>
  <div id="luneo-box-b1" class="luneo-personalize__box" data-luneo-box hidden></div>
  <p role="status" aria-live="polite" data-luneo-status></p>
  <p role="alert" tabindex="-1" data-luneo-error hidden></p>
</div>`

func newFakeShop(t *testing.T) *fakeShop {
	t.Helper()
	js, err := os.ReadFile(filepath.Join("..", "..", "shopify", "extensions", "luneo-theme", "assets", "luneo-personalize.js"))
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeShop{}
	s.luneo = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/embed/luneo.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, stubLoader, s.luneo.URL)
		case "/api/shopify/storefront/product":
			w.Header().Set("Access-Control-Allow-Origin", s.store.URL)
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Query().Get("shop") != "luneo-test.myshopify.com" || r.URL.Query().Get("product") != "111" {
				w.WriteHeader(http.StatusNotFound)
				_, _ = io.WriteString(w, `{"error":"not mapped"}`)
				return
			}
			_, _ = io.WriteString(w, `{"brand":"brand-1","product":"product-1"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	s.store = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/assets/luneo-personalize.js":
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write(js)
		case r.URL.Path == "/cart/add.js" || r.URL.Path == "/cart/change.js":
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			s.mu.Lock()
			defer s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == "/cart/change.js" {
				s.changes = append(s.changes, body)
				_, _ = io.WriteString(w, `{"items":[]}`)
				return
			}
			s.adds = append(s.adds, body)
			items, _ := body["items"].([]any)
			first, _ := items[0].(map[string]any)
			if first["id"] == 777.0 {
				if s.failFee {
					w.WriteHeader(http.StatusUnprocessableEntity)
					_, _ = io.WriteString(w, `{"status":422,"message":"Cart Error","description":"The fee product is sold out."}`)
					return
				}
				fmt.Fprintf(w, `{"items":[{"key":"777:feekey","quantity":%v}]}`, first["quantity"])
				return
			}
			fmt.Fprintf(w, `{"items":[{"key":"4242:linekey","quantity":%v}]}`, first["quantity"])
		case r.URL.Path == "/cart":
			_, _ = io.WriteString(w, `<!doctype html><title>Cart</title><h1 id="cart">Cart</h1>`)
		default:
			product := 111
			if r.URL.Path == "/products/plain" {
				product = 222
			}
			transform := r.URL.Query().Get("transform") == "1"
			cancel := ""
			if transform {
				// A theme with a cart drawer keeps the shopper on the page.
				cancel = `<script>document.addEventListener('luneo:cart-added', function (e) { e.preventDefault(); });
document.addEventListener('cart:refresh', function () { window.__refreshed = true; });</script>`
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><title>Mug</title>
<script src="%s/embed/luneo.js" defer data-luneo-loader></script>%s</head><body>
<div class="shopify-section"><h1>Mug</h1>
<form action="/cart/add" method="post"><select name="id"><option value="4241">Red</option><option value="4242" selected>Blue</option></select>
<input name="quantity" value="2"><button>Add to cart</button></form>
%s</div>
<script src="/assets/luneo-personalize.js" defer></script></body></html>`, s.luneo.URL, cancel, fmt.Sprintf(block, product, transform))
		}
	}))
	t.Cleanup(func() { s.store.Close(); s.luneo.Close() })
	return s
}

func (s *fakeShop) posts() (adds, changes []map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.adds...), append([]map[string]any(nil), s.changes...)
}

// TestBrowserShopifyPersonalize: the Personalize block on a fake Shopify
// product page resolves the mapped Luneo product, mounts the widget, and on
// onAddToCart posts the selected variant and quantity with the design's
// line properties to /cart/add.js, then the fee line bound to that line,
// then goes to the cart; on a Cart Transform shop, no fee line; a product
// that is not mapped keeps the block hidden; a refused fee line takes the
// design back out of the cart and says why.
func TestBrowserShopifyPersonalize(t *testing.T) {
	ctx := browser(t)
	s := newFakeShop(t)
	const design = "01938c2e-5f1a-7b2c-8d3e-4f5a6b7c7a1b:v3"
	open := func(url string) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.Navigate(url),
			waitJS(`!document.querySelector('[data-luneo-personalize]').hidden`, 10*time.Second),
			chromedp.Click(chromedp.CSS(`[data-luneo-open]`)),
			waitJS(`!!document.getElementById('stub-add')`, 10*time.Second))
		if err != nil {
			t.Fatalf("%s: block not shown or widget not mounted: %v", url, err)
		}
		init, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.__init`))
		if err != nil || init["brand"] != "brand-1" || init["product"] != "product-1" || init["locale"] != "fr" || init["inBox"] != true {
			t.Fatalf("LuneoWidget.init got %v (%v)", init, err)
		}
	}

	// Fee line (every plan).
	open(s.store.URL + "/products/mug")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#stub-add`))); err != nil {
		t.Fatal(err)
	}
	// The page navigates away: poll from here, a navigation interrupts an
	// in-page wait.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); err == nil && path == "/cart" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not sent to the cart")
		}
	}
	adds, _ := s.posts()
	if len(adds) != 2 {
		t.Fatalf("cart adds %v, want the design line and the fee line", adds)
	}
	line := adds[0]["items"].([]any)[0].(map[string]any)
	props, _ := line["properties"].(map[string]any)
	if line["id"] != 4242.0 || line["quantity"] != 2.0 || props["_luneo_design"] != design || props["_luneo_fee"] != "650" ||
		props["Personalization"] != s.luneo.URL+"/p/dp_preview" || props["_luneo_currency"] != "EUR" {
		t.Errorf("design line %v", line)
	}
	fee := adds[1]["items"].([]any)[0].(map[string]any)
	feeProps, _ := fee["properties"].(map[string]any)
	if fee["id"] != 777.0 || fee["quantity"] != 1300.0 || feeProps["_luneo_design"] != design || feeProps["_luneo_fee_for"] != "4242:linekey" {
		t.Errorf("fee line %v", fee)
	}

	// Cart Transform (Plus): the design line only; the theme keeps the page.
	open(s.store.URL + "/products/mug?transform=1")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#stub-add`)),
		waitJS(`window.__refreshed === true`, 10*time.Second)); err != nil {
		t.Fatalf("no cart:refresh: %v", err)
	}
	if adds, _ = s.posts(); len(adds) != 3 || adds[2]["items"].([]any)[0].(map[string]any)["id"] != 4242.0 {
		t.Errorf("cart adds with Cart Transform %v, want one more design line", adds)
	}
	if status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-luneo-status]').textContent`)); status != "Added." {
		t.Errorf("status %q", status)
	}

	// A product that is not mapped: the block stays hidden.
	if err := chromedp.Do(ctx, chromedp.Navigate(s.store.URL+"/products/plain"),
		waitJS(`!!document.querySelector('[data-luneo-state]')`, 10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const b = document.querySelector('[data-luneo-personalize]');
		return b.dataset.luneoState + (b.hidden ? ' hidden' : ' shown'); })()`)); state != "unmapped hidden" {
		t.Errorf("block for a product that is not mapped: %s, want unmapped hidden", state)
	}

	// The fee line is refused: the design's units are taken back out and
	// Shopify's reason is shown in the alert.
	s.mu.Lock()
	s.failFee = true
	s.mu.Unlock()
	open(s.store.URL + "/products/mug")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#stub-add`)),
		waitJS(`!document.querySelector('[data-luneo-error]').hidden`, 10*time.Second)); err != nil {
		t.Fatalf("no error shown: %v", err)
	}
	msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-luneo-error]').textContent`))
	if !strings.Contains(msg, "sold out") {
		t.Errorf("alert %q", msg)
	}
	_, changes := s.posts()
	if len(changes) != 1 || changes[0]["id"] != "4242:linekey" || changes[0]["quantity"] != 0.0 {
		t.Errorf("rollback %v, want the design line back to 0", changes)
	}
	if path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); path != "/products/mug" {
		t.Errorf("went to %s after a failure", path)
	}
}
