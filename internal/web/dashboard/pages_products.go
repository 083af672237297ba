package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/money"
	"github.com/luneo/luneo/internal/web/form"
)

// The product pages of the dashboard: the list (search, status filter,
// pages, a form for a new product) and one product's page with its details
// and variants (here), its 3D model (pages_products_model.go) and its zones
// (pages_products_zones.go). Everything goes through the catalog service,
// as the JSON API does (api_catalog.go): it checks the permissions and keeps
// every query inside the session's brand. The forms work without
// JavaScript; the 3D viewer and the zone editor are islands on top.

// productsPage is the data of the product list.
type productsPage struct {
	chrome
	Products productsView
}

// productsView is the product list's own section.
type productsView struct {
	Query    string
	Status   string
	Statuses []catalog.Status
	Rows     []productRow
	// Next links the following page (empty on the last one), First the
	// first page (empty on the first one).
	Next, First string
	// New is the "new product" form.
	New productForm
}

// productRow is a product as the list shows it.
type productRow struct {
	catalog.Product
	Price string
}

// productPage is the data of a product's page. Form is the form that was
// sent, shown again with its errors.
type productPage struct {
	chrome
	Form    form.Form
	Product productView
}

// productView is the product page's own section.
type productView struct {
	Product catalog.Product
	// Price is the product's price written for people ("19.90 EUR").
	Price    string
	CanWrite bool
	// Details is the form of the product's own fields.
	Details    productForm
	Variants   []variantRow
	NewVariant productForm
	modelView
	zonesView
	pricingView
}

// variantRow is a variant with its edit form.
type variantRow struct {
	catalog.Variant
	Delta string
	Form  productForm
}

// productStatuses are the product statuses in the order forms offer them.
var productStatuses = []catalog.Status{catalog.Draft, catalog.Active, catalog.Archived}

func (s *Dashboard) productsPage(w http.ResponseWriter, r *http.Request, me Me) error {
	return s.showProducts(w, r, http.StatusOK, &productsPage{chrome: chrome{Me: me}})
}

func (s *Dashboard) showProducts(w http.ResponseWriter, r *http.Request, status int, v *productsPage) error {
	q := r.URL.Query()
	o := catalog.ListOptions{Query: strings.TrimSpace(q.Get("q")), Status: catalog.Status(q.Get("status")), Cursor: q.Get("cursor")}
	page, err := s.Catalog.ListProducts(r.Context(), v.Me.p, o)
	if err != nil {
		return err
	}
	pv := &v.Products
	pv.Query, pv.Status, pv.Statuses = o.Query, string(o.Status), productStatuses
	for _, pr := range page.Products {
		pv.Rows = append(pv.Rows, productRow{Product: pr, Price: money.Format(pr.Price, pr.CurrencyDigits) + " " + pr.Currency})
	}
	link := func(cursor string) string {
		vals := url.Values{}
		for k, val := range map[string]string{"q": o.Query, "status": string(o.Status), "cursor": cursor} {
			if val != "" {
				vals.Set(k, val)
			}
		}
		if len(vals) == 0 {
			return "/app/products"
		}
		return "/app/products?" + vals.Encode()
	}
	if page.NextCursor != "" {
		pv.Next = link(page.NextCursor)
	}
	if o.Cursor != "" {
		pv.First = link("")
	}
	if pv.New.Name == "" {
		pv.New = productForm{form.Form{Name: "new", Values: map[string]string{"currency": "EUR"}}}
	}
	v.Nav = "products"
	s.renderPage(w, r, status, "products", "Products", v)
	return nil
}

func (s *Dashboard) createProductSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	vals := form.Values(r, "name", "sku", "price", "currency")
	sp := catalog.ProductSpec{Name: vals["name"], SKU: vals["sku"], Currency: vals["currency"]}
	var pr catalog.Product
	price, err := parseAmount(vals["price"], "price", vals["currency"], false)
	if err == nil {
		sp.Price = price
		pr, err = s.Catalog.CreateProduct(r.Context(), me.p, sp)
	}
	if err != nil {
		f, status, ok := form.Failure(w, err, "new", vals)
		if !ok {
			return err
		}
		v := &productsPage{chrome: chrome{Me: me}}
		v.Products.New = productForm{f}
		return s.showProducts(w, r, status, v)
	}
	s.flash.Redirect(w, r, productPath(pr.ID), fmt.Sprintf("%s is created as a draft. Upload its 3D model next.", pr.Name))
	return nil
}

func (s *Dashboard) productPage(w http.ResponseWriter, r *http.Request, me Me) error {
	v := &productPage{chrome: chrome{Me: me}}
	v.Product.EditZone = r.URL.Query().Get("zone")
	return s.showProduct(w, r, http.StatusOK, v, r.PathValue("id"))
}

// showProduct renders the product page. Fields of v.Product set by a failed
// post (the refused model's issues, the zone being edited) are kept.
func (s *Dashboard) showProduct(w http.ResponseWriter, r *http.Request, status int, v *productPage, id string) error {
	pr, err := s.Catalog.GetProduct(r.Context(), v.Me.p, id)
	if err != nil {
		return err
	}
	pv := &v.Product
	pv.Product, pv.CanWrite = pr, v.Me.p.Can(brand.ProductsWrite)
	pv.Price = money.Format(pr.Price, pr.CurrencyDigits) + " " + pr.Currency
	if pv.Details = (productForm{v.Form.Named("product")}); pv.Details.Values == nil {
		pv.Details.Values = map[string]string{"name": pr.Name, "sku": pr.SKU, "description": pr.Description,
			"status": string(pr.Status), "price": money.Format(pr.Price, pr.CurrencyDigits), "currency": pr.Currency}
	}
	for _, vr := range pr.Variants {
		row := variantRow{Variant: vr, Delta: money.Format(vr.PriceDelta, pr.CurrencyDigits)}
		if row.Form = (productForm{v.Form.Named(variantForm(vr.ID))}); row.Form.Values == nil {
			row.Form.Values = map[string]string{"name": vr.Name, "sku": vr.SKU, "price_delta": row.Delta}
		}
		pv.Variants = append(pv.Variants, row)
	}
	pv.NewVariant = productForm{v.Form.Named("variant-new")}
	if err := s.loadModelView(r, v.Me.p, pv, v.Form); err != nil {
		return err
	}
	if err := s.loadZonesView(r, v.Me.p, pv, v.Form); err != nil {
		return err
	}
	if err := s.loadPricingView(r, v.Me.p, pv, v.Form); err != nil {
		return err
	}
	v.Nav = "products"
	s.renderPage(w, r, status, "product", pr.Name, v)
	return nil
}

// productResult answers a form of the product page: back to the page (at
// anchor) with a flash, or the page again with the error when the user can
// fix it.
func (s *Dashboard) productResult(w http.ResponseWriter, r *http.Request, me Me, err error, formName string, values map[string]string, anchor, ok string) error {
	id := r.PathValue("id")
	if err != nil {
		f, status, fixable := form.Failure(w, err, formName, values)
		if !fixable {
			return err
		}
		return s.showProduct(w, r, status, &productPage{chrome: chrome{Me: me}, Form: f}, id)
	}
	s.flash.Redirect(w, r, productPath(id)+anchor, ok)
	return nil
}

func (s *Dashboard) updateProductSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	vals := form.Values(r, "name", "sku", "description", "status", "price", "currency")
	price, err := parseAmount(vals["price"], "price", vals["currency"], false)
	var pr catalog.Product
	if err == nil {
		pr, err = s.patchProduct(r, me.p, map[string]any{"name": vals["name"], "sku": vals["sku"],
			"description": vals["description"], "status": vals["status"], "price": price, "currency": vals["currency"]})
	}
	return s.productResult(w, r, me, err, "product", vals, "", fmt.Sprintf("%s is saved.", pr.Name))
}

func (s *Dashboard) deleteProductSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	pr, err := s.Catalog.GetProduct(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.Catalog.DeleteProduct(r.Context(), me.p, pr.ID); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/products", fmt.Sprintf("%s has been deleted, with its model and zones.", pr.Name))
	return nil
}

// patchProduct applies changes to the product of the route through the
// catalog's merge patch, as PATCH /api/products/{id} does.
func (s *Dashboard) patchProduct(r *http.Request, p auth.Principal, changes map[string]any) (catalog.Product, error) {
	patch, err := json.Marshal(changes)
	if err != nil {
		return catalog.Product{}, fmt.Errorf("product patch: %w", err)
	}
	return s.Catalog.UpdateProduct(r.Context(), p, r.PathValue("id"), catalog.Patch(patch))
}

// Variants are part of their product: each form changes one variant and
// saves the product's whole list, as a PATCH of "variants" does.

func variantForm(id string) string { return "variant-" + id }

func (s *Dashboard) addVariantSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	return s.changeVariants(w, r, me, "variant-new", func(list []catalog.Variant, v catalog.Variant) ([]catalog.Variant, int, error) {
		return append(list, v), len(list), nil
	}, "The variant %s is added.")
}

func (s *Dashboard) updateVariantSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PathValue("variantID")
	return s.changeVariants(w, r, me, variantForm(id), func(list []catalog.Variant, v catalog.Variant) ([]catalog.Variant, int, error) {
		i := slices.IndexFunc(list, func(x catalog.Variant) bool { return x.ID == id })
		if i < 0 {
			return nil, 0, errNoVariant
		}
		v.ID = id
		list[i] = v
		return list, i, nil
	}, "The variant %s is saved.")
}

func (s *Dashboard) deleteVariantSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	pr, err := s.Catalog.GetProduct(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	id := r.PathValue("variantID")
	i := slices.IndexFunc(pr.Variants, func(x catalog.Variant) bool { return x.ID == id })
	if i < 0 {
		return errNoVariant
	}
	name := pr.Variants[i].Name
	_, err = s.patchProduct(r, me.p, map[string]any{"variants": slices.Delete(pr.Variants, i, i+1)})
	return s.productResult(w, r, me, err, "variants", nil, "#variants", fmt.Sprintf("The variant %s is removed.", name))
}

var errNoVariant = apperr.New(apperr.NotFound, "this product has no such variant")

// changeVariants reads a variant form, lets change put it into the
// product's list (returning its index there) and saves the list. Errors
// about that variant come back next to the form's fields.
func (s *Dashboard) changeVariants(w http.ResponseWriter, r *http.Request, me Me, formName string,
	change func([]catalog.Variant, catalog.Variant) ([]catalog.Variant, int, error), ok string) error {
	if err := me.p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	pr, err := s.Catalog.GetProduct(r.Context(), me.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	vals := form.Values(r, "name", "sku", "price_delta")
	nv := catalog.Variant{Name: vals["name"], SKU: vals["sku"]}
	if vals["price_delta"] != "" {
		nv.PriceDelta, err = parseAmount(vals["price_delta"], "price_delta", pr.Currency, true)
	}
	if err == nil {
		var list []catalog.Variant
		var i int
		if list, i, err = change(slices.Clone(pr.Variants), nv); err == nil {
			_, err = s.patchProduct(r, me.p, map[string]any{"variants": list})
			prefix := fmt.Sprintf("variants[%d].", i)
			err = form.RemapFields(err, func(k string) string { return strings.TrimPrefix(k, prefix) })
		}
	}
	return s.productResult(w, r, me, err, formName, vals, "#variants", fmt.Sprintf(ok, strings.TrimSpace(nv.Name)))
}

// productPath is the URL of a product's page.
func productPath(id string) string { return "/app/products/" + url.PathEscape(id) }
