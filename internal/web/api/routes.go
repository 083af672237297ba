package api

import (
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Routes is the API's route table, each route with its policy: Public for
// signing up and in (and the routes a browser calls before it has a
// session), UserAPI for the person's own account (API keys get 403),
// BrandAPI for what the caller's brand owns. The catalog and AR routes are
// there only when their module is wired.
func (s *API) Routes() []httpx.Route { return s.table(false) }

// table declares every route of the API; every one carries the Doc the
// OpenAPI document is built from. With all, the routes of modules that are
// not wired are included too, so the document and its checks always see
// the whole API.
func (s *API) table(all bool) []httpx.Route {
	h, a := s.Kit.Handler, s.Kit.Authed
	rs := []httpx.Route{
		// Accounts (browsers also get the tokens as cookies; auth.go,
		// account.go).
		httpx.Handle("POST", "/api/auth/register", httpx.Public, h(s.register)).
			Documented("Accounts", "Sign up: create an account and its brand"),
		httpx.Handle("POST", "/api/auth/login", httpx.Public, h(s.login)).
			Documented("Accounts", "Log in with email and password"),
		httpx.Handle("POST", "/api/auth/login/mfa", httpx.Public, h(s.loginMFA)).
			Documented("Accounts", "Finish a login with a TOTP or backup code"),
		httpx.Handle("POST", "/api/auth/refresh", httpx.Public, h(s.refresh)).
			Documented("Accounts", "Exchange a refresh token for new tokens (rotation)"),
		httpx.Handle("GET", "/api/auth/refresh", httpx.Public, h(s.refreshRedirect)).
			Documented("Accounts", "Browser refresh: renew the cookies and redirect back"),
		httpx.Handle("POST", "/api/auth/logout", httpx.Public, h(s.logout)).
			Documented("Accounts", "End the current session"),
		httpx.Handle("POST", "/api/auth/logout-all", httpx.UserAPI, a(s.logoutAll)).
			Documented("Accounts", "End every session of the user"),
		httpx.Handle("GET", "/api/auth/me", httpx.UserAPI, a(s.me)).
			Documented("Accounts", "The logged-in user and their brands"),
		httpx.Handle("POST", "/api/auth/switch-brand", httpx.UserAPI, a(s.switchBrand)).
			Documented("Accounts", "Act for another brand the user belongs to"),
		httpx.Handle("POST", "/api/auth/confirm-email", httpx.Public, h(s.confirmEmail)).
			Documented("Accounts", "Confirm an email address with the emailed token"),
		httpx.Handle("POST", "/api/auth/confirm-email/resend", httpx.UserAPI, a(s.resendConfirmation)).
			Documented("Accounts", "Send the confirmation email again"),
		httpx.Handle("POST", "/api/auth/password/forgot", httpx.Public, h(s.forgotPassword)).
			Documented("Accounts", "Email a password reset link (answers 202 whether or not the address exists)"),
		httpx.Handle("POST", "/api/auth/password/reset", httpx.Public, h(s.resetPassword)).
			Documented("Accounts", "Set a new password with a reset token"),
		httpx.Handle("POST", "/api/auth/password/change", httpx.UserAPI, a(s.changePassword)).
			Documented("Accounts", "Change the password (ends the other sessions)"),
		httpx.Handle("POST", "/api/auth/reauth", httpx.UserAPI, a(s.reauth)).
			Documented("Accounts", "Prove who you are again (password or MFA code) before turning MFA on or setting a first password"),
		httpx.Handle("POST", "/api/auth/mfa/setup", httpx.UserAPI, a(s.mfaSetup)).
			Documented("Accounts", "Start enrolling an authenticator app"),
		httpx.Handle("POST", "/api/auth/mfa/confirm", httpx.UserAPI, a(s.mfaConfirm)).
			Documented("Accounts", "Confirm MFA with a first code; returns backup codes"),
		httpx.Handle("POST", "/api/auth/mfa/disable", httpx.UserAPI, a(s.mfaDisable)).
			Documented("Accounts", "Turn MFA off (needs a current code)"),
		httpx.Handle("POST", "/api/auth/mfa/backup-codes", httpx.UserAPI, a(s.mfaBackupCodes)).
			Documented("Accounts", "Replace the backup codes (needs a current code)"),
		httpx.Handle("GET", "/api/auth/audit", httpx.UserAPI, a(s.accountAudit)).
			Documented("Accounts", "Your own account's security events, newest first (logins, sessions, password, MFA, linked logins; no brand's log shows them)"),
		httpx.Handle("GET", "/api/auth/sessions", httpx.UserAPI, a(s.sessions)).
			Documented("Accounts", "The user's active sessions"),
		httpx.Handle("DELETE", "/api/auth/sessions/{id}", httpx.UserAPI, a(s.revokeSession)).
			Documented("Accounts", "End one session"),
		httpx.Handle("GET", "/api/auth/identities", httpx.UserAPI, a(s.identities)).
			Documented("Accounts", "External logins linked to the user"),
		httpx.Handle("DELETE", "/api/auth/identities/{provider}", httpx.UserAPI, a(s.unlinkIdentity)).
			Documented("Accounts", "Unlink an external login"),
		httpx.Handle("POST", "/api/invitations/accept", httpx.UserAPI, a(s.acceptInvitation)).
			Documented("Accounts", "Accept an invitation to join a brand"),

		// The caller's brand: settings, team, API keys, audit log (brand.go).
		httpx.Handle("GET", "/api/brand", httpx.BrandAPI, a(s.getBrand)).
			Documented("Brand", "The caller's brand and role (brand:read)"),
		httpx.Handle("PATCH", "/api/brand", httpx.BrandAPI, a(s.updateBrand)).
			Documented("Brand", "Rename the brand (brand:write)"),
		httpx.Handle("GET", "/api/brand/members", httpx.BrandAPI, a(s.members)).
			Documented("Brand", "Team members (team:read)"),
		httpx.Handle("PATCH", "/api/brand/members/{userID}", httpx.BrandAPI, a(s.changeRole)).
			Documented("Brand", "Change a member's role (team:manage)"),
		httpx.Handle("DELETE", "/api/brand/members/{userID}", httpx.BrandAPI, a(s.removeMember)).
			Documented("Brand", "Remove a member (team:manage)"),
		httpx.Handle("GET", "/api/brand/invitations", httpx.BrandAPI, a(s.invitations)).
			Documented("Brand", "Pending invitations (team:manage)"),
		httpx.Handle("POST", "/api/brand/invitations", httpx.BrandAPI, a(s.invite)).
			Documented("Brand", "Invite someone by email (team:manage)"),
		httpx.Handle("DELETE", "/api/brand/invitations/{id}", httpx.BrandAPI, a(s.revokeInvitation)).
			Documented("Brand", "Revoke an invitation (team:manage)"),
		httpx.Handle("GET", "/api/brand/api-keys", httpx.BrandAPI, a(s.apiKeys)).
			Documented("Brand", "API keys (apikeys:manage)"),
		httpx.Handle("POST", "/api/brand/api-keys", httpx.BrandAPI, a(s.createAPIKey)).
			Documented("Brand", "Create an API key; the secret is shown once (apikeys:manage)"),
		httpx.Handle("DELETE", "/api/brand/api-keys/{id}", httpx.BrandAPI, a(s.revokeAPIKey)).
			Documented("Brand", "Revoke an API key (apikeys:manage)"),
		httpx.Handle("GET", "/api/brand/audit", httpx.BrandAPI, a(s.auditLog)).
			Documented("Brand", "Audit log, newest first (owners)"),
	}

	// The product catalog: products, their model and zones (catalog.go,
	// zones.go). The catalog service checks permissions and scopes every
	// query to the caller's brand.
	if all || s.Catalog != nil {
		rs = append(rs,
			httpx.Handle("GET", "/api/products", httpx.BrandAPI, a(s.listProducts)).
				Documented("Products", "List products, newest first (products:read)"),
			httpx.Handle("POST", "/api/products", httpx.BrandAPI, a(s.createProduct)).
				Documented("Products", "Create a product (products:write)"),
			httpx.Handle("GET", "/api/products/{id}", httpx.BrandAPI, a(s.getProduct)).
				Documented("Products", "Get a product (products:read)"),
			httpx.Handle("PATCH", "/api/products/{id}", httpx.BrandAPI, a(s.updateProduct)).
				Documented("Products", "Change a product, its status or its variants (products:write)"),
			httpx.Handle("DELETE", "/api/products/{id}", httpx.BrandAPI, a(s.deleteProduct)).
				Documented("Products", "Delete a product with its variants, zones and model files (products:write)"),
			httpx.Handle("POST", "/api/products/{id}/model", httpx.BrandAPI, a(s.uploadModel)).WithBody(s.maxModelBody()).
				Documented("Models", "Upload or replace the product's 3D model (products:write)"),
			httpx.Handle("GET", "/api/products/{id}/model", httpx.BrandAPI, a(s.getModel)).
				Documented("Models", "The product's model: statistics, validation report, signed URLs (products:read)"),
			httpx.Handle("GET", "/api/products/{id}/zones", httpx.BrandAPI, a(s.listZones)).
				Documented("Zones", "List the product's zones (products:read)"),
			httpx.Handle("POST", "/api/products/{id}/zones", httpx.BrandAPI, a(s.createZone)).
				Documented("Zones", "Add a zone (products:write)"),
			httpx.Handle("GET", "/api/products/{id}/zones/{zoneID}", httpx.BrandAPI, a(s.getZone)).
				Documented("Zones", "Get a zone (products:read)"),
			httpx.Handle("PATCH", "/api/products/{id}/zones/{zoneID}", httpx.BrandAPI, a(s.updateZone)).
				Documented("Zones", "Change a zone (products:write)"),
			httpx.Handle("DELETE", "/api/products/{id}/zones/{zoneID}", httpx.BrandAPI, a(s.deleteZone)).
				Documented("Zones", "Delete a zone and its mask (products:write)"),
			httpx.Handle("POST", "/api/products/{id}/zones/{zoneID}/mask", httpx.BrandAPI, a(s.uploadMask)).WithBody(catalog.MaxMaskSize+httpx.UploadOverhead).
				Documented("Zones", "Upload or replace the mask of a print zone (products:write)"),
			httpx.Handle("DELETE", "/api/products/{id}/zones/{zoneID}/mask", httpx.BrandAPI, a(s.deleteMask)).
				Documented("Zones", "Remove the mask of a zone (products:write)"),
			httpx.Handle("GET", "/api/products/{id}/pricing", httpx.BrandAPI, a(s.getPricing)).
				Documented("Products", "The product's customization prices per zone and layer type (products:read)"),
			httpx.Handle("PUT", "/api/products/{id}/pricing", httpx.BrandAPI, a(s.putPricing)).
				Documented("Products", "Replace the product's customization prices (products:write)"),
		)
	}

	// A product's AR files (ar.go); the public AR page is not the API's.
	// The widget's embed settings: which store origins may embed the
	// brand (embed.go).
	if all || s.Embed != nil {
		rs = append(rs,
			httpx.Handle("GET", "/api/brand/embed", httpx.BrandAPI, a(s.getEmbed)).
				Documented("Brand", "The store origins allowed to embed the brand's widget (brand:read)"),
			httpx.Handle("PUT", "/api/brand/embed", httpx.BrandAPI, a(s.putEmbed)).
				Documented("Brand", "Replace the store origins allowed to embed the widget (brand:write)"))
		tok, val, ses := s.embedPolicies()
		rs = append(rs,
			httpx.Handle("GET", "/api/embed/token", tok, h(s.embedToken)).
				Documented("Widget", "A widget session's embed token and single-use nonce, for a store origin on the brand's list"),
			httpx.Handle("POST", "/api/embed/validate", val, s.embedValidate).
				Documented("Widget", "Consume a handshake nonce from the store origin it is bound to"),
			httpx.Handle("GET", "/api/embed/session", ses, h(s.embedSession)).
				Documented("Widget", "The brand and product of the embed token sent as bearer, and the browser's shopper key"))
	}
	// The customizer, in the widget iframe (embed_shopper_*.go): the embed
	// token as bearer and the shopper key in X-Luneo-Shopper; a shopper
	// reaches only its own designs of the token's product, or one whose
	// design link it presents.
	if all || (s.Embed != nil && s.Catalog != nil && s.Designs != nil && s.Renders != nil) {
		_, _, shop := s.embedPolicies()
		doc := int64(design.MaxDocumentBytes + 16<<10) // a document and a few small fields
		rs = append(rs,
			httpx.Handle("GET", "/api/embed/product", shop, h(s.shopperProduct)).
				Documented("Widget", "The token's product as the customizer shows it: model, materials, zones, fonts, prices, limits, and the design it opens"),
			httpx.Handle("GET", "/api/embed/fonts/{family}", shop, h(s.shopperFont)).
				Documented("Widget", "A font file the customizer draws text with (bundled or the brand's)"),
			httpx.Handle("POST", "/api/embed/assets", shop, h(s.shopperUpload)).WithBody(s.shopperMaxUpload()+httpx.UploadOverhead).
				Documented("Widget", "Upload an image for the shopper's design: PNG, JPEG or WebP"),
			httpx.Handle("POST", "/api/embed/preview", shop, h(s.shopperPreview)).WithBody(doc).
				Documented("Widget", "Draw one print zone of an unsaved design as it will print (PNG or WebP)"),
			httpx.Handle("POST", "/api/embed/quote", shop, h(s.shopperQuote)).WithBody(doc).
				Documented("Widget", "Price an unsaved design: the product's price and the customization rules"),
			httpx.Handle("POST", "/api/embed/designs", shop, h(s.shopperCreateDesign)).WithBody(doc).
				Documented("Widget", "Save a new design of the token's product (version 1)"),
			httpx.Handle("GET", "/api/embed/designs", shop, h(s.shopperListDesigns)).
				Documented("Widget", "The shopper's designs of the token's product, most recently changed first"),
			httpx.Handle("GET", "/api/embed/designs/link/{token}", shop, h(s.shopperDesignByLink)).
				Documented("Widget", "Reopen a design by its design link"),
			httpx.Handle("GET", "/api/embed/designs/{id}", shop, h(s.shopperGetDesign)).
				Documented("Widget", "Reopen one of the shopper's own designs"),
			httpx.Handle("POST", "/api/embed/designs/{id}/versions", shop, h(s.shopperNewVersion)).WithBody(doc).
				Documented("Widget", "Save a new version of the shopper's design, or of one whose design link is given"),
			// /designs/{id}/ar would conflict with /designs/link/{token} in
			// the mux (both match /designs/link/ar), so the AR route takes
			// any last segment and answers only "ar".
			httpx.Handle("GET", "/api/embed/designs/{id}/{view}", shop, h(s.shopperDesignAR)).
				Documented("Widget", "The design in AR (view \"ar\"): its public AR page with a QR code, and its 3D files once made"),
		)
	}
	if all || s.AR != nil {
		rs = append(rs, httpx.Handle("GET", "/api/products/{id}/ar", httpx.BrandAPI, a(s.getAR)).
			Documented("AR", "AR files of a product: signed GLB and USDZ URLs (1 hour)"))
	}

	// Orders: store orders and their production (orders.go).
	// The order service checks permissions and scopes every query to the
	// caller's brand.
	if all || s.Orders != nil {
		rs = append(rs,
			httpx.Handle("POST", "/api/orders", httpx.BrandAPI, a(s.createOrder)).
				Documented("Orders", "Record a store's order with its design lines, locking each design version; Idempotency-Key honoured for 24 hours (orders:write)"),
			httpx.Handle("GET", "/api/orders", httpx.BrandAPI, a(s.listOrders)).
				Documented("Orders", "List orders, newest first, by status, source, creation dates or name (orders:read)"),
			httpx.Handle("GET", "/api/orders/settings", httpx.BrandAPI, a(s.getOrderSettings)).
				Documented("Orders", "The brand's order settings: production file-name pattern and email notification (orders:read)"),
			httpx.Handle("PUT", "/api/orders/settings", httpx.BrandAPI, a(s.putOrderSettings)).
				Documented("Orders", "Replace the brand's order settings (orders:write)"),
			httpx.Handle("GET", "/api/orders/{id}", httpx.BrandAPI, a(s.getOrder)).
				Documented("Orders", "An order with its lines, previews, production state and a fresh signed download link (orders:read)"),
			httpx.Handle("POST", "/api/orders/{id}/status", httpx.BrandAPI, a(s.setOrderStatus)).
				Documented("Orders", "Mark an order fulfilled or cancelled (orders:write)"),
			httpx.Handle("POST", "/api/orders/{id}/production/retry", httpx.BrandAPI, a(s.retryOrderProduction)).
				Documented("Orders", "Start a stopped production again, re-rendering failed print files (orders:write)"),
		)
	}

	// Designs, their image assets and the fonts they may use (designs.go,
	// assets.go). The design service checks permissions and scopes every
	// query to the caller's brand.
	if all || (s.Designs != nil && s.Renders != nil) {
		rs = append(rs,
			httpx.Handle("POST", "/api/designs", httpx.BrandAPI, a(s.createDesign)).
				Documented("Designs", "Create a design with its version 1 (products:write)"),
			httpx.Handle("GET", "/api/designs", httpx.BrandAPI, a(s.listDesigns)).
				Documented("Designs", "List a product's designs, newest first (products:read)"),
			httpx.Handle("GET", "/api/designs/{id}", httpx.BrandAPI, a(s.getDesign)).
				Documented("Designs", "Get a design with its latest or a given version (products:read)"),
			httpx.Handle("POST", "/api/designs/{id}/versions", httpx.BrandAPI, a(s.newDesignVersion)).
				Documented("Designs", "Save a new version of a design (products:write)"),
			httpx.Handle("DELETE", "/api/designs/{id}", httpx.BrandAPI, a(s.deleteDesign)).
				Documented("Designs", "Delete (hide) a design; versions an order locked are kept (products:write)"),
			httpx.Handle("POST", "/api/designs/{id}/preview-token", httpx.BrandAPI, a(s.createPreviewToken)).
				Documented("Designs", "The design's permanent preview token, created on first call (products:write)"),
			httpx.Handle("DELETE", "/api/designs/{id}/preview-token", httpx.BrandAPI, a(s.revokePreviewToken)).
				Documented("Designs", "Revoke the design's preview token (products:write)"),
			httpx.Handle("GET", "/api/designs/{id}/ar", httpx.BrandAPI, a(s.getDesignAR)).
				Documented("Designs", "The design in AR: signed GLB, USDZ and preview URLs (1 hour), or 202 while they are made (products:read)"),
			httpx.Handle("POST", "/api/designs/{id}/ar-token", httpx.BrandAPI, a(s.createARToken)).
				Documented("Designs", "The design's public AR page token and URL, created on first call (products:write)"),
			httpx.Handle("DELETE", "/api/designs/{id}/ar-token", httpx.BrandAPI, a(s.revokeARToken)).
				Documented("Designs", "Revoke the design's public AR page (products:write)"),
			httpx.Handle("GET", "/api/designs/{id}/renders", httpx.BrandAPI, a(s.listRenders)).
				Documented("Designs", "Renders of a design: status, progress and files with signed URLs (products:read)"),
			httpx.Handle("GET", "/api/designs/{id}/renders/events", httpx.BrandAPI, a(s.streamRenders)).
				Documented("Designs", "Live render status as server-sent events (event: renders) (products:read)"),
			httpx.Handle("POST", "/api/designs/{id}/render", httpx.BrandAPI, a(s.rerunRender)).
				Documented("Designs", "Render a design version again; with produce, also its print files (products:write)"),
			httpx.Handle("POST", "/api/designs/assets", httpx.BrandAPI, a(s.uploadDesignImage)).WithBody(s.maxUpload(true)).
				Documented("Designs", "Upload an image for designs: PNG, JPEG or WebP (products:write)"),
			httpx.Handle("GET", "/api/fonts", httpx.BrandAPI, a(s.listFonts)).
				Documented("Designs", "Fonts designs may use: bundled families and the brand's own (products:read)"),
			httpx.Handle("POST", "/api/fonts", httpx.BrandAPI, a(s.uploadFont)).WithBody(s.maxUpload(false)).
				Documented("Designs", "Upload a brand font: TTF or OTF (products:write)"),
		)
	}

	// Webhooks out (webhooks.go): the brand's endpoints, their
	// delivery log, pings and retries. Owners and admins only
	// (webhooks:manage); no API key scope grants it.
	if all || s.Webhooks != nil {
		rs = append(rs,
			httpx.Handle("GET", "/api/webhooks/endpoints", httpx.BrandAPI, a(s.listWebhookEndpoints)).
				Documented("Webhooks", "The brand's webhook endpoints, without their secrets, and the known topics (webhooks:manage)"),
			httpx.Handle("POST", "/api/webhooks/endpoints", httpx.BrandAPI, a(s.createWebhookEndpoint)).
				Documented("Webhooks", "Add a webhook endpoint; its signing secret is shown once (webhooks:manage)"),
			httpx.Handle("GET", "/api/webhooks/endpoints/{id}", httpx.BrandAPI, a(s.getWebhookEndpoint)).
				Documented("Webhooks", "Get a webhook endpoint (webhooks:manage)"),
			httpx.Handle("PATCH", "/api/webhooks/endpoints/{id}", httpx.BrandAPI, a(s.updateWebhookEndpoint)).
				Documented("Webhooks", "Change an endpoint's URL, topics, description, or enable/disable it (webhooks:manage)"),
			httpx.Handle("DELETE", "/api/webhooks/endpoints/{id}", httpx.BrandAPI, a(s.deleteWebhookEndpoint)).
				Documented("Webhooks", "Delete a webhook endpoint and its delivery log (webhooks:manage)"),
			httpx.Handle("POST", "/api/webhooks/endpoints/{id}/rotate-secret", httpx.BrandAPI, a(s.rotateWebhookSecret)).
				Documented("Webhooks", "Replace the endpoint's signing secret; the new one is shown once (webhooks:manage)"),
			httpx.Handle("POST", "/api/webhooks/endpoints/{id}/ping", httpx.BrandAPI, a(s.pingWebhookEndpoint)).
				Documented("Webhooks", "Send the endpoint a signed test event (ping) (webhooks:manage)"),
			httpx.Handle("GET", "/api/webhooks/endpoints/{id}/deliveries", httpx.BrandAPI, a(s.listWebhookDeliveries)).
				Documented("Webhooks", "The endpoint's deliveries with their last answer, newest first (webhooks:manage)"),
			httpx.Handle("GET", "/api/webhooks/deliveries/{id}", httpx.BrandAPI, a(s.getWebhookDelivery)).
				Documented("Webhooks", "A delivery with its body and every attempt's answer (webhooks:manage)"),
			httpx.Handle("POST", "/api/webhooks/deliveries/{id}/retry", httpx.BrandAPI, a(s.retryWebhookDelivery)).
				Documented("Webhooks", "Send a delivery again now (webhooks:manage)"),
		)
	}
	// The Shopify app: install, callback, the embedded app's status, the
	// brand's stores (shopify_install.go). Always there: without a
	// configured app they answer 404 saying it is off.
	rs = append(rs, s.shopifyRoutes()...)
	if all || s.ShopifyWebhooks != nil {
		rs = append(rs, s.shopifyWebhookRoutes()...)
	}

	// The API's own description (openapi.go).
	return append(rs, httpx.Handle("GET", "/api/openapi.json", httpx.OpenDocument(), s.openAPI).
		Documented("Meta", "This document"))
}

// maxModelBody is the body limit of a model upload: the catalog's model
// size limit plus the multipart overhead (0, the router's default, when
// the catalog is not wired and the route is only being described).
func (s *API) maxModelBody() int64 {
	if s.Catalog == nil {
		return 0
	}
	return s.Catalog.MaxModelSize() + httpx.UploadOverhead
}

// maxUpload is the body limit of an image (or font) upload: the design
// service's limit plus the multipart overhead (0, the router's default,
// when the service is not wired and the route is only being described).
func (s *API) maxUpload(image bool) int64 {
	switch {
	case s.Designs == nil:
		return 0
	case image:
		return s.Designs.MaxImageUpload() + httpx.UploadOverhead
	}
	return s.Designs.MaxFontUpload() + httpx.UploadOverhead
}
