package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db"
)

// corpusDir holds real-world models (../shared/corpus from the repository root).
const corpusDir = "../../../shared/corpus"

// flowMaxModel is the LUNEO_MAX_MODEL_SIZE of the catalog flows: every
// corpus model fits, a 1.4 MB upload does not.
const flowMaxModel = 1_300_000

// catalogEnv is a running server plus what the tests inspect behind it.
type catalogEnv struct {
	url   string
	dbURL string
	blobs blob.Store
}

func TestCatalogFlows(t *testing.T) {
	for _, fe := range flowEnvs() {
		t.Run(fe.name, func(t *testing.T) {
			env := fe.env(t)
			env["LUNEO_MAX_MODEL_SIZE"] = fmt.Sprint(flowMaxModel)
			p := start(t, "dev", env)
			ce := &catalogEnv{url: p.url, dbURL: fe.dbURL(env), blobs: flowBlobs(t, env)}
			t.Run("products, search and pages", func(t *testing.T) { flowProducts(t, ce) })
			t.Run("corpus models", func(t *testing.T) { flowModels(t, ce) })
			t.Run("refused uploads store nothing", func(t *testing.T) { flowRefused(t, ce) })
			t.Run("zones and masks", func(t *testing.T) { flowZones(t, ce) })
			t.Run("tenancy and permissions", func(t *testing.T) { flowCatalogTenancy(t, ce) })
			t.Run("openapi", func(t *testing.T) {
				status, _, body := get(t, p.url+"/api/openapi.json")
				if status != 200 || !strings.Contains(body, `"openapi": "3.1.0"`) || !strings.Contains(body, "/api/products/{id}/zones/{zoneID}/mask") {
					t.Fatalf("openapi.json: %d", status)
				}
			})
		})
	}
}

// flowBlobs opens the blob store the server uses, to check what it stored.
func flowBlobs(t *testing.T, env map[string]string) blob.Store {
	t.Helper()
	cfg, err := config.Load(config.Dev, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Secret == "" {
		cfg.Secret = strings.Repeat("t", 32) // listing needs no signing key
	}
	a, err := app.Open(t.Context(), cfg, slog.New(slog.DiscardHandler), "http://localhost", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a.Blobs
}

// stored lists the blobs of a product and counts its model rows.
func (ce *catalogEnv) stored(t *testing.T, brandID, productID string) ([]string, int) {
	t.Helper()
	var keys []string
	err := ce.blobs.List(t.Context(), "brands/"+brandID+"/products/"+productID+"/", func(i blob.Info) bool {
		keys = append(keys, i.Key)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(context.Background(), ce.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM product_models WHERE product_id = $1`, productID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return keys, n
}

// send sends a raw body; chunked sends it without a declared length.
func (c *client) send(method, path, contentType string, body []byte, chunked bool, hdr map[string]string) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader = bytes.NewReader(body)
	if chunked {
		rd = io.MultiReader(rd)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// multipartFile builds a form whose part "file" holds data named name.
func multipartFile(t *testing.T, name string, data []byte) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("note", "fields before the file are skipped")
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// uploadModel uploads data as the model of a product, as a form or raw.
func (c *client) uploadModel(productID, name string, data []byte, asForm bool) (int, map[string]any) {
	if asForm {
		ct, body := multipartFile(c.t, name, data)
		return c.send("POST", "/api/products/"+productID+"/model", ct, body, false, nil)
	}
	return c.send("POST", "/api/products/"+productID+"/model", "model/gltf-binary", data, false,
		map[string]string{"Content-Disposition": `attachment; filename="` + name + `"`})
}

func flowProducts(t *testing.T, ce *catalogEnv) {
	c := signup(t, ce.url, ce.dbURL, "catalog@example.com", "Catalog Co")
	out := c.must(201, "POST", "/api/products", map[string]any{"name": "Mug", "sku": "MUG", "price": 1290, "currency": "EUR",
		"variants": []map[string]any{{"name": "Red", "sku": "MUG-R", "price_delta": 100}}})
	mug := out["product"].(map[string]any)
	if mug["status"] != "draft" || mug["price"].(float64) != 1290 || len(mug["variants"].([]any)) != 1 {
		t.Fatalf("created %v", mug)
	}
	id := mug["id"].(string)
	c.must(400, "POST", "/api/products", map[string]any{"name": "", "currency": "EURO"})
	c.must(409, "POST", "/api/products", map[string]any{"name": "Other", "sku": "MUG-R", "currency": "EUR"})
	c.must(409, "PATCH", "/api/products/"+id, map[string]any{"status": "active"}) // no model yet
	out = c.must(200, "PATCH", "/api/products/"+id, map[string]any{"name": "Big mug", "variants": []any{}})
	if str(out, "product", "name") != "Big mug" || len(out["product"].(map[string]any)["variants"].([]any)) != 0 {
		t.Fatalf("patched %v", out)
	}
	// The same route takes an RFC 7396 merge patch: null removes a member.
	status, out := c.send("PATCH", "/api/products/"+id, "application/merge-patch+json", []byte(`{"description": "Tall", "sku": null}`), false, nil)
	if status != 200 || str(out, "product", "description") != "Tall" || str(out, "product", "sku") != "" || str(out, "product", "name") != "Big mug" {
		t.Fatalf("merge patch: %d %v", status, out)
	}
	if status, _ := c.send("POST", "/api/products", "application/merge-patch+json", []byte(`{"name": "X", "currency": "EUR"}`), false, nil); status != 400 {
		t.Fatalf("merge patch media type on POST: %d, want 400", status)
	}
	for i := range 5 {
		status := []string{"draft", "archived"}[i%2]
		c.must(201, "POST", "/api/products", map[string]any{"name": fmt.Sprintf("Tee %d", i), "sku": fmt.Sprintf("TEE-%d", i), "currency": "USD", "status": status})
	}
	var names []string
	cursor := ""
	for range 10 {
		page := c.must(200, "GET", "/api/products?limit=2&q=tee&cursor="+cursor, nil)
		for _, p := range page["products"].([]any) {
			names = append(names, p.(map[string]any)["name"].(string))
		}
		if cursor = str(page, "next_cursor"); cursor == "" {
			break
		}
	}
	if strings.Join(names, ",") != "Tee 4,Tee 3,Tee 2,Tee 1,Tee 0" {
		t.Fatalf("paged search: %v", names)
	}
	for q, want := range map[string]int{"?status=archived": 2, "?status=draft&q=TEE": 3, "?q=mug-r": 0, "?q=MUG": 1, "": 6} {
		if got := len(c.must(200, "GET", "/api/products"+q, nil)["products"].([]any)); got != want {
			t.Errorf("GET /api/products%s: %d products, want %d", q, got, want)
		}
	}
	c.must(400, "GET", "/api/products?status=sold", nil)
	c.must(400, "GET", "/api/products?limit=0", nil)
	c.must(204, "DELETE", "/api/products/"+id, nil)
	c.must(404, "GET", "/api/products/"+id, nil)
}

func flowModels(t *testing.T, ce *catalogEnv) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "models", "*.glb"))
	if len(files) == 0 {
		corpusMissing(t, "no models in %s: the shared corpus is not checked out here", corpusDir)
	}
	c := signup(t, ce.url, ce.dbURL, "models@example.com", "Models Co")
	brandID := str(c.must(200, "GET", "/api/brand", nil), "brand", "id")
	for i, path := range files {
		data, _ := os.ReadFile(path)
		want, err := gltf.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		id := str(c.must(201, "POST", "/api/products", map[string]any{"name": filepath.Base(path), "currency": "EUR"}), "product", "id")
		status, out := c.uploadModel(id, filepath.Base(path), data, i%2 == 0)
		if status != 201 {
			t.Fatalf("%s: %d %v", path, status, out)
		}
		m := c.must(200, "GET", "/api/products/"+id+"/model", nil)["model"].(map[string]any)
		stats := m["stats"].(map[string]any)
		if int(stats["triangles"].(float64)) != gltf.Stats(want).Triangles || str(m, "original", "filename") != filepath.Base(path) {
			t.Errorf("%s: stats %v", path, stats)
		}
		// The signed URLs serve the original as uploaded and a valid canonical GLB.
		sum := sha256.Sum256(download(t, str(m, "original", "url")))
		if hex.EncodeToString(sum[:]) != str(m, "original", "sha256") || str(m, "original", "sha256") != hex.EncodeToString(sha256Of(data)) {
			t.Errorf("%s: original download differs", path)
		}
		canon := download(t, str(m, "canonical", "url"))
		doc, err := gltf.Read(bytes.NewReader(canon), int64(len(canon)), gltf.ReadOptions{})
		if err != nil || gltf.Stats(doc).Triangles != gltf.Stats(want).Triangles {
			t.Errorf("%s: canonical GLB: %v", path, err)
		}
		if p := c.must(200, "GET", "/api/products/"+id, nil); p["product"].(map[string]any)["model"] == nil {
			t.Errorf("%s: product has no model summary", path)
		}
		c.must(200, "PATCH", "/api/products/"+id, map[string]any{"status": "active"})
		// The positive control of the "nothing stored" checks of flowRefused.
		if keys, rows := ce.stored(t, brandID, id); len(keys) != 2 || rows != 1 {
			t.Errorf("%s: stored %v and %d rows, want the original, the canonical GLB and 1 row", path, keys, rows)
		}
	}
	// Deleting a product deletes its files once the deletion has committed.
	id := str(c.must(200, "GET", "/api/products?limit=1", nil)["products"].([]any)[0].(map[string]any), "id")
	c.must(204, "DELETE", "/api/products/"+id, nil)
	if keys, rows := ce.stored(t, brandID, id); len(keys) != 0 || rows != 0 {
		t.Errorf("after delete: %v, %d rows", keys, rows)
	}
}

func sha256Of(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// download fetches a signed URL without credentials.
func download(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return b
}
