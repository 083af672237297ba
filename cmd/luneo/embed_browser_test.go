package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/embed"
)

// storePage is a brand's store page as a brand writes it: the two pasted
// lines, plus what the test reads (events, init→ready time, the items
// added to the cart) and, when
// attack is set, an iframe from a third origin that keeps posting forged
// handshakes to every frame of the page.
func storePage(luneo, brand, product, attacker string) string {
	forge := ""
	if attacker != "" {
		forge = `<iframe id="attacker" src="` + attacker + `/forge"></iframe>`
	}
	return fmt.Sprintf(`<!doctype html><meta charset="utf-8"><title>Store</title>
<div id="luneo"></div>
<script src="%s/embed/luneo.js"></script>
<script>
window.__events = []; window.__forged = 0; window.__cart = [];
addEventListener('message', (e) => { if (e.data && e.data.type === 'forged-count') window.__forged = e.data.n; });
const t0 = performance.now();
LuneoWidget.init({brand: %q, product: %q, container: '#luneo', locale: 'en',
  onReady() { window.__events.push('ready'); window.__readyMs = performance.now() - t0; },
  onError(e) { window.__events.push('error: ' + e.message); },
  onAddToCart(item) { window.__cart.push(item); }});
</script>
%s`, luneo, brand, product, forge)
}

// forgePage posts {type:'handshake', token:'x'} to every frame of its parent
// every 5 ms, and tells the parent how many it sent.
const forgePage = `<!doctype html><script>
let n = 0;
setInterval(() => {
  for (let i = 0; i < parent.frames.length; i++) {
    try { parent.frames[i].postMessage({type: 'handshake', token: 'x'}, '*'); n++; } catch (e) {}
  }
  parent.postMessage({type: 'forged-count', n}, '*');
}, 5);
</script>`

// serveHTML answers every path with the page fn builds for the request.
func serveHTML(fn func(r *http.Request) string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, fn(r))
	}))
}

// embedCall sends a request as a store page's script would, with an Origin
// header and optional bearer, and returns the status, body and headers.
func embedCall(t *testing.T, method, u, origin, bearer string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// TestBrowserEmbedHandshake runs the widget handshake in headless Chromium
// across two origins on loopback (a store page served by the test, Luneo
// on another port) to ready, then tries each attack the issue lists.
func TestBrowserEmbedHandshake(t *testing.T) {
	needBundles(t)
	ctx := browser(t)
	fe := flowEnvs()[0]
	env := fe.env(t)
	secret := strings.Repeat("embed-secret-", 4)
	env["LUNEO_SECRET"] = secret
	p := start(t, "dev", env)
	dbURL := fe.dbURL(env)

	c := signup(t, p.url, dbURL, "embed@example.com", "Embed Co")
	product, _ := mugProduct(t, c, 256, map[string]any{"dpi": 100})
	c.must(200, "PATCH", "/api/products/"+product, map[string]any{"status": "active"})
	brandID := str(c.must(200, "GET", "/api/brand", nil), "brand", "id")
	c2 := signup(t, p.url, dbURL, "other@example.com", "Other Co")
	product2, _ := mugProduct(t, c2, 256, map[string]any{"dpi": 100})
	c2.must(200, "PATCH", "/api/products/"+product2, map[string]any{"status": "active"})
	brand2 := str(c2.must(200, "GET", "/api/brand", nil), "brand", "id")

	// A third origin: the attacker's pages, on localhost rather than
	// 127.0.0.1.
	var attackerOrigin string
	attacker := serveHTML(func(r *http.Request) string {
		switch r.URL.Path {
		case "/forge":
			return forgePage
		case "/frame-it":
			return `<!doctype html><iframe id="w" src="` + r.URL.Query().Get("src") + `"></iframe>`
		}
		return storePage(p.url, brandID, product, "")
	})
	defer attacker.Close()
	attackerOrigin = strings.Replace(attacker.URL, "127.0.0.1", "localhost", 1)
	store := serveHTML(func(r *http.Request) string {
		return storePage(p.url, r.URL.Query().Get("brand"), r.URL.Query().Get("product"), attackerOrigin)
	})
	defer store.Close()
	storeOrigin := store.URL

	out := c.must(200, "PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{storeOrigin + "/", strings.ToUpper(storeOrigin)}})
	if got := fmt.Sprint(out["allowed_origins"]); got != "["+storeOrigin+"]" {
		t.Fatalf("stored origins %s, want [%s]", got, storeOrigin)
	}
	c.must(422, "PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{"http://shop.example"}})
	c2.must(200, "PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{"https://other-shop.example"}})

	watch := watchPage(t, ctx)
	t.Run("handshake to ready, forged messages ignored", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(store.URL+"/store?brand="+url.QueryEscape(brandID)+"&product="+url.QueryEscape(product)),
			waitJS(`window.__events.length > 0 && window.__forged > 50`, 20*time.Second))
		if err != nil {
			t.Fatalf("no ready: %v", err)
		}
		events, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__events`))
		ms, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__readyMs`))
		forged, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__forged`))
		if len(events) != 1 || events[0] != "ready" {
			t.Fatalf("events %q, want [ready]", events)
		}
		t.Logf("init → ready: %.0f ms (%d forged handshakes posted meanwhile)", ms, forged)
		// The widget stays ready under the forged messages: no error later.
		time.Sleep(300 * time.Millisecond)
		if events, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__events`)); len(events) != 1 {
			t.Fatalf("events after forged messages: %q", events)
		}
		// Inside the iframe: the bearer worked (the session route's
		// product name is shown), and its URL no longer holds the nonce.
		state := frameEval(t, ctx, "/embed/frame", `JSON.stringify([document.getElementById('luneo-widget').dataset.state,
			document.getElementById('luneo-status').textContent, location.href])`)
		if !strings.Contains(state, `"ready","Customizer loading… Mug"`) || strings.Contains(state, "nonce=") {
			t.Fatalf("iframe state %s", state)
		}
		watch.check(t, "store page")
	})

	t.Run("renewal handshakes again with a new nonce", func(t *testing.T) {
		validates := func() int {
			watch.mu.Lock()
			defer watch.mu.Unlock()
			n := 0
			for _, r := range watch.requests {
				if strings.Contains(r, "/api/embed/validate") {
					n++
				}
			}
			return n
		}
		before := validates()
		// What the iframe's timer does a minute before the token ends.
		frameEval(t, ctx, "/embed/frame", `window.parent.postMessage({type: 'renew'}, `+strconvQuote(storeOrigin)+`); 'sent'`)
		for deadline := time.Now().Add(10 * time.Second); validates() < before+1; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("no second validation after a renew request")
			}
		}
		time.Sleep(300 * time.Millisecond)
		state := frameEval(t, ctx, "/embed/frame", `document.getElementById('luneo-widget').dataset.state`)
		events, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__events`))
		if state != "ready" || len(events) != 1 {
			t.Fatalf("after renewal: iframe %s, events %q", state, events)
		}
		watch.check(t, "renewal")
	})

	t.Run("replayed nonce", func(t *testing.T) {
		src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#luneo iframe').src`))
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(src)
		nonce := u.Query().Get("nonce")
		if nonce == "" || strings.Contains(src, "token") {
			t.Fatalf("iframe URL %s: want a nonce and no token", src)
		}
		st, body, _ := embedCall(t, "POST", p.url+"/api/embed/validate?nonce="+url.QueryEscape(nonce), storeOrigin, "")
		if st != 403 || strings.TrimSpace(body) != `{"valid":false}` {
			t.Fatalf("replayed nonce: %d %s", st, body)
		}
	})

	tokenURL := func(brand, product, origin string) string {
		return p.url + "/api/embed/token?brand=" + url.QueryEscape(brand) + "&product=" + url.QueryEscape(product) + "&origin=" + url.QueryEscape(origin)
	}
	grant := func(t *testing.T) (token, nonce string) {
		st, body, h := embedCall(t, "GET", tokenURL(brandID, product, storeOrigin), storeOrigin, "")
		if st != 200 || h.Get("Access-Control-Allow-Origin") != storeOrigin {
			t.Fatalf("token: %d %s (ACAO %q)", st, body, h.Get("Access-Control-Allow-Origin"))
		}
		return jsonField(t, body, "token"), jsonField(t, body, "nonce")
	}

	t.Run("nonce from another origin", func(t *testing.T) {
		_, nonce := grant(t)
		st, body, h := embedCall(t, "POST", p.url+"/api/embed/validate?nonce="+nonce, attackerOrigin, "")
		if st != 403 || h.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("nonce from %s: %d %s", attackerOrigin, st, body)
		}
		if st, _, _ := embedCall(t, "POST", p.url+"/api/embed/validate?nonce="+nonce, storeOrigin, ""); st != 403 {
			t.Fatalf("the nonce survived a wrong-origin attempt: %d", st)
		}
		_, nonce = grant(t)
		st, body, h = embedCall(t, "POST", p.url+"/api/embed/validate?nonce="+nonce, storeOrigin, "")
		if st != 200 || !strings.Contains(body, `"valid":true`) || h.Get("Access-Control-Allow-Origin") != storeOrigin {
			t.Fatalf("a fresh nonce from its origin: %d %s", st, body)
		}
	})

	t.Run("origin not on the list", func(t *testing.T) {
		st, _, h := embedCall(t, "GET", tokenURL(brandID, product, attackerOrigin), attackerOrigin, "")
		if st != 403 || h.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("token for an unlisted origin: %d, ACAO %q", st, h.Get("Access-Control-Allow-Origin"))
		}
		// The origin parameter must be the Origin header.
		if st, _, _ := embedCall(t, "GET", tokenURL(brandID, product, storeOrigin), attackerOrigin, ""); st != 403 {
			t.Fatalf("token with a borrowed origin parameter: %d", st)
		}
		err := chromedp.Do(ctx, chromedp.Navigate(attackerOrigin+"/host"), waitJS(`window.__events.length > 0`, 10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		events, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__events`))
		if len(events) != 1 || !strings.HasPrefix(events[0], "error: LuneoWidget: token refused: is "+attackerOrigin+" on the brand's allowed origins") {
			t.Fatalf("loader on an unlisted origin: events %q, want one error", events)
		}
		t.Logf("unlisted origin: %s", events[0])
		watch.take("CORS")
		watch.take("Failed to load resource")
		watch.check(t, "unlisted store page")
	})

	t.Run("expired, staff and foreign tokens", func(t *testing.T) {
		signer, err := auth.NewSigner("luneo embed token v1", secret)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		claims := embed.Claims{Audience: "embed", Brand: brandID, Product: product, Origin: storeOrigin, SessionID: "s1",
			IssuedAt: now.Add(-6 * time.Minute).Unix(), ExpiresAt: now.Add(-time.Minute).Unix()}
		expired, _ := signer.Sign(claims)
		claims.ExpiresAt = now.Add(time.Minute).Unix()
		live, _ := signer.Sign(claims)
		session := p.url + "/api/embed/session"
		if st, body, _ := embedCall(t, "GET", session, "", live); st != 200 || !strings.Contains(body, `"name":"Mug"`) {
			t.Fatalf("a live token signed the same way: %d %s", st, body)
		}
		if st, _, _ := embedCall(t, "GET", session, "", expired); st != 403 {
			t.Fatalf("expired token: %d", st)
		}
		if st, _, _ := embedCall(t, "GET", session, "", c.token); st != 403 {
			t.Fatalf("staff access token: %d", st)
		}
		token, _ := grant(t)
		if st, _, _ := embedCall(t, "GET", session+"?brand="+brand2+"&product="+product2, "", token); st != 403 {
			t.Fatalf("token used for another brand's product: %d", st)
		}
		if st, _, _ := embedCall(t, "GET", session+"?brand="+brandID+"&product="+product, "", token); st != 200 {
			t.Fatalf("token for its own product: %d", st)
		}
		// No token for another brand's product, from a listed origin.
		if st, _, _ := embedCall(t, "GET", tokenURL(brandID, product2, storeOrigin), storeOrigin, ""); st != 403 {
			t.Fatalf("token for another brand's product: %d", st)
		}
	})

	t.Run("iframe framed by an unlisted origin", func(t *testing.T) {
		frameURL := p.url + "/embed/frame?brand=" + url.QueryEscape(brandID) + "&product=" + url.QueryEscape(product) +
			"&origin=" + url.QueryEscape(storeOrigin) + "&nonce=unused"
		st, _, h := embedCall(t, "GET", frameURL, "", "")
		csp := h.Get("Content-Security-Policy")
		if st != 200 || !strings.HasSuffix(csp, "; frame-ancestors "+storeOrigin) || h.Get("X-Frame-Options") != "" {
			t.Fatalf("frame: %d, CSP %q, XFO %q", st, csp, h.Get("X-Frame-Options"))
		}
		// The page is not served at all for an unlisted origin parameter,
		// and an unknown brand may be framed by nobody.
		if st, _, _ := embedCall(t, "GET", strings.Replace(frameURL, url.QueryEscape(storeOrigin), url.QueryEscape(attackerOrigin), 1), "", ""); st != 403 {
			t.Fatalf("frame for an unlisted origin parameter: %d", st)
		}
		st, _, h = embedCall(t, "GET", strings.Replace(frameURL, url.QueryEscape(brandID), "nope", 1), "", "")
		if st != 403 || !strings.HasSuffix(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Fatalf("frame of an unknown brand: %d %q", st, h.Get("Content-Security-Policy"))
		}
		err := chromedp.Do(ctx, chromedp.Navigate(attackerOrigin+"/frame-it?src="+url.QueryEscape(frameURL)),
			chromedp.WaitReady("#w"), chromedp.Sleep(1500*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		// The framing page (localhost) and the widget (127.0.0.1) are
		// different sites, so the frame would run in another renderer whose
		// requests this page's watcher does not see; Chromium's refusal is
		// logged in the framing page itself.
		if n := watch.take("frame-ancestors"); n == 0 {
			t.Error("Chromium reported no frame-ancestors refusal")
		}
		watch.check(t, "unlisted framing page")
	})
}

// TestEmbedLoaderSize: the loader as served is at most 5 KB, uncompressed,
// at its stable URL with a short cache lifetime.
func TestEmbedLoaderSize(t *testing.T) {
	needBundles(t)
	p := start(t, "dev", flowEnvs()[0].env(t))
	st, body, h := embedCall(t, "GET", p.url+"/embed/luneo.js", "", "")
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") || h.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("loader: %d %q %q", st, h.Get("Content-Type"), h.Get("Cache-Control"))
	}
	t.Logf("loader: %d bytes as served", len(body))
	// Every postMessage of the loader names Luneo's origin: the minified
	// bundle has no "*" string at all.
	if strings.Contains(body, `"*"`) || strings.Contains(body, "'*'") {
		t.Error("the loader contains a '*' string: a postMessage targetOrigin must be Luneo's origin")
	}
	if len(body) > 5*1024 {
		t.Fatalf("the loader is %d bytes; the limit is 5120", len(body))
	}
}

// frameEval evaluates expr in an isolated world of the first frame whose URL
// contains urlPart (the widget iframe: its DOM, not its script's variables)
// and returns a string result as it is, anything else as JSON.
func frameEval(t *testing.T, ctx context.Context, urlPart, expr string) string {
	t.Helper()
	var out string
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		tree, err := cdp.Call(ctx, tg, cdppage.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		var find func(ft *cdppage.FrameTree) *cdp.Frame
		find = func(ft *cdppage.FrameTree) *cdp.Frame {
			if ft.Frame != nil && strings.Contains(ft.Frame.URL, urlPart) {
				return ft.Frame
			}
			for _, c := range ft.ChildFrames {
				if f := find(c); f != nil {
					return f
				}
			}
			return nil
		}
		f := find(tree.FrameTree)
		if f == nil {
			return fmt.Errorf("no frame with %q in its URL", urlPart)
		}
		world, err := cdp.Call(ctx, tg, cdppage.CreateIsolatedWorld, cdppage.CreateIsolatedWorldParams{FrameID: f.ID, WorldName: "test"})
		if err != nil {
			return err
		}
		byValue := true
		res, err := cdp.Call(ctx, tg, cdpruntime.Evaluate, cdpruntime.EvaluateParams{Expression: expr, ContextID: world.ExecutionContextID, ReturnByValue: &byValue})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			return fmt.Errorf("%s", res.ExceptionDetails.Text)
		}
		out = string(res.Result.Value)
		var str string
		if json.Unmarshal(res.Result.Value, &str) == nil {
			out = str // a string result, unquoted
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("evaluate in frame %s: %v", urlPart, err)
	}
	return out
}

// strconvQuote quotes s as a JavaScript string.
func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// jsonField reads one string field of a JSON object.
func jsonField(t *testing.T, body, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	s, _ := m[field].(string)
	return s
}
