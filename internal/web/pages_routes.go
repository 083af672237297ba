package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
)

// pageRoutes declares the account and dashboard pages. They are plain HTML
// forms that work without JavaScript: every POST either redirects (303, with
// a flash message) or re-renders its page with the errors and what was typed.
func (s *Server) pageRoutes(mux *http.ServeMux) {
	// Signing up, in and out (pages_auth.go).
	mux.HandleFunc("GET /signup", s.api(s.signupPage))
	mux.HandleFunc("POST /signup", s.api(s.signupSubmit))
	mux.HandleFunc("GET /login", s.api(s.loginPage))
	mux.HandleFunc("POST /login", s.api(s.loginSubmit))
	mux.HandleFunc("GET /login/mfa", s.api(s.loginMFAPage))
	mux.HandleFunc("POST /login/mfa", s.api(s.loginMFASubmit))
	mux.HandleFunc("GET /logout", s.api(s.logoutPage))
	mux.HandleFunc("POST /logout", s.api(s.logoutSubmit))
	mux.HandleFunc("GET /forgot-password", s.api(s.forgotPage))
	mux.HandleFunc("POST /forgot-password", s.api(s.forgotSubmit))
	mux.HandleFunc("GET /reset-password", s.api(s.resetPage))
	mux.HandleFunc("POST /reset-password", s.api(s.resetSubmit))
	mux.HandleFunc("GET /confirm-email", s.api(s.confirmPage))
	mux.HandleFunc("POST /confirm-email", s.api(s.confirmSubmit))

	// The dashboard home and brand settings (pages_app.go).
	mux.HandleFunc("GET /app", s.appPage(s.dashboard))
	mux.HandleFunc("POST /app/switch-brand", s.appPage(s.switchBrandSubmit))
	mux.HandleFunc("POST /app/confirm-email/resend", s.appPage(s.resendSubmit))
	mux.HandleFunc("GET /app/brand", s.appPage(s.brandPage))
	mux.HandleFunc("POST /app/brand", s.appPage(s.brandSubmit))

	// The user's own account (pages_account.go).
	mux.HandleFunc("GET /app/account", s.appPage(s.accountPage))
	mux.HandleFunc("POST /app/account/reauth", s.appPage(s.reauthSubmit))
	mux.HandleFunc("POST /app/account/password", s.appPage(s.passwordSubmit))
	mux.HandleFunc("POST /app/account/mfa/setup", s.appPage(s.mfaSetupSubmit))
	mux.HandleFunc("POST /app/account/mfa/confirm", s.appPage(s.mfaConfirmSubmit))
	mux.HandleFunc("POST /app/account/mfa/disable", s.appPage(s.mfaDisableSubmit))
	mux.HandleFunc("POST /app/account/mfa/backup-codes", s.appPage(s.backupCodesSubmit))
	mux.HandleFunc("POST /app/account/identities/{provider}/unlink", s.appPage(s.unlinkSubmit))
	mux.HandleFunc("POST /app/account/sessions/{id}/revoke", s.appPage(s.revokeSessionSubmit))
	mux.HandleFunc("POST /app/account/logout-all", s.appPage(s.logoutAllSubmit))

	// Team, invitations, API keys and the audit log (pages_team.go).
	mux.HandleFunc("GET /app/team", s.appPage(s.teamPage))
	mux.HandleFunc("POST /app/team/invite", s.appPage(s.inviteSubmit))
	mux.HandleFunc("POST /app/team/members/{userID}/role", s.appPage(s.roleSubmit))
	mux.HandleFunc("POST /app/team/members/{userID}/remove", s.appPage(s.removeSubmit))
	mux.HandleFunc("POST /app/team/invitations/{id}/revoke", s.appPage(s.revokeInvitationSubmit))
	mux.HandleFunc("GET /invitations/accept", s.appPage(s.invitationPage))
	mux.HandleFunc("POST /invitations/accept", s.appPage(s.invitationSubmit))
	mux.HandleFunc("GET /app/api-keys", s.appPage(s.apiKeysPage))
	mux.HandleFunc("POST /app/api-keys", s.appPage(s.apiKeySubmit))
	mux.HandleFunc("POST /app/api-keys/{id}/revoke", s.appPage(s.revokeAPIKeySubmit))
	mux.HandleFunc("GET /app/audit", s.appPage(s.auditPage))

	// Products: list, details, variants, model and zones (pages_products*.go).
	if s.Catalog != nil {
		mux.HandleFunc("GET /app/products", s.appPage(s.productsPage))
		mux.HandleFunc("POST /app/products", s.appPage(s.createProductSubmit))
		mux.HandleFunc("GET /app/products/{id}", s.appPage(s.productPage))
		mux.HandleFunc("POST /app/products/{id}", s.appPage(s.updateProductSubmit))
		mux.HandleFunc("POST /app/products/{id}/delete", s.appPage(s.deleteProductSubmit))
		mux.HandleFunc("POST /app/products/{id}/variants", s.appPage(s.addVariantSubmit))
		mux.HandleFunc("POST /app/products/{id}/variants/{variantID}", s.appPage(s.updateVariantSubmit))
		mux.HandleFunc("POST /app/products/{id}/variants/{variantID}/delete", s.appPage(s.deleteVariantSubmit))
		mux.Handle("POST /app/products/{id}/model", bodyLimit(s.Catalog.MaxModelSize()+uploadOverhead, s.appPage(s.uploadModelSubmit)))
		mux.HandleFunc("GET /app/products/{id}/materials/{name}/texture", s.appPage(s.materialTexture))
		mux.HandleFunc("POST /app/products/{id}/zones", s.appPage(s.createZoneSubmit))
		mux.HandleFunc("POST /app/products/{id}/zones/{zoneID}", s.appPage(s.updateZoneSubmit))
		mux.HandleFunc("POST /app/products/{id}/zones/{zoneID}/delete", s.appPage(s.deleteZoneSubmit))
	}
}

// oidcProviders lists the configured external login providers.
func (s *Server) oidcProviders() []ProviderLink { return s.OIDC.Links() }

// pageFunc is a dashboard page handler: it gets the logged-in user and
// returns its error instead of writing it.
type pageFunc func(w http.ResponseWriter, r *http.Request, me Me) error

// appPage adapts a pageFunc. A browser without a valid access cookie is sent
// through /api/auth/refresh, which renews the cookie (it is the only path
// that receives the refresh cookie) and comes back, or goes on to /login.
func (s *Server) appPage(h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.principal(r)
		if apperr.CodeOf(err) == apperr.Unauthorized {
			http.Redirect(w, r, "/api/auth/refresh?return="+url.QueryEscape(returnPath(r)), http.StatusSeeOther)
			return
		}
		if err == nil {
			err = userOnly(p)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		r = r.WithContext(withPrincipal(r.Context(), p))
		me, err := s.loadMe(r, p)
		if err == nil {
			err = h(w, r, me)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	}
}

// returnPath is where to come back to after logging in: the page itself for
// a GET, and for a form post (which cannot be replayed by a redirect) the
// page the form was on.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return returnTo(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Path != "" && originOf(r.Referer()) != "" {
		return returnTo(ref.RequestURI())
	}
	return "/app"
}

// renderPage renders an account or dashboard page: it shows (and clears) the
// flash message and marks the response personal, so neither shared caches
// nor the back button after logging out serve it again.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name, title string, v View) {
	if msg := s.takeFlash(w, r); msg != "" && v.Flash == "" {
		v.Flash = msg
	}
	if v.OIDC == nil {
		v.OIDC = s.oidcProviders()
	}
	w.Header().Set("Cache-Control", "no-store")
	data := PageData{Title: title, Data: v}
	if v.Me.User.ID != "" {
		data.User = v.Me.User
	} else if _, err := r.Cookie(accessCookie); err == nil {
		// A public page (a reset or confirmation link) opened while logged
		// in still offers the dashboard and logging out.
		if p, err := s.principal(r); err == nil && p.UserID != "" {
			data.User = p.UserID
		}
	}
	s.render(w, r, status, name, data)
}

// flashCookie carries a one-line message across a POST-redirect-GET, of at
// most maxFlash bytes.
const (
	flashCookie = "luneo_flash"
	maxFlash    = 300
)

// redirectFlash answers a successful form post: 303 to the page to show next,
// which displays msg once.
func (s *Server) redirectFlash(w http.ResponseWriter, r *http.Request, to, msg string) {
	if len(msg) > maxFlash {
		// Messages can quote what was typed; keep the cookie small.
		msg = strings.ToValidUTF8(msg[:maxFlash-len("…")], "") + "…"
	}
	if msg != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/",
			MaxAge: 60, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// takeFlash returns the pending flash message and deletes its cookie.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > maxFlash {
		return "" // not ours, or tampered with: showing nothing is safest
	}
	return string(b)
}

// formFailure turns the error of a form post into what the page shows next
// to the form, when it is something the user can fix by editing and sending
// again; ok is false for anything else (missing rights, unknown IDs, our own
// failures), which the caller returns to go through writeError. also lists
// further codes the caller wants shown on the form.
func formFailure(w http.ResponseWriter, err error, name string, values map[string]string, also ...apperr.Code) (Form, int, bool) {
	ae, isApp := apperr.As(err)
	if !isApp {
		return Form{}, 0, false
	}
	switch ae.Code {
	case apperr.Invalid, apperr.Unprocessable, apperr.Conflict, apperr.Unauthorized, apperr.RateLimited:
	default:
		found := false
		for _, c := range also {
			found = found || c == ae.Code
		}
		if !found {
			return Form{}, 0, false
		}
	}
	if ae.Code == apperr.RateLimited && ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(ae.RetryAfter.Seconds()+0.999)))
	}
	return Form{Name: name, Values: values, Errors: ae.Fields, Error: sentence(ae.Message)}, statusOf(ae.Code), true
}

// sentence capitalizes a message, which apperr keeps lowercase so it can
// also end a longer sentence, for showing on its own.
func sentence(msg string) string {
	r, size := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[size:]
}

// Form is one HTML form as the page shows it again after a failed post.
type Form struct {
	// Name tells apart the forms of one page ("password", "mfa-disable").
	Name string
	// Values is what was typed, by field name. Passwords and codes are
	// never put back.
	Values map[string]string
	// Errors says what is wrong, by field name.
	Errors map[string]string
	// Error is the message about the form as a whole.
	Error string
}

// Field describes one input for the "field" partial.
type Field struct {
	ID, Name, Label, Type, Value, Error, Autocomplete, Hint string
}

// Field builds the input name of the form (typ is its HTML type), with its
// value and error. A password input never gets its value back.
func (f Form) Field(name, label, typ, autocomplete string) Field {
	fd := Field{ID: f.Name + "-" + name, Name: name, Label: label, Type: typ, Autocomplete: autocomplete,
		Value: f.Values[name], Error: f.Errors[name]}
	if typ == "password" {
		fd.Value = ""
	}
	return fd
}

// Value returns what was typed in field name.
func (f Form) Value(name string) string { return f.Values[name] }

// WithHint adds a help line under the input.
func (f Field) WithHint(hint string) Field {
	f.Hint = hint
	return f
}
