package dashboard

import (
	"fmt"
	"net/http"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/shopify"
)

// integrationsPage lists the brand's Shopify stores and, for owners and
// admins, the form that installs the app on another one (a GET to
// /api/shopify/install, which redirects to Shopify's consent screen).
type integrationsPage struct {
	chrome
	// Off says the server has no Shopify app configured.
	Off   bool
	Shops []shopify.Installation
	// Shop prefills the install form (the embedded app's link names it).
	Shop string
	// Installed is the store just installed (the callback's redirect).
	Installed string
	// Manage says the user may install and disconnect stores.
	Manage bool
}

func (s *Dashboard) integrationsPage(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandRead); err != nil {
		return err
	}
	p := &integrationsPage{chrome: chrome{Me: me, Nav: "integrations"}, Off: s.Shopify == nil,
		Manage: brand.Can(me.Role, brand.IntegrationsManage)}
	if s.Shopify != nil {
		shops, err := s.Shopify.Shops(r.Context(), me.p.BrandID)
		if err != nil {
			return err
		}
		p.Shops = shops
		q := r.URL.Query()
		p.Shop = q.Get("shop")
		if inst := q.Get("installed"); shopify.ValidShop(inst) {
			for _, sh := range shops {
				if sh.Shop == inst && sh.Active() {
					p.Installed = inst
				}
			}
		}
	}
	s.renderPage(w, r, http.StatusOK, "integrations", "Integrations", p)
	return nil
}

func (s *Dashboard) disconnectShopSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	shop := r.PathValue("shop")
	if err := s.Shopify.Disconnect(r.Context(), me.p.BrandID, me.p.UserID, shop); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/integrations", fmt.Sprintf("%s is disconnected from Luneo; uninstall the app in its Shopify admin too.", shop))
	return nil
}
