package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSharedDesignPage opens a shared design's public AR page in
// headless Chromium: the viewer loads the design's own GLB (with the
// USDZ as ios-src for Quick Look) under the page's Content-Security-Policy,
// and an AR session start is counted for the design.
func TestBrowserSharedDesignPage(t *testing.T) {
	needBundles(t)
	ctx := browser(t)
	env := flowEnvs()[0]
	envVars := env.env(t)
	p := start(t, "dev", envVars)
	dbURL := env.dbURL(envVars)
	c := signup(t, p.url, dbURL, "shared@example.com", "Shared Co")

	product, zone := mugProduct(t, c, 512, map[string]any{"dpi": 100})
	doc := map[string]any{"zones": []any{map[string]any{"zone_id": zone, "layers": []any{
		map[string]any{"type": "text", "text": "Shared", "font": "Noto Sans", "size_pt": 40, "color": "#c0392b", "x_mm": 100, "y_mm": 50, "align": "center"},
	}}}}
	id := str(c.must(201, "POST", "/api/designs", map[string]any{"product_id": product, "document": doc}), "design", "id")
	waitRenders(t, c, id, 2) // compose, then the model render it chains
	pageURL := str(c.must(200, "POST", "/api/designs/"+id+"/ar-token", nil), "url")

	watch := watchPage(t, ctx)
	defer watch.check(t, "shared design page")
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatal(err)
	}
	waitViewer(t, ctx, "the shared design")
	srcs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const mv = document.querySelector('model-viewer');
		return [mv.getAttribute('src'), mv.getAttribute('ios-src'), document.querySelector('meta[property="og:image"]').content]; })()`))
	if err != nil || len(srcs) != 3 || !strings.Contains(srcs[0], ".glb") || !strings.Contains(srcs[1], ".usdz") || srcs[2] != pageURL+"/preview.png" {
		t.Fatalf("viewer sources %q %v", srcs, err)
	}
	screenshot(t, ctx, "shared-design")
	// An AR session starting (what model-viewer reports on a phone) is
	// counted for the design.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('model-viewer').dispatchEvent(
		new CustomEvent('ar-status', {detail: {status: 'session-started'}}))`)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); countRows(t, dbURL, "design_ar_views WHERE event = 'ar_launched'") != 1; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the AR launch was not counted")
		}
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__violations`))
	if err != nil || len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %q %v", violations, err)
	}
}
