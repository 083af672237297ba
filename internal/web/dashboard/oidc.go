package dashboard

import (
	"context"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/oidc"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/web/httpx"
)

// External logins (Google, GitHub, a configured OpenID Connect provider):
//
//	GET /auth/oidc/{provider}/start[?return=/path][&link=1]
//	GET /auth/oidc/{provider}/callback?code=…&state=…
//
// Both are GETs because the browser arrives by redirect; they change nothing
// a cross-site page could abuse: the callback only acts on a state that this
// same browser started (see oidcStateCookie).

// OIDC is what the external-login routes need: the configured providers and
// the kv store that holds each login's single-use state (httpx.OAuthStates).
type OIDC struct {
	Providers *oidc.Providers
	KV        kv.Store
}

// ProviderLink is one "Log in with …" button, and the account page's "Link"
// button for the same provider.
type ProviderLink struct {
	Name     string // provider key: "google", "github", "oidc"
	Display  string // button label: "Google", "Single sign-on"
	StartURL string // starts a login
	LinkURL  string // links the provider to the logged-in user
}

// Links lists the configured providers as buttons, in display order.
func (o *OIDC) Links() []ProviderLink {
	if o == nil {
		return nil
	}
	var out []ProviderLink
	for _, name := range o.Providers.Names() {
		p, _ := o.Providers.Get(name)
		start := "/auth/oidc/" + name + "/start"
		out = append(out, ProviderLink{Name: name, Display: p.Display(), StartURL: start, LinkURL: start + "?link=1"})
	}
	return out
}

const (
	// oidcStateTTL is how long a user may spend at the provider.
	oidcStateTTL = 10 * time.Minute
	// oidcStateCookie binds a login to the browser that started it (see
	// httpx.OAuthStates for why); oidcCookiePath keeps it to these routes.
	oidcStateCookie = "luneo_oidc"
	oidcCookiePath  = "/auth/oidc/"
)

// oidcStartPerIP bounds the unauthenticated writes to the kv store that
// starting a login makes.
var oidcStartPerIP = auth.Limit{Name: "oidc-start-ip", N: 60, Window: 10 * time.Minute}

// oidcState is what a login remembers between start and callback.
type oidcState struct {
	Provider string `json:"provider"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Return   string `json:"return"`
	// LinkUserID is set when a logged-in user links the provider instead of
	// logging in with it.
	LinkUserID string `json:"link_user_id,omitempty"`
	// Reauth (with LinkUserID and SessionID) proves the logged-in user's
	// identity again instead: the provider account must be linked to them.
	Reauth    bool   `json:"reauth,omitempty"`
	SessionID string `json:"session_id,omitempty"`
}

// oidcRoutes declares the external-login routes.
func (s *Dashboard) oidcRoutes() []httpx.Route {
	return []httpx.Route{
		httpx.Handle("GET", "/auth/oidc/{provider}/start", httpx.Public, s.Kit.Handler(s.oidcStart)),
		httpx.Handle("GET", "/auth/oidc/{provider}/callback", httpx.Public, s.Kit.Handler(s.oidcCallback)),
	}
}

// oidcProvider finds the provider named in the path.
func (s *Dashboard) oidcProvider(r *http.Request) (*oidc.Provider, error) {
	name := r.PathValue("provider")
	if s.OIDC != nil {
		if p, ok := s.OIDC.Providers.Get(name); ok {
			return p, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "no login provider named %q is configured", name)
}

// oidcStart remembers a new login (state, nonce, PKCE verifier, where to go
// back, whom to link) and sends the browser to the provider.
func (s *Dashboard) oidcStart(w http.ResponseWriter, r *http.Request) error {
	p, err := s.oidcProvider(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.Auth.Limiter().Allow(ctx, oidcStartPerIP, audit.ClientIP(ctx)); err != nil {
		return err
	}
	q := r.URL.Query()
	st := oidcState{Provider: p.Name(), Nonce: httpx.NewOAuthState(), Verifier: httpx.NewPKCEVerifier(), Return: httpx.ReturnTo(q.Get("return"))}
	if q.Get("link") != "" || q.Get("reauth") != "" {
		me, err := s.Kit.Principal(r)
		if err != nil {
			return apperr.Wrap(apperr.Unauthorized, err, "log in first, then link your %s account from your account page", p.Display())
		}
		if err := httpx.UserOnly(me); err != nil {
			return err
		}
		st.LinkUserID = me.UserID
		st.Reauth, st.SessionID = q.Get("reauth") != "", me.SessionID
		// Linking adds a way in, like a first password: a stolen session
		// must not be able to make itself permanent.
		if err := s.Auth.RequireRecentAuth(me); err != nil && !st.Reauth {
			if httpx.WantsHTML(r) {
				http.Redirect(w, r, "/app/account?reauth=1#reauth", http.StatusSeeOther)
				return nil
			}
			return err
		}
	}
	state := httpx.NewOAuthState()
	// Ask for the provider's URL first: if it cannot be reached, nothing is
	// left behind in the store.
	to, err := p.AuthCodeURL(ctx, state, st.Nonce, st.Verifier)
	if err != nil {
		return err
	}
	if err := s.states.Save(ctx, w, state, st); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// oidcCallback finishes a login: the state is taken (so a replayed callback
// fails), checked against this browser and provider, the code exchanged for
// the identity, and the user linked or logged in.
func (s *Dashboard) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	p, err := s.oidcProvider(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	w.Header().Set("Cache-Control", "no-store")
	st, err := s.takeOIDCState(ctx, w, r, q.Get("state"))
	if err != nil {
		return err
	}
	if st.Provider != p.Name() {
		return apperr.New(apperr.Invalid, "this login was started with %s, not %s; start again", st.Provider, p.Display())
	}
	if e := q.Get("error"); e != "" {
		return providerRefusal(p, e)
	}
	id, err := p.Exchange(ctx, q.Get("code"), st.Verifier, st.Nonce)
	if err != nil {
		return err
	}
	if st.Reauth {
		return s.oidcReauth(w, r, st, id)
	}
	if st.LinkUserID != "" {
		return s.oidcLink(w, r, st.LinkUserID, id)
	}
	res, err := s.Auth.LoginWithIdentity(ctx, id)
	if err != nil {
		return err
	}
	// The same ending as a password login: the second-factor step, or the
	// session cookies and a redirect back.
	s.finishLogin(w, r, res, httpx.ReturnTo(st.Return))
	return nil
}

// takeOIDCState consumes the login state and clears its cookie (see
// httpx.OAuthStates.Take): each state can be tried exactly once, whatever
// the outcome. A callback without a state is told so rather than "expired".
func (s *Dashboard) takeOIDCState(ctx context.Context, w http.ResponseWriter, r *http.Request, state string) (oidcState, error) {
	var st oidcState
	if state == "" {
		s.Kit.ClearCookie(w, oidcStateCookie, oidcCookiePath)
		return st, apperr.New(apperr.Invalid, "the login provider sent no state; start again")
	}
	err := s.states.Take(ctx, w, r, state, &st)
	return st, err
}

// oidcLink links the identity to the user who started the flow. If another
// user has logged in in this browser meanwhile, it refuses rather than guess.
func (s *Dashboard) oidcLink(w http.ResponseWriter, r *http.Request, userID string, id auth.ExternalIdentity) error {
	if me, err := s.Kit.Principal(r); err == nil && me.UserID != userID {
		return apperr.New(apperr.Forbidden, "you logged in as someone else while linking; start again from your account page")
	}
	if err := s.Auth.LinkIdentity(r.Context(), userID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/account", http.StatusSeeOther)
	return nil
}

// oidcReauth records a fresh proof of identity on the session that started
// the flow, when the provider account is one linked to its user.
func (s *Dashboard) oidcReauth(w http.ResponseWriter, r *http.Request, st oidcState, id auth.ExternalIdentity) error {
	if me, err := s.Kit.Principal(r); err != nil || me.UserID != st.LinkUserID || me.SessionID != st.SessionID {
		return apperr.New(apperr.Forbidden, "your session changed while you confirmed it was you; start again from your account page")
	}
	if err := s.Auth.ReauthenticateWithIdentity(r.Context(), st.LinkUserID, st.SessionID, id); err != nil {
		return err
	}
	s.flash.Redirect(w, r, httpx.ReturnTo(st.Return), "Thank you. For the next 10 minutes you can turn on two-factor authentication, set a password or link another login.")
	return nil
}

// providerRefusal explains an error the provider sent instead of a code.
func providerRefusal(p *oidc.Provider, code string) error {
	if code == "access_denied" {
		return apperr.New(apperr.Forbidden, "you did not allow Luneo to use your %s account; log in another way or try again", p.Display())
	}
	if !isOAuthErrorCode(code) {
		code = "unknown error"
	}
	return apperr.New(apperr.Unauthorized, "%s refused the login (%s); try again or log in another way", p.Display(), code)
}

// isOAuthErrorCode reports whether s looks like an error code of RFC 6749
// §4.1.2.1 (lower case and underscores): anything else is not repeated to the
// user, since whoever crafted the URL chose it.
func isOAuthErrorCode(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}
