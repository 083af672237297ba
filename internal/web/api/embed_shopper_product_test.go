package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/luneo/luneo/compose/fonts"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestShopperProduct: the product route gives the customizer everything
// it starts from, with URLs it can load: the model, the material's
// texture, the zones, fonts, prices and limits.
func TestShopperProduct(t *testing.T) {
	t.Parallel()
	glb := webtest.CorpusModel(t, "BoxTextured.glb")
	e := webtest.Start(t)
	sh := newShop(t, e, "shop-product@example.com")
	// The fixture's zone is on a material named "mat"; the box's is "Texture".
	if _, err := e.DB.Exec(`UPDATE product_zones SET material = 'Texture' WHERE id = $1`, sh.zone); err != nil {
		t.Fatal(err)
	}
	uploadModel(t, e, sh.product, glb, sh.staff)
	z := e.API("POST", "/api/products/"+sh.product+"/zones", map[string]any{"name": "Side", "type": "print", "material": "Texture",
		"uv_rect": map[string]any{"u0": 0.1, "v0": 0.1, "u1": 0.5, "v1": 0.5}, "width_mm": 50, "height_mm": 50, "dpi": 150}, sh.staff)
	if z.Status != http.StatusCreated {
		t.Fatalf("zone: %d %v", z.Status, z.Body)
	}
	hdr := sh.session(t, "")
	r := e.API("GET", "/api/embed/product", nil, hdr)
	if r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("product: %d %v", r.Status, r.Body)
	}
	var got struct {
		Product struct {
			ID, Name, Description, Currency string
			Price                           int64
			CurrencyDigits                  int `json:"currency_digits"`
			Variant                         any
		}
		Model struct {
			GLBURL    string  `json:"glb_url"`
			PosterURL *string `json:"poster_url"`
		}
		Materials []struct {
			Name       string
			TextureURL *string `json:"texture_url"`
			Width      int
			Height     int
			BaseColor  string `json:"base_color"`
		}
		Zones []testZone
		Fonts []struct {
			Family string
			Styles []string
		}
		Pricing struct{ Rules []map[string]any }
		Limits  struct {
			MaxUploadBytes int64    `json:"max_upload_bytes"`
			ImageTypes     []string `json:"image_types"`
			PreviewMax     int      `json:"preview_max"`
		}
		Design any
	}
	b, _ := json.Marshal(r.Body)
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	p := got.Product
	if p.ID != sh.product || p.Name != "Mug" || p.Description != "A mug" || p.Price != 2500 || p.Currency != "EUR" || p.CurrencyDigits != 2 ||
		p.Variant != nil || got.Design != nil {
		t.Fatalf("product %+v", got)
	}
	if len(got.Materials) != 1 || got.Materials[0].Name != "Texture" || got.Materials[0].Width != 256 || got.Materials[0].BaseColor != "#ffffff" ||
		got.Materials[0].TextureURL == nil {
		t.Fatalf("materials %+v", got.Materials)
	}
	if len(got.Zones) != 2 || !slices.ContainsFunc(got.Zones, func(z testZone) bool {
		return z.Name == "Side" && z.Type == "print" && z.UVRect["u1"] == 0.5
	}) {
		t.Fatalf("zones %+v", got.Zones)
	}
	if len(got.Pricing.Rules) != 1 || got.Pricing.Rules[0]["amount"] != 500.0 {
		t.Fatalf("pricing %+v", got.Pricing)
	}
	if got.Limits.MaxUploadBytes != 15<<20 || strings.Join(got.Limits.ImageTypes, ",") != "image/png,image/jpeg,image/webp" || got.Limits.PreviewMax != 1024 {
		t.Fatalf("limits %+v", got.Limits)
	}
	noto := false
	for _, f := range got.Fonts {
		noto = noto || (f.Family == "Noto Sans" && strings.Join(f.Styles, ",") == "regular,bold")
	}
	if !noto {
		t.Fatalf("fonts %+v lack Noto Sans regular and bold", got.Fonts)
	}
	// The signed URLs load, twice (the texture is copied out of the GLB
	// once, then served from its own file).
	for name, u := range map[string]string{"model": got.Model.GLBURL, "texture": *got.Materials[0].TextureURL} {
		for range 2 {
			status, h, body := raw(t, e, "GET", strings.TrimPrefix(u, e.URL), "", nil, nil)
			want := map[string]string{"model": "model/gltf-binary", "texture": "image/png"}[name]
			if status != http.StatusOK || h.Get("Content-Type") != want || len(body) < 100 {
				t.Fatalf("%s URL %s: %d %s (%d bytes)", name, u, status, h.Get("Content-Type"), len(body))
			}
		}
	}
	if again := e.API("GET", "/api/embed/product", nil, hdr); again.Body["materials"].([]any)[0].(map[string]any)["texture_url"] == nil {
		t.Fatal("no texture URL the second time")
	}
	// A new model sweeps the old one's texture file.
	uploadModel(t, e, sh.product, glb, sh.staff)
	if status, _, _ := raw(t, e, "GET", strings.TrimPrefix(*got.Materials[0].TextureURL, e.URL), "", nil, nil); status != http.StatusNotFound {
		t.Fatalf("the replaced model's texture: %d, want 404", status)
	}
}

// testZone is what TestShopperProduct reads of a zone.
type testZone struct {
	ID, Name, Type string
	UVRect         map[string]float64 `json:"uv_rect"`
}

// TestShopperFonts: the font route serves the bundled file the server
// draws with, and a brand's own font; an unknown family or style is not
// found.
func TestShopperFonts(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	sh := newShop(t, e, "shop-fonts@example.com")
	hdr := sh.session(t, "")
	want, err := fonts.Bundled().Lookup("Noto Sans", true)
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := want.Open()
	wantBytes, _ := io.ReadAll(rc)
	rc.Close()
	status, h, body := raw(t, e, "GET", "/api/embed/fonts/noto%20sans?style=bold", "", nil, hdr)
	if status != http.StatusOK || h.Get("Content-Type") != "font/ttf" || h.Get("Cache-Control") != "private, max-age=3600" || !bytes.Equal(body, wantBytes) {
		t.Fatalf("bundled bold: %d %v (%d bytes, want %d)", status, h, len(body), len(wantBytes))
	}
	for _, path := range []string{"/api/embed/fonts/Comic%20Sans", "/api/embed/fonts/Noto%20Color%20Emoji?style=bold", "/api/embed/fonts/NotoSans-Regular.ttf"} {
		if status, _, body := raw(t, e, "GET", path, "", nil, hdr); status != http.StatusNotFound {
			t.Errorf("%s: %d %s, want 404", path, status, body)
		}
	}
	t.Run("brand font", func(t *testing.T) {
		if r := uploadFile(t, e, "/api/fonts", "DejaVuSerif.ttf", dejaVu(t), sh.staff); r.Status != http.StatusCreated {
			t.Fatalf("font upload: %d %v", r.Status, r.Body)
		}
		// The family is listed with its file's style, and served with it
		// or without a style.
		var style string
		for _, f := range e.API("GET", "/api/embed/product", nil, hdr).Body["fonts"].([]any) {
			if f := f.(map[string]any); f["family"] == "DejaVu Serif" && len(f["styles"].([]any)) == 1 {
				style = f["styles"].([]any)[0].(string)
			}
		}
		if style == "" || style != strings.ToLower(style) {
			t.Fatalf("the product's fonts lack DejaVu Serif with one lower-case style (%q)", style)
		}
		for _, q := range []string{"", "?style=" + url.QueryEscape(style)} {
			status, h, body := raw(t, e, "GET", "/api/embed/fonts/"+url.PathEscape("DejaVu Serif")+q, "", nil, hdr)
			if status != http.StatusOK || h.Get("Content-Type") != "font/ttf" || !bytes.Equal(body, dejaVu(t)) {
				t.Fatalf("brand font%s: %d %v (%d bytes)", q, status, h, len(body))
			}
		}
		if status, _, _ := raw(t, e, "GET", "/api/embed/fonts/"+url.PathEscape("DejaVu Serif")+"?style=bold", "", nil, hdr); status != http.StatusNotFound {
			t.Fatalf("a brand font's missing style: %d, want 404", status)
		}
	})
}

// TestShopperUploads: an image upload answers what the customizer needs;
// wrong types, oversized and broken images are refused clearly and store
// nothing.
func TestShopperUploads(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t, withEmbed(embed.Config{MaxUpload: 64 << 10}))
	sh := newShop(t, e, "shop-uploads@example.com")
	hdr := sh.session(t, "")
	img := pngBytes(t, 40, 20)
	status, _, body := raw(t, e, "POST", "/api/embed/assets", "image/png", img, hdr)
	var a map[string]any
	_ = json.Unmarshal(body, &a)
	if status != http.StatusCreated || a["width"] != 40.0 || a["height"] != 20.0 || a["mime_type"] != "image/png" ||
		len(a["sha256"].(string)) != 64 || a["size"] != float64(len(img)) || a["url"] == "" {
		t.Fatalf("upload: %d %s", status, body)
	}
	// The same image as a multipart form: the same asset.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "logo.png")
	_, _ = fw.Write(img)
	_ = mw.Close()
	status, _, body = raw(t, e, "POST", "/api/embed/assets", mw.FormDataContentType(), form.Bytes(), hdr)
	if status != http.StatusCreated || !strings.Contains(string(body), a["sha256"].(string)) {
		t.Fatalf("multipart upload: %d %s", status, body)
	}
	// A design may use it.
	doc := sh.doc()
	doc["zones"].([]any)[0].(map[string]any)["layers"] = []any{map[string]any{"type": "image", "asset": a["sha256"], "x_mm": 0, "y_mm": 0, "width_mm": 5, "height_mm": 2.5}}
	c := e.API("POST", "/api/embed/designs", map[string]any{"document": doc}, hdr)
	if c.Status != http.StatusCreated {
		t.Fatalf("a design with the image: %d %v", c.Status, c.Body)
	}
	if g := e.API("GET", "/api/embed/designs/"+c.Body["design"].(map[string]any)["id"].(string), nil, hdr); g.Status != http.StatusOK ||
		g.Body["assets"].(map[string]any)[a["sha256"].(string)] == nil {
		t.Fatalf("reopen with images: %d %v", g.Status, g.Body)
	}

	rows, blobs := countRows(t, e.DB, "design_assets"), countBlobs(t, e)
	for name, c := range map[string]struct {
		ctype  string
		body   []byte
		status int
		says   string
	}{
		"declared GIF":         {"image/gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 415, "PNG, JPEG or WebP"},
		"GIF declared as PNG":  {"image/png", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 415, ""},
		"JSON":                 {"application/json", []byte(`{}`), 415, ""},
		"over the limit":       {"image/png", append(pngBytes(t, 4, 4), make([]byte, 70<<10)...), 413, "65536 bytes"},
		"broken PNG":           {"image/png", pngBytes(t, 40, 20)[:60], 422, ""},
		"a decompression bomb": {"image/png", withSize(pngBytes(t, 1, 1), 60000, 60000), 413, ""},
	} {
		status, h, body := raw(t, e, "POST", "/api/embed/assets", c.ctype, c.body, hdr)
		if status != c.status || h.Get("Content-Type") != "application/problem+json" || !strings.Contains(problem(body), c.says) {
			t.Errorf("%s: %d %s, want %d saying %q", name, status, body, c.status, c.says)
		}
	}
	if countRows(t, e.DB, "design_assets") != rows || countBlobs(t, e) != blobs {
		t.Error("a refused upload stored something")
	}
}

// TestShopperPreview: a preview draws the zone of an unsaved document
// and stores nothing; a bad request or document is refused clearly.
func TestShopperPreview(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	sh := newShop(t, e, "shop-preview@example.com")
	hdr := sh.session(t, "")
	preview := func(body map[string]any) (int, http.Header, []byte) {
		b, _ := json.Marshal(body)
		return raw(t, e, "POST", "/api/embed/preview", "application/json", b, hdr)
	}
	bad := sh.doc("x")
	bad["zones"].([]any)[0].(map[string]any)["layers"].([]any)[0].(map[string]any)["size_pt"] = 1
	for name, c := range map[string]struct {
		body   map[string]any
		status int
	}{
		"size too small": {map[string]any{"document": sh.doc("Hi"), "zone_id": sh.zone, "size": 10}, 400},
		"size too large": {map[string]any{"document": sh.doc("Hi"), "zone_id": sh.zone, "size": 4096}, 400},
		"no zone":        {map[string]any{"document": sh.doc("Hi")}, 400},
		"text too small": {map[string]any{"document": bad, "zone_id": sh.zone}, 422},
	} {
		if status, _, body := preview(c.body); status != c.status {
			t.Errorf("%s: %d %s, want %d", name, status, body, c.status)
		}
	}
	rows := countRows(t, e.DB, "designs")
	status, h, body := preview(map[string]any{"document": sh.doc("Hi"), "zone_id": sh.zone, "size": 256})
	if ct := h.Get("Content-Type"); status != http.StatusOK || (ct != "image/png" && ct != "image/webp") || len(body) < 8 {
		t.Fatalf("preview: %d %s (%d bytes)", status, ct, len(body))
	}
	if countRows(t, e.DB, "designs") != rows {
		t.Fatal("a preview stored a design")
	}
}
