package dashboard

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/web/httpx"
)

// The public account pages: sign-up, login with its MFA step, logout,
// forgotten and reset passwords, and email confirmation. Links from emails
// (reset, confirm) open a page whose button posts the token, because mail
// scanners fetch every GET link in a message and must not use it up.

// The data of each public account page.
type (
	signupPage struct {
		chrome
		Form form.Form
		// Return is where to go after signing up (a local path).
		Return string
	}
	loginPage struct {
		chrome
		Form   form.Form
		Return string
	}
	// loginMFAPage is the second step of a login; Token is the MFA token
	// of the first step, sent back in a hidden field.
	loginMFAPage struct {
		chrome
		Form          form.Form
		Token, Return string
	}
	logoutPage struct{ chrome }
	forgotPage struct {
		chrome
		Form form.Form
	}
	// resetPage and confirmPage carry the token of the emailed link.
	resetPage struct {
		chrome
		Form  form.Form
		Token string
	}
	confirmPage struct {
		chrome
		Form  form.Form
		Token string
	}
)

// loggedIn reports whether the request carries a valid session.
func (s *Dashboard) loggedIn(r *http.Request) bool {
	_, err := s.Kit.Principal(r)
	return err == nil
}

func (s *Dashboard) signupPage(w http.ResponseWriter, r *http.Request) error {
	back := httpx.ReturnTo(r.URL.Query().Get("return"))
	if s.loggedIn(r) {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	s.renderPage(w, r, http.StatusOK, "signup", "Sign up", &signupPage{Return: back})
	return nil
}

func (s *Dashboard) signupSubmit(w http.ResponseWriter, r *http.Request) error {
	in := auth.RegisterInput{Email: r.PostFormValue("email"), Password: r.PostFormValue("password"),
		Name: r.PostFormValue("name"), Brand: r.PostFormValue("brand")}
	back := httpx.ReturnTo(r.PostFormValue("return"))
	_, b, err := s.Auth.Register(r.Context(), in)
	if err != nil {
		f, status, ok := form.Failure(w, err, "signup", map[string]string{"email": in.Email, "name": in.Name, "brand": in.Brand})
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "signup", "Sign up", &signupPage{Form: f, Return: back})
		return nil
	}
	res, err := s.Auth.Login(r.Context(), in.Email, in.Password)
	if err != nil || res.Tokens == nil {
		// The account exists; this server only lets confirmed addresses in
		// (or the login was rate limited), so the next step is the login page.
		msg := "Your account is ready: log in to continue."
		if apperr.CodeOf(err) == apperr.Forbidden {
			msg = "Your account is ready. Confirm your email with the link we sent you, then log in."
		}
		s.flash.Redirect(w, r, "/login?return="+url.QueryEscape(back), msg)
		return nil
	}
	s.Kit.SetSessionCookies(w, *res.Tokens)
	s.flash.Redirect(w, r, back, fmt.Sprintf("Welcome to Luneo! %s is ready. We sent a confirmation link to your email.", b.Name))
	return nil
}

func (s *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) error {
	back := httpx.ReturnTo(r.URL.Query().Get("return"))
	if s.loggedIn(r) {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	s.renderPage(w, r, http.StatusOK, "login", "Log in", &loginPage{Return: back})
	return nil
}

func (s *Dashboard) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	email, back := r.PostFormValue("email"), httpx.ReturnTo(r.PostFormValue("return"))
	res, err := s.Auth.Login(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		// Forbidden here means "confirm your email first": the user can act on it.
		f, status, ok := form.Failure(w, err, "login", map[string]string{"email": email}, apperr.Forbidden)
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "login", "Log in", &loginPage{Form: f, Return: back})
		return nil
	}
	s.finishLogin(w, r, res, back)
	return nil
}

// finishLogin shows the second-factor step or starts the browser session.
// The MFA token goes into the step's form rather than a URL, so it never
// lands in history or access logs.
func (s *Dashboard) finishLogin(w http.ResponseWriter, r *http.Request, res auth.LoginResult, back string) {
	if res.MFARequired {
		s.renderPage(w, r, http.StatusOK, "login_mfa", "Two-factor authentication", &loginMFAPage{Token: res.MFAToken, Return: back})
		return
	}
	s.Kit.SetSessionCookies(w, *res.Tokens)
	if res.Claimed {
		s.flash.Redirect(w, r, back, "Welcome back. This account's email had never been confirmed, so the password, "+
			"two-factor setup, sessions, other logins and API keys made before were removed. Set a new password on your account page if you want one.")
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// loginMFAPage sends a direct visit back to the start: the step only exists
// right after a correct password.
func (s *Dashboard) loginMFAPage(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Dashboard) loginMFASubmit(w http.ResponseWriter, r *http.Request) error {
	token, back := r.PostFormValue("mfa_token"), httpx.ReturnTo(r.PostFormValue("return"))
	res, err := s.Auth.LoginMFA(r.Context(), token, r.PostFormValue("code"))
	if err != nil {
		f, status, ok := form.Failure(w, err, "mfa", nil)
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "login_mfa", "Two-factor authentication", &loginMFAPage{Form: f, Token: token, Return: back})
		return nil
	}
	s.finishLogin(w, r, res, back)
	return nil
}

// logoutPage asks before logging out: a GET must not change anything.
func (s *Dashboard) logoutPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Kit.Principal(r)
	if err != nil || p.UserID == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	me, err := s.loadMe(r, p)
	if err != nil {
		return err
	}
	s.renderPage(w, r, http.StatusOK, "logout", "Log out", &logoutPage{chrome{Me: me}})
	return nil
}

func (s *Dashboard) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Kit.Principal(r)
	if err != nil {
		if _, cerr := r.Cookie(httpx.AccessCookie); cerr == nil {
			// An expired access cookie cannot name the session, and the
			// refresh cookie only travels to /api/auth: renew first, then
			// the logout page asks again with a cookie that works.
			http.Redirect(w, r, "/api/auth/refresh?return=/logout", http.StatusSeeOther)
			return nil
		}
	} else if p.SessionID != "" {
		if err := s.Auth.Logout(r.Context(), p.UserID, p.SessionID); err != nil {
			return err
		}
	}
	s.Kit.ClearSessionCookies(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Dashboard) forgotPage(w http.ResponseWriter, r *http.Request) error {
	s.renderPage(w, r, http.StatusOK, "forgot", "Forgot your password?", &forgotPage{})
	return nil
}

func (s *Dashboard) forgotSubmit(w http.ResponseWriter, r *http.Request) error {
	email := r.PostFormValue("email")
	if err := s.Auth.RequestPasswordReset(r.Context(), email); err != nil {
		f, status, ok := form.Failure(w, err, "forgot", map[string]string{"email": email})
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "forgot", "Forgot your password?", &forgotPage{Form: f})
		return nil
	}
	// The same answer whether or not the address has an account.
	s.flash.Redirect(w, r, "/login", fmt.Sprintf("If %s has a Luneo account, we sent it a link to choose a new password. The link works for one hour.", email))
	return nil
}

func (s *Dashboard) resetPage(w http.ResponseWriter, r *http.Request) error {
	s.renderPage(w, r, http.StatusOK, "reset", "Choose a new password", &resetPage{Token: r.URL.Query().Get("token")})
	return nil
}

func (s *Dashboard) resetSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PostFormValue("token")
	if err := s.Auth.ResetPassword(r.Context(), token, r.PostFormValue("password")); err != nil {
		f, status, ok := form.Failure(w, err, "reset", nil)
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "reset", "Choose a new password", &resetPage{Form: f, Token: token})
		return nil
	}
	// A reset ends every session, this browser's included.
	s.Kit.ClearSessionCookies(w)
	s.flash.Redirect(w, r, "/login", "Your password has been changed. Log in with the new one.")
	return nil
}

func (s *Dashboard) confirmPage(w http.ResponseWriter, r *http.Request) error {
	s.renderPage(w, r, http.StatusOK, "confirm", "Confirm your email", &confirmPage{Token: r.URL.Query().Get("token")})
	return nil
}

func (s *Dashboard) confirmSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PostFormValue("token")
	if _, err := s.Auth.ConfirmEmail(r.Context(), token); err != nil {
		f, status, ok := form.Failure(w, err, "confirm", nil)
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "confirm", "Confirm your email", &confirmPage{Form: f, Token: token})
		return nil
	}
	s.flash.Redirect(w, r, "/app", "Thank you: your email address is confirmed.")
	return nil
}
