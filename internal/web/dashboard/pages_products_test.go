package dashboard_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/webtest"
)

// corpusModels is the shared folder of real-world models (see its README).
const corpusModels = "../../../../shared/corpus/models"

// newProduct creates a product through the form and returns its ID.
func newProduct(t *testing.T, b *webtest.Browser, name, sku, price, currency string) string {
	t.Helper()
	p := b.Post("/app/products", "name", name, "sku", sku, "price", price, "currency", currency)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/app/products/") {
		t.Fatalf("create %s: %d to %q\n%s", name, p.Status, p.Location, p.Body)
	}
	return strings.TrimPrefix(p.Location, "/app/products/")
}

func bundleBuilt() bool {
	_, err := fs.Stat(ui.StaticFS(), "dist/viewer.js")
	return err == nil
}

func TestPageProductsListAndDetails(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	webtest.Want(t, b.Get("/app"), http.StatusOK, `href="/app/products"`)
	webtest.Want(t, b.Get("/app/products"), http.StatusOK, "No products yet.", `<a href="/app/products" aria-current="page">Products</a>`,
		`action="/app/products"`, `name="currency" type="text" value="EUR"`)

	// Errors come back next to their fields with what was typed.
	p := b.Post("/app/products", "name", "Blue Mug", "sku", "MUG-1", "price", "12.345", "currency", "EUR")
	webtest.Want(t, p, http.StatusBadRequest, "must be an amount such as 19.90, with at most 2 decimals", `value="Blue Mug"`, `value="12.345"`)
	webtest.Want(t, b.Post("/app/products", "name", "", "price", "1", "currency", "EUR"), http.StatusBadRequest, "name is required")
	webtest.Want(t, b.Post("/app/products", "name", "Blue Mug", "price", "1", "currency", "XYZ"), http.StatusBadRequest, "ISO 4217")

	p = b.Post("/app/products", "name", "Blue Mug", "sku", "MUG-1", "price", "12.5", "currency", "eur")
	mug := strings.TrimPrefix(p.Location, "/app/products/")
	webtest.Want(t, b.Follow(p), http.StatusOK, "<h1>Blue Mug</h1>", "Blue Mug is created as a draft", "12.50 EUR",
		`<span class="badge badge-draft">draft</span>`, "No 3D model yet.", `enctype="multipart/form-data"`)
	cap := newProduct(t, b, "Red Cap", "CAP-1", "2000", "JPY")
	webtest.Want(t, b.Post("/app/products", "name", "Other", "sku", "MUG-1", "price", "1", "currency", "EUR"), http.StatusConflict,
		"The SKU &#34;MUG-1&#34; is already used", `value="Other"`)

	// Search and filter.
	list := b.Get("/app/products?q=mug")
	webtest.Want(t, list, http.StatusOK, "Blue Mug", "12.50 EUR", `value="mug"`)
	if strings.Contains(list.Body, "Red Cap") {
		t.Error("searching mug lists Red Cap")
	}
	webtest.Want(t, b.Get("/app/products?q=cap-1"), http.StatusOK, "Red Cap", "2000 JPY")
	webtest.Want(t, b.Get("/app/products?status=active"), http.StatusOK, "No product matches with status active.", `<option value="active" selected>`)
	webtest.Want(t, b.Get("/app/products?status=draft&q=cap"), http.StatusOK, "Red Cap")
	webtest.Want(t, b.Get("/app/products?status=sold"), http.StatusBadRequest, "status must be draft, active or archived")

	// Pages of 20, newest first, with a link to the next page.
	for i := range 20 {
		newProduct(t, b, fmt.Sprintf("Poster %02d", i), "", "5", "EUR")
	}
	first := b.Get("/app/products")
	webtest.Want(t, first, http.StatusOK, "Poster 19", `rel="next"`)
	if strings.Contains(first.Body, "Blue Mug") {
		t.Error("the oldest product is on the first page")
	}
	next := html.UnescapeString(webtest.Find(t, first.Body, `<a href="([^"]+)" rel="next">`))
	second := b.Get(next)
	webtest.Want(t, second, http.StatusOK, "Blue Mug", "Red Cap", "First page")
	if strings.Contains(second.Body, `rel="next"`) || strings.Contains(second.Body, "Poster 19") {
		t.Error("the last page links further or repeats the first")
	}
	webtest.Want(t, b.Get("/app/products?q=e"), http.StatusOK, `rel="next"`, `&amp;q=e" rel="next"`)

	// Editing the details; a product without a model cannot go active.
	path := "/app/products/" + mug
	webtest.Want(t, b.Post(path, "name", "Blue Mug", "sku", "MUG-1", "description", "Holds tea.", "status", "active", "price", "12.50", "currency", "EUR"),
		http.StatusConflict, "only be active once it has a 3D model", "Holds tea.")
	webtest.Want(t, b.Post(path, "name", "", "sku", "MUG-1", "status", "draft", "price", "x", "currency", "EUR"), http.StatusBadRequest,
		`id="product-price-error"`)
	p = b.Post(path, "name", "Big Blue Mug", "sku", "MUG-2", "description", "Holds tea.\nAnd coffee.", "status", "archived", "price", "13", "currency", "EUR")
	webtest.WantRedirect(t, p, path)
	webtest.Want(t, b.Follow(p), http.StatusOK, "Big Blue Mug is saved.", "<h1>Big Blue Mug</h1>", "13.00 EUR", "Holds tea.\nAnd coffee.", `<option value="archived" selected>`)
	webtest.Want(t, b.Get("/app/products?status=archived"), http.StatusOK, "Big Blue Mug")

	// Variants: each row is its own form; every change saves the list.
	p = b.Post(path+"/variants", "name", "Large", "sku", "MUG-2-L", "price_delta", "2.50")
	webtest.WantRedirect(t, p, path+"#variants")
	webtest.Want(t, b.Follow(p), http.StatusOK, "The variant Large is added.", `value="MUG-2-L"`, `value="2.50"`)
	webtest.Want(t, b.Post(path+"/variants", "name", "Small", "sku", "MUG-2", "price_delta", "-1"), http.StatusBadRequest,
		`id="variant-new-sku-error"`, `value="Small"`)
	webtest.Want(t, b.Post(path+"/variants", "name", "Tiny", "price_delta", "-20"), http.StatusBadRequest, `id="variant-new-price_delta-error"`)
	b.Follow(b.Post(path+"/variants", "name", "Small", "price_delta", "-1.5"))
	pg := b.Get(path)
	large := webtest.Find(t, pg.Body, `action="/app/products/`+mug+`/variants/([0-9a-f-]+)"`)
	webtest.Want(t, pg, http.StatusOK, `value="-1.50"`, `form="variant-`+large+`"`)
	// An error shows on that variant's row only.
	p = b.Post(path+"/variants/"+large, "name", "Large", "sku", "MUG-2", "price_delta", "2.50")
	webtest.Want(t, p, http.StatusBadRequest, `id="variant-`+large+`-sku-error"`, `value="MUG-2"`)
	if strings.Contains(p.Body, `id="variant-new-sku-error"`) {
		t.Error("the error is shown on the add form too")
	}
	webtest.Want(t, b.Follow(b.Post(path+"/variants/"+large, "name", "X-Large", "sku", "MUG-2-XL", "price_delta", "3")), http.StatusOK,
		"The variant X-Large is saved.", `value="X-Large"`, `value="3.00"`)
	webtest.Want(t, b.Follow(b.Post(path+"/variants/"+large+"/delete")), http.StatusOK, "The variant X-Large is removed.")
	if pg := b.Get(path); strings.Contains(pg.Body, "X-Large") || !strings.Contains(pg.Body, `value="Small"`) {
		t.Error("the variant was not removed, or took the other with it")
	}
	webtest.Want(t, b.Post(path+"/variants/nope/delete"), http.StatusNotFound)

	// Deleting a product.
	webtest.Want(t, b.Follow(b.Post("/app/products/"+cap+"/delete")), http.StatusOK, "Red Cap has been deleted")
	webtest.Want(t, b.Get("/app/products/"+cap), http.StatusNotFound)
}

func TestPageProductModelAndZones(t *testing.T) {
	t.Parallel()
	box := webtest.CorpusModel(t, "BoxTextured.glb")
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	id := newProduct(t, b, "Box", "BOX-1", "10", "EUR")
	path := "/app/products/" + id

	// Zones need a model first.
	webtest.Want(t, b.Get(path), http.StatusOK, "upload the model first")

	// A file that is not valid glTF is refused with the validator's issues,
	// each with where it is.
	bad := `{"asset":{"version":"2.0"},"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],"meshes":[{"primitives":[{"attributes":{"POSITION":7}}]}]}`
	p := b.Upload(path+"/model", "broken.gltf", []byte(bad))
	webtest.Want(t, p, http.StatusUnprocessableEntity, "What the validator found", "The model is not valid glTF",
		`<code class="issue-where">/meshes/0/primitives/0/attributes/POSITION</code>`)
	if magic, err := os.ReadFile(filepath.Join(corpusModels, "..", "invalid-glb", "invalid_magic.glb")); err == nil {
		webtest.Want(t, b.Upload(path+"/model", "magic.glb", magic), http.StatusUnprocessableEntity, `<code class="issue-where">byte 0</code>`, "GLB_INVALID_MAGIC")
	}
	p = b.Upload(path+"/model", "notes.txt", []byte("hello"))
	webtest.Want(t, p, http.StatusUnprocessableEntity, "UNKNOWN_FORMAT")
	if pr := b.Get(path); !strings.Contains(pr.Body, "No 3D model yet.") {
		t.Error("a refused file left a model behind")
	}

	// A real model: stored, shown in 3D with its statistics.
	p = b.Upload(path+"/model", "BoxTextured.glb", box)
	webtest.WantRedirect(t, p, path+"#model")
	pg := b.Follow(p)
	webtest.Want(t, pg, http.StatusOK, "The 3D model is stored: 12 triangles, 1 material.", "<dt>Triangles</dt><dd>12</dd>",
		"<dt>Vertices</dt><dd>24</dd>", "<dt>Draw calls</dt><dd>1</dd>", "1 × 1 × 1 m", "256 × 256", "23.5 kB",
		"BoxTextured.glb", "The validator found nothing to report.", "Replace the model", "2 nodes, 1 mesh, 1 primitive, up to 1 UV set</dd>")
	if bundleBuilt() {
		src := html.UnescapeString(webtest.Find(t, pg.Body, `<model-viewer class="model-viewer" src="([^"]+)"`))
		if !strings.HasPrefix(src, "/blobs/") || !strings.Contains(src, "canonical.glb") {
			t.Errorf("model-viewer src %q, want a signed path of the canonical GLB", src)
		}
		webtest.Want(t, pg, http.StatusOK, `alt="Box, 3D model"`, `<script type="module" src="/static/dist/viewer.`)
		status, ct, glb := b.Fetch(src)
		if status != http.StatusOK || ct != "model/gltf-binary" || !bytes.HasPrefix(glb, []byte("glTF")) {
			t.Errorf("canonical GLB: %d %s %d bytes", status, ct, len(glb))
		}
	} else {
		webtest.Want(t, pg, http.StatusOK, "3D preview unavailable")
	}

	// The zone editor gets the materials with their texture, served from
	// the stored model.
	mats := html.UnescapeString(webtest.Find(t, pg.Body, `data-materials="([^"]*)"`))
	var materials []ui.EditorMaterial
	if err := json.Unmarshal([]byte(mats), &materials); err != nil || len(materials) != 1 || materials[0].Name != "Texture" ||
		materials[0].Width != 256 || materials[0].TextureURL == "" {
		t.Fatalf("editor materials %s (%v)", mats, err)
	}
	status, ct, img := b.Fetch(materials[0].TextureURL)
	if status != http.StatusOK || ct != "image/png" || !bytes.HasPrefix(img, []byte("\x89PNG")) || len(img) != 23516 {
		t.Errorf("texture: %d %s %d bytes", status, ct, len(img))
	}
	// An image, never a document: sandboxed, whatever it holds.
	if csp := b.Get(html.UnescapeString(materials[0].TextureURL)).Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox; default-src 'none'") {
		t.Errorf("texture CSP %q", csp)
	}
	if status, _, _ := b.Fetch(path + "/materials/Nope/texture"); status != http.StatusNotFound {
		t.Errorf("texture of a missing material: %d", status)
	}
	endpoint := webtest.Find(t, pg.Body, `data-endpoint="([^"]+)"`)
	if endpoint != "/api/products/"+id+"/zones" {
		t.Errorf("editor endpoint %q", endpoint)
	}

	// Zone form: errors next to the inputs, with what was typed.
	zone := func(kv ...string) webtest.Page {
		base := map[string]string{"name": "Front", "type": "print", "material": "Texture", "u0": "0.1", "v0": "0.1", "u1": "0.6", "v1": "0.5",
			"width_mm": "100", "height_mm": "50", "dpi": "300", "max_layers": "5", "max_chars": "40", "fonts": "", "colours": "", "colour_options": ""}
		for i := 0; i+1 < len(kv); i += 2 {
			base[kv[i]] = kv[i+1]
		}
		args := []string{"layer_types", "text", "layer_types", "image"}
		for k, v := range base {
			args = append(args, k, v)
		}
		return b.Post(path+"/zones", args...)
	}
	p = zone("dpi", "10", "width_mm", "", "u1", "0.05", "fonts", "Roboto, roboto")
	webtest.Want(t, p, http.StatusBadRequest, `id="zone-dpi-error"`, `id="zone-width_mm-error"`, `id="zone-uv-error"`, `id="zone-fonts-error"`,
		"must be 72 to 1200", "is required for a print zone", `value="Roboto, roboto"`, `value="10"`)
	webtest.Want(t, zone("u0", "abc"), http.StatusBadRequest, "u0 must be a number from 0 to 1")
	webtest.Want(t, zone("u0", "", "v0", ""), http.StatusBadRequest, "fill in all four")
	webtest.Want(t, zone("material", "Glass"), http.StatusBadRequest, `id="zone-material-error"`, "is not a material of the product")

	p = zone("fonts", "Roboto, Open Sans", "colours", "#000 #FF0000")
	webtest.WantRedirect(t, p, path+"#zones")
	pg = b.Follow(p)
	webtest.Want(t, pg, http.StatusOK, "The zone Front is added.", "<strong>Front</strong>", "u 0.100–0.600, v 0.100–0.500", "100 × 50 mm",
		"1181 × 591 px", "layers: text, image; up to 5 layers, 40 characters per text; fonts: Roboto, Open Sans; colours: #000000, #ff0000")
	zones := html.UnescapeString(webtest.Find(t, pg.Body, `data-zones="([^"]*)"`))
	if !strings.Contains(zones, `"name":"Front","material":"Texture","u0":0.1,"v0":0.1,"u1":0.6,"v1":0.5`) {
		t.Errorf("editor zones %s", zones)
	}
	webtest.Want(t, zone(), http.StatusConflict, "already has a zone named")

	// Editing a zone reuses the form, filled in.
	zoneID := webtest.Find(t, pg.Body, `href="/app/products/`+id+`\?zone=([0-9a-f-]+)#zone-form"`)
	edit := b.Get(path + "?zone=" + zoneID)
	webtest.Want(t, edit, http.StatusOK, "Edit the zone “Front”", `action="/app/products/`+id+`/zones/`+zoneID+`"`, `name="width_mm" type="number" value="100"`,
		`value="Roboto, Open Sans"`)
	p = b.Post(path+"/zones/"+zoneID, "name", "Front", "type", "print", "material", "Texture", "width_mm", "120", "height_mm", "50", "dpi", "150",
		"layer_types", "text")
	webtest.Want(t, b.Follow(p), http.StatusOK, "The zone Front is saved.", "whole material", "120 × 50 mm", "709 × 295 px", "layers: text;")
	webtest.Want(t, b.Post(path+"/zones/"+zoneID, "name", "Front", "type", "print", "material", "Texture", "width_mm", "120", "height_mm", "50", "dpi", "5000"),
		http.StatusBadRequest, "Edit the zone “Front”", `id="zone-dpi-error"`)

	// A colour zone lists its choices.
	p = b.Post(path+"/zones", "name", "Body colour", "type", "colour", "material", "Texture", "colour_options", "Navy #1F2A44\r\nRed #f00\r\n")
	webtest.Want(t, b.Follow(p), http.StatusOK, "colours to pick: Navy #1f2a44, Red #ff0000")
	webtest.Want(t, b.Post(path+"/zones", "name", "Bad", "type", "colour", "material", "Texture", "colour_options", "Navy blue"), http.StatusBadRequest,
		`id="zone-colour-options-error"`)

	// The zone editor saves through the API with its body template, as the
	// island does: the session cookie and our Origin.
	tmpl := html.UnescapeString(webtest.Find(t, pg.Body, `data-body-template="([^"]*)"`))
	for k, v := range map[string]string{`"$name"`: `"Back"`, `"$material"`: `"Texture"`, `"$u0"`: "0.2", `"$v0"`: "0.6", `"$u1"`: "0.8", `"$v1"`: "0.9"} {
		tmpl = strings.ReplaceAll(tmpl, k, v)
	}
	if res := b.JSON(http.MethodPost, endpoint, tmpl); res.Status != http.StatusCreated || !strings.Contains(res.Body, `"uv_rect":{"u0":0.2,"v0":0.6,"u1":0.8,"v1":0.9}`) {
		t.Errorf("zone from the editor's template: %d %s", res.Status, res.Body)
	}
	webtest.Want(t, b.Get(path), http.StatusOK, "<strong>Back</strong>", "100 × 100 mm")

	// Deleting a zone; a replacement model must still fit the zones.
	webtest.Want(t, b.Follow(b.Post(path+"/zones/"+zoneID+"/delete")), http.StatusOK, "The zone Front has been deleted.")
	duck, err := os.ReadFile(filepath.Join(corpusModels, "Duck.glb"))
	if err == nil {
		p = b.Upload(path+"/model", "Duck.glb", duck)
		webtest.Want(t, p, http.StatusConflict, "does not fit the product&#39;s zones", "zone &#34;Back&#34; targets material &#34;Texture&#34;")
	}
}

func TestPageProductsPermissions(t *testing.T) {
	t.Parallel()
	box := webtest.CorpusModel(t, "BoxTextured.glb")
	e := webtest.Start(t)
	owner := e.Browser()
	owner.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	id := newProduct(t, owner, "Box", "BOX-1", "10", "EUR")
	path := "/app/products/" + id
	webtest.WantRedirect(t, owner.Upload(path+"/model", "BoxTextured.glb", box), path+"#model")
	owner.Follow(owner.Post(path+"/variants", "name", "Large"))
	owner.Follow(owner.Post(path+"/zones", "name", "Front", "type", "print", "material", "Texture", "width_mm", "100", "height_mm", "100", "dpi", "300"))
	pg := owner.Get(path)
	zoneID := webtest.Find(t, pg.Body, `\?zone=([0-9a-f-]+)#zone-form`)
	variantID := webtest.Find(t, pg.Body, `/variants/([0-9a-f-]+)/delete`)
	texture := html.UnescapeString(webtest.Find(t, pg.Body, `&#34;texture_url&#34;:&#34;([^&]+(?:&amp;[^&]+)*)&#34;`))

	// A viewer sees everything, read-only.
	owner.Post("/app/team/invite", "email", "bob@example.com", "role", "viewer")
	token := e.Mailed("bob@example.com", "/invitations/accept")
	viewer := e.Browser()
	viewer.Signup("bob@example.com", "Bob", "Bob Prints")
	webtest.WantRedirect(t, viewer.Post("/invitations/accept", "token", token), "/app")
	list := viewer.Get("/app/products")
	webtest.Want(t, list, http.StatusOK, "Box")
	if strings.Contains(list.Body, "New product") || strings.Contains(list.Body, `method="post" action="/app/products"`) {
		t.Error("a viewer is offered the new product form")
	}
	vp := viewer.Get(path)
	webtest.Want(t, vp, http.StatusOK, "<h1>Box</h1>", "<dt>Triangles</dt><dd>12</dd>", "<strong>Front</strong>", "Large", `data-zone-editor`)
	for _, s := range []string{"multipart/form-data", `action="` + path + `"`, "/variants", "/zones/", "Add a zone", "data-endpoint", "Delete Box"} {
		if strings.Contains(vp.Body, s) {
			t.Errorf("a viewer's product page offers %q", s)
		}
	}
	if status, ct, _ := viewer.Fetch(texture); status != http.StatusOK || ct != "image/png" {
		t.Errorf("viewer texture: %d %s", status, ct)
	}
	for _, p := range []webtest.Page{
		viewer.Post("/app/products", "name", "Mine", "price", "1", "currency", "EUR"),
		viewer.Post(path, "name", "Mine", "status", "draft", "price", "1", "currency", "EUR"),
		viewer.Post(path + "/delete"),
		viewer.Post(path+"/variants", "name", "X"),
		viewer.Post(path+"/variants/"+variantID, "name", "X"),
		viewer.Post(path + "/variants/" + variantID + "/delete"),
		viewer.Upload(path+"/model", "BoxTextured.glb", box),
		viewer.Post(path+"/zones", "name", "Back", "type", "print", "material", "Texture"),
		viewer.Post(path+"/zones/"+zoneID, "name", "Back", "type", "print", "material", "Texture"),
		viewer.Post(path + "/zones/" + zoneID + "/delete"),
		viewer.Post(path+"/pricing", "zone_id", "", "layer_type", "text", "amount", "1"),
		viewer.Post(path + "/pricing/0/delete"),
	} {
		webtest.Want(t, p, http.StatusForbidden, "your role (viewer) does not allow products:write")
	}
	if pg := owner.Get(path); !strings.Contains(pg.Body, "<strong>Front</strong>") || !strings.Contains(pg.Body, `value="Large"`) {
		t.Error("a viewer's post changed the product")
	}

	// Another brand sees nothing of it.
	other := e.Browser()
	other.Signup("eve@example.com", "Eve", "Eve Hats")
	webtest.Want(t, other.Get("/app/products"), http.StatusOK, "No products yet.")
	for _, p := range []webtest.Page{
		other.Get(path),
		other.Post(path, "name", "Mine", "status", "draft", "price", "1", "currency", "EUR"),
		other.Post(path+"/variants", "name", "X"),
		other.Upload(path+"/model", "BoxTextured.glb", box),
		other.Post(path+"/zones", "name", "Back", "type", "print", "material", "Texture", "width_mm", "1", "height_mm", "1", "dpi", "300"),
		other.Post(path + "/zones/" + zoneID + "/delete"),
		other.Post(path+"/pricing", "zone_id", "", "layer_type", "text", "amount", "1"),
		other.Post(path + "/pricing/0/delete"),
		other.Post(path + "/delete"),
	} {
		webtest.Want(t, p, http.StatusNotFound)
	}
	if status, _, _ := other.Fetch(texture); status != http.StatusNotFound {
		t.Errorf("another brand's texture: %d", status)
	}

	// Logged out, the pages go through login.
	anon := e.Browser()
	webtest.WantRedirect(t, anon.Get(path), "/api/auth/refresh?return="+strings.ReplaceAll(path, "/", "%2F"))
}

// TestPageProductUploadTooLarge: a file over LUNEO_MAX_MODEL_SIZE comes
// back to the upload form with the limit, and nothing is stored.
func TestPageProductUploadTooLarge(t *testing.T) {
	t.Parallel()
	box := webtest.CorpusModel(t, "BoxTextured.glb")
	e := webtest.Start(t, func(e *webtest.Env, d *web.Deps) {
		d.Catalog = catalog.New(e.DB, d.LocalBlobs, catalog.Config{MaxModelSize: 10_000, TempDir: t.TempDir()}, d.Logger)
	})
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	id := newProduct(t, b, "Box", "", "10", "EUR")
	p := b.Upload("/app/products/"+id+"/model", "BoxTextured.glb", box)
	webtest.Want(t, p, http.StatusRequestEntityTooLarge, "The file is larger than the limit of 10000 bytes", "Upload the model", "Up to 10.0 kB")
	webtest.Want(t, b.Get("/app/products/"+id), http.StatusOK, "No 3D model yet.")
}

// TestPageProductPricing sets, changes, refuses and removes customization
// prices on the product page.
func TestPageProductPricing(t *testing.T) {
	t.Parallel()
	box := webtest.CorpusModel(t, "BoxTextured.glb")
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("pia@example.com", "Pia", "Pia Prints")
	id := newProduct(t, b, "Box", "", "12", "EUR")
	path := "/app/products/" + id
	webtest.Want(t, b.Get(path), http.StatusOK, "No customization prices: customizing is free.")
	webtest.WantRedirect(t, b.Upload(path+"/model", "BoxTextured.glb", box), path+"#model")
	b.Follow(b.Post(path+"/zones", "name", "Lid", "type", "print", "material", "Texture", "width_mm", "80", "height_mm", "80", "dpi", "300"))
	zoneID := webtest.Find(t, b.Get(path).Body, `<option value="([0-9a-f-]+)">Lid</option>`)

	webtest.WantRedirect(t, b.Post(path+"/pricing", "zone_id", "", "layer_type", "text", "amount", "2.50"), path+"#pricing")
	webtest.Want(t, b.Follow(b.Post(path+"/pricing", "zone_id", zoneID, "layer_type", "image", "amount", "4")), http.StatusOK,
		"The customization price is saved.", "<td>every zone</td><td>per text layer</td><td class=\"nowrap\">2.50 EUR</td>",
		"<td>Lid</td><td>per image layer</td><td class=\"nowrap\">4.00 EUR</td>")
	// The same zone and charge again changes the price, not a second rule.
	pg := b.Follow(b.Post(path+"/pricing", "zone_id", "", "layer_type", "text", "amount", "3"))
	if strings.Count(pg.Body, "per text layer</td>") != 1 || !strings.Contains(pg.Body, "3.00 EUR") {
		t.Errorf("changing a price added a rule:\n%s", pg.Body)
	}
	webtest.Want(t, b.Post(path+"/pricing", "zone_id", "", "layer_type", "text", "amount", "-1"), http.StatusBadRequest, `id="price-amount-error"`)
	webtest.Want(t, b.Post(path+"/pricing", "zone_id", "nope", "layer_type", "text", "amount", "1"), http.StatusBadRequest,
		"is not a zone of this product")
	webtest.Want(t, b.Post(path+"/pricing/7/delete"), http.StatusNotFound)
	pg = b.Follow(b.Post(path + "/pricing/0/delete"))
	webtest.Want(t, pg, http.StatusOK, "The customization price is removed.", "4.00 EUR")
	if strings.Contains(pg.Body, "per text layer</td>") {
		t.Error("the removed price is still listed")
	}
}
