// Package demostore is the web store `luneo dev` runs beside Luneo on
// another port (LUNEO_DEMO_STORE_ADDR): one product page that embeds the
// demo mug's widget exactly as a brand's store would, with the two-line
// snippet (docs/embed.md), and a cart that lists what the widget's "Add to
// cart" hands over. It is a second origin on loopback, so `make run` shows
// the real cross-origin handshake, not a same-origin shortcut.
package demostore

import (
	"html/template"
	"net/http"
	"strings"
)

// Store is the demo store's handler.
type Store struct {
	// Luneo is Luneo's base URL (where the loader and the iframe come from).
	Luneo string
	// Brand and Product are the demo product's IDs.
	Brand, Product string
}

// ServeHTTP answers the product page and its script.
func (s Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case "/":
		locale := "en"
		if r.URL.Query().Get("locale") == "fr" {
			locale = "fr"
		}
		luneo := strings.TrimRight(s.Luneo, "/")
		// What a store's own policy would allow for the widget: Luneo's
		// script, its iframe and its API (the loader's token calls).
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+luneo+"; frame-src "+luneo+
			"; connect-src "+luneo+"; img-src 'self' data: "+luneo+"; style-src 'self'; base-uri 'none'; object-src 'none'")
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		_ = page.Execute(w, map[string]string{"Luneo": luneo, "Brand": s.Brand, "Product": s.Product, "Locale": locale})
	case "/store.js":
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write([]byte(storeJS))
	case "/store.css":
		h.Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write([]byte(storeCSS))
	default:
		http.NotFound(w, r)
	}
}

var page = template.Must(template.New("store").Parse(`<!doctype html>
<html lang="{{.Locale}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo store — Luneo mug</title>
<link rel="stylesheet" href="/store.css">
</head><body>
<header><strong>Demo store</strong> <span class="note">a web store on another origin, embedding Luneo's widget</span>
<nav><a href="/?locale=en">English</a> · <a href="/?locale=fr">Français</a></nav></header>
<main>
<h1>Luneo mug</h1>
<p>Make it yours: add your text and photo, see it in 3D and in AR, then add it to the cart.</p>
<div id="luneo" data-brand="{{.Brand}}" data-product="{{.Product}}" data-locale="{{.Locale}}"></div>
<p id="widget-status" role="status"></p>
<h2>Cart</h2>
<ul id="cart"><li class="empty">Empty.</li></ul>
</main>
<!-- The two lines a brand pastes: the loader, then init (here in store.js, as this page's policy has no inline scripts). -->
<script src="{{.Luneo}}/embed/luneo.js"></script>
<script src="/store.js"></script>
</body></html>
`))

// storeJS calls the widget and fills the cart from onAddToCart: what a
// store's own code would do with the item (here it only shows it).
const storeJS = `(function () {
  var box = document.getElementById('luneo');
  var status = document.getElementById('widget-status');
  var cart = document.getElementById('cart');
  LuneoWidget.init({
    brand: box.dataset.brand, product: box.dataset.product, container: box, locale: box.dataset.locale,
    onReady: function () { status.textContent = 'Customizer ready.'; },
    onError: function (err) { status.textContent = 'Widget error: ' + (err && err.message ? err.message : err); },
    onAddToCart: function (item) {
      var empty = cart.querySelector('.empty');
      if (empty) empty.remove();
      var li = document.createElement('li');
      if (item.previewUrl) {
        var img = document.createElement('img');
        img.src = item.previewUrl; img.alt = ''; img.width = 64;
        li.appendChild(img);
      }
      var price = item.price && item.price.formatted ? item.price.formatted : '';
      li.appendChild(document.createTextNode(' Luneo mug — ' + ((item.properties && item.properties.Design) || item.designId) +
        ' (version ' + item.version + ') ' + price));
      cart.appendChild(li);
      status.textContent = 'Added to the cart.';
    }
  });
})();
`

const storeCSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#faf7f2}
header{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap;padding:.75rem 1rem;background:#1d4e89;color:#fff}
header a{color:#fff}.note{opacity:.8;font-size:.9em}nav{margin-left:auto}
main{max-width:1100px;margin:0 auto;padding:1rem}#luneo{background:#fff;border-radius:8px;min-height:480px}
#cart img{vertical-align:middle;border-radius:4px}
`
