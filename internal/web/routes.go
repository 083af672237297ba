package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ops"
	"github.com/luneo/luneo/internal/web/public"
)

// routes is the one place every route is declared, with its policy (see
// httpx.Policy): the table the router applies and the OpenAPI document and
// its test read.
func (s *Server) routes() []httpx.Route {
	// Operations (internal/web/ops).
	od := ops.Deps{Kit: s.kit, Checks: s.Checks}
	// Metrics name routes, job kinds and volumes: an operator's business,
	// not the public's. serve answers them on its ops listener only
	// (LUNEO_OPS_ADDR, an OpsOnly server); dev keeps them here.
	if s.OpsOnly || s.Dev {
		od.Metrics = s.Metrics
	}
	rs := ops.New(od).Routes()
	if s.OpsOnly {
		return append(rs, httpx.Handle("", "/", httpx.Public, s.kit.NotFound))
	}

	// What anyone may open: home, static files, AR pages, shared files
	// (internal/web/public).
	rs = append(rs, public.New(public.Deps{Kit: s.kit, Assets: s.Assets, AR: s.AR, LocalBlobs: s.LocalBlobs}).Routes()...)

	rs = append(rs,
		// Accounts (JSON API; browsers also get the tokens as cookies).
		httpx.Handle("POST", "/api/auth/register", httpx.Public, s.api(s.register)),
		httpx.Handle("POST", "/api/auth/login", httpx.Public, s.api(s.login)),
		httpx.Handle("POST", "/api/auth/login/mfa", httpx.Public, s.api(s.loginMFA)),
		httpx.Handle("POST", "/api/auth/refresh", httpx.Public, s.api(s.refresh)),
		httpx.Handle("GET", "/api/auth/refresh", httpx.Public, s.api(s.refreshRedirect)),
		httpx.Handle("POST", "/api/auth/logout", httpx.Public, s.api(s.logout)),
		httpx.Handle("POST", "/api/auth/logout-all", httpx.UserAPI, s.authed(s.logoutAll)),
		httpx.Handle("GET", "/api/auth/me", httpx.UserAPI, s.authed(s.me)),
		httpx.Handle("POST", "/api/auth/switch-brand", httpx.UserAPI, s.authed(s.switchBrand)),
		httpx.Handle("POST", "/api/auth/confirm-email", httpx.Public, s.api(s.confirmEmail)),
		httpx.Handle("POST", "/api/auth/confirm-email/resend", httpx.UserAPI, s.authed(s.resendConfirmation)),
		httpx.Handle("POST", "/api/auth/password/forgot", httpx.Public, s.api(s.forgotPassword)),
		httpx.Handle("POST", "/api/auth/password/reset", httpx.Public, s.api(s.resetPassword)),
		httpx.Handle("POST", "/api/auth/password/change", httpx.UserAPI, s.authed(s.changePassword)),
		httpx.Handle("POST", "/api/auth/reauth", httpx.UserAPI, s.authed(s.reauth)),
		httpx.Handle("POST", "/api/auth/mfa/setup", httpx.UserAPI, s.authed(s.mfaSetup)),
		httpx.Handle("POST", "/api/auth/mfa/confirm", httpx.UserAPI, s.authed(s.mfaConfirm)),
		httpx.Handle("POST", "/api/auth/mfa/disable", httpx.UserAPI, s.authed(s.mfaDisable)),
		httpx.Handle("POST", "/api/auth/mfa/backup-codes", httpx.UserAPI, s.authed(s.mfaBackupCodes)),
		httpx.Handle("GET", "/api/auth/audit", httpx.UserAPI, s.authed(s.accountAudit)),
		httpx.Handle("GET", "/api/auth/sessions", httpx.UserAPI, s.authed(s.sessions)),
		httpx.Handle("DELETE", "/api/auth/sessions/{id}", httpx.UserAPI, s.authed(s.revokeSession)),
		httpx.Handle("GET", "/api/auth/identities", httpx.UserAPI, s.authed(s.identities)),
		httpx.Handle("DELETE", "/api/auth/identities/{provider}", httpx.UserAPI, s.authed(s.unlinkIdentity)),
		httpx.Handle("POST", "/api/invitations/accept", httpx.UserAPI, s.authed(s.acceptInvitation)),

		// The caller's brand: settings, team, API keys, audit log.
		httpx.Handle("GET", "/api/brand", httpx.BrandAPI, s.authed(s.getBrand)),
		httpx.Handle("PATCH", "/api/brand", httpx.BrandAPI, s.authed(s.updateBrand)),
		httpx.Handle("GET", "/api/brand/members", httpx.BrandAPI, s.authed(s.members)),
		httpx.Handle("PATCH", "/api/brand/members/{userID}", httpx.BrandAPI, s.authed(s.changeRole)),
		httpx.Handle("DELETE", "/api/brand/members/{userID}", httpx.BrandAPI, s.authed(s.removeMember)),
		httpx.Handle("GET", "/api/brand/invitations", httpx.BrandAPI, s.authed(s.invitations)),
		httpx.Handle("POST", "/api/brand/invitations", httpx.BrandAPI, s.authed(s.invite)),
		httpx.Handle("DELETE", "/api/brand/invitations/{id}", httpx.BrandAPI, s.authed(s.revokeInvitation)),
		httpx.Handle("GET", "/api/brand/api-keys", httpx.BrandAPI, s.authed(s.apiKeys)),
		httpx.Handle("POST", "/api/brand/api-keys", httpx.BrandAPI, s.authed(s.createAPIKey)),
		httpx.Handle("DELETE", "/api/brand/api-keys/{id}", httpx.BrandAPI, s.authed(s.revokeAPIKey)),
		httpx.Handle("GET", "/api/brand/audit", httpx.BrandAPI, s.authed(s.auditLog)),
	)
	// External logins (oidc.go), the product catalog (api_catalog.go), AR
	// and the API's description.
	rs = append(rs, s.oidcRoutes()...)
	rs = append(rs, s.catalogRoutes()...)
	rs = append(rs, s.arRoutes()...)
	rs = append(rs, httpx.Handle("GET", "/api/openapi.json", httpx.OpenDocument(), s.openAPI))

	// Development-only pages (internal/web/devtools).
	if s.Dev {
		rs = append(rs, devtools.New(devtools.Deps{Kit: s.kit, LocalBlobs: s.LocalBlobs}).Routes()...)
	}

	// Dashboard pages (pages_routes.go).
	rs = append(rs, s.pageRoutes()...)

	// Anything else: a 404 in the right format (page or problem+json).
	return append(rs, httpx.Handle("", "/", httpx.Public, s.kit.NotFound))
}

// render renders a page with the fields every page shares filled in.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data PageData) {
	data.RequestID, data.Dev, data.Version = obs.RequestID(r.Context()), s.Dev, s.Version
	if err := s.Pages.Render(w, status, name, data); err != nil {
		s.kit.Error(w, r, err)
	}
}
