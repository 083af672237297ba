// Package shopifyapp is the surface Shopify's admin frames: the Luneo app's
// embedded page (/shopify/app), opened by Shopify with a signed launch
// query, and its small script. The page loads App Bridge, which hands the
// script a session token per request; the status route under /api/shopify/
// (internal/web/api) verifies it. The rules are in internal/shopify.
package shopifyapp

import (
	"html/template"
	"net/http"

	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// Deps is what the surface needs.
type Deps struct {
	Kit *httpx.Kit
	// Shopify is the app; nil (not configured) serves a page saying so.
	Shopify *shopify.Service
	Assets  *ui.Assets
}

// App serves the embedded app page.
type App struct{ Deps }

// New builds the surface.
func New(d Deps) *App { return &App{Deps: d} }

// AppBridgeURL is Shopify's App Bridge script; Shopify requires it loaded
// from its CDN, first, without async or defer.
const AppBridgeURL = "https://cdn.shopify.com/shopifycloud/app-bridge.js"

// scriptPath is the page's own script (no inline script: the CSP allows none).
const scriptPath = "/shopify/app.js"

// pageCSP allows our own script and styles, App Bridge from Shopify's CDN,
// and calls to our own API; frame-ancestors is added per request.
const pageCSP = "default-src 'none'; script-src 'self' https://cdn.shopify.com; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"

// Routes declares the page, framed only by the shop of its verified launch
// query and the Shopify admin, and its script.
func (s *App) Routes() []httpx.Route {
	page := httpx.Policy{Auth: httpx.AuthPublic, CSP: pageCSP, FrameAncestorsFor: s.frameAncestors}
	return []httpx.Route{
		httpx.Handle("GET", shopify.AppPath, page, s.Kit.Handler(s.page)),
		httpx.Handle("GET", scriptPath, httpx.Public, s.script),
	}
}

// frameAncestors: https://{shop} and the Shopify admin when the launch
// query verifies (its HMAC, its timestamp, a valid shop), nobody otherwise.
func (s *App) frameAncestors(r *http.Request) []string {
	if s.Shopify == nil {
		return nil
	}
	shop, err := s.Shopify.VerifyLaunch(r.URL.Query())
	if err != nil {
		return nil
	}
	return []string{"https://" + shop, shopify.AdminOrigin}
}

var page = template.Must(template.New("app").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Luneo</title>
{{- if .APIKey}}
<meta name="shopify-api-key" content="{{.APIKey}}">
<script src="{{.AppBridge}}"></script>
{{- end}}
<link rel="stylesheet" href="{{.CSS}}">
{{- if .APIKey}}
<script type="module" src="{{.Script}}"></script>
{{- end}}
</head><body>
<main class="container">
<h1>Luneo</h1>
{{- if .Off}}
<p id="luneo-status">The Shopify app is off: this Luneo server has no Shopify app configured (LUNEO_SHOPIFY_API_KEY).</p>
{{- else}}
<p id="luneo-status" role="status" aria-live="polite" data-shop="{{.Shop}}">Checking {{.Shop}}…</p>
<p id="luneo-action" hidden><a id="luneo-link" target="_blank" rel="noopener"></a></p>
{{- end}}
</main>
</body></html>
`))

func (s *App) page(w http.ResponseWriter, r *http.Request) error {
	data := map[string]any{"CSS": s.Assets.Path("app.css"), "AppBridge": AppBridgeURL, "Script": scriptPath}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if s.Shopify == nil {
		data["Off"] = true
		return page.Execute(w, data)
	}
	shop, err := s.Shopify.VerifyLaunch(r.URL.Query())
	if err != nil {
		w.Header().Del("Content-Type")
		return err
	}
	data["Shop"], data["APIKey"] = shop, s.Shopify.APIKey()
	return page.Execute(w, data)
}

// appScript asks App Bridge for a session token and our status route for
// the store's state, and says it; links open outside the admin (Luneo's
// dashboard is never framed).
const appScript = `const status = document.getElementById("luneo-status");
const action = document.getElementById("luneo-action");
const link = document.getElementById("luneo-link");
try {
  const token = await shopify.idToken();
  const res = await fetch("/api/shopify/app/status", { headers: { Authorization: ` + "`Bearer ${token}`" + ` } });
  const body = await res.json();
  if (!res.ok) {
    status.textContent = body.detail || "Luneo could not check this store.";
  } else if (body.installed) {
    status.textContent = "This store is connected to the Luneo brand " + body.brand.name + ".";
    link.href = "/app/integrations";
    link.textContent = "Open the Luneo dashboard";
    action.hidden = false;
  } else {
    status.textContent = "This store is not connected to a Luneo brand yet.";
    link.href = body.install_url;
    link.textContent = "Connect it from the Luneo dashboard";
    action.hidden = false;
  }
} catch (err) {
  status.textContent = "Luneo could not reach Shopify App Bridge: " + err;
}
`

func (s *App) script(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write([]byte(appScript))
}
