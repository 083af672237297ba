package dashboard_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/webtest"
)

// violationScript runs in every document before its own scripts (DevTools
// injects it, so the CSP does not apply to it) and keeps the page's
// Content-Security-Policy violations and uncaught errors for the test.
const violationScript = `
window.__problems = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__problems.push('CSP ' + e.violatedDirective + ' blocked ' + e.blockedURI));
window.addEventListener('error', (e) => window.__problems.push('error ' + e.message));
`

// headless starts headless Chromium for one test, or skips when it or the
// design-renders bundle is missing (LUNEO_TEST_BROWSER=1, set by CI, turns
// the skip into a failure).
func headless(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	_, bundleErr := fs.Stat(ui.StaticFS(), "dist/design-renders.js")
	if err != nil || bundleErr != nil {
		if os.Getenv("LUNEO_TEST_BROWSER") != "" {
			t.Fatalf("LUNEO_TEST_BROWSER is set but chromium (%v) or the web bundles (%v, make web) are missing", err, bundleErr)
		}
		t.Skip("browser test skipped: needs chromium and make web")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument,
			cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: violationScript})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// TestBrowserDesignLive opens a design page whose render is queued in a
// real browser under the page's CSP, starts a worker, and sees the render
// history, the files and the zone preview change without a reload.
func TestBrowserDesignLive(t *testing.T) {
	t.Parallel()
	ctx := headless(t)
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	_, id := mugDesign(t, b, "Gift")

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	// wait evaluates expr until it is true; errors while a page is being
	// replaced (after a form submission) are retried.
	wait := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(100 * time.Millisecond) {
				var ok bool
				if ok, err = chromedp.Evaluate[bool](expr)(ctx, tg); err == nil && ok {
					return nil
				}
			}
			return fmt.Errorf("waiting for %s: %v", expr, err)
		})
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.URL+"/login"),
		chromedp.WaitVisible(css(`input[name="password"]`)),
		chromedp.SendKeys(css(`input[name="email"]`), "zoe@example.com"),
		chromedp.SendKeys(css(`input[name="password"]`), webtest.Password),
		chromedp.Submit(css(`input[name="password"]`)),
		wait(`location.pathname === '/app'`),
		chromedp.Navigate(e.URL+"/app/designs/"+id),
		wait(`document.querySelector('[data-live-status]')?.textContent.includes('updates by itself') &&
			document.querySelector('[data-history-body] .badge')?.textContent === 'queued'`),
	)
	if err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Text(css("main")))
		t.Fatalf("open the design page with its render queued: %v\n%s", err, body)
	}
	// A mark on the window: it survives only if the page is not reloaded.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__mark = 42`)); err != nil {
		t.Fatal(err)
	}

	startWorker(t, e)
	err = chromedp.Do(ctx, wait(`document.querySelector('[data-history-body] .badge')?.textContent === 'completed' &&
		document.querySelector('[data-zone-id] img')?.complete === true &&
		document.querySelector('[data-live-status]').textContent.includes('Every render is done')`))
	if err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Text(css("main")))
		t.Fatalf("the page did not show the completed render: %v\n%s", err, body)
	}
	mark, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__mark || 0`))
	if err != nil || mark != 42 {
		t.Errorf("the page was reloaded (mark %d, %v)", mark, err)
	}
	files, err := chromedp.Run(ctx, chromedp.Text(css(`[data-files-body]`)))
	if err != nil || !strings.Contains(files, "Design texture") || !strings.Contains(files, "Download") || !strings.Contains(files, "Wrap") {
		t.Errorf("files table %q (%v)", files, err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector('[data-zone-id] img').naturalWidth`))
	if err != nil || width == 0 {
		t.Errorf("the zone preview did not load: width %d (%v)", width, err)
	}
	screenshot(t, ctx, "design-live")
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__problems`))
	if err != nil || len(problems) != 0 {
		t.Errorf("page problems %v (%v)", problems, err)
	}

	// The list shows the new preview as the design's thumbnail.
	err = chromedp.Do(ctx, chromedp.Navigate(e.URL+"/app/designs"),
		wait(`document.querySelector('.design-thumb img')?.complete === true &&
			document.querySelector('.design-thumb img').naturalWidth > 0`))
	if err != nil {
		t.Errorf("the list's thumbnail: %v", err)
	}
	screenshot(t, ctx, "designs-list")
	if problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__problems`)); err != nil || len(problems) != 0 {
		t.Errorf("list problems %v (%v)", problems, err)
	}
}

// screenshot saves a PNG of the page into $LUNEO_TEST_SCREENSHOTS, when
// set, for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LUNEO_TEST_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Error(err)
	}
}
