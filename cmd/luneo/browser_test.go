package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for one test, or skips when it is not
// installed (CI sets LUNEO_TEST_BROWSER=1, which turns the skip into a failure).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("LUNEO_TEST_BROWSER") != "" {
			t.Fatal("LUNEO_TEST_BROWSER is set but chromium is not installed")
		}
		t.Skip("browser tests skipped: apt-get install -y chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// page reads the current URL and visible text of the page.
func page(t *testing.T, ctx context.Context) (string, string) {
	t.Helper()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	return url, body
}

// TestBrowserSignupLoginDashboard: a person signs up in the dashboard, logs
// out, logs in again and sees their brand's dashboard, all in a real browser
// with forms and cookies (no JavaScript of ours involved).
func TestBrowserSignupLoginDashboard(t *testing.T) {
	ctx := browser(t)
	p := start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": t.TempDir()})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		chromedp.Navigate(p.url+"/signup"),
		chromedp.WaitVisible(css(`form input[name="email"]`)),
		chromedp.SendKeys(css(`input[name="name"]`), "Chloé Browser"),
		chromedp.SendKeys(css(`input[name="email"]`), "chloe@browser.example"),
		chromedp.SendKeys(css(`input[name="password"]`), "a long browser passphrase"),
		chromedp.SendKeys(css(`input[name="brand"]`), "Chloé's Caps"),
		chromedp.Submit(css(`input[name="email"]`)),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.WaitVisible(css(`body`)),
	)
	if err != nil {
		t.Fatalf("sign up: %v", err)
	}
	if url, body := page(t, ctx); !strings.HasSuffix(url, "/app") || !strings.Contains(body, "Chloé's Caps") {
		t.Fatalf("after sign-up at %s:\n%s", url, body)
	}
	err = chromedp.Do(ctx,
		chromedp.Submit(css(`form[action="/logout"] button`)),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.Navigate(p.url+"/app"),
		chromedp.WaitVisible(css(`input[name="password"]`)),
	)
	if url, _ := page(t, ctx); err != nil || !strings.Contains(url, "/login") {
		t.Fatalf("after logout /app went to %s (%v)", url, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css(`input[name="email"]`), "chloe@browser.example"),
		chromedp.SendKeys(css(`input[name="password"]`), "a long browser passphrase"),
		chromedp.Submit(css(`input[name="password"]`)),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.WaitVisible(css(`body`)),
	)
	if url, body := page(t, ctx); err != nil || !strings.HasSuffix(url, "/app") || !strings.Contains(body, "Chloé's Caps") {
		t.Fatalf("after login at %s (%v):\n%s", url, err, body)
	}
}
