package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
)

// routes is the one place every route is declared.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Operations.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	// Metrics name routes, job kinds and volumes: an operator's business,
	// not the public's. serve answers them on its ops listener only
	// (LUNEO_OPS_ADDR, an OpsOnly server); dev keeps them here.
	if s.OpsOnly || s.Dev {
		mux.Handle("GET /metrics", s.Metrics.Handler())
	}
	if s.OpsOnly {
		mux.HandleFunc("/", s.notFound)
		return mux
	}

	// Dashboard.
	mux.HandleFunc("GET /{$}", s.home)
	mux.Handle("/static/", s.Assets)
	mux.HandleFunc("GET /favicon.ico", s.favicon)

	// Accounts (JSON API; browsers also get the tokens as cookies).
	mux.HandleFunc("POST /api/auth/register", s.api(s.register))
	mux.HandleFunc("POST /api/auth/login", s.api(s.login))
	mux.HandleFunc("POST /api/auth/login/mfa", s.api(s.loginMFA))
	mux.HandleFunc("POST /api/auth/refresh", s.api(s.refresh))
	mux.HandleFunc("GET /api/auth/refresh", s.api(s.refreshRedirect))
	mux.HandleFunc("POST /api/auth/logout", s.api(s.logout))
	mux.HandleFunc("POST /api/auth/logout-all", s.authed(s.logoutAll))
	mux.HandleFunc("GET /api/auth/me", s.authed(s.me))
	mux.HandleFunc("POST /api/auth/switch-brand", s.authed(s.switchBrand))
	mux.HandleFunc("POST /api/auth/confirm-email", s.api(s.confirmEmail))
	mux.HandleFunc("POST /api/auth/confirm-email/resend", s.authed(s.resendConfirmation))
	mux.HandleFunc("POST /api/auth/password/forgot", s.api(s.forgotPassword))
	mux.HandleFunc("POST /api/auth/password/reset", s.api(s.resetPassword))
	mux.HandleFunc("POST /api/auth/password/change", s.authed(s.changePassword))
	mux.HandleFunc("POST /api/auth/reauth", s.authed(s.reauth))
	mux.HandleFunc("POST /api/auth/mfa/setup", s.authed(s.mfaSetup))
	mux.HandleFunc("POST /api/auth/mfa/confirm", s.authed(s.mfaConfirm))
	mux.HandleFunc("POST /api/auth/mfa/disable", s.authed(s.mfaDisable))
	mux.HandleFunc("POST /api/auth/mfa/backup-codes", s.authed(s.mfaBackupCodes))
	mux.HandleFunc("GET /api/auth/audit", s.authed(s.accountAudit))
	mux.HandleFunc("GET /api/auth/sessions", s.authed(s.sessions))
	mux.HandleFunc("DELETE /api/auth/sessions/{id}", s.authed(s.revokeSession))
	mux.HandleFunc("GET /api/auth/identities", s.authed(s.identities))
	mux.HandleFunc("DELETE /api/auth/identities/{provider}", s.authed(s.unlinkIdentity))
	mux.HandleFunc("POST /api/invitations/accept", s.authed(s.acceptInvitation))

	// External logins (oidc.go).
	s.oidcRoutes(mux)

	// The caller's brand: settings, team, API keys, audit log.
	mux.HandleFunc("GET /api/brand", s.authed(s.getBrand))
	mux.HandleFunc("PATCH /api/brand", s.authed(s.updateBrand))
	mux.HandleFunc("GET /api/brand/members", s.authed(s.members))
	mux.HandleFunc("PATCH /api/brand/members/{userID}", s.authed(s.changeRole))
	mux.HandleFunc("DELETE /api/brand/members/{userID}", s.authed(s.removeMember))
	mux.HandleFunc("GET /api/brand/invitations", s.authed(s.invitations))
	mux.HandleFunc("POST /api/brand/invitations", s.authed(s.invite))
	mux.HandleFunc("DELETE /api/brand/invitations/{id}", s.authed(s.revokeInvitation))
	mux.HandleFunc("GET /api/brand/api-keys", s.authed(s.apiKeys))
	mux.HandleFunc("POST /api/brand/api-keys", s.authed(s.createAPIKey))
	mux.HandleFunc("DELETE /api/brand/api-keys/{id}", s.authed(s.revokeAPIKey))
	mux.HandleFunc("GET /api/brand/audit", s.authed(s.auditLog))

	// The product catalog (api_catalog.go) and the API's description.
	s.catalogRoutes(mux)
	s.arRoutes(mux)
	mux.HandleFunc("GET /api/openapi.json", s.openAPI)

	// Development-only pages (viewer_page.go).
	if s.Dev {
		s.viewerRoutes(mux)
	}

	// Dashboard pages (pages_routes.go).
	s.pageRoutes(mux)

	// Files of the local blob store, behind signed URLs.
	if s.LocalBlobs != nil {
		mux.HandleFunc("GET /blobs/{key...}", s.serveBlob)
	}

	// Anything else: a 404 in the right format (page or problem+json).
	mux.HandleFunc("/", s.notFound)
	return mux
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", PageData{Title: "3D and AR product customization"})
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.Assets.Path("favicon.svg"), http.StatusMovedPermanently)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, apperr.New(apperr.NotFound, "nothing lives at %s", r.URL.Path))
}

// render renders a page with the fields every page shares filled in.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data PageData) {
	data.RequestID, data.Dev, data.Version = obs.RequestID(r.Context()), s.Dev, s.Version
	if err := s.Pages.Render(w, status, name, data); err != nil {
		s.writeError(w, r, err)
	}
}
