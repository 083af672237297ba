package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/usdz"
)

func TestARFlows(t *testing.T) {
	for _, fe := range flowEnvs() {
		t.Run(fe.name, func(t *testing.T) {
			env := fe.env(t)
			p := start(t, "dev", env)
			flowAR(t, p.url, fe.dbURL(env), env)
		})
	}
}

// waitAR polls GET /api/products/{id}/ar until it answers 200.
func waitAR(t *testing.T, c *client, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		status, out := c.do("GET", "/api/products/"+id+"/ar", nil)
		switch {
		case status == 200:
			return out
		case status != 202 || str(out, "status") != "pending":
			t.Fatalf("GET ar: %d %v", status, out)
		case time.Now().After(deadline):
			t.Fatalf("AR still pending: %v", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func fetch(t *testing.T, u string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.Bytes()
}

func flowAR(t *testing.T, base, dbURL string, env map[string]string) {
	duck, err := os.ReadFile(filepath.Join(corpusDir, "models", "Duck.glb"))
	if err != nil {
		corpusMissing(t, "corpus model missing: %v", err)
	}
	c := signup(t, base, dbURL, "ar@example.com", "AR Co")
	mk := func(name string) string {
		out := c.must(201, "POST", "/api/products", map[string]any{"name": name, "currency": "EUR", "price": 100})
		return str(out, "product", "id")
	}
	first := mk("Duck")
	c.must(404, "GET", "/api/products/"+first+"/ar", nil) // no model yet
	if st, out := c.uploadModel(first, "Duck.glb", duck, false); st != 201 && st != 200 {
		t.Fatalf("upload: %d %v", st, out)
	}
	// Right after the upload, the conversion is pending (or already done).
	if st, out := c.do("GET", "/api/products/"+first+"/ar", nil); st == 202 {
		if out["job"] == nil {
			t.Fatalf("202 without job: %v", out)
		}
	} else if st != 200 {
		t.Fatalf("GET ar after upload: %d %v", st, out)
	}
	ready := waitAR(t, c, first)
	uz, gl := str(ready, "usdz_url"), str(ready, "glb_url")
	if pu, _ := url.Parse(uz); pu == nil || !strings.HasSuffix(pu.Path, ".usdz") {
		t.Fatalf("usdz_url %q does not end in .usdz", uz)
	}
	if str(ready, "expires_at") == "" {
		t.Errorf("no expires_at: %v", ready)
	}
	resp, body := fetch(t, uz, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "model/vnd.usdz+zip" {
		t.Fatalf("usdz: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if err := usdz.Check(bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatalf("usdz.Check: %v", err)
	}
	resp, _ = fetch(t, gl, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "model/gltf-binary" {
		t.Fatalf("glb: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// The same model on a second product: ready at once, no new conversion.
	second := mk("Duck two")
	if st, out := c.uploadModel(second, "Duck.glb", duck, false); st != 201 && st != 200 {
		t.Fatalf("upload 2: %d %v", st, out)
	}
	again := waitAR(t, c, second)
	if u, _ := url.Parse(str(again, "usdz_url")); u == nil || !strings.HasSuffix(u.Path, ".usdz") {
		t.Fatalf("second usdz_url: %v", again)
	}
	d, err := db.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var conversions, assets int
	// Only the two Duck products' rows: a dev start also seeds the demo mug.
	if err := d.QueryRow(`SELECT count(*), coalesce(sum(conversions), 0) FROM ar_assets WHERE glb_sha256 IN
		(SELECT canonical_sha256 FROM product_models WHERE product_id IN ($1, $2))`, first, second).Scan(&assets, &conversions); err != nil {
		t.Fatal(err)
	}
	if assets != 1 || conversions != 1 {
		t.Fatalf("ar_assets: %d rows, %d conversions; want 1 and 1 (cache by SHA-256)", assets, conversions)
	}

	// Public page: 404 while draft, then renders once active.
	if st, _, _ := get(t, base+"/ar/"+first); st != 404 {
		t.Fatalf("draft AR page: %d, want 404", st)
	}
	c.must(200, "PATCH", "/api/products/"+first, map[string]any{"status": "active"})
	resp, page := fetch(t, base+"/ar/"+first, map[string]string{"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"})
	html := string(page)
	// Local blobs are served by us (/blobs/…); S3 URLs are presigned by the store.
	blobs := "/blobs/"
	if strings.HasPrefix(env["LUNEO_BLOB_URL"], "s3:") {
		blobs = env["LUNEO_S3_ENDPOINT"] + "/"
		// The browser may fetch from the store only if the CSP lets it.
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' blob: "+env["LUNEO_S3_ENDPOINT"]) {
			t.Errorf("CSP does not let the viewer fetch from S3: %s", csp)
		}
	}
	for _, want := range []string{"<model-viewer", ` ar ar-modes="webxr scene-viewer quick-look"`, `ios-src="` + blobs,
		`ar/usdz/`, `.usdz?`, `src="` + blobs, `<img src="data:image/png;base64,`, `data-ar-events="/ar/` + first + `/events"`} {
		if !strings.Contains(html, want) {
			t.Errorf("AR page lacks %q (status %d)", want, resp.StatusCode)
		}
	}
	fetch(t, base+"/ar/"+first, map[string]string{"User-Agent": "Mozilla/5.0 (Linux; Android 14)"})
	st, _ := newClient(t, base).send("POST", "/ar/"+first+"/events", "application/json",
		[]byte(`{"event":"ar_launched"}`), false, map[string]string{"Origin": base, "User-Agent": "Mozilla/5.0 (iPhone)"})
	if st != 204 {
		t.Fatalf("POST ar event: %d", st)
	}
	counts := map[string]int{}
	rows, err := d.Query(`SELECT event, platform, count(*) FROM ar_views WHERE product_id = $1 GROUP BY event, platform`, first)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev, pl string
		var n int
		rows.Scan(&ev, &pl, &n)
		counts[ev+"/"+pl] = n
	}
	if counts["opened/ios"] != 1 || counts["opened/android"] != 1 || counts["ar_launched/ios"] != 1 {
		t.Errorf("ar_views: %v", counts)
	}
	// The dashboard's product page links the AR page with its QR code.
	if st, _ := c.do("GET", "/api/products/"+second+"/ar", nil); st != 200 {
		t.Errorf("second product AR: %d", st)
	}
}
