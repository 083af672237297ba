package api

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The Shopify app's install flow and the embedded app's status
// (internal/shopify has the rules). Install and callback are browser
// navigations: their failures are error pages for browsers, problem+json
// for programs.

// shopifyInstallCookie binds an install to the browser that started it;
// scoped to the callback, so no other request carries it.
const shopifyInstallCookie = "luneo_shopify_install"

// errShopifyOff answers every Shopify route of a server without the app.
var errShopifyOff = apperr.New(apperr.NotFound, "the Shopify app is off: this server has no Shopify app configured")

// shopifyOn wraps a handler so it answers errShopifyOff without the app.
func (s *API) shopifyOn(h func(w http.ResponseWriter, r *http.Request) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Shopify == nil {
			return errShopifyOff
		}
		return h(w, r)
	}
}

// shopifyOnAuthed is shopifyOn for authenticated handlers.
func (s *API) shopifyOnAuthed(h func(w http.ResponseWriter, r *http.Request, p auth.Principal) error) func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		if s.Shopify == nil {
			return errShopifyOff
		}
		return h(w, r, p)
	}
}

// shopifyRoutes are the Shopify app's rows of the API table.
func (s *API) shopifyRoutes() []httpx.Route {
	h := func(f func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
		return s.Kit.Handler(s.shopifyOn(f))
	}
	a := func(f func(w http.ResponseWriter, r *http.Request, p auth.Principal) error) http.HandlerFunc {
		return s.Kit.Authed(s.shopifyOnAuthed(f))
	}
	return []httpx.Route{
		// A browser navigation from the dashboard's integrations page (its
		// session cookie; API keys act for no person and get 403).
		httpx.Handle("GET", "/api/shopify/install", httpx.UserAPI, a(s.shopifyInstall)).
			Documented("Shopify", "Start installing the Shopify app on a store for a brand (?shop=x.myshopify.com&brandId=…; signed-in owners and admins of that brand, 404 for anyone else): sets the install's browser-binding cookie and redirects (303) to the store's consent screen"),
		httpx.Handle("GET", shopify.CallbackPath, httpx.Public, h(s.shopifyCallback)).
			Documented("Shopify", "Shopify's OAuth redirect: checks the query's HMAC, timestamp, single-use nonce and scopes, stores the sealed token, registers the webhooks, then redirects to the dashboard's integrations page"),
		httpx.Handle("GET", "/api/shopify/app/status", httpx.Public, h(s.shopifyStatus)).
			Documented("Shopify", "For the embedded app page: the store's install state and Luneo brand, given an App Bridge session token as bearer"),
		httpx.Handle("GET", "/api/shopify/shops", httpx.BrandAPI, a(s.shopifyShops)).
			Documented("Shopify", "The brand's Shopify stores: state and granted scopes (brand:read)"),
		httpx.Handle("DELETE", "/api/shopify/shops/{shop}", httpx.BrandAPI, a(s.shopifyDisconnect)).
			Documented("Shopify", "Disconnect a store: marks it uninstalled and drops its access token (signed-in owners and admins)"),
	}
}

func (s *API) shopifyInstall(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q := r.URL.Query()
	brandID := q.Get("brandId")
	if brandID == "" {
		brandID = p.BrandID
	}
	// A fresh random value per install: the cookie holds it, the nonce
	// its hash (shopify.BrowserBinding).
	value := rand.Text()
	dest, err := s.Shopify.Install(r.Context(), brandID, p.UserID, shopify.NormalizeShop(q.Get("shop")), shopify.BrowserBinding(value))
	if err != nil {
		return s.browserError(w, r, err)
	}
	s.Kit.SetCookie(w, shopifyInstallCookie, value, shopify.CallbackPath, shopify.NonceTTL)
	http.Redirect(w, r, dest, http.StatusSeeOther)
	return nil
}

func (s *API) shopifyCallback(w http.ResponseWriter, r *http.Request) error {
	binding := ""
	if c, err := r.Cookie(shopifyInstallCookie); err == nil {
		binding = shopify.BrowserBinding(c.Value)
	}
	// Whatever the outcome, the binding has served.
	s.Kit.ClearCookie(w, shopifyInstallCookie, shopify.CallbackPath)
	inst, err := s.Shopify.Callback(r.Context(), r.URL.Query(), binding)
	if err != nil {
		return s.browserError(w, r, err)
	}
	http.Redirect(w, r, "/app/integrations?installed="+url.QueryEscape(inst.Shop), http.StatusSeeOther)
	return nil
}

// shopifyStatus answers the embedded app page's script: the session token
// says which shop's admin it runs in (shopify.Service.VerifySession), and
// the answer is that shop's install and brand.
func (s *API) shopifyStatus(w http.ResponseWriter, r *http.Request) error {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return apperr.New(apperr.Unauthorized, "send the App Bridge session token as 'Authorization: Bearer <token>'")
	}
	sess, err := s.Shopify.VerifySession(strings.TrimSpace(token))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	out := map[string]any{"shop": sess.Shop, "installed": false,
		"install_url": s.Kit.BaseURL + "/app/integrations?shop=" + url.QueryEscape(sess.Shop)}
	inst, err := s.Shopify.Shop(r.Context(), sess.Shop)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
	case err != nil:
		return err
	case inst.Active():
		b, err := s.Brands.ByID(r.Context(), inst.BrandID)
		if err != nil {
			return err
		}
		out["installed"] = true
		out["brand"] = map[string]string{"id": b.ID, "name": b.Name}
		out["scopes"] = inst.Scopes
		delete(out, "install_url")
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *API) shopifyShops(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(brand.BrandRead); err != nil {
		return err
	}
	shops, err := s.Shopify.Shops(r.Context(), p.BrandID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"shops": shops})
	return nil
}

func (s *API) shopifyDisconnect(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return noContent(w, s.Shopify.Disconnect(r.Context(), p.BrandID, p.UserID, r.PathValue("shop")))
}

// browserError shows a browser the error page for err (the install and
// callback are navigations, not API calls); programs get problem+json
// from the caller's error writer.
func (s *API) browserError(w http.ResponseWriter, r *http.Request, err error) error {
	ae, ok := apperr.As(err)
	if !ok || s.Kit.Templates == nil || !strings.Contains(r.Header.Get("Accept"), "text/html") {
		return err
	}
	status := httpx.StatusOf(ae.Code)
	if status >= 500 {
		s.Kit.Logger.ErrorContext(r.Context(), "shopify install failed", "error", err, "status", status)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.Kit.Render(w, r, status, "error", &httpx.PageData{Title: "Shopify install: " + http.StatusText(status),
		Data: httpx.ErrorData{Status: status, Message: ae.Message}})
	return nil
}
