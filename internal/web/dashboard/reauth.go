package dashboard

import (
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/form"
)

// Re-authentication: turning two-factor authentication on, setting a first
// password (on an account made through an external login) and linking
// another login hand the account to whoever does them, so they need a proof of identity from the
// last auth.RecentAuthWindow, not just a session cookie. The API answers 403
// with the code reauth_required; POST /api/auth/reauth gives the proof. The
// account page shows a "confirm it is you" form instead, or the buttons of
// the linked providers, which come back through /auth/oidc/…?reauth=1.

// reauthSubmit takes the account page's "confirm it is you" form.
func (s *Dashboard) reauthSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	err := s.Auth.Reauthenticate(r.Context(), me.p, r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		return s.accountFailure(w, r, me, err, "reauth", nil, func(v *accountPage) { v.Account.Reauth = true })
	}
	s.flash.Redirect(w, r, "/app/account", "Thank you. For the next 10 minutes you can turn on two-factor authentication, set a password or link another login.")
	return nil
}

// reauthFailure shows the account page asking for a proof of identity when
// err says one is needed; any other error is returned as it is.
func (s *Dashboard) reauthFailure(w http.ResponseWriter, r *http.Request, me Me, err error) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Code != apperr.ReauthRequired {
		return err
	}
	v := &accountPage{chrome: chrome{Me: me}, Form: form.Form{Name: "reauth", Error: "Confirm it is you first: you last logged in more than 10 minutes ago."}}
	v.Account.Reauth = true
	return s.showAccount(w, r, http.StatusForbidden, v)
}

// reauthLinks are the buttons that prove identity again through one of the
// user's linked providers and come back to the account page.
func (s *Dashboard) reauthLinks(linked []auth.Identity) []ProviderLink {
	var out []ProviderLink
	for _, l := range s.OIDC.Links() {
		for _, id := range linked {
			if id.Provider == l.Name {
				l.StartURL += "?reauth=1&return=%2Fapp%2Faccount"
				out = append(out, l)
				break
			}
		}
	}
	return out
}
