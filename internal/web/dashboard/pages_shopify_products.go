package dashboard

import (
	"fmt"
	"net/http"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/form"
)

// The "Shopify products" page: which Luneo product each Shopify
// product of the brand's shops is, matched by SKU or set by hand, and the
// customer data requests the shops forwarded.

// shopifyProductsPage is the page's data.
type shopifyProductsPage struct {
	chrome
	Mappings []shopify.Mapping
	Shops    []string
	Products []catalog.Product
	Requests []shopify.DataRequest
	Form     form.Form
}

func (s *Dashboard) shopifyProductsPage(w http.ResponseWriter, r *http.Request, me Me) error {
	return s.renderShopifyProducts(w, r, me, http.StatusOK, form.Form{Name: "mapping"})
}

func (s *Dashboard) renderShopifyProducts(w http.ResponseWriter, r *http.Request, me Me, status int, f form.Form) error {
	ctx := r.Context()
	list, err := s.ShopifyWebhooks.Mappings(ctx, me.p)
	if err != nil {
		return err
	}
	shops, err := s.ShopifyWebhooks.BrandShops(ctx, me.p)
	if err != nil {
		return err
	}
	page := &shopifyProductsPage{chrome: chrome{Me: me, Nav: "shopify-products"}, Mappings: list, Shops: shops, Form: f}
	if me.p.Can(brand.ProductsWrite) && s.Catalog != nil {
		pp, err := s.Catalog.ListProducts(ctx, me.p, catalog.ListOptions{Limit: catalog.MaxPageSize})
		if err != nil {
			return err
		}
		page.Products = pp.Products
	}
	if me.p.Can(brand.BrandRead) {
		if page.Requests, err = s.ShopifyWebhooks.DataRequests(ctx, me.p); err != nil {
			return err
		}
	}
	s.renderPage(w, r, status, "shopify_products", "Shopify products", page)
	return nil
}

func (s *Dashboard) shopifyMappingSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	shop, spid, product := r.PostFormValue("shop"), r.PostFormValue("shopify_product_id"), r.PostFormValue("product_id")
	m, err := s.ShopifyWebhooks.SetMapping(r.Context(), me.p, shop, spid, product)
	if err != nil {
		f, status, ok := form.Failure(w, err, "mapping", map[string]string{"shop": shop, "shopify_product_id": spid, "product_id": product},
			"not_found")
		if !ok {
			return err
		}
		return s.renderShopifyProducts(w, r, me, status, f)
	}
	s.flash.Redirect(w, r, "/app/shopify/products", fmt.Sprintf("Shopify product %s of %s is now %s.", m.ShopifyProductID, m.Shop, m.ProductName))
	return nil
}

func (s *Dashboard) shopifyMappingClear(w http.ResponseWriter, r *http.Request, me Me) error {
	shop, spid := r.PathValue("shop"), r.PathValue("shopifyProductId")
	if err := s.ShopifyWebhooks.ClearMapping(r.Context(), me.p, shop, spid); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/shopify/products", fmt.Sprintf("Shopify product %s of %s is no longer mapped.", spid, shop))
	return nil
}
