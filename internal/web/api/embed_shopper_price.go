package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Prices in the customizer: the product's price (with the variant's
// delta) plus the brand's customization rules applied to what the design
// puts in each zone (design.Service.Quote). The customizer shows the same
// sum live; the server's quote is what a save answers and the cart gets.

// quoteDocument prices a checked document of the token's product.
func (s *API) quoteDocument(ctx context.Context, c shopperCall, doc design.Document) (catalog.PriceQuote, error) {
	variant := doc.VariantID
	if variant == "" {
		variant = c.Variant
	}
	return s.Designs.Quote(ctx, c.Brand, c.Product, variant, doc)
}

// shopperQuote prices a document without saving it; an invalid document
// is a 422 naming the layer, like a save.
func (s *API) shopperQuote(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	var in struct {
		Document json.RawMessage `json:"document"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	doc, _, err := s.Designs.Check(r.Context(), c.actor(), c.draft("", in.Document))
	if err != nil {
		return err
	}
	q, err := s.quoteDocument(r.Context(), c, doc)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, q)
	return nil
}
