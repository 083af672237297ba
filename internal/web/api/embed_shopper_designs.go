package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The customizer's designs: a shopper saves designs of the token's product
// (versions are immutable; an unchanged save stores nothing), lists and
// reopens its own, and shares one by its design link, which lets whoever
// holds it reopen the design and save versions of it.

// maxShopperDesigns is how many designs the customizer lists.
const maxShopperDesigns = 20

// shopperVersionBody is the body of a new version.
type shopperVersionBody struct {
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
	// Link is the design link of a design the shopper did not make.
	Link string `json:"link"`
}

// designAnswer is what the customizer gets of a design.
type designAnswer struct {
	Design struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		ProductID string `json:"product_id"`
		Version   int    `json:"version"`
	} `json:"design"`
	Version struct {
		Number int    `json:"number"`
		SHA256 string `json:"sha256"`
	} `json:"version"`
	Warnings []design.Warning   `json:"warnings"`
	Price    catalog.PriceQuote `json:"price"`
	// Link is the design link ("de_…"); PreviewURL the permanent preview
	// image (/p/dp_…), for the cart line.
	Link       string `json:"link"`
	PreviewURL string `json:"preview_url"`
	// Document and the signed URLs of its images, when the design is
	// being reopened.
	Document *design.Document        `json:"document,omitempty"`
	Assets   map[string]shopperAsset `json:"assets,omitempty"`
}

// answerDesign builds the answer for version v of design d, as actor a
// (the shopper, or the design's shopper through a link): its link and
// preview tokens (made on first use), its price and, withDocument, the
// document with its images.
func (s *API) answerDesign(ctx context.Context, c shopperCall, a design.Actor, d design.Design, v design.Version, withDocument bool) (designAnswer, error) {
	var out designAnswer
	out.Design.ID, out.Design.Name, out.Design.ProductID, out.Design.Version = d.ID, d.Name, d.ProductID, d.LatestVersion
	out.Version.Number, out.Version.SHA256 = v.Number, v.SHA256
	out.Warnings = nonNil(v.Warnings)
	var err error
	if out.Link, err = s.Designs.EditToken(ctx, a, d.ID); err != nil {
		return designAnswer{}, err
	}
	preview, err := s.Designs.PreviewToken(ctx, a, d.ID)
	if err != nil {
		return designAnswer{}, err
	}
	out.PreviewURL = s.Kit.BaseURL + "/p/" + preview
	if out.Price, err = s.quoteDocument(ctx, c, v.Document); err != nil {
		return designAnswer{}, err
	}
	if withDocument {
		doc := v.Document
		out.Document = &doc
		if out.Assets, err = s.documentAssets(ctx, a, doc); err != nil {
			return designAnswer{}, err
		}
	}
	return out, nil
}

// documentAssets signs the URLs of the images a document shows, so the
// customizer can draw a reopened design.
func (s *API) documentAssets(ctx context.Context, a design.Actor, doc design.Document) (map[string]shopperAsset, error) {
	out := map[string]shopperAsset{}
	for _, z := range doc.Zones {
		for _, l := range z.Layers {
			if l.Type != design.LayerImage {
				continue
			}
			if _, done := out[l.Image.Asset]; done {
				continue
			}
			as, err := s.Designs.GetAsset(ctx, a, l.Image.Asset)
			if err != nil {
				return nil, err
			}
			out[as.SHA256] = assetAnswer(as)
		}
	}
	return out, nil
}

// draft is a save's body as the design service takes it: always the
// token's product (and variant, when the token names one), never print
// files.
func (c shopperCall) draft(name string, doc json.RawMessage) design.Draft {
	return design.Draft{ProductID: c.Product, VariantID: c.Variant, Name: name, Document: doc}
}

func (s *API) shopperCreateDesign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	var in struct {
		Name     string          `json:"name"`
		Document json.RawMessage `json:"document"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.allow(r.Context(), c, embed.Save); err != nil {
		return err
	}
	a := c.actor()
	saved, err := s.Designs.Create(r.Context(), a, c.draft(in.Name, in.Document))
	if err != nil {
		return err
	}
	out, err := s.answerDesign(r.Context(), c, a, saved.Design, saved.Version, false)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (s *API) shopperNewVersion(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	var in shopperVersionBody
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.allow(r.Context(), c, embed.Save); err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := s.designActor(r.Context(), c, id, in.Link)
	if err != nil {
		return err
	}
	saved, err := s.Designs.NewVersion(r.Context(), a, id, c.draft(in.Name, in.Document))
	if err != nil {
		return err
	}
	out, err := s.answerDesign(r.Context(), c, a, saved.Design, saved.Version, false)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if saved.Unchanged {
		status = http.StatusOK
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, status, out)
	return nil
}

// reopen answers a design with its document: the shopper's own (id), or
// the one a link opens.
func (s *API) reopen(w http.ResponseWriter, r *http.Request, c shopperCall, a design.Actor, id string) error {
	got, err := s.shopperDesign(r.Context(), c, a, id)
	if err != nil {
		return err
	}
	out, err := s.answerDesign(r.Context(), c, a, got.Design, got.Version, true)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *API) shopperGetDesign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	return s.reopen(w, r, c, c.actor(), r.PathValue("id"))
}

func (s *API) shopperDesignByLink(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	id, a, err := s.linkActor(r.Context(), c, r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.reopen(w, r, c, a, id)
}

// shopperDesignItem is one design of the customizer's list.
type shopperDesignItem struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Version    int       `json:"version"`
	UpdatedAt  time.Time `json:"updated_at"`
	PreviewURL string    `json:"preview_url"`
}

// shopperListDesigns lists the shopper's designs of the token's product
// (?product=current, or the product's ID), most recently changed first.
func (s *API) shopperListDesigns(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	a := c.actor()
	ds, err := s.Designs.Mine(r.Context(), a, c.Product, maxShopperDesigns)
	if err != nil {
		return err
	}
	out := make([]shopperDesignItem, 0, len(ds))
	for _, d := range ds {
		tok, err := s.Designs.PreviewToken(r.Context(), a, d.ID)
		if err != nil {
			return err
		}
		out = append(out, shopperDesignItem{ID: d.ID, Name: d.Name, Version: d.LatestVersion, UpdatedAt: d.UpdatedAt,
			PreviewURL: s.Kit.BaseURL + "/p/" + tok})
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"designs": out})
	return nil
}
