package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/httpx"
)

// What the customizer loads first: the token's product with its model,
// materials, zones, fonts, price rules and limits, and the design it opens
// (?design=de_… by link, or the shopper's own design ID); then the font
// files it draws text with.

// shopperProductAnswer is GET /api/embed/product.
type shopperProductAnswer struct {
	Product struct {
		ID             string          `json:"id"`
		Name           string          `json:"name"`
		Description    string          `json:"description"`
		Price          int64           `json:"price"`
		Currency       string          `json:"currency"`
		CurrencyDigits int             `json:"currency_digits"`
		Variant        *shopperVariant `json:"variant"`
	} `json:"product"`
	Model     *shopperModel             `json:"model"`
	Materials []catalog.ShopperMaterial `json:"materials"`
	Zones     []catalog.Zone            `json:"zones"`
	Fonts     []render.FontFamily       `json:"fonts"`
	Pricing   struct {
		Rules []catalog.PriceRule `json:"rules"`
	} `json:"pricing"`
	Limits struct {
		MaxUploadBytes int64    `json:"max_upload_bytes"`
		ImageTypes     []string `json:"image_types"`
		PreviewMax     int      `json:"preview_max"`
	} `json:"limits"`
	Design *designAnswer `json:"design"`
}

type shopperVariant struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type shopperModel struct {
	GLBURL    string  `json:"glb_url"`
	PosterURL *string `json:"poster_url"`
}

func (s *API) shopperProduct(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v, err := s.Catalog.ShopperView(ctx, c.Brand, c.Product)
	if err != nil {
		return err
	}
	var out shopperProductAnswer
	p := &out.Product
	p.ID, p.Name, p.Description = v.Product.ID, v.Product.Name, v.Product.Description
	p.Price, p.Currency, p.CurrencyDigits = v.Product.PriceOf(c.Variant), v.Product.Currency, v.Product.CurrencyDigits
	if i := slices.IndexFunc(v.Product.Variants, func(x catalog.Variant) bool { return x.ID == c.Variant }); i >= 0 && c.Variant != "" {
		p.Variant = &shopperVariant{ID: c.Variant, Name: v.Product.Variants[i].Name}
	}
	if v.Model != nil {
		out.Model = &shopperModel{GLBURL: v.Model.GLBURL}
	}
	out.Materials, out.Zones, out.Pricing.Rules = v.Materials, v.Zones, v.Rules
	if out.Fonts, err = s.shopperFonts(ctx, c); err != nil {
		return err
	}
	out.Limits.MaxUploadBytes, out.Limits.ImageTypes, out.Limits.PreviewMax = s.shopperMaxUpload(), shopperImageTypes, render.SketchMaxSize
	if out.Design, err = s.openedDesign(ctx, c, r.URL.Query().Get("design")); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// openedDesign is the design the customizer opens with: ref is a design
// link ("de_…") or the shopper's own design ID. One it cannot reach
// (revoked link, another shopper's, another product's) opens nothing: the
// customizer starts blank rather than not at all.
func (s *API) openedDesign(ctx context.Context, c shopperCall, ref string) (*designAnswer, error) {
	if ref == "" {
		return nil, nil
	}
	id, a := ref, c.actor()
	if strings.HasPrefix(ref, "de_") {
		var err error
		if id, a, err = s.linkActor(ctx, c, ref); err != nil {
			return nil, ignoreNotFound(err)
		}
	}
	got, err := s.shopperDesign(ctx, c, a, id)
	if err != nil {
		return nil, ignoreNotFound(err)
	}
	out, err := s.answerDesign(ctx, c, a, got.Design, got.Version, true)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func ignoreNotFound(err error) error {
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	return err
}

// shopperFonts lists the families the brand's designs may use: the
// bundled ones, then the brand's own, with their styles in lower case.
func (s *API) shopperFonts(ctx context.Context, c shopperCall) ([]render.FontFamily, error) {
	out := s.Renders.BundledFamilies()
	own, err := s.Designs.ListFonts(ctx, c.actor())
	if err != nil {
		return nil, err
	}
	for _, f := range own.Brand {
		i := slices.IndexFunc(out, func(x render.FontFamily) bool { return strings.EqualFold(x.Family, f.Family) })
		if i < 0 {
			out, i = append(out, render.FontFamily{Family: f.Family}), len(out)
		}
		if style := strings.ToLower(f.Style); !slices.Contains(out[i].Styles, style) {
			out[i].Styles = append(out[i].Styles, style)
		}
	}
	return nonNil(out), nil
}

// shopperFont serves the file of a font family in a style (?style=, one of
// the family's styles): the bundled file, else the brand's, the one the
// server draws the family with. Without a style, the family's regular
// file (a brand family without one: its first), as the renderer opens it. The iframe fetches it with
// its bearer and loads it with FontFace, so no font-src is needed.
func (s *API) shopperFont(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	family, style := r.PathValue("family"), r.URL.Query().Get("style")
	if family == "" || len(family) > 200 || len(style) > 100 {
		return apperr.New(apperr.Invalid, "name a font family and a style")
	}
	bundledStyle := style
	if bundledStyle == "" {
		bundledStyle = render.StyleRegular
	}
	body, ctype, err := s.Renders.OpenBundledFont(family, bundledStyle)
	if apperr.CodeOf(err) == apperr.NotFound {
		rc, font, ferr := s.Designs.OpenFont(r.Context(), c.Brand, family, style)
		switch {
		case apperr.CodeOf(ferr) == apperr.NotFound:
			return apperr.New(apperr.NotFound, "no font %q in style %q", family, style)
		case ferr != nil:
			return ferr
		}
		body, ctype, err = rc, render.FontType(font.Format), nil
	}
	if err != nil {
		return err
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "private, max-age=3600")
	if _, err := io.Copy(w, body); err != nil && !errors.Is(err, context.Canceled) {
		s.Kit.Logger.WarnContext(r.Context(), "embed font: copy", "family", family, "error", err)
	}
	return nil
}
