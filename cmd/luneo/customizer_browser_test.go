package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/luneo/luneo/internal/platform/db"
)

// TestBrowserCustomizer is a shopper's whole visit in headless Chromium, the
// store on one loopback origin and Luneo on another: the handshake, the
// customizer ready with the product in 3D, a text layer typed and a photo
// uploaded, the server's preview shown in the zone and on the model, the
// live price (product + the brand's customization prices), a save, and
// "Add to cart" reaching the store's onAddToCart with the saved design.
// It logs init → ready and → first 3D frame (the measure).
func TestBrowserCustomizer(t *testing.T) {
	needBundles(t)
	ctx := browser(t)
	fe := flowEnvs()[0]
	env := fe.env(t)
	p := start(t, "dev", env)
	c := signup(t, p.url, fe.dbURL(env), "customizer@example.com", "Customize Co")
	product, zone := mugProduct(t, c, 512, map[string]any{"dpi": 150})
	c.must(200, "PATCH", "/api/products/"+product, map[string]any{"status": "active"})
	c.must(200, "PUT", "/api/products/"+product+"/pricing", map[string]any{"rules": []any{
		map[string]any{"zone_id": "", "layer_type": "text", "amount": 250},
		map[string]any{"zone_id": zone, "layer_type": "image", "amount": 400}}})
	brandID := str(c.must(200, "GET", "/api/brand", nil), "brand", "id")
	store := serveHTML(func(r *http.Request) string {
		return storePage(p.url, brandID, product, "")
	})
	defer store.Close()
	c.must(200, "PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{store.URL}})

	watch := watchPage(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(store.URL+"/"), waitJS(`window.__events.length > 0`, 30*time.Second)); err != nil {
		t.Fatalf("no ready: %v", err)
	}
	if events, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__events`)); len(events) != 1 || events[0] != "ready" {
		t.Fatalf("events %q, want [ready]", events)
	}
	readyMs, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__readyMs`))

	// inFrame evaluates JavaScript in the widget iframe's DOM; until polls it.
	inFrame := func(expr string) string { return frameEval(t, ctx, "/embed/frame", expr) }
	until := func(what, expr string, timeout time.Duration) string {
		t.Helper()
		var got string
		for deadline := time.Now().Add(timeout); ; time.Sleep(100 * time.Millisecond) {
			if got = inFrame(expr); got != "" && got != "false" && got != "null" {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still %q after %s; iframe: %s", what, got, timeout,
					inFrame(`document.getElementById('luneo-widget').outerHTML.slice(0, 3000)`))
			}
		}
	}
	until("customizer ready", `document.getElementById('luneo-customizer').dataset.customizer === 'ready'`, 30*time.Second)
	price := func() string {
		return inFrame(`document.querySelector('[data-testid=price]').dataset.amount || ''`)
	}
	if got := price(); got != "1290" {
		t.Errorf("price before customizing: %q, want 1290 (the product's)", got)
	}
	// The product is in 3D: model-viewer loaded the model (a frame shown).
	timings := until("first 3D frame", `(() => { const t = JSON.parse(document.getElementById('luneo-widget').dataset.timings || '{}');
		return t.firstFrame ? JSON.stringify(t) : ''; })()`, 60*time.Second)

	// The store's iframe grows to the customizer's height (resize messages):
	// no inner scrolling, the tools and Add to cart in view of the page.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		inner, _ := strconv.Atoi(inFrame(`String(document.documentElement.scrollHeight)`))
		outer, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('#luneo iframe').getBoundingClientRect().height`))
		if inner > 480 && outer >= float64(inner)-2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the iframe is %.0f px high for %d px of customizer", outer, inner)
		}
	}

	// The 3D view faces the print zone (the mug's wrap is centred a quarter
	// turn from the front).
	orbit := inFrame(`document.querySelector('model-viewer').getAttribute('camera-orbit') || ''`)
	var theta, phi float64
	if _, err := fmt.Sscanf(orbit, "%fdeg %fdeg auto", &theta, &phi); err != nil || math.Abs(math.Abs(theta)-90) > 5 || math.Abs(phi-90) > 5 {
		t.Errorf("camera orbit %q, want the zone's quarter turn", orbit)
	}

	// Text: a new layer, typed into.
	inFrame(`document.querySelector('[data-testid=add-text]').click(); 'ok'`)
	until("text field", `!!document.querySelector('[data-testid=text-input]')`, 5*time.Second)
	inFrame(`(() => { const i = document.querySelector('[data-testid=text-input]'); i.value = 'Hello Luneo';
		i.dispatchEvent(new Event('input', {bubbles: true})); return 'ok'; })()`)

	// A photo, chosen in the file input as a shopper would.
	inFrame(`(() => {
		const b = Uint8Array.from(atob(` + strconvQuote(base64.StdEncoding.EncodeToString(photoPNG(t, 900, 600))) + `), (c) => c.charCodeAt(0));
		const dt = new DataTransfer(); dt.items.add(new File([b], 'photo.png', {type: 'image/png'}));
		const input = document.querySelector('[data-testid=image-input]'); input.files = dt.files;
		input.dispatchEvent(new Event('change', {bubbles: true})); return 'ok'; })()`)
	until("two layers", `[...document.querySelectorAll('[data-testid]')].filter((e) => /^layer-\d+$/.test(e.dataset.testid)).length === 2`, 20*time.Second)

	// What the shopper sees comes from the server once the zone is still,
	// in the zone editor and on the 3D model; the price follows.
	until("server preview in the zone", `document.querySelector('[data-testid^=zone-canvas-]').dataset.drawn === 'server'`, 20*time.Second)
	until("composed texture on the model", `Number(document.querySelector('model-viewer').dataset.textures || 0) > 0`, 30*time.Second)
	until("price with the text and the image", `document.querySelector('[data-testid=price]').dataset.amount === '1940'`, 10*time.Second)

	// Save, then add to cart: the store page gets the saved design.
	inFrame(`document.querySelector('[data-testid=save]').click(); 'ok'`)
	designID := until("saved", `document.getElementById('luneo-customizer').dataset.designId || ''`, 20*time.Second)
	inFrame(`document.querySelector('[data-testid=add-to-cart]').click(); 'ok'`)
	if err := chromedp.Do(ctx, waitJS(`window.__cart.length === 1`, 20*time.Second)); err != nil {
		t.Fatalf("no add to cart: %v", err)
	}
	cart, err := chromedp.Run(ctx, chromedp.Evaluate[[]map[string]any](`window.__cart`))
	if err != nil {
		t.Fatal(err)
	}
	item := cart[0]
	props, _ := item["properties"].(map[string]any)
	priceOf, _ := item["price"].(map[string]any)
	if item["designId"] != designID || item["version"] != 1.0 || priceOf["amount"] != 1940.0 || priceOf["fee"] != 650.0 || priceOf["currency"] != "EUR" ||
		props["_luneo_design"] != designID || !strings.Contains(str(item, "previewUrl"), "/p/dp_") ||
		!strings.Contains(str(props, "_luneo_link"), "luneo_design=de_") {
		t.Fatalf("cart item %v", item)
	}

	// The saved design is the shopper's: text and image in the zone, made by
	// a shopper, and its preview link answers an image.
	d, err := db.Open(context.Background(), fe.dbURL(env))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var kind, doc string
	if err := d.QueryRow(`SELECT d.creator_kind, v.document FROM designs d
		JOIN design_versions v ON v.design_id = d.id WHERE d.id = $1 AND v.version = 1`, designID).Scan(&kind, &doc); err != nil {
		t.Fatal(err)
	}
	if kind != "shopper" || !strings.Contains(doc, `"text":"Hello Luneo"`) || !strings.Contains(doc, `"type":"image"`) {
		t.Fatalf("saved design: %s %s", kind, doc)
	}
	if st, h, _ := get(t, str(item, "previewUrl")); st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "image/") {
		t.Fatalf("preview URL: %d %s", st, h.Get("Content-Type"))
	}

	// The design link reopens it for another shopper (no shopper key: the
	// widget's storage emptied, as in another browser), who saves version 2.
	inFrame(`localStorage.clear(); 'ok'`)
	if err := chromedp.Do(ctx, chromedp.Navigate(str(props, "_luneo_link")), waitJS(`window.__events.length > 0`, 30*time.Second)); err != nil {
		t.Fatalf("reopen by link: %v", err)
	}
	until("design reopened by link", `document.getElementById('luneo-customizer').dataset.designId === `+strconvQuote(designID), 30*time.Second)
	until("its two layers", `[...document.querySelectorAll('[data-testid]')].filter((e) => /^layer-\d+$/.test(e.dataset.testid)).length === 2`, 10*time.Second)
	inFrame(`document.querySelector('[data-testid=add-text]').click(); 'ok'`)
	until("a third layer", `[...document.querySelectorAll('[data-testid]')].filter((e) => /^layer-\d+$/.test(e.dataset.testid)).length === 3`, 10*time.Second)
	inFrame(`document.querySelector('[data-testid=save]').click(); 'ok'`)
	until("version 2 saved through the link", `document.getElementById('luneo-customizer').dataset.designVersion === '2'`, 20*time.Second)

	// Every control has a name a screen reader can say.
	if unnamed := inFrame(`JSON.stringify([...document.querySelectorAll('button, input, select, textarea, [role=tab]')]
		.filter((e) => !e.closest('[hidden]') && e.type !== 'hidden')
		.filter((e) => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.labels && e.labels.length) ||
			e.textContent.trim() || e.title))
		.map((e) => e.outerHTML.slice(0, 120)))`); unnamed != "[]" {
		t.Errorf("controls without an accessible name: %s", unnamed)
	}
	// On a 360 px wide phone, nothing overflows sideways.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if w := inFrame(`JSON.stringify([document.documentElement.scrollWidth, document.documentElement.clientWidth])`); func() bool {
		var sw [2]int
		return json.Unmarshal([]byte(w), &sw) != nil || sw[1] == 0 || sw[1] > 360 || sw[0] > sw[1]
	}() {
		t.Errorf("at 360 px the customizer overflows: [scrollWidth, clientWidth] = %s; widest: %s", w,
			inFrame(`JSON.stringify([...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
				.slice(0, 8).map((e) => e.tagName + '.' + e.className + '[' + (e.dataset.testid || '') + '] ' + Math.round(e.getBoundingClientRect().right)))`))
	}

	t.Logf("init → ready %.0f ms; iframe timings (ms from its navigation): %s", readyMs, timings)
	watch.take("Failed to load resource") // the AR/QR probe of a fresh save may 404 once
	watch.check(t, "customizer")
}

// photoPNG is a w×h gradient PNG standing in for a shopper's photo.
func photoPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
