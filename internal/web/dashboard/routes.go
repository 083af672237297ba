package dashboard

import (
	"net/http"

	"github.com/luneo/luneo/internal/auth"

	"github.com/luneo/luneo/internal/web/httpx"
)

// imagePage is the policy of an image a page shows (a material's texture):
// a dashboard page's access rule, and a sandboxed CSP, since it is data,
// never a document, and nothing in it may run on our origin.
var imagePage = httpx.Policy{Auth: httpx.AuthSession, CSP: "sandbox; default-src 'none'"}

// Routes is the dashboard's route table: the account and dashboard pages
// and the external logins. They are plain HTML
// forms that work without JavaScript: every POST either redirects (303, with
// a flash message) or re-renders its page with the errors and what was typed.
func (s *Dashboard) Routes() []httpx.Route {
	rs := []httpx.Route{
		// Signing up, in and out (pages_auth.go).
		httpx.Handle("GET", "/signup", httpx.Public, s.Kit.Handler(s.signupPage)),
		httpx.Handle("POST", "/signup", httpx.Public, s.Kit.Handler(s.signupSubmit)),
		httpx.Handle("GET", "/login", httpx.Public, s.Kit.Handler(s.loginPage)),
		httpx.Handle("POST", "/login", httpx.Public, s.Kit.Handler(s.loginSubmit)),
		httpx.Handle("GET", "/login/mfa", httpx.Public, s.Kit.Handler(s.loginMFAPage)),
		httpx.Handle("POST", "/login/mfa", httpx.Public, s.Kit.Handler(s.loginMFASubmit)),
		httpx.Handle("GET", "/logout", httpx.Public, s.Kit.Handler(s.logoutPage)),
		httpx.Handle("POST", "/logout", httpx.Public, s.Kit.Handler(s.logoutSubmit)),
		httpx.Handle("GET", "/forgot-password", httpx.Public, s.Kit.Handler(s.forgotPage)),
		httpx.Handle("POST", "/forgot-password", httpx.Public, s.Kit.Handler(s.forgotSubmit)),
		httpx.Handle("GET", "/reset-password", httpx.Public, s.Kit.Handler(s.resetPage)),
		httpx.Handle("POST", "/reset-password", httpx.Public, s.Kit.Handler(s.resetSubmit)),
		httpx.Handle("GET", "/confirm-email", httpx.Public, s.Kit.Handler(s.confirmPage)),
		httpx.Handle("POST", "/confirm-email", httpx.Public, s.Kit.Handler(s.confirmSubmit)),

		// The dashboard home and brand settings (pages_app.go).
		httpx.Handle("GET", "/app", httpx.Page, s.appPage(s.dashboard)),
		httpx.Handle("POST", "/app/switch-brand", httpx.Page, s.appPage(s.switchBrandSubmit)),
		httpx.Handle("POST", "/app/confirm-email/resend", httpx.Page, s.appPage(s.resendSubmit)),
		httpx.Handle("GET", "/app/brand", httpx.Page, s.appPage(s.brandPage)),
		httpx.Handle("POST", "/app/brand", httpx.Page, s.appPage(s.brandSubmit)),

		// The user's own account (pages_account.go).
		httpx.Handle("GET", "/app/account", httpx.Page, s.appPage(s.accountPage)),
		httpx.Handle("POST", "/app/account/reauth", httpx.Page, s.appPage(s.reauthSubmit)),
		httpx.Handle("POST", "/app/account/password", httpx.Page, s.appPage(s.passwordSubmit)),
		httpx.Handle("POST", "/app/account/mfa/setup", httpx.Page, s.appPage(s.mfaSetupSubmit)),
		httpx.Handle("POST", "/app/account/mfa/confirm", httpx.Page, s.appPage(s.mfaConfirmSubmit)),
		httpx.Handle("POST", "/app/account/mfa/disable", httpx.Page, s.appPage(s.mfaDisableSubmit)),
		httpx.Handle("POST", "/app/account/mfa/backup-codes", httpx.Page, s.appPage(s.backupCodesSubmit)),
		httpx.Handle("POST", "/app/account/identities/{provider}/unlink", httpx.Page, s.appPage(s.unlinkSubmit)),
		httpx.Handle("POST", "/app/account/sessions/{id}/revoke", httpx.Page, s.appPage(s.revokeSessionSubmit)),
		httpx.Handle("POST", "/app/account/logout-all", httpx.Page, s.appPage(s.logoutAllSubmit)),

		// Team, invitations, API keys and the audit log (pages_team.go).
		httpx.Handle("GET", "/app/team", httpx.Page, s.appPage(s.teamPage)),
		httpx.Handle("POST", "/app/team/invite", httpx.Page, s.appPage(s.inviteSubmit)),
		httpx.Handle("POST", "/app/team/members/{userID}/role", httpx.Page, s.appPage(s.roleSubmit)),
		httpx.Handle("POST", "/app/team/members/{userID}/remove", httpx.Page, s.appPage(s.removeSubmit)),
		httpx.Handle("POST", "/app/team/invitations/{id}/revoke", httpx.Page, s.appPage(s.revokeInvitationSubmit)),
		httpx.Handle("GET", "/invitations/accept", httpx.Page, s.appPage(s.invitationPage)),
		httpx.Handle("POST", "/invitations/accept", httpx.Page, s.appPage(s.invitationSubmit)),
		httpx.Handle("GET", "/app/api-keys", httpx.Page, s.appPage(s.apiKeysPage)),
		httpx.Handle("POST", "/app/api-keys", httpx.Page, s.appPage(s.apiKeySubmit)),
		httpx.Handle("POST", "/app/api-keys/{id}/revoke", httpx.Page, s.appPage(s.revokeAPIKeySubmit)),
		httpx.Handle("GET", "/app/audit", httpx.Page, s.appPage(s.auditPage)),
	}
	// External logins (oidc.go).
	rs = append(rs, s.oidcRoutes()...)
	// The widget's embed settings and snippet (pages_embed.go).
	if s.Embed != nil {
		rs = append(rs,
			httpx.Handle("GET", "/app/brand/embed", httpx.Page, s.appPage(s.embedSettingsPage)),
			httpx.Handle("POST", "/app/brand/embed", httpx.Page, s.appPage(s.embedSettingsSubmit)))
	}
	// Webhooks out: endpoints, secrets, pings, the
	// delivery log (pages_webhooks.go).
	if s.Webhooks != nil {
		rs = append(rs,
			httpx.Handle("GET", "/app/webhooks", httpx.Page, s.appPage(s.webhooksPage)),
			httpx.Handle("POST", "/app/webhooks", httpx.Page, s.appPage(s.createWebhookSubmit)),
			httpx.Handle("GET", "/app/webhooks/{id}", httpx.Page, s.appPage(s.webhookPage)),
			httpx.Handle("POST", "/app/webhooks/{id}", httpx.Page, s.appPage(s.updateWebhookSubmit)),
			httpx.Handle("POST", "/app/webhooks/{id}/enabled", httpx.Page, s.appPage(s.enableWebhookSubmit)),
			httpx.Handle("POST", "/app/webhooks/{id}/rotate", httpx.Page, s.appPage(s.rotateWebhookSubmit)),
			httpx.Handle("POST", "/app/webhooks/{id}/delete", httpx.Page, s.appPage(s.deleteWebhookSubmit)),
			httpx.Handle("POST", "/app/webhooks/{id}/ping", httpx.Page, s.appPage(s.pingWebhookSubmit)),
			httpx.Handle("POST", "/app/webhooks/deliveries/{id}/retry", httpx.Page, s.appPage(s.retryDeliverySubmit)))
	}
	// Orders: the orders pages (pages_orders.go).
	if s.Orders != nil {
		rs = append(rs,
			httpx.Handle("GET", "/app/orders", httpx.Page, s.appPage(s.ordersListPage)),
			httpx.Handle("GET", "/app/orders/settings", httpx.Page, s.appPage(s.orderSettingsView)),
			httpx.Handle("POST", "/app/orders/settings", httpx.Page, s.appPage(s.orderSettingsSubmit)),
			httpx.Handle("GET", "/app/orders/{id}", httpx.Page, s.appPage(s.orderDetailPage)),
			httpx.Handle("POST", "/app/orders/{id}/status", httpx.Page, s.appPage(s.orderStatusSubmit)),
			httpx.Handle("POST", "/app/orders/{id}/retry", httpx.Page, s.appPage(s.orderRetrySubmit)))
	}
	// Integrations: the Shopify stores (pages_integrations.go).
	rs = append(rs, httpx.Handle("GET", "/app/integrations", httpx.Page, s.appPage(s.integrationsPage)))
	if s.Shopify != nil {
		rs = append(rs, httpx.Handle("POST", "/app/integrations/shopify/{shop}/disconnect", httpx.Page, s.appPage(s.disconnectShopSubmit)))
	}
	// Shopify: product mappings and data requests
	// (pages_shopify_products.go).
	if s.ShopifyWebhooks != nil {
		rs = append(rs,
			httpx.Handle("GET", "/app/shopify/products", httpx.Page, s.appPage(s.shopifyProductsPage)),
			httpx.Handle("POST", "/app/shopify/products", httpx.Page, s.appPage(s.shopifyMappingSubmit)),
			httpx.Handle("POST", "/app/shopify/products/{shop}/{shopifyProductId}/clear", httpx.Page, s.appPage(s.shopifyMappingClear)))
	}
	if s.Catalog == nil {
		return rs
	}
	// Products: list, details, variants, model and zones (pages_products*.go).
	rs = append(rs,
		httpx.Handle("GET", "/app/products", httpx.Page, s.appPage(s.productsPage)),
		httpx.Handle("POST", "/app/products", httpx.Page, s.appPage(s.createProductSubmit)),
		httpx.Handle("GET", "/app/products/{id}", httpx.Page, s.appPage(s.productPage)),
		httpx.Handle("POST", "/app/products/{id}", httpx.Page, s.appPage(s.updateProductSubmit)),
		httpx.Handle("POST", "/app/products/{id}/delete", httpx.Page, s.appPage(s.deleteProductSubmit)),
		httpx.Handle("POST", "/app/products/{id}/variants", httpx.Page, s.appPage(s.addVariantSubmit)),
		httpx.Handle("POST", "/app/products/{id}/variants/{variantID}", httpx.Page, s.appPage(s.updateVariantSubmit)),
		httpx.Handle("POST", "/app/products/{id}/variants/{variantID}/delete", httpx.Page, s.appPage(s.deleteVariantSubmit)),
		httpx.Handle("POST", "/app/products/{id}/model", httpx.Page, s.appPage(s.uploadModelSubmit)).WithBody(s.Catalog.MaxModelSize()+httpx.UploadOverhead),
		httpx.Handle("GET", "/app/products/{id}/materials/{name}/texture", imagePage, s.appPage(s.materialTexture)),
		httpx.Handle("POST", "/app/products/{id}/zones", httpx.Page, s.appPage(s.createZoneSubmit)),
		httpx.Handle("POST", "/app/products/{id}/zones/{zoneID}", httpx.Page, s.appPage(s.updateZoneSubmit)),
		httpx.Handle("POST", "/app/products/{id}/zones/{zoneID}/delete", httpx.Page, s.appPage(s.deleteZoneSubmit)),
		httpx.Handle("POST", "/app/products/{id}/pricing", httpx.Page, s.appPage(s.setPriceSubmit)),
		httpx.Handle("POST", "/app/products/{id}/pricing/{index}/delete", httpx.Page, s.appPage(s.deletePriceSubmit)),
	)
	if s.Designs == nil {
		return rs
	}
	// Designs: list, a design's page, its forms and live renders (pages_designs*.go).
	return append(rs,
		httpx.Handle("GET", "/app/designs", httpx.Page, s.appPage(s.designsPage)),
		httpx.Handle("GET", "/app/designs/{id}", httpx.Page, s.appPage(s.designPage)),
		httpx.Handle("GET", "/app/designs/{id}/renders/events", httpx.Page, s.appPage(s.renderEvents)),
		httpx.Handle("POST", "/app/designs/{id}/render", httpx.Page, s.appPage(s.rerunSubmit)),
		httpx.Handle("POST", "/app/designs/{id}/preview", httpx.Page, s.appPage(s.previewSubmit)),
		httpx.Handle("POST", "/app/designs/{id}/preview/revoke", httpx.Page, s.appPage(s.revokePreviewSubmit)),
		httpx.Handle("POST", "/app/designs/{id}/ar-page", httpx.Page, s.appPage(s.arPageSubmit)),
		httpx.Handle("POST", "/app/designs/{id}/ar-page/revoke", httpx.Page, s.appPage(s.revokeARPageSubmit)),
		httpx.Handle("POST", "/app/designs/{id}/delete", httpx.Page, s.appPage(s.deleteDesignSubmit)),
	)
}

// pageFunc is a dashboard page handler: it gets the logged-in user and
// returns its error instead of writing it.
type pageFunc func(w http.ResponseWriter, r *http.Request, me Me) error

// appPage adapts a pageFunc. The router has authenticated the person (a
// browser without a valid session was sent through the refresh route), so
// it only loads who they are for the page.
func (s *Dashboard) appPage(h pageFunc) http.HandlerFunc {
	return s.Kit.Authed(func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		me, err := s.loadMe(r, p)
		if err != nil {
			return err
		}
		return h(w, r, me)
	})
}
