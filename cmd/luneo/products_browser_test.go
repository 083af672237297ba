package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/luneo/luneo/internal/web/ui"
)

// productViolations collects, in every document of the tab, the
// Content-Security-Policy violations and <model-viewer> errors (injected by
// DevTools, so the policy does not apply to it).
const productViolations = `
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI));
document.addEventListener('error', (e) => {
  if (e.target && e.target.tagName === 'MODEL-VIEWER') window.__cspViolations.push('model-viewer error ' + JSON.stringify(e.detail || {}));
}, true);
`

// TestBrowserProductUpload: the demo user logs in, creates a product in the
// dashboard, uploads the Duck through the product page's form and sees it
// rendered by <model-viewer>, with the zone editor showing its texture.
func TestBrowserProductUpload(t *testing.T) {
	duck, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "models", "Duck.glb"))
	if err == nil {
		_, err = os.Stat(duck)
	}
	if err != nil {
		corpusMissing(t, "test corpus absent (%v)", err)
	}
	if _, err := fs.Stat(ui.StaticFS(), "dist/viewer.js"); err != nil {
		if os.Getenv("LUNEO_TEST_BROWSER") != "" {
			t.Fatal("the web bundle internal/web/ui/static/dist/viewer.js is missing: run make web")
		}
		t.Skip("web bundles not built: run make web")
	}
	ctx := browser(t)
	data := t.TempDir()
	p := start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data})
	login, err := os.ReadFile(filepath.Join(data, "demo-login.txt"))
	if err != nil {
		t.Fatalf("dev wrote no demo login: %v", err)
	}
	email, password, ok := strings.Cut(strings.TrimSpace(string(login)), " ")
	if !ok {
		t.Fatalf("demo-login.txt holds %q, want \"EMAIL PASSWORD\"", login)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: productViolations})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err = chromedp.Do(ctx,
		chromedp.Navigate(p.url+"/login?return=/app/products"),
		chromedp.WaitVisible(css(`input[name="email"]`)),
		chromedp.SendKeys(css(`input[name="email"]`), email),
		chromedp.SendKeys(css(`input[name="password"]`), password),
		chromedp.Submit(css(`input[name="password"]`)),
		chromedp.WaitVisible(css(`#new-name`)),
		chromedp.SendKeys(css(`#new-name`), "Rubber Duck"),
		chromedp.SendKeys(css(`#new-sku`), "DUCK-1"),
		chromedp.SendKeys(css(`#new-price`), "9.90"),
		chromedp.Submit(css(`#new-name`)),
		chromedp.WaitVisible(css(`#model-file`)),
	)
	if err != nil {
		url, body := page(t, ctx)
		t.Fatalf("log in and create a product: %v\nat %s:\n%s", err, url, body)
	}
	if url, body := page(t, ctx); !strings.Contains(url, "/app/products/") || !strings.Contains(body, "Rubber Duck is created as a draft") {
		t.Fatalf("after creating the product, at %s:\n%s", url, body)
	}

	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(css(`#model-file`), []string{duck}),
		chromedp.Submit(css(`#model-file`)),
	)
	if err != nil {
		t.Fatalf("upload the model: %v", err)
	}
	state := waitUntil(ctx, `(() => {
		if (window.__cspViolations && window.__cspViolations.length) return 'problem: ' + window.__cspViolations.join('; ');
		return document.querySelector('model-viewer')?.loaded === true ? 'loaded' : '';
	})()`, 60*time.Second)
	if state != "loaded" {
		url, body := page(t, ctx)
		t.Fatalf("<model-viewer> did not load the uploaded model (%q) at %s:\n%s", state, url, body)
	}
	if _, body := page(t, ctx); !strings.Contains(body, "The 3D model is stored") || !strings.Contains(body, "blinn3-fx") {
		t.Errorf("product page after the upload:\n%s", body)
	}

	// The zone editor draws on the material's texture, served by the page.
	if got := waitUntil(ctx, `document.querySelector('[data-zone-editor]')?.dataset.textureLoaded || ''`, 20*time.Second); got != "blinn3-fx" {
		t.Errorf("zone editor texture loaded for %q, want blinn3-fx", got)
	}
	screenshot(t, ctx, "product-duck")
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations`))
	if err != nil || len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations or viewer errors: %q %v", violations, err)
	}

	// The public AR page: activate the product (same-origin fetch with the
	// session cookie), wait for the USDZ, then open /ar/{id} like a shopper.
	url, _ := page(t, ctx)
	id := url[strings.LastIndex(url, "/")+1:]
	if i := strings.IndexAny(id, "?#"); i >= 0 {
		id = id[:i]
	}
	var ready string
	for deadline := time.Now().Add(60 * time.Second); ready != "ready" && time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		ready, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			await fetch('/api/products/`+id+`', {method: 'PATCH', credentials: 'same-origin',
				headers: {'Content-Type': 'application/json'}, body: JSON.stringify({status: 'active'})});
			const r = await fetch('/api/products/`+id+`/ar', {credentials: 'same-origin'});
			return r.status === 200 ? 'ready' : 'status ' + r.status;
		})()`, chromedp.EvalAwaitPromise))
	}
	if ready != "ready" {
		t.Fatalf("the AR assets never became ready (%q)", ready)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(p.url+"/ar/"+id))
	if err != nil {
		t.Fatal(err)
	}
	state = waitUntil(ctx, `(() => {
		if (window.__cspViolations && window.__cspViolations.length) return 'problem: ' + window.__cspViolations.join('; ');
		const mv = document.querySelector('model-viewer');
		return mv?.loaded === true && (mv.getAttribute('ios-src') || '').includes('.usdz') && mv.hasAttribute('ar') ? 'loaded' : '';
	})()`, 60*time.Second)
	if state != "loaded" {
		url, body := page(t, ctx)
		t.Fatalf("the AR page did not load the model with an ios-src (%q) at %s:\n%s", state, url, body)
	}
	screenshot(t, ctx, "ar-duck")
}

// waitUntil evaluates expr until it gives a non-empty string or timeout
// passes, and returns its last value. Errors while a page is being replaced
// (a form submission) are retried.
func waitUntil(ctx context.Context, expr string, timeout time.Duration) string {
	var last string
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err == nil {
			last = v
			if v != "" {
				return v
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return last
}
