package api

import (
	"net/http"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/httpx"
)

// A product's customization price table (internal/catalog/pricing.go):
// read by every member, replaced as a whole by those who edit products.

// priceRules is the body of both routes.
type priceRules struct {
	Rules []catalog.PriceRule `json:"rules"`
}

func (s *API) getPricing(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	rules, err := s.Catalog.PriceRules(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, priceRules{Rules: rules})
	return nil
}

func (s *API) putPricing(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in priceRules
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	rules, err := s.Catalog.SetPriceRules(r.Context(), p, r.PathValue("id"), in.Rules)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, priceRules{Rules: rules})
	return nil
}
