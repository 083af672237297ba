package dashboard

import (
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/form"
)

// The account page: profile, password, two-factor authentication, linked
// logins and sessions of the logged-in user. Secrets (the TOTP secret, backup
// codes) are shown in the answer to the post that made them, never stored for
// a later GET, so they appear exactly once.

// accountPage is the data of the account page.
type accountPage struct {
	chrome
	Form    form.Form
	Account accountView
}

// accountView is the account page's own section.
type accountView struct {
	Sessions   []auth.Session
	Identities []auth.Identity
	// Enroll is set right after "turn on": the QR code and the secret.
	Enroll *enrollView
	// Enrolling shows the code form again after a wrong code, without the
	// QR code (the secret is not kept anywhere it could be read back from).
	Enrolling bool
	// BackupCodes were just made and are shown this once.
	BackupCodes []string
	// Reauth asks for a proof of identity (password, code, or one of
	// ReauthWith) before turning MFA on or setting a first password.
	Reauth     bool
	ReauthWith []ProviderLink
	// Events are the latest security events of the account itself (the
	// brands' audit logs do not show them).
	Events []auditRow
}

// accountEvents is how many of their own events the account page shows.
const accountEvents = 20

// enrollView is what an authenticator app needs to add the account.
type enrollView struct {
	// QRCode and Link are made by auth.BeginMFA, not from user input, so
	// they are marked safe: html/template would otherwise replace data: and
	// otpauth: URLs.
	QRCode template.URL
	Link   template.URL
	Secret string
}

func (s *Dashboard) accountPage(w http.ResponseWriter, r *http.Request, me Me) error {
	v := &accountPage{chrome: chrome{Me: me}}
	// ?reauth=1: linking a login asked for a proof of identity first.
	v.Account.Reauth = r.URL.Query().Get("reauth") != "" && s.Auth.RequireRecentAuth(me.p) != nil
	return s.showAccount(w, r, http.StatusOK, v)
}

// showAccount renders the account page with the lists it always shows.
func (s *Dashboard) showAccount(w http.ResponseWriter, r *http.Request, status int, v *accountPage) error {
	var err error
	if v.Account.Sessions, err = s.Auth.Sessions(r.Context(), v.Me.p.UserID, v.Me.p.SessionID); err != nil {
		return err
	}
	if v.Account.Identities, err = s.Auth.Identities(r.Context(), v.Me.p.UserID); err != nil {
		return err
	}
	events, err := s.Audit.ForUser(r.Context(), v.Me.p.UserID, accountEvents, time.Time{})
	if err != nil {
		return err
	}
	for _, e := range events {
		v.Account.Events = append(v.Account.Events, auditRow{Entry: e, Details: describe(e.Detail)})
	}
	if v.Account.Reauth {
		v.Account.ReauthWith = s.reauthLinks(v.Account.Identities)
	}
	// renderPage marks the answer no-store, which keeps the secrets of
	// Enroll and BackupCodes out of every cache.
	v.Nav = "account"
	s.renderPage(w, r, status, "account", "Your account", v)
	return nil
}

// accountFailure re-renders the account page with a form's error, or
// returns err when the user cannot fix it by sending the form again.
func (s *Dashboard) accountFailure(w http.ResponseWriter, r *http.Request, me Me, err error, formName string, values map[string]string, edit func(*accountPage)) error {
	f, status, ok := form.Failure(w, err, formName, values)
	if !ok {
		return err
	}
	v := &accountPage{chrome: chrome{Me: me}, Form: f}
	if edit != nil {
		edit(v)
	}
	return s.showAccount(w, r, status, v)
}

func (s *Dashboard) passwordSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	err := s.Auth.ChangePassword(r.Context(), me.p, r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	if apperr.CodeOf(err) == apperr.ReauthRequired {
		return s.reauthFailure(w, r, me, err)
	}
	if err != nil {
		return s.accountFailure(w, r, me, err, "password", nil, func(v *accountPage) {
			// The password policy names its field "password"; here it is the new one.
			if msg, ok := v.Form.Errors["password"]; ok {
				v.Form.Errors = map[string]string{"new_password": msg, "current_password": v.Form.Errors["current_password"]}
			}
		})
	}
	s.flash.Redirect(w, r, "/app/account", "Your password has been changed, and your other sessions were logged out.")
	return nil
}

func (s *Dashboard) mfaSetupSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	e, err := s.Auth.BeginMFA(r.Context(), me.p)
	if apperr.CodeOf(err) == apperr.ReauthRequired {
		return s.reauthFailure(w, r, me, err)
	}
	if err != nil {
		return s.accountFailure(w, r, me, err, "mfa-setup", nil, nil)
	}
	v := &accountPage{chrome: chrome{Me: me}}
	v.Account.Enroll = &enrollView{QRCode: template.URL(e.QRCode), Link: template.URL(e.OTPAuthURL), Secret: e.Secret}
	return s.showAccount(w, r, http.StatusOK, v)
}

func (s *Dashboard) mfaConfirmSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	codes, err := s.Auth.ConfirmMFA(r.Context(), me.p, r.PostFormValue("code"))
	if apperr.CodeOf(err) == apperr.ReauthRequired {
		return s.reauthFailure(w, r, me, err)
	}
	if err != nil {
		return s.accountFailure(w, r, me, err, "mfa-confirm", nil, func(v *accountPage) { v.Account.Enrolling = true })
	}
	me.User.MFAEnabled = true
	v := &accountPage{chrome: chrome{Me: me, Flash: "Two-factor authentication is on."}}
	v.Account.BackupCodes = codes
	return s.showAccount(w, r, http.StatusOK, v)
}

func (s *Dashboard) mfaDisableSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := s.Auth.DisableMFA(r.Context(), me.p.UserID, r.PostFormValue("code")); err != nil {
		return s.accountFailure(w, r, me, err, "mfa-disable", nil, nil)
	}
	s.flash.Redirect(w, r, "/app/account", "Two-factor authentication is off.")
	return nil
}

func (s *Dashboard) backupCodesSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	codes, err := s.Auth.RegenerateBackupCodes(r.Context(), me.p.UserID, r.PostFormValue("code"))
	if err != nil {
		return s.accountFailure(w, r, me, err, "mfa-codes", nil, nil)
	}
	v := &accountPage{chrome: chrome{Me: me, Flash: "Your new backup codes replace the old ones."}}
	v.Account.BackupCodes = codes
	return s.showAccount(w, r, http.StatusOK, v)
}

func (s *Dashboard) unlinkSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	provider := r.PathValue("provider")
	if err := s.Auth.UnlinkIdentity(r.Context(), me.p.UserID, provider); err != nil {
		return s.accountFailure(w, r, me, err, "identities", nil, nil)
	}
	s.flash.Redirect(w, r, "/app/account", fmt.Sprintf("Your %s login is no longer linked.", provider))
	return nil
}

func (s *Dashboard) revokeSessionSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := s.Auth.RevokeSession(r.Context(), me.p.UserID, r.PathValue("id")); err != nil {
		return err
	}
	s.flash.Redirect(w, r, "/app/account", "The session has been logged out.")
	return nil
}

func (s *Dashboard) logoutAllSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	n, err := s.Auth.LogoutAll(r.Context(), me.p.UserID)
	if err != nil {
		return err
	}
	s.Kit.ClearSessionCookies(w)
	s.flash.Redirect(w, r, "/login", fmt.Sprintf("You are logged out everywhere (%d sessions).", n))
	return nil
}
