package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Shopify's webhooks in, the storefront's product resolution and the
// brand's Shopify product mappings (internal/shopify Webhooks). The
// install and OAuth routes are in shopify_install.go.

// shopifyWebhookPolicy: Shopify's servers call it, signing the raw body
// with the app secret; no cookie or token is read, so no CSRF check.
var shopifyWebhookPolicy = httpx.Policy{Auth: httpx.AuthHMAC, CSRF: httpx.CSRFNone}

// storefrontPolicy: called by the theme block from the shop's storefront;
// the shop's brand's embed origins may read the answer.
func (s *API) storefrontPolicy() httpx.Policy {
	return httpx.Policy{Auth: httpx.AuthPublic, CSRF: httpx.CSRFNone,
		CORS: &httpx.CORS{OriginsFor: s.storefrontOrigin, Methods: []string{"GET"}}}
}

// storefrontOrigin lets the embed origins of the brand the query's shop is
// installed for read the storefront answers.
func (s *API) storefrontOrigin(r *http.Request, origin string) bool {
	if s.Embed == nil || s.ShopifyWebhooks == nil {
		return false
	}
	brandID := s.ShopifyWebhooks.StorefrontBrand(r.Context(), r.URL.Query().Get("shop"))
	if brandID == "" {
		return false
	}
	ok, err := s.Embed.Allowed(r.Context(), brandID, origin)
	return err == nil && ok
}

// shopifyWebhook reads the raw body (the router bounds it) and hands it,
// unparsed, to the webhooks service, which checks the signature first.
func (s *API) shopifyWebhook(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return apperr.Wrap(apperr.Invalid, err, "the webhook body could not be read")
	}
	if _, err := s.ShopifyWebhooks.Receive(r.Context(), r.Header, body); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "received"})
	return nil
}

// storefrontProduct answers {brand, product} or 404; either may be cached
// a minute.
func (s *API) storefrontProduct(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	w.Header().Set("Cache-Control", "public, max-age=60")
	res, err := s.ShopifyWebhooks.Resolve(r.Context(), q.Get("shop"), q.Get("product"))
	if err != nil {
		if apperr.CodeOf(err) != apperr.NotFound {
			w.Header().Set("Cache-Control", "no-store")
		}
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (s *API) shopifyMappings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	list, err := s.ShopifyWebhooks.Mappings(r.Context(), p)
	if err != nil {
		return err
	}
	shops, err := s.ShopifyWebhooks.BrandShops(r.Context(), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"shops": nonNil(shops), "mappings": list})
	return nil
}

func (s *API) putShopifyMapping(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var in struct {
		ProductID string `json:"product_id"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	m, err := s.ShopifyWebhooks.SetMapping(r.Context(), p, r.PathValue("shop"), r.PathValue("shopifyProductId"), in.ProductID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (s *API) deleteShopifyMapping(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.ShopifyWebhooks.ClearMapping(r.Context(), p, r.PathValue("shop"), r.PathValue("shopifyProductId")))
}

func (s *API) shopifyDataRequests(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	list, err := s.ShopifyWebhooks.DataRequests(r.Context(), p)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"data_requests": list})
	return nil
}

// shopifyWebhookRoutes are the routes of this file, in the API's table.
func (s *API) shopifyWebhookRoutes() []httpx.Route {
	h, a := s.Kit.Handler, s.Kit.Authed
	return []httpx.Route{
		httpx.Handle("POST", "/api/shopify/webhooks", shopifyWebhookPolicy, h(s.shopifyWebhook)).WithBody(shopify.MaxWebhookBody).
			Documented("Shopify", "Shopify's webhooks (orders, products, uninstall, privacy), signed with the app secret over the raw body"),
		httpx.Handle("GET", "/api/shopify/storefront/product", s.storefrontPolicy(), h(s.storefrontProduct)).
			Documented("Shopify", "The brand and Luneo product a storefront's Shopify product is customized as"),
		httpx.Handle("GET", "/api/shopify/products", httpx.BrandAPI, a(s.shopifyMappings)).
			Documented("Shopify", "The brand's shops and which Luneo product each Shopify product is (products:read)"),
		httpx.Handle("PUT", "/api/shopify/products/{shop}/{shopifyProductId}", httpx.BrandAPI, a(s.putShopifyMapping)).
			Documented("Shopify", "Map a Shopify product to a Luneo product by hand; SKU matching never overrides it (products:write)"),
		httpx.Handle("DELETE", "/api/shopify/products/{shop}/{shopifyProductId}", httpx.BrandAPI, a(s.deleteShopifyMapping)).
			Documented("Shopify", "Remove a Shopify product's mapping (products:write)"),
		httpx.Handle("GET", "/api/shopify/data-requests", httpx.BrandAPI, a(s.shopifyDataRequests)).
			Documented("Shopify", "Customer data requests received from the brand's shops and what was held (brand:read)"),
	}
}
