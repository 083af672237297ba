package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/web/httpx"
)

// pageRoutes declares the account and dashboard pages. They are plain HTML
// forms that work without JavaScript: every POST either redirects (303, with
// a flash message) or re-renders its page with the errors and what was typed.
func (s *Server) pageRoutes() []httpx.Route {
	rs := []httpx.Route{
		// Signing up, in and out (pages_auth.go).
		httpx.Handle("GET", "/signup", httpx.Public, s.api(s.signupPage)),
		httpx.Handle("POST", "/signup", httpx.Public, s.api(s.signupSubmit)),
		httpx.Handle("GET", "/login", httpx.Public, s.api(s.loginPage)),
		httpx.Handle("POST", "/login", httpx.Public, s.api(s.loginSubmit)),
		httpx.Handle("GET", "/login/mfa", httpx.Public, s.api(s.loginMFAPage)),
		httpx.Handle("POST", "/login/mfa", httpx.Public, s.api(s.loginMFASubmit)),
		httpx.Handle("GET", "/logout", httpx.Public, s.api(s.logoutPage)),
		httpx.Handle("POST", "/logout", httpx.Public, s.api(s.logoutSubmit)),
		httpx.Handle("GET", "/forgot-password", httpx.Public, s.api(s.forgotPage)),
		httpx.Handle("POST", "/forgot-password", httpx.Public, s.api(s.forgotSubmit)),
		httpx.Handle("GET", "/reset-password", httpx.Public, s.api(s.resetPage)),
		httpx.Handle("POST", "/reset-password", httpx.Public, s.api(s.resetSubmit)),
		httpx.Handle("GET", "/confirm-email", httpx.Public, s.api(s.confirmPage)),
		httpx.Handle("POST", "/confirm-email", httpx.Public, s.api(s.confirmSubmit)),

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
	if s.Catalog == nil {
		return rs
	}
	// Products: list, details, variants, model and zones (pages_products*.go).
	return append(rs,
		httpx.Handle("GET", "/app/products", httpx.Page, s.appPage(s.productsPage)),
		httpx.Handle("POST", "/app/products", httpx.Page, s.appPage(s.createProductSubmit)),
		httpx.Handle("GET", "/app/products/{id}", httpx.Page, s.appPage(s.productPage)),
		httpx.Handle("POST", "/app/products/{id}", httpx.Page, s.appPage(s.updateProductSubmit)),
		httpx.Handle("POST", "/app/products/{id}/delete", httpx.Page, s.appPage(s.deleteProductSubmit)),
		httpx.Handle("POST", "/app/products/{id}/variants", httpx.Page, s.appPage(s.addVariantSubmit)),
		httpx.Handle("POST", "/app/products/{id}/variants/{variantID}", httpx.Page, s.appPage(s.updateVariantSubmit)),
		httpx.Handle("POST", "/app/products/{id}/variants/{variantID}/delete", httpx.Page, s.appPage(s.deleteVariantSubmit)),
		httpx.Handle("POST", "/app/products/{id}/model", httpx.Page, s.appPage(s.uploadModelSubmit)).WithBody(s.Catalog.MaxModelSize()+httpx.UploadOverhead),
		httpx.Handle("GET", "/app/products/{id}/materials/{name}/texture", httpx.Page, s.appPage(s.materialTexture)),
		httpx.Handle("POST", "/app/products/{id}/zones", httpx.Page, s.appPage(s.createZoneSubmit)),
		httpx.Handle("POST", "/app/products/{id}/zones/{zoneID}", httpx.Page, s.appPage(s.updateZoneSubmit)),
		httpx.Handle("POST", "/app/products/{id}/zones/{zoneID}/delete", httpx.Page, s.appPage(s.deleteZoneSubmit)),
	)
}

// oidcProviders lists the configured external login providers.
func (s *Server) oidcProviders() []ProviderLink { return s.OIDC.Links() }

// pageFunc is a dashboard page handler: it gets the logged-in user and
// returns its error instead of writing it.
type pageFunc func(w http.ResponseWriter, r *http.Request, me Me) error

// appPage adapts a pageFunc. The router has authenticated the person (a
// browser without a valid session was sent through the refresh route), so
// it only loads who they are for the page.
func (s *Server) appPage(h pageFunc) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.kit.Principal(r)
		if err != nil {
			return err
		}
		me, err := s.loadMe(r, p)
		if err != nil {
			return err
		}
		return h(w, r, me)
	})
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
	} else if _, err := r.Cookie(httpx.AccessCookie); err == nil {
		// A public page (a reset or confirmation link) opened while logged
		// in still offers the dashboard and logging out.
		if p, err := s.kit.Principal(r); err == nil && p.UserID != "" {
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
	return Form{Name: name, Values: values, Errors: ae.Fields, Error: sentence(ae.Message)}, httpx.StatusOf(ae.Code), true
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
