package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// The 3D model of a product on its page: the upload form (the file goes
// through the same validation as POST /api/products/{id}/model, and a
// refused file's issues are listed), <model-viewer> showing the canonical
// GLB, the model's statistics and validation report, and the base colour
// textures the zone editor draws zones on.

// modelView is the model's part of productView.
type modelView struct {
	// Model is the product's model, with signed download URLs; nil before
	// the first upload.
	Model                       *catalog.Model
	Viewer                      ui.ModelViewer
	OriginalSize, CanonicalSize string
	// Dimensions is the size of the model's bounding box in metres.
	Dimensions string
	Textures   []textureRow
	// Upload is the upload form; Issues (the validator's) or Misfits (zones
	// the new model lacks materials for) say why the last upload was refused.
	// AR is the AR page's link and QR code; nil when AR is off.
	AR        *arCard
	Upload    form.Form
	Issues    []gltf.Issue
	Misfits   []string
	MaxUpload string

	// textures maps a material's index to its base colour texture's index.
	textures map[int]int
}

// textureRow is a texture of the model as the statistics list it.
type textureRow struct {
	gltf.TextureStat
	Size string
	// BaseColourOf names the materials that use it as base colour.
	BaseColourOf []string
}

// loadModelView fills in the model's part of the product page.
func (s *Dashboard) loadModelView(r *http.Request, p auth.Principal, pv *productView, submitted form.Form) error {
	pv.MaxUpload = humanSize(s.Catalog.MaxModelSize())
	pv.Upload = form.Form{Name: "model"}
	if submitted.Name == "model" {
		pv.Upload = submitted
	}
	if pv.Product.Model == nil {
		return nil
	}
	m, err := s.Catalog.GetModel(r.Context(), p, pv.Product.ID)
	if err != nil {
		return err
	}
	pv.Model = &m
	pv.Viewer = ui.ModelViewer{Src: ui.BlobSrc(s.LocalBlobs, m.Canonical.URL), Alt: pv.Product.Name + ", 3D model"}
	pv.OriginalSize, pv.CanonicalSize = humanSize(m.Original.Size), humanSize(m.Canonical.Size)
	if pv.AR, err = s.loadARCard(r, p, pv.Product); err != nil {
		return err
	}
	d := m.Stats.Dimensions
	pv.Dimensions = fmt.Sprintf("%s × %s × %s m", metres(d[0]), metres(d[1]), metres(d[2]))

	pv.textures = map[int]int{}
	texs, err := s.Catalog.BaseColorTextures(r.Context(), p, pv.Product.ID)
	if err != nil {
		// The page is still useful without the textures: the zone editor
		// then draws zones on blank squares.
		s.Kit.Logger.WarnContext(r.Context(), "product page: base colour textures unavailable", "product", pv.Product.ID, "error", err)
	}
	for _, t := range texs {
		pv.textures[t.MaterialIndex] = t.Texture
	}
	for _, ts := range m.Stats.Textures {
		row := textureRow{TextureStat: ts, Size: humanSize(int64(ts.Bytes))}
		for _, t := range texs {
			if t.Texture == ts.Index && !slices.Contains(row.BaseColourOf, t.Material) {
				row.BaseColourOf = append(row.BaseColourOf, t.Material)
			}
		}
		pv.Textures = append(pv.Textures, row)
	}
	return nil
}

func (s *Dashboard) uploadModelSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	id := r.PathValue("id")
	up, err := httpx.UploadedFile(r, "file", catalog.IsModelMediaType, catalog.WrongModelType)
	var m catalog.Model
	if err == nil {
		m, err = s.Catalog.UploadModel(r.Context(), me.p, id, catalog.Upload(up))
	}
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		err = apperr.New(apperr.TooLarge, "the file is larger than the limit of %s", humanSize(s.Catalog.MaxModelSize()))
	}
	if err != nil {
		f, status, ok := form.Failure(w, err, "model", nil, apperr.TooLarge)
		if !ok {
			return err
		}
		v := &productPage{chrome: chrome{Me: me}, Form: f}
		if ae, ok := apperr.As(err); ok {
			switch d := ae.Details.(type) {
			case []gltf.Issue:
				v.Product.Issues = d
			case []string:
				v.Product.Misfits = d
			}
		}
		return s.showProduct(w, r, status, v, id)
	}
	msg := fmt.Sprintf("The 3D model is stored: %s, %s.", plural(m.Stats.Triangles, "triangle"), plural(len(m.Materials), "material"))
	if n := m.Report.NumWarnings(); n > 0 {
		msg += fmt.Sprintf(" The validator noted %s: see the report below.", plural(n, "warning"))
	}
	s.flash.Redirect(w, r, productPath(id)+"#model", msg)
	return nil
}

// textureURL is where the page serves a material's base colour texture.
// The model's ID in the query names the image: a new model, a new URL.
func textureURL(productID, modelID, material string) string {
	return productPath(productID) + "/materials/" + url.PathEscape(material) + "/texture?" + url.Values{"model": {modelID}}.Encode()
}

// materialTexture serves the base colour texture of a material of the
// product's model, read from the stored canonical GLB, for the zone editor.
func (s *Dashboard) materialTexture(w http.ResponseWriter, r *http.Request, me Me) error {
	img, err := s.Catalog.BaseColorTexture(r.Context(), me.p, r.PathValue("id"), r.PathValue("name"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", img.MimeType)
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("ETag", `"`+img.ModelID+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(img.Data))
	return nil
}

// humanSize writes a size in bytes the way people read it: "23.5 kB".
func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n < 1000:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1_000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1_000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// metres writes a length to the millimetre, without trailing zeros.
func metres(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64)
}

// plural writes a count with its noun: "1 material", "3 materials",
// "2 meshes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "sh") || strings.HasSuffix(noun, "s") {
		return strconv.Itoa(n) + " " + noun + "es"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Plural is plural for the templates: {{.Plural 3 "node"}}.
func (productView) Plural(n int, noun string) string { return plural(n, noun) }
